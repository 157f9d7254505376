"""What a validation found: the result and report values, read from pySHACL's report graph.

Every report format (:mod:`.report`), the CLI's exit code and the tests read these values, never
pySHACL's graph, so they stay the same whichever engine ran (:mod:`.shacl`). Reading the report
graph drops duplicates and nested results and adds what a reader needs: labels in both
languages, and the file and line the fact came from (``BuiltModel.statements`` for a result
with a value, ``BuiltModel.subjects`` otherwise).

JUnit writes one test case per shape and focus node, passed ones too, so CI shows how much was
checked; :func:`list_checks` counts those (:class:`Check`) from the shapes' targets.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ..built import BuiltModel, SourceLocation
from ..namespaces import RDF, RDFS, SH, SKOS
from ..vocabulary import LABEL_PREDICATES, label, pick_label
from .display import compact_shape, local_name, owner_shape, show, show_path
from .shapes import NOT_CONSTRAINTS

if TYPE_CHECKING:
    import pyoxigraph

#: Severities from worst to mildest; ``--fail-on`` names one of them.
SEVERITIES = ("Violation", "Warning", "Info")
FAIL_ON = tuple(s.lower() for s in SEVERITIES)
#: The languages every result carries its labels and messages in.
LANGS = ("nb", "en")


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL result, with labels in both languages and the source location of its fact."""

    severity: str
    focus: str
    shape: str
    component: str
    path: str = ""
    value: str = ""
    location: SourceLocation | None = None
    #: (language, text) pairs; language "" for text without a tag.
    messages: tuple[tuple[str, str], ...] = ()
    focus_labels: tuple[tuple[str, str], ...] = ()
    value_labels: tuple[tuple[str, str], ...] = ()

    @property
    def sort_key(self) -> tuple[object, ...]:
        loc = self.location or SourceLocation("\uffff")  # unlocated results sort last
        return (loc.file, loc.sheet or "", loc.line or 0, SEVERITIES.index(self.severity),
                self.focus, self.shape, self.path, self.value, self.component)

    def message(self, lang: str) -> str:
        return _pick(self.messages, lang)

    def focus_label(self, lang: str) -> str:
        return _pick(self.focus_labels, lang)

    def value_label(self, lang: str) -> str:
        return _pick(self.value_labels, lang) or self.value


def _pick(pairs: tuple[tuple[str, str], ...], lang: str) -> str:
    by_lang = dict(pairs)
    for key in (lang, "", "en", "nb"):
        if key in by_lang:
            return by_lang[key]
    return pairs[0][1] if pairs else ""


@dataclass(frozen=True, order=True)
class Check:
    """One shape applied to one focus node (whether or not it found anything)."""

    shape: str
    focus: str
    location: SourceLocation | None = field(default=None, compare=False)
    focus_labels: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    def focus_label(self, lang: str) -> str:
        return _pick(self.focus_labels, lang)


@dataclass(frozen=True)
class ValidationReport:
    """All results of one validation, sorted by source file and line, without duplicates."""

    results: tuple[ValidationResult, ...]
    #: Every (shape, focus node) a targeted shape checked; filled only when asked for (JUnit
    #: writes one test case per shape and focus node, passed or failed).
    checks: tuple[Check, ...] = field(default=())
    #: The engine that ran (``fast`` or ``reference``) and, when the fast engine was asked
    #: for but could not stand for the model or shapes, why (``validate --verbose`` says it).
    engine: str = "reference"
    fallback: str = ""

    def engine_line(self) -> str:
        """One line naming the engine that ran, for ``--verbose``."""
        if self.engine == "fast":
            return "engine: fast (SPARQL on the pyoxigraph store picks focus nodes, pySHACL " \
                   "judges them)"
        why = f"; fast engine not used: {self.fallback}" if self.fallback else ""
        return f"engine: reference (pySHACL on rdflib){why}"

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)

    def failing(self, fail_on: str = "violation") -> list[ValidationResult]:
        """The results at or above ``fail_on`` (``violation``, ``warning`` or ``info``)."""
        worst = FAIL_ON.index(fail_on)
        return [r for r in self.results if SEVERITIES.index(r.severity) <= worst]

    def conforms(self, fail_on: str = "violation") -> bool:
        return not self.failing(fail_on)


