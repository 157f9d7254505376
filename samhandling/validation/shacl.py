"""Validate a built model against the SHACL shapes; every result points at its source line.

One entry point, :func:`validate_model`, so the engine behind it can change (a later step
moves large models to a pyoxigraph store) without touching the CLI or the report formats.

The engine is pySHACL with ``inference="none"`` and ``advanced=False``: the model asserts every
class a record has (the build writes the kind's class and the type column's class), so RDFS
inference would only cost time, and the shapes use SHACL Core and SHACL-SPARQL only (no SHACL-AF
rules or targets, which would make pySHACL copy the data graph). Results are pySHACL's, exactly:
this module only reads them, drops duplicates, and adds what a reader needs: labels in both
languages, and the file and line the fact came from (``BuiltModel.statements`` for a result
with a value, ``BuiltModel.subjects`` otherwise).

pySHACL is imported inside :func:`validate_model`, so commands that never validate do not pay
for it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ..build import BuiltModel, SourceLocation
from ..errors import UsageError
from ..namespaces import BASE, OWL, PREFIXES, RDF, RDFS, SH, SKOS
from ..resources import ontology_files, shape_files
from ..vocabulary import LABEL_PREDICATES, label, pick_label
from .literals import as_written, store_rewrite
from .offline import NetworkRefusedError, OfflineGraph
from .patterns import install as install_patterns

SHAPES_NS = BASE + "shapes#"
#: Severities from worst to mildest; ``--fail-on`` names one of them.
SEVERITIES = ("Violation", "Warning", "Info")
FAIL_ON = tuple(s.lower() for s in SEVERITIES)
LANGS = ("nb", "en")
_SPARQL_TEXT = (SH.select, SH.ask, SH.construct, SH.update)
_SERVICE = re.compile(r"(?<![\w:?$#-])SERVICE\s*(?:SILENT\s*)?[<?$\w]", re.IGNORECASE)
_FROM = re.compile(r"(?<![\w:?$#-])FROM\s*(?:NAMED\s*)?<", re.IGNORECASE)


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


# -- shapes ------------------------------------------------------------------------------------


def load_shapes(paths: Sequence[Path | str] | None = None) -> Graph:
    """Parse and check the shapes: the bundled ``shapes/`` folder, or the given files/folders.

    Refuses (UsageError, naming file and line where known): a file that does not parse, a
    ``sh:targetClass`` or ``sh:class`` that is not a class of the ontology (nor declared in the
    shapes), and SHACL-SPARQL that would reach the network (SERVICE, FROM).
    """
    files = _shape_paths(paths)
    classes = ontology_classes()
    graph = Graph()
    parsed = [(path, _parse_rdf(path, "shapes")) for path in files]
    for _, shapes in parsed:
        classes |= _declared_classes(shapes)
    for path, shapes in parsed:
        _check_shapes(path, shapes, classes)
        graph += shapes
    _check_recursion(graph, parsed)
    _check_components(graph, parsed)
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    graph.bind("samsh", SHAPES_NS)
    return graph


def _shape_paths(paths: Sequence[Path | str] | None) -> list[Path]:
    if not paths:
        files = shape_files()
        if not files:
            raise UsageError("no bundled shapes found (shapes/*.ttl)")
        return files
    files = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(path.glob("*.ttl"))
            if not found:
                raise UsageError(f"{path}: no shapes (*.ttl) in this folder")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise UsageError(f"{path}: shapes file not found")
    return files


def _parse_rdf(path: Path, what: str) -> Graph:
    """Parse Turtle/N-Triples/JSON-LD with pyoxigraph (fast, no network); on a syntax error
    let the model's RDF reader word the problem with its line."""
    import pyoxigraph as ox

    from samhandling.loaders import reader_for
    from samhandling.loaders.rdf_loader import FORMATS

    from .literals import to_rdflib

    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UsageError(f"{path}: {what} must be Turtle (.ttl), N-Triples (.nt) or JSON-LD")
    graph = Graph()
    try:
        for quad in ox.parse(path=str(path), format=fmt, base_iri=path.resolve().as_uri()):
            graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate),
                       to_rdflib(quad.object)))
    except (SyntaxError, UnicodeDecodeError, ValueError):
        read = reader_for(path)
        result = read(path, str(path)) if read is not None else None
        problem = result.problems[0] if result is not None and result.problems else None
        raise UsageError(str(problem) if problem else f"{path}: could not read {what}") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read {what}: {exc.strerror}") from None
    return graph


