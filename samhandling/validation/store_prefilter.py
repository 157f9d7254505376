"""The fast engine's pre-filters: SPARQL on the store that gives, for one constraint of one
shape, every focus node that may fail it.

Step 1 of :mod:`.store_engine`. For every shape and every constraint component one query over
the store returns the *candidates*: a superset of the focus nodes that fail it (for
``sh:minCount 1``: those with no value; for ``sh:class C``: those with a value that is not a
C). Each pre-filter below says why it can only be wider than the truth, never narrower; where no
safe pre-filter is known every focus node is a candidate, which costs time but never a result.
pySHACL's own components then judge the candidates (step 2, :mod:`.store_engine`).

The focus nodes themselves come from here too, as group patterns (:data:`Focus`) that each
query starts with: the shape's targets, or the value nodes of a parent shape for a property
shape. A nested shape (``sh:node``, ``sh:not``, ``sh:and``, ...) becomes a SPARQL expression
that is exact where it can be and errs on the side of making a candidate where it cannot.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, cast

from rdflib import BNode, Literal
from rdflib.term import Node

from ..namespaces import RDF, RDFS, SH, XSD
from ..terms import nt_term, sorted_terms
from .literals import to_rdflib
from .shapes import NOT_CONSTRAINTS

if TYPE_CHECKING:
    import pyoxigraph

#: A group pattern that binds the variable it is given to every focus node, once each.
Focus = Callable[[str], str]
_TYPE = f"<{RDF.type}>"
_SUBCLASS = f"<{RDFS.subClassOf}>"
#: XSD datatypes whose lexical forms below rdflib certainly accepts (so pySHACL's
#: ill-typed check cannot fail them); any other literal of a checked datatype is a candidate.
_WELL_FORMED = {
    XSD.string: None,
    XSD.integer: r"^[+-]?[0-9]+$",
    XSD.boolean: r"^(true|false|0|1)$",
}


class Prefilters:
    """The queries of one validation: the store, pySHACL's shapes graph, the severities that
    never fail a nested shape, and the class hierarchy as the data has it (read once a class)."""

    def __init__(self, store: pyoxigraph.Store, shapes_graph: Any,
                 allowed: frozenset[Node]) -> None:
        self.store = store
        self.sg = shapes_graph
        self.allowed = allowed
        self._subclasses: dict[Node, list[Node]] = {}

    # -- focus nodes -------------------------------------------------------------------------

    def targets(self, shape: Any) -> Focus | None:
        """The focus nodes of a shape's own targets (as pySHACL's ``Shape.focus_nodes``)."""
        if shape.deactivated:
            return None
        parts: list[Focus] = []
        classes: set[Node] = set()
        for cls in [*shape.target_classes(), *shape.implicit_class_targets()]:
            classes.update(self.subclasses(cls))
        values = " ".join(nt_term(c) for c in sorted_terms(classes))
        if len(classes) == 1:
            parts.append(_typed(values))
        elif classes:
            parts.append(_typed_any_of(values))
        nodes = list(shape.target_nodes())
        if any(isinstance(n, BNode) for n in nodes):
            # No query can name a blank node of the shapes graph: judge every focus node.
            raise Unsupported("sh:targetNode with a blank node")
        if nodes:
            values = " ".join(nt_term(n) for n in sorted(nodes))
            parts.append(_one_of(values))
        parts.extend(map(_subject_of, map(nt_term, shape.target_subjects_of())))
        parts.extend(map(_object_of, map(nt_term, shape.target_objects_of())))
        if not parts:
            return None
        if len(parts) == 1 and (len(classes) == 1 or nodes):
            return parts[0]  # gives each focus node once: no DISTINCT needed (nor its cost)
        return lambda v: _distinct(v, " UNION ".join(_group(part(v)) for part in parts))

    def values_as_focus(self, shape: Any, focus: Focus) -> Focus:
        """The focus nodes of a property shape under ``shape`` (pySHACL hands it each value
        node of the parent; for a node shape, that is the focus node itself)."""
        if not shape.is_property_shape:
            return focus
        path = _path(shape)
        return lambda v: _distinct(v, f"{focus(v + '_up')} ?{v}_up {path} ?{v} .")

    def subclasses(self, cls: Node) -> list[Node]:
        """``cls`` and its subclasses in the data graph (pySHACL looks there, not in the
        ontology), sorted; looked up once per class."""
        classes = self._subclasses.get(cls)
        if classes is None:
            query = f"SELECT DISTINCT ?c WHERE {{ ?c {_SUBCLASS}* {nt_term(cls)} }}"
            rows = cast("pyoxigraph.QuerySolutions", self.store.query(query))  # a SELECT
            found = {cls} | {to_rdflib(row[0]) for row in rows}
            classes = self._subclasses[cls] = sorted_terms(found)
        return classes

    def is_a(self, x: str, cls: Node) -> str:
        """``x`` is a SHACL instance of ``cls``: typed with it or one of its subclasses (a
        type lookup is ~2x cheaper than ``rdf:type/subClassOf*`` per value)."""
        classes = self.subclasses(cls)
        if len(classes) == 1:
            return f"(!isLiteral({x}) && EXISTS {{ {x} {_TYPE} {nt_term(cls)} }})"
        values = " ".join(map(nt_term, classes))
        return (f"(!isLiteral({x}) && "
                f"EXISTS {{ VALUES ?class_ {{ {values} }} {x} {_TYPE} ?class_ }})")

    # -- candidates --------------------------------------------------------------------------

    def candidates(self, shape: Any, focus: Focus, component: str) -> str:
        """A SELECT of ``?this``: the focus nodes that may fail ``component`` (a pySHACL
        constraint component's class name) of ``shape``; all of them where no pre-filter is
        known."""
        return _Prefilter(self, shape, focus).query(component) or every_focus_node(focus)

    # -- conformance of value nodes to nested shapes -----------------------------------------

    def conforms(self, node: Node, var: str, surely: bool) -> str:
        """A SPARQL expression on ``?var``: with ``surely``, true only when pySHACL would find
        the value conforming to shape ``node``; without, false only when it would not."""
        unknown = "false" if surely else "true"
        try:
            shape = self.sg.lookup_shape_from_node(node)
        except KeyError:
            return unknown
        if shape.deactivated or shape.severity in self.allowed:
            return "true"  # pySHACL counts such a shape as conforming whatever it finds
        if shape.is_property_shape:
            return unknown
        terms = []
        for parameter, value in self.sg.predicate_objects(node):
            term = self._constraint_expression(parameter, value, var, surely)
            if term is None:
                return unknown
            if term:
                terms.append(term)
        return "(" + " && ".join(terms) + ")" if terms else "true"

    def _constraint_expression(self, parameter: Node, value: Node, var: str,
                               surely: bool) -> str | None:
        """One constraint of a nested shape as an expression; "" for a triple that is no
        constraint, None when there is no exact or safe form."""
        x = f"?{var}"
        if parameter == SH["class"]:
            return self.is_a(x, value)
        if parameter == SH["in"]:
            members = list(self.sg.graph.items(value))
            return _same_as_any(x, members)
        if parameter == SH.hasValue:
            return f"sameTerm({x}, {nt_term(value)})"
        if parameter == SH.nodeKind:
            return _node_kind(x, value)
        if parameter == SH.languageIn:
            tags = [str(t) for t in self.sg.graph.items(value)]
            if not surely:
                return "true"
            return f"(isLiteral({x}) && lang({x}) IN ({', '.join(_string(t) for t in tags)}))"
        if parameter == SH.datatype:
            return _datatype_ok(x, value) if surely else "true"
        if parameter in (SH.minLength, SH.maxLength) and isinstance(value, Literal):
            op = ">=" if parameter == SH.minLength else "<="
            return f"(!isBlank({x}) && STRLEN(STR({x})) {op} {int(value)})"
        if parameter == SH["not"]:
            return "(!" + self.conforms(value, var, not surely) + ")"
        if parameter == SH.node:
            return self.conforms(value, var, surely)
        if parameter in (SH["and"], SH["or"]):
            members = [self.conforms(m, var, surely) for m in self.sg.graph.items(value)]
            joiner = " && " if parameter == SH["and"] else " || "
            return "(" + (joiner.join(members) or "true") + ")"
        if parameter in NOT_CONSTRAINTS or not str(parameter).startswith(str(SH)):
            return ""
        return None


class Unsupported(Exception):
    """The shapes use something no store query can stand for; the caller validates with
    default pySHACL instead."""


class _Prefilter:
    """The candidate query for one constraint component of one shape: a SELECT of ``?this``
    giving every focus node that may fail it (see the module docstring)."""

    def __init__(self, prefilters: Prefilters, shape: Any, focus: Focus) -> None:
        self.prefilters = prefilters
        self.shape = shape
        self.focus = focus
        self.node = shape.node
        self.graph = prefilters.sg.graph
        self.path = _path(shape) if shape.is_property_shape else None

    def query(self, component: str) -> str | None:
        method = getattr(self, f"_{component}", None)
        return method() if method is not None else None

    def _one(self, parameter: Node) -> Node | None:
        values = list(self.graph.objects(self.node, parameter))
        return values[0] if len(values) == 1 else None

    def _integer(self, parameter: Node) -> int | None:
        """The value of a count or length parameter (``sh:minCount 1``) as an integer."""
        n = self._one(parameter)
        return None if n is None else int(str(n))  # as int(n): a Literal is a str

    def _value(self) -> str:
        return (f"?this {self.path} ?value ." if self.path is not None
                else "BIND(?this AS ?value)")

    def _bad_values(self, condition: str) -> str:
        return (f"SELECT DISTINCT ?this WHERE {{ {self.focus('this')} {self._value()} "
                f"FILTER({condition}) }}")

    def _count(self, op: str, n: int, condition: str = "true") -> str:
        """Focus nodes whose number of distinct values (meeting ``condition``) is ``op n``."""
        if op == "<" and n == 1:  # none at all: NOT EXISTS is ~3x cheaper than counting
            return (f"SELECT DISTINCT ?this WHERE {{ {self.focus('this')} FILTER NOT EXISTS "
                    f"{{ {self._value()} FILTER({condition}) }} }}")
        return (f"SELECT ?this WHERE {{ {self.focus('this')} OPTIONAL {{ {self._value()} "
                f"FILTER({condition}) }} }} GROUP BY ?this "
                f"HAVING (COUNT(DISTINCT ?value) {op} {n})")

    # Cardinality: exact counts of distinct value nodes, as pySHACL counts its value set.
    def _MinCountConstraintComponent(self) -> str | None:
        n = self._integer(SH.minCount)
        return self._count("<", n) if n is not None else None

    def _MaxCountConstraintComponent(self) -> str | None:
        n = self._integer(SH.maxCount)
        if n is None:
            return None
        if n == 1 and self.path is not None:  # two different values: cheaper than counting
            return (f"SELECT DISTINCT ?this WHERE {{ {self.focus('this')} {self._value()} "
                    f"?this {self.path} ?other . FILTER(!sameTerm(?value, ?other)) }}")
        return self._count(">", n)

    # Value type: exact, or (datatype) wider where rdflib's well-formedness is not certain.
    def _ClassConstraintComponent(self) -> str:
        bad = [f"!{self.prefilters.is_a('?value', c)}"
               for c in self.graph.objects(self.node, SH["class"])]
        return self._bad_values(" || ".join(bad) or "false")

    def _DatatypeConstraintComponent(self) -> str | None:
        datatype = self._one(SH.datatype)
        if datatype is None:
            return None
        return self._bad_values(f"!{_datatype_ok('?value', datatype)}")

    def _NodeKindConstraintComponent(self) -> str | None:
        kind = self._one(SH.nodeKind)
        return self._bad_values(f"!{_node_kind('?value', kind)}") if kind is not None else None

    def _InConstraintComponent(self) -> str | None:
        members = self._one(SH["in"])
        if members is None:
            return None
        return self._bad_values(f"!{_same_as_any('?value', list(self.graph.items(members)))}")

    # Strings: exact lengths; language tags and portable patterns where SPARQL agrees with
    # Python, else every value is judged.
    def _LanguageInConstraintComponent(self) -> str | None:
        tags = self._one(SH.languageIn)
        if tags is None:
            return None
        allowed = ", ".join(_string(str(t)) for t in self.graph.items(tags))
        return self._bad_values(f"!(isLiteral(?value) && lang(?value) IN ({allowed}))")

    def _PatternConstraintComponent(self) -> str | None:
        # pySHACL judges sh:pattern with this same SPARQL REGEX (.patterns): exact.
        pattern, flags = self._one(SH.pattern), self._one(SH.flags)
        if pattern is None:
            return None
        return self._bad_values(f"isBlank(?value) || !REGEX(STR(?value), "
                                f"{_string(str(pattern))}, {_string(str(flags or ''))})")

    def _MinLengthConstraintComponent(self) -> str | None:
        n = self._integer(SH.minLength)
        return (self._bad_values(f"isBlank(?value) || STRLEN(STR(?value)) < {n}")
                if n is not None else None)

    def _MaxLengthConstraintComponent(self) -> str | None:
        n = self._integer(SH.maxLength)
        return (self._bad_values(f"isBlank(?value) || STRLEN(STR(?value)) > {n}")
                if n is not None else None)

    def _UniqueLangConstraintComponent(self) -> str | None:
        if self.path is None:
            return None
        return (f"SELECT DISTINCT ?this WHERE {{ {self.focus('this')} "
                f"?this {self.path} ?a . ?this {self.path} ?b . FILTER(!sameTerm(?a, ?b) && "
                f"lang(?a) != \"\" && LCASE(lang(?a)) = LCASE(lang(?b))) }}")

    # Ranges: a value of the bound's own datatype that SPARQL finds in range is in range for
    # rdflib too; anything else (other datatypes, errors) is a candidate.
    def _range(self, parameter: Node, op: str) -> str | None:
        bound = self._one(parameter)
        if not isinstance(bound, Literal) or bound.datatype is None:
            return None
        ok = (f"(isLiteral(?value) && datatype(?value) = {nt_term(bound.datatype)} && "
              f"COALESCE(?value {op} {nt_term(bound)}, false))")
        return self._bad_values(f"!{ok}")

    def _MinInclusiveConstraintComponent(self) -> str | None:
        return self._range(SH.minInclusive, ">=")

    def _MinExclusiveConstraintComponent(self) -> str | None:
        return self._range(SH.minExclusive, ">")

    def _MaxInclusiveConstraintComponent(self) -> str | None:
        return self._range(SH.maxInclusive, "<=")

    def _MaxExclusiveConstraintComponent(self) -> str | None:
        return self._range(SH.maxExclusive, "<")

    # Values and pairs: exact.
    def _HasValueConstraintComponent(self) -> str | None:
        value = self._one(SH.hasValue)
        if value is None:
            return None
        return (f"SELECT DISTINCT ?this WHERE {{ {self.focus('this')} FILTER NOT EXISTS {{ "
                f"{self._value()} FILTER(sameTerm(?value, {nt_term(value)})) }} }}")

    def _DisjointConstraintComponent(self) -> str:
        others = [nt_term(p) for p in self.graph.objects(self.node, SH.disjoint)]
        shared = " UNION ".join(f"{{ ?this {p} ?value }}" for p in others) or "FILTER(false)"
        return (f"SELECT DISTINCT ?this WHERE {{ {self.focus('this')} {self._value()} "
                f"{shared} }}")

    # Nested shapes: conformance as an expression that is exact where it can be and errs on
    # the side of making a candidate where it cannot (see _Run.conforms).
    def _NodeConstraintComponent(self) -> str:
        ok = [self.prefilters.conforms(n, "value", surely=True)
              for n in self.graph.objects(self.node, SH.node)]
        return self._bad_values("!(" + (" && ".join(ok) or "true") + ")")

    def _NotConstraintComponent(self) -> str:
        maybe = [self.prefilters.conforms(n, "value", surely=False)
                 for n in self.graph.objects(self.node, SH["not"])]
        return self._bad_values(" || ".join(maybe) or "false")

    def _logical(self, parameter: Node, joiner: str) -> str:
        bad = []
        for members in self.graph.objects(self.node, parameter):
            ok = [self.prefilters.conforms(m, "value", surely=True)
                  for m in self.graph.items(members)]
            bad.append("!(" + (joiner.join(ok) or ("true" if joiner == " && " else "false"))
                       + ")")
        return self._bad_values(" || ".join(bad) or "false")

    def _AndConstraintComponent(self) -> str:
        return self._logical(SH["and"], " && ")

    def _OrConstraintComponent(self) -> str:
        return self._logical(SH["or"], " || ")

    def _QualifiedValueShapeConstraintComponent(self) -> str | None:
        shape = self._one(SH.qualifiedValueShape)
        disjoint = self._one(SH.qualifiedValueShapesDisjoint)
        if shape is None or (isinstance(disjoint, Literal) and disjoint.value is True):
            return None
        queries = []
        low, high = self._integer(SH.qualifiedMinCount), self._integer(SH.qualifiedMaxCount)
        if low is not None:
            surely = self.prefilters.conforms(shape, "value", surely=True)
            queries.append(self._count("<", low, surely))
        if high is not None:
            maybe = self.prefilters.conforms(shape, "value", surely=False)
            queries.append(self._count(">", high, maybe))
        if not queries:
            return None
        return "SELECT DISTINCT ?this WHERE " + _group(" UNION ".join(map(_group, queries)))


def _path(shape: Any) -> str:
    """A property shape's ``sh:path`` as a SPARQL property path."""
    from pyshacl.helper.path_helper import shacl_path_to_sparql_path

    return str(shacl_path_to_sparql_path(shape.sg, shape.path(), prefixes=None))


def _typed(cls: str) -> Focus:
    return lambda v: f"?{v} {_TYPE} {cls} ."


def _typed_any_of(classes: str) -> Focus:
    return lambda v: f"VALUES ?{v}_class {{ {classes} }} ?{v} {_TYPE} ?{v}_class ."


def _one_of(nodes: str) -> Focus:
    return lambda v: f"VALUES ?{v} {{ {nodes} }}"


def _subject_of(predicate: str) -> Focus:
    return lambda v: f"?{v} {predicate} [] ."


def _object_of(predicate: str) -> Focus:
    return lambda v: f"[] {predicate} ?{v} ."


def _group(pattern: str) -> str:
    return "{ " + pattern + " }"


def _distinct(var: str, pattern: str) -> str:
    """A sub-select that binds ``?var`` once per node ``pattern`` binds it to."""
    return _group(f"SELECT DISTINCT ?{var} WHERE {_group(pattern)}")


def every_focus_node(focus: Focus) -> str:
    """A SELECT of every focus node ``focus`` gives: the candidates where no pre-filter is
    known, and the focus nodes of SPARQL that must run per focus node."""
    return f"SELECT DISTINCT ?this WHERE {{ {focus('this')} }}"


def _string(text: str) -> str:
    return nt_term(Literal(text))


def _same_as_any(x: str, members: Iterable[Node]) -> str:
    terms = [f"sameTerm({x}, {nt_term(m)})" for m in members]
    return "(" + (" || ".join(terms) or "false") + ")"


def _node_kind(x: str, kind: Node) -> str:
    tests = {SH.IRI: ("isIRI",), SH.BlankNode: ("isBlank",), SH.Literal: ("isLiteral",),
             SH.BlankNodeOrIRI: ("isBlank", "isIRI"), SH.IRIOrLiteral: ("isIRI", "isLiteral"),
             SH.BlankNodeOrLiteral: ("isBlank", "isLiteral")}.get(kind, ())  # type: ignore[call-overload]
    return "(" + (" || ".join(f"{t}({x})" for t in tests) or "false") + ")"


def _datatype_ok(x: str, datatype: Node) -> str:
    """True only for literals pySHACL certainly accepts as ``datatype``: the same datatype and,
    where rdflib checks the lexical form, one it certainly parses."""
    if datatype in (RDFS.Literal, RDFS.Datatype, RDF.langString):
        return "false"
    ok = f"(isLiteral({x}) && datatype({x}) = {nt_term(datatype)}"
    if datatype in _WELL_FORMED:
        lexical = _WELL_FORMED[datatype]  # type: ignore[index]
        if lexical is not None:
            ok += f" && REGEX(STR({x}), {_string(lexical)})"
    elif str(datatype).startswith(str(XSD)):
        return "false"  # rdflib may find the lexical form ill-typed: judge every value
    return ok + ")"


__all__ = ["Focus", "Prefilters", "Unsupported", "every_focus_node"]
