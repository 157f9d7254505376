"""Write a :class:`ValidationReport` for people and for CI: text, JSON, JUnit XML, GitHub.

Every format is a pure function of the report, the language and the ``--fail-on`` level, with
results in one order (source file, line, severity, focus, shape), so the same model gives the
same bytes on every run and a diff of two reports shows only what changed.

* ``text``: one line per result, ``file:line: Severity: focus label: message (value) [shape]``,
  grouped by source file, then a summary line.
* ``json``: the same results as objects, both languages' messages included.
* ``junit``: one test suite per shape, one test case per shape and focus node (passed ones
  too, so CI shows how much was checked); results at or above ``--fail-on`` are failures.
* ``github``: GitHub Actions workflow commands (``::error file=...,line=...::``) that show
  as annotations on the pull request's changed lines.

Labels and messages come from the model, so they are written so they cannot act: in ``text``
each result stays one line (control characters and line breaks shown escaped) and no line can
start a workflow command (``::``) when CI prints it; in ``github`` the data and properties are
escaped by the workflow-command rules (``%``, CR, LF; ``:`` and ``,`` in properties); in
``junit`` characters XML cannot hold become U+FFFD, so the file always parses.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from itertools import groupby

from ..built import SourceLocation
from ..errors import UsageError
from ..safetext import ci_safe_line, one_line, xml_safe
from .results import FAIL_ON, SEVERITIES, ValidationReport, ValidationResult

Renderer = Callable[[ValidationReport, str, str, str], str]

_WORDS = {
    "nb": {"Violation": ("brudd", "brudd"), "Warning": ("advarsel", "advarsler"),
           "Info": ("merknad", "merknader"), "conforms": "modellen er gyldig",
           "fails": "modellen er ikke gyldig", "checked": "kontroller"},
    "en": {"Violation": ("violation", "violations"), "Warning": ("warning", "warnings"),
           "Info": ("info", "infos"), "conforms": "the model conforms",
           "fails": "the model does not conform", "checked": "checks"},
}
_GITHUB_LEVEL = {"Violation": "error", "Warning": "warning", "Info": "notice"}
#: The severity as a text line names it: Norwegian output is Norwegian throughout (JSON keeps
#: SHACL's own names, which scripts match on).
_SEVERITY_NAME = {
    "nb": {"Violation": "Brudd", "Warning": "Advarsel", "Info": "Merknad"},
    "en": {"Violation": "Violation", "Warning": "Warning", "Info": "Info"},
}


def where(location: SourceLocation | None, origin: str) -> str:
    """``file:line`` of a result, or the model (``origin``) when its fact has no source line."""
    return str(location) if location is not None else origin


def body(result: ValidationResult, lang: str) -> str:
    """``focus label: message (value)``; the value only where the message does not say it."""
    message = result.message(lang)
    value = result.value_label(lang) if result.value else ""
    if value and value not in message and value not in ("true", "false"):
        message = f"{message} ({value})"
    return f"{result.focus_label(lang)}: {message}"


def line_text(result: ValidationResult, lang: str) -> str:
    """``Severity: focus label: message (value) [shape]``: the part after the location."""
    return f"{_SEVERITY_NAME[lang][result.severity]}: {body(result, lang)} [{result.shape}]"


def summary(report: ValidationReport, lang: str, fail_on: str) -> str:
    words = _WORDS[lang]
    counts = []
    for severity in SEVERITIES:
        n = report.count(severity)
        singular, plural = words[severity]
        counts.append(f"{n} {singular if n == 1 else plural}")
    verdict = words["conforms"] if report.conforms(fail_on) else words["fails"]
    return f"{', '.join(counts)}: {verdict}"


def render_text(report: ValidationReport, lang: str, fail_on: str, origin: str) -> str:
    # The verdict opens the report (a reader sees it without scrolling past hundreds of
    # results) and closes it (the last line of a CI log, `tail -1` in scripts).
    lines: list[str] = []
    for _, group in groupby(report.results,
                            key=lambda r: r.location.file if r.location else origin):
        if lines:
            lines.append("")
        lines.extend(ci_safe_line(one_line(f"{where(r.location, origin)}: {line_text(r, lang)}"))
                     for r in group)
    if lines:
        lines = [summary(report, lang, fail_on), "", *lines, ""]
    lines.append(summary(report, lang, fail_on))
    return "\n".join(lines) + "\n"


def render_json(report: ValidationReport, lang: str, fail_on: str, origin: str) -> str:
    data = {
        "conforms": report.conforms(fail_on),
        "fail_on": fail_on,
        "counts": {s.lower(): report.count(s) for s in SEVERITIES},
        "results": [{
            "file": r.location.file if r.location else origin,
            "line": r.location.line if r.location else None,
            "sheet": r.location.sheet if r.location else None,
            "severity": r.severity,
            "focus": r.focus,
            "focus_label": r.focus_label(lang),
            "path": r.path,
            "value": r.value,
            "shape": r.shape,
            "component": r.component,
            "message": r.message(lang),
            "messages": {tag or "und": text for tag, text in r.messages},
        } for r in report.results],
    }
    return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def render_junit(report: ValidationReport, lang: str, fail_on: str, origin: str) -> str:
    failing = set(report.failing(fail_on))
    cases: dict[tuple[str, str], dict[str, object]] = {}
    for check in report.checks:
        cases[(check.shape, check.focus)] = {"label": check.focus_label(lang),
                                             "location": check.location, "results": []}
    for result in report.results:
        case = cases.setdefault((result.shape, result.focus), {
            "label": result.focus_label(lang), "location": result.location, "results": []})
        case["results"].append(result)  # type: ignore[attr-defined]
    suites = ET.Element("testsuites", name="samhandling validate")
    total = failures = 0
    for shape, group in groupby(sorted(cases.items()), key=lambda item: item[0][0]):
        suite = ET.SubElement(suites, "testsuite", name=shape)
        n = n_failed = 0
        for (_, focus), case in group:
            results: list[ValidationResult] = case["results"]  # type: ignore[assignment]
            location = results[0].location if results else case["location"]
            attrs = {"classname": f"samhandling.{shape}", "name": f"{case['label']} ({focus})"}
            if isinstance(location, SourceLocation):
                attrs["file"] = location.file
                if location.line is not None:
                    attrs["line"] = str(location.line)
            testcase = ET.SubElement(suite, "testcase", attrs)
            texts = [f"{where(r.location, origin)}: {line_text(r, lang)}" for r in results]
            failed = [r for r in results if r in failing]
            if failed:
                failure = ET.SubElement(testcase, "failure", type=failed[0].severity,
                                        message=failed[0].message(lang))
                failure.text = "\n".join(texts)
                n_failed += 1
            elif texts:
                ET.SubElement(testcase, "system-out").text = "\n".join(texts)
            n += 1
        suite.set("tests", str(n))
        suite.set("failures", str(n_failed))
        total += n
        failures += n_failed
    suites.set("tests", str(total))
    suites.set("failures", str(failures))
    for element in suites.iter():  # a control character in a label must not break the XML
        element.attrib.update((key, xml_safe(value)) for key, value in element.attrib.items())
        if element.text:
            element.text = xml_safe(element.text)
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def render_github(report: ValidationReport, lang: str, fail_on: str, origin: str,
                  annotate: str = "info") -> str:
    """Annotations for the results at or above ``annotate`` (the CLI passes ``--fail-on``, so
    a pull request shows what fails the run, not every notice), then the summary."""
    lines = []
    for result in report.failing(annotate):
        props = []
        if result.location is not None:
            props.append(f"file={_gh_prop(result.location.file)}")
            if result.location.line is not None:
                props.append(f"line={result.location.line}")
        props.append(f"title={_gh_prop(result.shape)}")
        text = _gh_data(body(result, lang))  # the level gives the severity, the title the shape
        lines.append(f"::{_GITHUB_LEVEL[result.severity]} {','.join(props)}::{text}")
    lines.append(summary(report, lang, fail_on))
    return "\n".join(lines) + "\n"


def _gh_data(text: str) -> str:
    """Workflow-command data: ``%``, CR and LF escaped, so the message stays one command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