def ontology_classes() -> set[Node]:
    """Every class the ontology declares (owl:Class or rdfs:Class)."""
    classes: set[Node] = set()
    for path in ontology_files():
        graph = _parse_rdf(path, "ontology")
        classes |= _declared_classes(graph)
    return classes


def _declared_classes(graph: Graph) -> set[Node]:
    return {s for cls in (OWL.Class, RDFS.Class) for s in graph.subjects(RDF.type, cls)
            if isinstance(s, URIRef)}


def _check_shapes(path: Path, shapes: Graph, classes: set[Node]) -> None:
    text = path.read_text(encoding="utf-8")
    _check_patterns(path, text, shapes)
    for predicate in (SH.targetClass, SH["class"]):
        for shape, cls in sorted(shapes.subject_objects(predicate)):
            if cls not in classes:
                raise UsageError(
                    f"{_where(path, text, _compact(cls), cls)}: "
                    f"{_compact_shape(_owner(shapes, shape))}: "
                    f"{_compact(predicate)} {_compact(cls)} is not a class of the ontology")
    for predicate in _SPARQL_TEXT:
        for shape, query in sorted(shapes.subject_objects(predicate)):
            for pattern, word in ((_SERVICE, "SERVICE"), (_FROM, "FROM")):
                if pattern.search(_strip_comments(str(query))):
                    raise UsageError(
                        f"{_where(path, text, word, None, regex=pattern)}: "
                        f"{_compact_shape(_owner(shapes, shape))}: SHACL-SPARQL may not use "
                        f"{word} (validation never reaches the network)")


def _check_patterns(path: Path, text: str, shapes: Graph) -> None:
    """Every ``sh:pattern`` (with its ``sh:flags``) must compile on the regular expression
    engine that judges it (:mod:`.patterns`): refused here, with its line, not mid-run."""
    from .patterns import pattern_problem

    for shape, pattern in sorted(shapes.subject_objects(SH.pattern)):
        flags = shapes.value(shape, SH.flags)
        problem = pattern_problem(str(pattern), str(flags) if flags is not None else "")
        if problem is not None:
            raise UsageError(f"{_where(path, text, str(pattern), None)}: "
                             f"{_compact_shape(_owner(shapes, shape))}: sh:pattern "
                             f"{_quote(str(pattern))}: {problem}")


def _quote(text: str, limit: int = 60) -> str:
    shown = text if len(text) <= limit else text[:limit] + "…"
    return '"' + shown.replace("\\", "\\\\").replace('"', '\\"') + '"'


#: The longest chain of nested shapes (through the predicates below) a validation may
#: meet: pySHACL stops at 15 levels below the targeted shape ("Validation path too deep",
#: ``max_validation_depth``) after part of the work, and only when data reaches that deep;
#: refused up front instead, the same on both engines whatever the data.
MAX_NESTING = 15
#: Predicates by which a shape makes another shape judge its value nodes.
_SHAPE_REFS = (SH.node, SH["not"], SH.property, SH.qualifiedValueShape)
_SHAPE_LISTS = (SH["and"], SH["or"], SH.xone)


