"""Load the shapes and refuse, with file and line, what validation could not judge well.

Shapes are written by whoever edits ``shapes/`` (or passes ``--shapes``), and a shape that
pySHACL would only trip over halfway through a run (a class that does not exist, a pattern its
engine cannot compile, recursion, a malformed constraint, SPARQL that reaches the network) is
refused here, before any data is read, and the same on both engines (:mod:`.shacl`). The
parsed graph has no line numbers, so a refusal finds its line by searching the file's text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.term import Node

from ..errors import UsageError
from ..namespaces import OWL, PREFIXES, RDF, RDFS, SH
from ..resources import ontology_files, shape_files
from ..terms import sorted_terms
from .display import SHAPES_NS, compact, compact_shape, error_text, local_name, owner_shape
from .patterns import install as install_patterns

_SPARQL_TEXT = (SH.select, SH.ask, SH.construct, SH.update)
_SERVICE = re.compile(r"(?<![\w:?$#-])SERVICE\s*(?:SILENT\s*)?[<?$\w]", re.IGNORECASE)
_FROM = re.compile(r"(?<![\w:?$#-])FROM\s*(?:NAMED\s*)?<", re.IGNORECASE)


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
                    f"{_where(path, text, compact(cls), cls)}: "
                    f"{compact_shape(owner_shape(shapes, shape))}: "
                    f"{compact(predicate)} {compact(cls)} is not a class of the ontology")
    for predicate in _SPARQL_TEXT:
        for shape, query in sorted(shapes.subject_objects(predicate)):
            for pattern, word in ((_SERVICE, "SERVICE"), (_FROM, "FROM")):
                if pattern.search(_strip_comments(str(query))):
                    raise UsageError(
                        f"{_where(path, text, word, None, regex=pattern)}: "
                        f"{compact_shape(owner_shape(shapes, shape))}: SHACL-SPARQL may not use "
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
                             f"{compact_shape(owner_shape(shapes, shape))}: sh:pattern "
                             f"{_quote(str(pattern))}: {problem}")


def _quote(text: str, limit: int = 60) -> str:
    shown = text if len(text) <= limit else text[:limit] + "…"
    return '"' + shown.replace("\\", "\\\\").replace('"', '\\"') + '"'


#: Predicates that describe a shape or say where it applies but constrain nothing: a node
#: shape with only these (and ``sh:property``) has no constraint of its own. Used where a
#: shape's constraints are counted (:func:`.results.list_checks`) and where a nested shape
#: becomes a SPARQL expression (:mod:`.store_engine`). ``sh:property`` is not here: it does
#: constrain, through the property shapes it names, which the store engine must judge in a
#: nested shape; JUnit counts each property shape as a check of its own instead.
NOT_CONSTRAINTS = frozenset({
    RDF.type, RDFS.label, RDFS.comment, SH.name, SH.description, SH.message, SH.severity,
    SH.order, SH.group, SH.deactivated,
    SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf,
})
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
    for start in sorted_terms(edges):
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
        while (deeper := deepest.get(chain[-1])) is not None:
            chain.append(deeper)
        shown = [compact_shape(owner_shape(graph, n)) for n in chain]
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
        name = f"{compact_shape(owner_shape(graph, node))}: " if node is not None else ""
        raise UsageError(f"{where}: {name}{error_text(exc)}") from None


def _shape_location(graph: Graph, parsed: Sequence[tuple[Path, Graph]],
                    nodes: list[Node]) -> str:
    """``file:line`` of the first named shape among ``nodes`` (or their owners), else the
    file holding them, else "shapes"."""
    owners = [owner_shape(graph, n) for n in nodes]
    named = next((n for n in [*nodes, *owners] if isinstance(n, URIRef)), None)
    for path, shapes in parsed:
        if named is not None and (named, None, None) in shapes:
            text = path.read_text(encoding="utf-8")
            local = re.escape(local_name(named))
            return _where(path, text, compact(named), named,
                          regex=re.compile(rf"^\s*(?:\S*:{local}|<{re.escape(str(named))}>)"
                                           rf"(?![\w.-])"))
        if named is None and any((n, None, None) in shapes for n in nodes):
            return str(path)
    return "shapes"


def _recursion_error(graph: Graph, parsed: Sequence[tuple[Path, Graph]],
                     cycle: list[Node]) -> None:
    names = [compact_shape(owner_shape(graph, n)) for n in cycle]
    where = _shape_location(graph, parsed, cycle)
    raise UsageError(f"{where}: recursive shapes: {' -> '.join(names)} (SHACL leaves "
                     "validation with recursive shapes undefined)")


def _strip_comments(query: str) -> str:
    return "\n".join(re.sub(r"#[^>\n]*$", "", line) for line in query.splitlines())


def _where(path: Path, text: str, token: str, iri: Node | None,
           regex: re.Pattern[str] | None = None) -> str:
    """``file:line`` of the first line holding ``token``, the full IRI or a match of ``regex``
    (the parsed graph has no line numbers; the text search is good enough to point)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if regex.search(line) if regex is not None else (
                token in line or (iri is not None and str(iri) in line)):
            return f"{path}:{number}"
    return str(path)


__all__ = ["MAX_NESTING", "NOT_CONSTRAINTS", "load_shapes", "ontology_classes"]
