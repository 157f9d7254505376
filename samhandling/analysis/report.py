"""Run every analysis on a model and write the result as text, JSON or Markdown.

The report is what an architect reads before a board meeting: what must be built first, which
services the rest lean on, what a delay costs, how complete the picture is and what is
written down but connected to nothing. Text cuts long lists (with a count of what was left
out) and wraps at the terminal's width; Markdown and JSON always hold everything (JSON with
IRIs, for other tools).
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import UsageError
from ..gcpause import no_gc_pauses
from ..schema import NODE_KINDS
from .build_order import BuildOrder, build_order
from .centrality import EXACT_LIMIT, SAMPLES, Centrality, dependency_centrality, nothing_depends_on
from .coverage import Coverage, CoverageRow, Share, coverage
from .graphs import ModelGraphs
from .impact import Impact
from .index import ModelIndex
from .orphans import orphans_by_kind

__all__ = ["REPORT_FORMATS", "Report", "analyze", "render_impact", "render_report"]

REPORT_FORMATS = ("text", "json", "md")
#: Rows of the centrality table and items of a list shown in text and Markdown.
TOP = 10
LIST_LIMIT = 15

_T: dict[str, tuple[str, str]] = {
    "title": ("Analyse av målbildet", "Analysis of the target picture"),
    "services": ("informasjonstjenester", "information services"),
    "needs": ("informasjonsbehov", "information needs"),
    "scenarios": ("scenarioer", "scenarios"),
    "actors": ("aktører", "actors"),
    "actor_groups": ("aktørgrupper", "actor groups"),
    "reuse_edges": ("gjenbruksrelasjoner", "reuse relations"),
    "build": ("Byggerekkefølge", "Build order"),
    "build_note": ("lag i gjenbruksgrafen: et lag bygger bare på lag før det",
                   "layers of the reuse graph: a layer builds only on the layers before it"),
    "layer": ("Lag", "Layer"),
    # "Sykler" reads as bicycles; a reuse cycle is a ring of services reusing each other.
    "cycles": ("Sirkulær gjenbruk", "Cycles"),
    "none": ("ingen", "none"),
    "central": ("Mest brukte tjenester", "Most depended-on services"),
    "service": ("tjeneste", "service"),
    "n_services": ("tjenester", "services"),
    "n_needs": ("behov", "needs"),
    "direct": ("direkte", "direct"),
    "dependents": ("totalt", "in total"),
    "betweenness": ("mellomsentralitet", "betweenness"),
    "exact": ("mellomsentralitet: eksakt", "betweenness: exact"),
    "approx": ("mellomsentralitet: tilnærmet fra {k} tilfeldige kilder (frø {seed}), grafen har "
               "over {limit} noder",
               "betweenness: approximated from {k} random sources (seed {seed}), the graph has "
               "more than {limit} nodes"),
    "unreused": ("Tjenester ingen andre gjenbruker", "Services nothing depends on"),
    "coverage": ("Dekning", "Coverage"),
    "need_cov": ("Behov som en tjeneste dekker", "Needs a service handles"),
    "form_cov": ("Tjenester med foretrukket samhandlingsform",
                 "Services with a preferred collaboration form"),
    "actor_cov": ("Aktører som nås", "Actors reached"),
    "of": ("av", "of"),
    "by_group": ("Per hovedgruppe", "Per main group"),
    "by_maturity": ("Per modenhet 2023", "Per 2023 maturity"),
    "group": ("gruppe", "group"),
    "maturity": ("modenhet", "maturity"),
    "with_form": ("med form", "with form"),
    "no_value": ("(ingen)", "(none)"),
    "step2": ("Steg 2", "Step 2"),
    "step2_services": ("Pakkene berører {part} av {whole} tjenester i målbildet ({pct})",
                       "The packages touch {part} of the {whole} services of the target "
                       "picture ({pct})"),
    "step2_needs": ("Behov disse tjenestene dekker", "Needs these services handle"),
    "prereq": ("Forutsetninger (gjenbrukes av disse, men ingen pakke berører dem)",
               "Prerequisites (reused by these, but no package touches them)"),
    "missing_needs": ("Behov uten tjeneste", "Needs without a service"),
    "missing_forms": ("Tjenester uten foretrukket form", "Services without a preferred form"),
    "missing_actors": ("Aktører som ikke nås", "Actors not reached"),
    "orphans": ("Foreldreløse ressurser (ingen relasjon når dem)",
                "Orphans (resources no relation reaches)"),
    "more": ("… og {n} til", "… and {n} more"),
    "impact": ("Hvis «{s}» blir forsinket eller fjernet, rammes",
               "If “{s}” is delayed or removed, this is affected"),
    "alone": ("uten annen tjeneste", "with no other service"),
    "impact_services": ("tjenester som gjenbruker den (direkte eller indirekte)",
                        "services that reuse it (directly or indirectly)"),
    "impact_needs": ("behov", "needs"),
    "impact_alone": ("behov ingen upåvirket tjeneste dekker",
                     "needs no unaffected service handles"),
    "impact_groups": ("aktørgrupper (aktørene er medlem)", "actor groups (of the actors)"),
}

#: Headings for the kinds of node, plural (nb, en), from :data:`samhandling.schema.NODE_KINDS`.
_KIND_NAMES: dict[str, tuple[str, str]] = {k.name: (k.plural_nb, k.plural_en) for k in NODE_KINDS}


def _t(key: str, lang: str, **values: Any) -> str:
    nb, en = _T[key]
    text = nb if lang == "nb" else en
    return text.format(**values) if values else text


def _pct(share: Share | float, lang: str) -> str:
    ratio = share.ratio if isinstance(share, Share) else share
    number = f"{100 * ratio:.0f}"
    return f"{number} %" if lang == "nb" else f"{number}%"


@dataclass(frozen=True)
class Report:
    """Every analysis of one model; labels come from ``index`` when the report is rendered."""

    counts: dict[str, int]
    build: BuildOrder
    centrality: Centrality
    unreused: tuple[str, ...]
    coverage: Coverage
    orphans: dict[str, list[str]]
    index: ModelIndex


def analyze(graphs: ModelGraphs, *, exact_limit: int = EXACT_LIMIT, samples: int = SAMPLES,
            seed: int = 0) -> Report:
    """Run build order, centrality, coverage and orphan analysis on a model's graphs.

    Parameters
    ----------
    graphs : ModelGraphs
        From :func:`samhandling.analysis.graphs.model_graphs`.
    exact_limit, samples, seed
        Passed to :func:`samhandling.analysis.centrality.dependency_centrality`.

    Returns
    -------
    Report

    Notes
    -----
    Dominated by coverage (O(g * (n + m)) for g group and maturity buckets) and sampled
    betweenness (O(k * m)); a model of 2,000 services and 20,000 needs takes well under a
    second once loaded.
    """
    with no_gc_pauses():  # millions of small objects, no cycles: see no_gc_pauses
        ix = graphs.index
        counts = {
            "services": len(ix.of_kind("service")),
            "needs": len(ix.of_kind("need")),
            "scenarios": len(ix.of_kind("scenario")),
            "actors": len(ix.of_kind("actor", "actor_group")),
            "reuse_edges": graphs.reuse.number_of_edges(),
        }
        return Report(
            counts=counts,
            build=build_order(graphs.reuse),
            centrality=dependency_centrality(graphs.reuse, exact_limit=exact_limit,
                                             samples=samples, seed=seed),
            unreused=tuple(nothing_depends_on(graphs.reuse)),
            coverage=coverage(graphs.reuse, graphs.needs, graphs.forms, graphs.actors,
                              graphs.hierarchy, graphs.programme, ix.declared_service_count),
            orphans=orphans_by_kind(graphs.relations),
            index=ix,
        )


# -- shared helpers ------------------------------------------------------------------------

def _label(ix: ModelIndex, node: str, lang: str) -> str:
    return ix.label(node, lang)


def _ref(ix: ModelIndex, node: str, lang: str) -> dict[str, str]:
    return {"iri": node, "label": _label(ix, node, lang)}


def _refs(ix: ModelIndex, nodes: Iterable[str], lang: str) -> list[dict[str, str]]:
    return [_ref(ix, n, lang) for n in _by_label(ix, nodes, lang)]


def _by_label(ix: ModelIndex, nodes: Iterable[str], lang: str) -> list[str]:
    return sorted(nodes, key=lambda n: (_label(ix, n, lang).casefold(), n))


def _all_names(ix: ModelIndex, nodes: Sequence[str], lang: str,
               limit: int | None = LIST_LIMIT) -> str:
    ordered = _by_label(ix, nodes, lang)
    if not ordered:
        return _t("none", lang)
    shown = ordered if limit is None else ordered[:limit]
    text = "; ".join(_label(ix, n, lang) for n in shown)
    if len(ordered) > len(shown):
        text += " " + _t("more", lang, n=len(ordered) - len(shown))
    return text


def _group_name(ix: ModelIndex, key: str, lang: str, width: int = 0) -> str:
    """Group number and name; cut to ``width`` characters (with …) when ``width`` is given."""
    if not key:
        return _t("no_value", lang)
    text = f"{key} {ix.group_labels.get(int(key), {}).get(lang, '')}".strip()
    return text if not width or len(text) <= width else text[:width - 1].rstrip() + "…"


def _maturity_name(ix: ModelIndex, key: str, lang: str, width: int = 0) -> str:
    if not key:
        return _t("no_value", lang)
    return f"{key} {ix.maturity_labels.get(key, {}).get(lang, '')}".strip()


def _share_text(share: Share, lang: str) -> str:
    return f"{share.part} {_t('of', lang)} {share.whole} ({_pct(share, lang)})"


# -- JSON ------------------------------------------------------------------------------------

def _share_json(ix: ModelIndex, share: Share, lang: str) -> dict[str, Any]:
    return {"part": share.part, "whole": share.whole, "ratio": round(share.ratio, 4),
            "missing": _refs(ix, share.missing, lang)}


def _rows_json(rows: Sequence[CoverageRow], name: str, names: dict[str, str]) -> list[dict]:
    return [{name: row.key, "label": names.get(row.key, ""), "services": row.services,
             "with_form": row.with_form, "needs": row.needs, "actors": row.actors}
            for row in rows]


def report_data(report: Report, lang: str) -> dict[str, Any]:
    """The report as plain data (what ``--format json`` prints)."""
    ix = report.index
    cov = report.coverage
    cent = report.centrality
    return {
        "counts": report.counts,
        "build_order": {
            "layers": [_refs(ix, layer, lang) for layer in report.build.layers],
            "cycles": [{"members": _refs(ix, c.members, lang),
                        "example": [_ref(ix, n, lang) for n in c.example]}
                       for c in report.build.cycles],
        },
        "centrality": {
            "betweenness": {"approximate": cent.approximate, "samples": cent.samples,
                            "seed": cent.seed},
            "services": [{**_ref(ix, r.node, lang), "in_degree": r.in_degree,
                          "dependents": r.dependents, "betweenness": round(r.betweenness, 6)}
                         for r in cent.rows],
            "nothing_depends_on": _refs(ix, report.unreused, lang),
        },
        "coverage": {
            "needs": _share_json(ix, cov.needs, lang),
            "services_with_form": _share_json(ix, cov.forms, lang),
            "actors_reached": _share_json(ix, cov.actors, lang),
            "by_group": _rows_json(cov.by_group, "group", {
                str(g): labels.get(lang, "") for g, labels in ix.group_labels.items()}),
            "by_maturity": _rows_json(cov.by_maturity, "maturity", {
                m: labels.get(lang, "") for m, labels in ix.maturity_labels.items()}),
            "step2": {
                "declared_services": cov.step2.declared,
                "services": _refs(ix, cov.step2.services, lang),
                "share": round(cov.step2.share.ratio, 4),
                "packages": [{**_ref(ix, p, lang), "services": _refs(ix, s, lang)}
                             for p, s in cov.step2.packages],
                "prerequisites": _refs(ix, cov.step2.prerequisites, lang),
                "needs": _share_json(ix, cov.step2.needs, lang),
            },
        },
        "orphans": {kind: _refs(ix, nodes, lang) for kind, nodes in report.orphans.items()},
    }


# -- text and Markdown ----------------------------------------------------------------------

def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], md: bool,
           numeric: Sequence[bool]) -> list[str]:
    if md:
        align = ["---:" if n else "---" for n in numeric]
        lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(align) + " |"]
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
        return lines
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows, strict=False)]

    def line(cells: Sequence[str]) -> str:
        parts = [c.rjust(w) if n else c.ljust(w) for c, w, n in zip(cells, widths, numeric,
                                                                      strict=True)]
        return "  " + "  ".join(parts).rstrip()

    return [line(headers), *[line(r) for r in rows]]


def _render_lines(report: Report, lang: str, md: bool) -> list[str]:
    ix = report.index
    cov = report.coverage
    # Markdown is a document for a pull request or a wiki: complete, never "… and 9 more".
    limit: int | None = None if md else LIST_LIMIT

    def _names(ix: ModelIndex, nodes: Sequence[str], lang: str,
               limit: int | None = limit) -> str:
        return _all_names(ix, nodes, lang, limit)

    h1, h2, h3 = ("# ", "## ", "### ") if md else ("", "", "  ")
    bullet = "- " if md else "  "
    out: list[str] = []
    counts = ", ".join(f"{n} {_t(k, lang)}" for k, n in report.counts.items())
    out += [f"{h1}{_t('title', lang)}", "", counts, ""]

    # build order
    out += [f"{h2}{_t('build', lang)}", "", f"{_t('build_note', lang)}.", ""]
    for number, layer in enumerate(report.build.layers):
        out.append(f"{bullet}{_t('layer', lang)} {number} ({len(layer)}): "
                   f"{_names(ix, layer, lang)}")
    cycles = report.build.cycles
    if cycles:
        for cycle in cycles:
            path = " → ".join(_label(ix, n, lang) for n in (*cycle.example, cycle.example[0]))
            out.append(f"{bullet}{_t('cycles', lang)}: {path} "
                       f"({len(cycle.members)}: {_names(ix, cycle.members, lang)})")
    else:
        out.append(f"{bullet}{_t('cycles', lang)}: {_t('none', lang)}")
    out.append("")

    # centrality
    cent = report.centrality
    out += [f"{h2}{_t('central', lang)}", ""]
    rows = [(_label(ix, r.node, lang), str(r.in_degree), str(r.dependents),
             f"{r.betweenness:.3f}") for r in cent.rows[:TOP] if r.dependents > 0]
    if rows:
        out += _table([_t("service", lang), _t("direct", lang), _t("dependents", lang),
                       _t("betweenness", lang)], rows, md, [False, True, True, True])
    else:
        out.append(f"{bullet}{_t('none', lang)}")
    out.append("")
    if cent.approximate:
        out.append(_t("approx", lang, k=cent.samples, seed=cent.seed, limit=EXACT_LIMIT) + ".")
    else:
        out.append(_t("exact", lang) + ".")
    out += ["", f"{_t('unreused', lang)} ({len(report.unreused)}): "
            f"{_names(ix, report.unreused, lang)}.", ""]

    # coverage
    out += [f"{h2}{_t('coverage', lang)}", ""]
    for key, share, missing in (("need_cov", cov.needs, "missing_needs"),
                                ("form_cov", cov.forms, "missing_forms"),
                                ("actor_cov", cov.actors, "missing_actors")):
        out.append(f"{bullet}{_t(key, lang)}: {_share_text(share, lang)}")
        if share.missing:
            out.append(f"{'  ' if md else '    '}{_t(missing, lang)}: "
                       f"{_names(ix, share.missing, lang)}")
    out.append("")
    headers = [_t("n_services", lang), _t("with_form", lang), _t("n_needs", lang),
               _t("actors", lang)]
    for title, rows_, name in ((_t("by_group", lang), cov.by_group, _group_name),
                               (_t("by_maturity", lang), cov.by_maturity, _maturity_name)):
        out += [f"{h3}{title}", ""] if md else [f"{h3}{title}"]
        table = [(name(ix, r.key, lang, 0 if md else 44), str(r.services),
                  f"{r.with_form} ({_pct(r.with_form / r.services if r.services else 0, lang)})",
                  str(r.needs), str(r.actors)) for r in rows_]
        first = _t("group", lang) if name is _group_name else _t("maturity", lang)
        out += _table([first, *headers], table, md, [False, True, True, True, True])
        out.append("")
    step2 = cov.step2
    out += [f"{h3}{_t('step2', lang)}", ""] if md else [f"{h3}{_t('step2', lang)}"]
    out.append(f"{bullet}" + _t("step2_services", lang, part=step2.share.part,
                                whole=step2.share.whole, pct=_pct(step2.share, lang))
               + f": {_names(ix, step2.services, lang, None)}")
    for package, services in sorted(step2.packages,
                                    key=lambda ps: _label(ix, ps[0], lang).casefold()):
        out.append(f"{'  ' if md else '    '}{_label(ix, package, lang)}: "
                   f"{_names(ix, services, lang, None)}")
    out.append(f"{bullet}{_t('step2_needs', lang)}: {_share_text(step2.needs, lang)}")
    out.append(f"{bullet}{_t('prereq', lang)}: {_names(ix, step2.prerequisites, lang)}")
    out.append("")

    # orphans
    out += [f"{h2}{_t('orphans', lang)}", ""]
    if not report.orphans:
        out.append(f"{bullet}{_t('none', lang)}")
    for kind, nodes in sorted(report.orphans.items(),
                              key=lambda kv: _kind_name(kv[0], lang).casefold()):
        out.append(f"{bullet}{_kind_name(kind, lang)} ({len(nodes)}): {_names(ix, nodes, lang)}")
    return out


def _kind_name(kind: str, lang: str) -> str:
    nb, en = _KIND_NAMES.get(kind, (kind, kind))
    return nb if lang == "nb" else en


def _wrap(lines: list[str], width: int | None) -> list[str]:
    """Wrap long text lines at ``width``, continuation lines indented under the first's text.

    Table rows (aligned columns) are left whole: wrapping them would break the alignment.
    """
    if not width or width < 20:
        return lines
    out: list[str] = []
    for line in lines:
        if len(line) <= width or "  " in line.strip():
            out.append(line)
            continue
        indent = " " * (len(line) - len(line.lstrip()))
        out.extend(textwrap.wrap(line, width=width, initial_indent="",
                                 subsequent_indent=indent + "    ",
                                 break_long_words=False, break_on_hyphens=False) or [line])
    return out


def render_report(report: Report, fmt: str = "text", lang: str = "nb",
                  width: int | None = None) -> str:
    """The report as ``text``, ``json`` or ``md`` (Markdown), labels in ``lang``.

    ``width`` wraps text lines at that many columns (the CLI passes the terminal's width);
    Markdown and JSON are never wrapped or cut.

    Raises
    ------
    UsageError
        Unknown format.
    """
    if fmt == "json":
        with no_gc_pauses():
            return json.dumps(report_data(report, lang), indent=2, ensure_ascii=False) + "\n"
    if fmt not in REPORT_FORMATS:
        raise UsageError(f"unknown format '{fmt}'; valid formats: {', '.join(REPORT_FORMATS)}")
    lines = _render_lines(report, lang, md=fmt == "md")
    if fmt == "text":
        lines = _wrap(lines, width)
    return "\n".join(lines).rstrip() + "\n"


def impact_data(result: Impact, index: ModelIndex, lang: str) -> dict[str, Any]:
    """An impact as plain data (what ``impact --format json`` prints)."""
    return {
        "service": _ref(index, result.service, lang),
        "counts": result.counts(),
        "services": _refs(index, result.services, lang),
        "needs": _refs(index, result.needs, lang),
        "needs_without_alternative": _refs(index, result.needs_without_alternative, lang),
        "scenarios": _refs(index, result.scenarios, lang),
        "actors": _refs(index, result.actors, lang),
        "actor_groups": _refs(index, result.actor_groups, lang),
    }


def render_impact(result: Impact, index: ModelIndex, fmt: str = "text", lang: str = "nb") -> str:
    """What :func:`samhandling.analysis.impact.impact` found, as ``text``, ``json`` or ``md``.

    Every affected resource is listed (no cut-off): the list is the answer.
    """
    if fmt == "json":
        return json.dumps(impact_data(result, index, lang), indent=2, ensure_ascii=False) + "\n"
    if fmt not in REPORT_FORMATS:
        raise UsageError(f"unknown format '{fmt}'; valid formats: {', '.join(REPORT_FORMATS)}")
    md = fmt == "md"
    name = _label(index, result.service, lang)
    out = [("# " if md else "") + _t("impact", lang, s=name) + ":", ""]
    sections = (("impact_services", result.services), ("impact_needs", result.needs),
                ("impact_alone", result.needs_without_alternative),
                ("scenarios", result.scenarios), ("actors", result.actors),
                ("impact_groups", result.actor_groups))
    for key, nodes in sections:
        heading = f"{_t(key, lang)} ({len(nodes)})"
        out.append(f"## {heading}" if md else heading[0].upper() + heading[1:])
        if md:
            out.append("")
        for node in _by_label(index, nodes, lang):
            out.append(f"{'- ' if md else '  '}{_label(index, node, lang)}")
        if not nodes:
            out.append(f"{'- ' if md else '  '}{_t('none', lang)}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"