def _check_recursion(graph: Graph, parsed: Sequence[tuple[Path, Graph]]) -> None:
    """Refuse shapes that reach themselves through ``sh:node``, ``sh:not``, ``sh:property``,
    ``sh:and``/``sh:or``/``sh:xone`` or ``sh:qualifiedValueShape``.

    SHACL leaves validation with recursive shapes undefined (section 3.4.3), pySHACL
    stops at a depth limit with a traceback or a depth-dependent answer, and the store
    route's pre-filters would expand such a shape forever; so it is a usage error, named
    with the cycle and the file and line of its first shape. So is a chain of nested shapes
    longer than :data:`MAX_NESTING`.
    """
    edges: dict[Node, list[Node]] = {}
    for predicate in _SHAPE_REFS:
        for shape, other in graph.subject_objects(predicate):
            edges.setdefault(shape, []).append(other)
    for predicate in _SHAPE_LISTS:
        for shape, members in graph.subject_objects(predicate):
            edges.setdefault(shape, []).extend(graph.items(members))
    state: dict[Node, int] = {}  # 1 on the current path, 2 done
    depth: dict[Node, int] = {}  # shapes in the longest chain from here
    deepest: dict[Node, Node | None] = {}
    for start in sorted(edges):
        if state.get(start):
            continue
        stack: list[tuple[Node, Iterator[Node]]] = [(start, iter(edges.get(start, ())))]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
                below = [(depth[c], c) for c in edges.get(node, ()) if c in depth]
                best = max(below, key=lambda pair: pair[0], default=(0, None))
                depth[node], deepest[node] = best[0] + 1, best[1]
            elif state.get(child) == 1:
                path = [n for n, _ in stack]
                cycle = [*path[path.index(child):], child]
                _recursion_error(graph, parsed, cycle)
            elif not state.get(child):
                state[child] = 1
                stack.append((child, iter(edges.get(child, ()))))
    root = max(depth, key=lambda n: depth[n], default=None)
    if root is not None and depth[root] > MAX_NESTING:
        chain: list[Node] = [root]
        while (below := deepest.get(chain[-1])) is not None:
            chain.append(below)
        shown = [_compact_shape(_owner(graph, n)) for n in chain]
        raise UsageError(
            f"{_shape_location(graph, parsed, chain)}: shapes nested {len(chain)} deep "
            f"({' -> '.join(shown[:3])} -> … -> {shown[-1]}); at most {MAX_NESTING} can be "
            "validated")


def _check_components(graph: Graph, parsed: Sequence[tuple[Path, Graph]]) -> None:
    """Build pySHACL's constraint components once, so a malformed constraint (``sh:minCount
    "abc"``, ``sh:in`` that is no list, ...) is refused here with its file and line instead
    of mid-validation as a bare message (~15 ms for the bundled shapes)."""
    from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP
    from pyshacl.errors import ConstraintLoadWarning, ReportableRuntimeError
    from pyshacl.shapes_graph import ShapesGraph

    install_patterns()
    shape: Any = None
    try:
        shapes_graph = ShapesGraph(graph)
        for shape in shapes_graph.shapes:
            parameters = {p for p, _ in shapes_graph.predicate_objects(shape.node)
                          if p in ALL_CONSTRAINT_PARAMETERS}
            for component in {CONSTRAINT_PARAMETERS_MAP[p] for p in parameters}:
                try:
                    component(shape)
                except ConstraintLoadWarning:
                    continue
    except ReportableRuntimeError as exc:
        node = shape.node if shape is not None else None
        where = _shape_location(graph, parsed, [node] if node is not None else [])
        name = f"{_compact_shape(_owner(graph, node))}: " if node is not None else ""
        raise UsageError(f"{where}: {name}{_one_line(exc)}") from None