REPORT_FORMATS: dict[str, Renderer] = {
    "text": render_text,
    "json": render_json,
    "junit": render_junit,
    "github": render_github,
}


def render(report: ValidationReport, fmt: str = "text", lang: str = "nb",
           fail_on: str = "violation", origin: str = "model", annotate: str = "info") -> str:
    """The report in ``fmt``; ``origin`` names the model for results without a source line.

    ``annotate`` (github only) is the lowest severity that becomes an annotation."""
    if fmt not in REPORT_FORMATS:
        raise UsageError(f"unknown report format '{fmt}'; valid: {', '.join(REPORT_FORMATS)}")
    if fail_on not in FAIL_ON:
        raise UsageError(f"unknown --fail-on level '{fail_on}'; valid: {', '.join(FAIL_ON)}")
    if lang not in _WORDS:
        raise UsageError(f"unknown language '{lang}'; valid: {', '.join(_WORDS)}")
    if fmt == "github":
        if annotate not in FAIL_ON:
            raise UsageError(f"unknown annotation level '{annotate}'; valid: "
                             f"{', '.join(FAIL_ON)}")
        return render_github(report, lang, fail_on, origin, annotate)
    return REPORT_FORMATS[fmt](report, lang, fail_on, origin)


__all__ = ["REPORT_FORMATS", "body", "line_text", "render", "summary"]