# -- from pySHACL's report graph --------------------------------------------------------------


def read_results(report: Graph, model: BuiltModel, shapes: Graph,
                 graph: Graph) -> tuple[ValidationResult, ...]:
    """pySHACL's report graph as results: each once, sorted, with labels from ``graph`` (the
    data validated) and the source location of its fact in ``model``."""
    results: set[ValidationResult] = set()
    # The report's results are its sh:result values; pySHACL also types the nested results
    # it hangs under sh:detail (why a value fails sh:node) as sh:ValidationResult, and SHACL
    # does not count those: reading them would report one failure twice.
    for node in set(report.objects(None, SH.result)):
        focus = report.value(node, SH.focusNode)
        severity = report.value(node, SH.resultSeverity)
        shape = report.value(node, SH.sourceShape)
        component = report.value(node, SH.sourceConstraintComponent)
        path_node = report.value(node, SH.resultPath)
        value = report.value(node, SH.value)
        predicate, inverse = _simple_path(report, path_node)
        location = _locate(model, focus, predicate, inverse, value)
        if value is not None and value == focus and (
                predicate is None or (focus, predicate, value) not in graph):
            value = None  # SPARQL on a node shape repeats the focus node as the value
        results.add(ValidationResult(
            severity=_severity(severity),
            focus=show(focus),
            shape=compact_shape(owner_shape(shapes, shape) if shape is not None else BNode()),
            component=local_name(component) if component is not None else "",
            path=show_path(report, path_node),
            value=show(value) if value is not None else "",
            location=location,
            messages=_messages(report, node, shapes),
            focus_labels=_labels(graph, focus),
            value_labels=_labels(graph, value) if _has_label(graph, value) else (),
        ))
    return tuple(sorted(results, key=lambda r: r.sort_key))


def _severity(node: Node | None) -> str:
    """sh:Violation, sh:Warning or sh:Info; any other severity IRI counts as a violation (SHACL
    lets shapes use their own, and any result makes a graph non-conforming)."""
    name = local_name(node) if node is not None else ""
    return name if name in SEVERITIES else "Violation"


def _messages(report: Graph, result: Node, shapes: Graph) -> tuple[tuple[str, str], ...]:
    """(language, text) of each message. pySHACL drops the language tag of a SHACL-SPARQL
    message when it fills in ``{?var}``; the tag is recovered from the template it matches."""
    templates = [m for holder in (report.value(result, SH.sourceConstraint),
                                  report.value(result, SH.sourceShape)) if holder is not None
                 for m in shapes.objects(holder, SH.message)
                 if isinstance(m, Literal) and m.language]
    pairs = set()
    for message in report.objects(result, SH.resultMessage):
        if not isinstance(message, Literal):
            continue
        lang = message.language or next(
            (t.language for t in templates if _template(str(t)).fullmatch(str(message))), "")
        pairs.add((lang or "", str(message)))
    return tuple(sorted(pairs))


def _template(text: str) -> re.Pattern[str]:
    parts = re.split(r"\{[?$][^{}]+\}", text)
    return re.compile(".*?".join(re.escape(part) for part in parts), re.DOTALL)


def _locate(model: BuiltModel, focus: Node | None, predicate: Node | None, inverse: bool,
            value: Node | None) -> SourceLocation | None:
    if focus is None:
        return None
    if predicate is not None and value is not None:
        triple = (value, predicate, focus) if inverse else (focus, predicate, value)
        where = model.statements.get(triple)
        if where is not None:
            return where
    return model.location_of(focus)


def _simple_path(report: Graph, path: Node | None) -> tuple[Node | None, bool]:
    if isinstance(path, URIRef):
        return path, False
    if isinstance(path, BNode):
        inverse = report.value(path, SH.inversePath)
        if isinstance(inverse, URIRef):
            return inverse, True
    return None, False