def _shape_location(graph: Graph, parsed: Sequence[tuple[Path, Graph]],
                    nodes: list[Node]) -> str:
    """``file:line`` of the first named shape among ``nodes`` (or their owners), else the
    file holding them, else "shapes"."""
    owners = [_owner(graph, n) for n in nodes]
    named = next((n for n in [*nodes, *owners] if isinstance(n, URIRef)), None)
    for path, shapes in parsed:
        if named is not None and (named, None, None) in shapes:
            text = path.read_text(encoding="utf-8")
            local = re.escape(_local(named))
            return _where(path, text, _compact(named), named,
                          regex=re.compile(rf"^\s*(?:\S*:{local}|<{re.escape(str(named))}>)"
                                           rf"(?![\w.-])"))
        if named is None and any((n, None, None) in shapes for n in nodes):
            return str(path)
    return "shapes"


def _recursion_error(graph: Graph, parsed: Sequence[tuple[Path, Graph]],
                     cycle: list[Node]) -> None:
    names = [_compact_shape(_owner(graph, n)) for n in cycle]
    where = _shape_location(graph, parsed, cycle)
    raise UsageError(f"{where}: recursive shapes: {' -> '.join(names)} (SHACL leaves "
                     "validation with recursive shapes undefined)")


def _strip_comments(query: str) -> str:
    return "\n".join(re.sub(r"#[^>\n]*$", "", line) for line in query.splitlines())


def _owner(shapes: Graph, node: Node) -> Node:
    """The named shape a blank SPARQL constraint hangs from."""
    for _ in range(5):
        if not isinstance(node, BNode):
            return node
        parent = next(iter(shapes.subjects(None, node)), None)
        if parent is None:
            return node
        node = parent
    return node


def _where(path: Path, text: str, token: str, iri: Node | None,
           regex: re.Pattern[str] | None = None) -> str:
    """``file:line`` of the first line holding ``token``, the full IRI or a match of ``regex``
    (the parsed graph has no line numbers; the text search is good enough to point)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if regex.search(line) if regex is not None else (
                token in line or (iri is not None and str(iri) in line)):
            return f"{path}:{number}"
    return str(path)


# -- validation --------------------------------------------------------------------------------


#: ``fast``: SPARQL on the model's pyoxigraph store picks the focus nodes that may fail, pySHACL
#: judges those (:mod:`.store_engine`); ``reference``: default pySHACL over an rdflib graph.
ENGINES = ("fast", "reference")
#: Environment variable that picks the engine when the caller does not (for comparisons).
ENGINE_ENV = "SAMHANDLING_VALIDATE_ENGINE"


def validate_model(model: BuiltModel, shapes: Graph | None = None, *,
                   with_checks: bool = False, engine: str | None = None) -> ValidationReport:
    """Validate ``model`` against ``shapes`` (default: the bundled shapes).

    ``with_checks`` also lists every (shape, focus node) pair checked, for JUnit output.
    ``engine`` is ``fast`` (default) or ``reference`` (see :data:`ENGINES`; the environment
    variable ``SAMHANDLING_VALIDATE_ENGINE`` sets it when left out); both give the same results,
    SHACL's on the literals as written (:mod:`.literals`): the fast engine steps aside for
    the reference one when the store would rewrite a literal, and says so in
    :attr:`ValidationReport.fallback`. ``sh:pattern`` runs as SPARQL REGEX on a linear-time
    engine on both (:mod:`.patterns`). Raises UsageError when the shapes are unusable
    (pySHACL's ValidationFailure), a query would reach the network, or the engine is unknown.
    """
    import os

    engine = engine or os.environ.get(ENGINE_ENV) or "fast"
    if engine not in ENGINES:
        raise UsageError(f"unknown validation engine '{engine}'; valid: {', '.join(ENGINES)}")
    if shapes is None:
        shapes = load_shapes()
    install_patterns()
    _quiet_pyshacl()
    with as_written():
        return _validate(model, shapes, with_checks, engine)


def _quiet_pyshacl() -> None:
    """pySHACL's ``validate`` logs every error it raises to standard error itself (a
    ``ConstraintLoadError: ...`` paragraph before our one ``error:`` line); the exception
    reaches the user through :class:`UsageError`, so its log records are dropped."""
    import logging

    log = logging.getLogger("pyshacl-validate")
    if not any(isinstance(f, _DropAll) for f in log.filters):
        log.addFilter(_DropAll())


class _DropAll:
    """A logging filter that drops every record."""

    def filter(self, record: object) -> bool:
        return False


def _validate(model: BuiltModel, shapes: Graph, with_checks: bool,
              engine: str) -> ValidationReport:
    from pyshacl import validate
    from pyshacl.errors import ReportableRuntimeError, ValidationFailure

    report: Graph | None = None
    fallback = ""
    try:
        if engine == "fast":
            fallback = _store_rewrite_reason(model, shapes)
            if not fallback:
                from .store_engine import store_report
                from .store_view import store_graph

                report, fallback = store_report(model.store, shapes)
                data = store_graph(model.store, like=model.built_graph)
        if report is None:
            data = model.graph
            _conforms, report, _text = validate(OfflineGraph(data), shacl_graph=shapes,
                                                inference="none", advanced=False,
                                                allow_warnings=True, allow_infos=True)
    except NetworkRefusedError:
        raise
    except (ValidationFailure, ReportableRuntimeError) as exc:
        raise UsageError(f"shapes: {_one_line(exc)}") from exc
    except RecursionError as exc:
        raise UsageError("shapes: too deeply nested to validate (recursion limit)") from exc
    if isinstance(report, ValidationFailure):
        raise UsageError(f"shapes: {_one_line(report)}")
    results = _read_results(report, model, shapes, data)
    checks = tuple(sorted(_checks(shapes, model, data))) if with_checks else ()
    ran = "fast" if engine == "fast" and not fallback else "reference"
    return ValidationReport(results, checks, engine=ran, fallback=fallback)


def _store_rewrite_reason(model: BuiltModel, shapes: Graph) -> str:
    """Why the store cannot stand for the data as written ("" when it can)."""
    rewrite = store_rewrite(model, shapes)
    return f"the store would not keep a literal as written ({rewrite})" if rewrite else ""


def _one_line(exc: BaseException) -> str:
    text = getattr(exc, "message", None) or str(exc)
    return " ".join(str(text).split())


def _read_results(report: Graph, model: BuiltModel, shapes: Graph,
                  graph: Graph) -> tuple[ValidationResult, ...]:
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
            focus=_show(focus),
            shape=_compact_shape(_owner(shapes, shape) if shape is not None else BNode()),
            component=_local(component) if component is not None else "",
            path=_show_path(report, path_node),
            value=_show(value) if value is not None else "",
            location=location,
            messages=_messages(report, node, shapes),
            focus_labels=_labels(graph, focus),
            value_labels=_labels(graph, value) if _has_label(graph, value) else (),
        ))
    return tuple(sorted(results, key=lambda r: r.sort_key))


def _severity(node: Node | None) -> str:
    """sh:Violation, sh:Warning or sh:Info; any other severity IRI counts as a violation (SHACL
    lets shapes use their own, and any result makes a graph non-conforming)."""
    name = _local(node) if node is not None else ""
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
        where = model.statements.get(triple)  # type: ignore[arg-type]
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


def _show_path(graph: Graph, path: Node | None) -> str:
    """A SHACL path as SPARQL property-path text; blank nodes never show."""
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return _compact(path)
    for predicate, prefix, suffix in ((SH.inversePath, "^", ""), (SH.zeroOrMorePath, "", "*"),
                                      (SH.oneOrMorePath, "", "+"), (SH.zeroOrOnePath, "", "?")):
        inner = graph.value(path, predicate)
        if inner is not None:
            return f"{prefix}{_show_path(graph, inner)}{suffix}"
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_show_path(graph, p) for p in graph.items(alternatives)) + ")"
    if graph.value(path, RDF.first) is not None:
        return "/".join(_show_path(graph, p) for p in graph.items(path))
    return ""


def _labels(graph: Graph, node: Node | None) -> tuple[tuple[str, str], ...]:
    if node is None:
        return ()
    return tuple((lang, label(graph, node, lang)) for lang in LANGS)


def _has_label(graph: Graph, node: Node | None) -> bool:
    """Whether ``node`` has a label of its own (a dangling reference has none: show its IRI)."""
    return isinstance(node, URIRef) and (
        (node, RDFS.label, None) in graph or (node, SKOS.prefLabel, None) in graph)


def _local(node: Node) -> str:
    return re.split(r"[#/]", str(node))[-1]


def _compact(node: Node) -> str:
    text = str(node)
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if text.startswith(namespace) and len(text) > len(namespace):
            return f"{prefix}:{text[len(namespace):]}"
    return f"<{text}>"


def _compact_shape(node: Node) -> str:
    if isinstance(node, BNode):
        return "(anonymous shape)"
    text = str(node)
    if text.startswith(SHAPES_NS):
        return text[len(SHAPES_NS):]
    return _compact(node)


def _show(node: Node | None) -> str:
    """A node as a reader wants it: model IRIs without the base, literals quoted."""
    if node is None:
        return ""
    if isinstance(node, Literal):
        text = str(node)
        return f'"{text}"@{node.language}' if node.language else (
            text if node.datatype and _local(node.datatype) in ("integer", "boolean")
            else f'"{text}"')
    if isinstance(node, BNode):
        return "[]"
    text = str(node)
    if text.startswith(BASE) and not text.startswith(str(PREFIXES["sam"])):
        return text[len(BASE):]
    return _compact(node)


# -- what was checked (for JUnit) --------------------------------------------------------------


def _checks(shapes: Graph, model: BuiltModel, data: Graph) -> set[Check]:
    """Every named constraint unit (property shape, or node shape with its own constraints) of
    every targeted shape, paired with each of its focus nodes."""
    labels = _label_table(model)
    checks: set[Check] = set()
    for shape in _targeted_shapes(shapes):
        focus_nodes = _focus_nodes(shapes, data, shape)
        units: list[URIRef] = [p for p in shapes.objects(shape, SH.property)
                               if isinstance(p, URIRef)]
        if any(p not in _NOT_CONSTRAINTS for p in shapes.predicates(shape)):
            units.append(shape)
        for unit in units:
            for focus in focus_nodes:
                checks.add(Check(_compact_shape(unit), _show(focus), model.location_of(focus),
                                 labels(focus)))
    return checks


def _label_table(model: BuiltModel) -> Callable[[Node], tuple[tuple[str, str], ...]]:
    """Labels of every node in both languages, from one query over the store: a JUnit report
    names every focus node, and one lookup per node would take longer than the validation."""
    from samhandling.loaders.rdf_loader import to_rdflib

    predicates = " ".join(f"<{p}>" for p in LABEL_PREDICATES)
    found: dict[Node, list[tuple[int, str, Node]]] = {}
    rank = {str(p): i for i, p in enumerate(LABEL_PREDICATES)}
    for s, p, o in model.store.query(
            f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {predicates} }} ?s ?p ?o }}"):
        value = to_rdflib(o)
        found.setdefault(to_rdflib(s), []).append((rank[p.value], str(value), value))

    def labels(node: Node) -> tuple[tuple[str, str], ...]:
        values = [v for _, _, v in sorted(found.get(node, []), key=lambda t: t[:2])]
        return tuple((lang, pick_label(values, node, lang)) for lang in LANGS)

    return labels


_NOT_CONSTRAINTS = {SH.property, RDF.type, RDFS.label, SH.severity, SH.message, SH.targetClass,
                    SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.deactivated,
                    SH.name, SH.description}


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


__all__ = ["ENGINES", "ENGINE_ENV", "FAIL_ON", "SEVERITIES", "SHAPES_NS", "Check",
           "ValidationReport", "ValidationResult", "load_shapes", "ontology_classes",
           "validate_model"]