def _labels(graph: Graph, node: Node | None) -> tuple[tuple[str, str], ...]:
    if node is None:
        return ()
    return tuple((lang, label(graph, node, lang)) for lang in LANGS)


def _has_label(graph: Graph, node: Node | None) -> bool:
    """Whether ``node`` has a label of its own (a dangling reference has none: show its IRI)."""
    return isinstance(node, URIRef) and (
        (node, RDFS.label, None) in graph or (node, SKOS.prefLabel, None) in graph)


# -- what was checked (for JUnit) --------------------------------------------------------------


def list_checks(shapes: Graph, model: BuiltModel, data: Graph) -> set[Check]:
    """Every named constraint unit (property shape, or node shape with its own constraints) of
    every targeted shape, paired with each of its focus nodes."""
    labels = _label_table(model)
    checks: set[Check] = set()
    for shape in _targeted_shapes(shapes):
        focus_nodes = _focus_nodes(shapes, data, shape)
        units: list[URIRef] = [p for p in shapes.objects(shape, SH.property)
                               if isinstance(p, URIRef)]
        # its property shapes are units of their own; the node shape is one when it has
        # a constraint of its own
        if any(p != SH.property and p not in NOT_CONSTRAINTS for p in shapes.predicates(shape)):
            units.append(shape)
        for unit in units:
            for focus in focus_nodes:
                checks.add(Check(compact_shape(unit), show(focus), model.location_of(focus),
                                 labels(focus)))
    return checks


def _label_table(model: BuiltModel) -> Callable[[Node], tuple[tuple[str, str], ...]]:
    """Labels of every node in both languages, from one query over the store: a JUnit report
    names every focus node, and one lookup per node would take longer than the validation."""
    from ..terms import to_rdflib

    predicates = " ".join(f"<{p}>" for p in LABEL_PREDICATES)
    found: dict[Node, list[tuple[int, str, Node]]] = {}
    rank = {str(p): i for i, p in enumerate(LABEL_PREDICATES)}
    rows = cast("pyoxigraph.QuerySolutions", model.store.query(
        f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {predicates} }} ?s ?p ?o }}"))
    for s, p, o in rows:
        value = to_rdflib(o)
        found.setdefault(to_rdflib(s), []).append((rank[p.value], str(value), value))

    def labels(node: Node) -> tuple[tuple[str, str], ...]:
        values = [v for _, _, v in sorted(found.get(node, []), key=lambda t: t[:2])]
        return tuple((lang, pick_label(values, node, lang)) for lang in LANGS)

    return labels


def _targeted_shapes(shapes: Graph) -> list[URIRef]:
    found: set[URIRef] = set()
    for predicate in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
        found |= {s for s in shapes.subjects(predicate) if isinstance(s, URIRef)}
    return sorted(found)


def _focus_nodes(shapes: Graph, data: Graph, shape: Node) -> set[Node]:
    nodes: set[Node] = set()
    for cls in shapes.objects(shape, SH.targetClass):
        for sub in _subclasses(data, cls):
            nodes |= set(data.subjects(RDF.type, sub))
    nodes |= set(shapes.objects(shape, SH.targetNode))
    for predicate in shapes.objects(shape, SH.targetSubjectsOf):
        nodes |= set(data.subjects(predicate))
    for predicate in shapes.objects(shape, SH.targetObjectsOf):
        nodes |= {o for o in data.objects(None, predicate) if not isinstance(o, Literal)}
    return {n for n in nodes if not isinstance(n, BNode)}


def _subclasses(data: Graph, cls: Node) -> Iterable[Node]:
    return {c for c in data.transitive_subjects(RDFS.subClassOf, cls) if c is not None} | {cls}


__all__ = ["FAIL_ON", "LANGS", "SEVERITIES", "Check", "ValidationReport", "ValidationResult",
           "list_checks", "read_results"]
