"""Validate a model on its pyoxigraph store and still get exactly pySHACL's results.

Why: pySHACL visits every focus node in Python over an rdflib graph. At a million triples that
is ~40 s just to build the rdflib graph and minutes to walk it, although a model under review
has a handful of problems. Here the work splits in two:

1. **Which focus nodes may fail?** For every shape and every constraint component one SPARQL
   query over the store returns the *candidates*: a superset of the focus nodes that fail it
   (for ``sh:minCount 1``: those with no value; for ``sh:class C``: those with a value that is
   not a C). :mod:`.store_prefilter` writes those queries, each with why it can only be wider
   than the truth, never narrower; where no safe pre-filter is known every focus node is a
   candidate, which costs time but never a result.
2. **Do they?** pySHACL's own constraint component judges the candidates, reading the model
   through a read-only rdflib view of the store (:mod:`.store_view`), and builds each result as
   it always does: messages, paths, values, severities, source shapes.

This module walks the shapes as pySHACL would and hands each component its candidates.
SHACL-SPARQL constraints run once over all focus nodes where that cannot change their meaning
(:mod:`.store_sparql`) and per focus node otherwise. ``tests/test_bulk_validation.py`` compares
the results with default pySHACL on an rdflib graph, seeded defects included.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from rdflib import Graph, URIRef
from rdflib.term import Node

from ..namespaces import SH
from .literals import to_rdflib
from .offline import refuse_network
from .store_prefilter import Focus, Prefilters, Unsupported, every_focus_node
from .store_sparql import rows_once, violations
from .store_view import store_graph

if TYPE_CHECKING:
    import pyoxigraph

#: Severities pySHACL counts as conforming (``allow_warnings``, ``allow_infos``).
_ALLOWED = frozenset({SH.Info, SH.Warning})


def validate_on_store(store: pyoxigraph.Store, shapes: Graph) -> Graph | None:
    """pySHACL's validation report graph for the model in ``store`` (as default pySHACL with
    ``inference="none"``, ``allow_warnings`` and ``allow_infos`` would give it); None when the
    shapes use something this route cannot stand for (the caller then runs pySHACL)."""
    return store_report(store, shapes)[0]


def store_report(store: pyoxigraph.Store, shapes: Graph) -> tuple[Graph | None, str]:
    """:func:`validate_on_store`, with why the route stepped aside ("" when it did not):
    ``validate --verbose`` names the engine that ran and why."""
    from pyshacl.pytypes import SHACLExecutor
    from pyshacl.shapes_graph import ShapesGraph
    from pyshacl.validator import Validator

    shapes_graph = ShapesGraph(shapes)
    run = _Run(store, shapes_graph, SHACLExecutor(allow_warnings=True, allow_infos=True))
    try:
        for shape in shapes_graph.shapes:
            focus = run.prefilters.targets(shape)
            if focus is not None:
                run.shape(shape, focus)
    except Unsupported as exc:
        return None, f"the shapes use {exc}"
    conforms = not any(_severity(r) not in _ALLOWED for r in run.results)
    report, _text = Validator.create_validation_report(shapes_graph, conforms, run.results)
    return report, ""


def _severity(result: tuple[Any, Node, list[tuple[Any, Any, Any]]]) -> Node:
    _text, node, triples = result
    return next(o for s, p, o in triples if s == node and p == SH.resultSeverity)


class _Run:
    """One validation: the store, its rdflib view, its pre-filters and the results so far."""

    def __init__(self, store: pyoxigraph.Store, shapes_graph: Any, executor: Any) -> None:
        self.store = store
        self.sg = shapes_graph
        self.executor = executor
        self.data = store_graph(store)
        self.prefilters = Prefilters(store, shapes_graph, _ALLOWED)
        self.results: list[Any] = []

    def focus_nodes(self, query: str) -> list[Node]:
        rows = cast("pyoxigraph.QuerySolutions", self.store.query(query))  # a SELECT
        return [to_rdflib(row[0]) for row in rows]

    # -- shapes ------------------------------------------------------------------------------

    def shape(self, shape: Any, focus: Focus) -> None:
        """Every constraint of ``shape`` on the focus nodes ``focus`` gives."""
        from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP
        from pyshacl.constraints.core.shape_based_constraints import (
            PropertyConstraintComponent,
        )
        from pyshacl.constraints.sparql.sparql_based_constraints import SPARQLBasedConstraint

        if shape.deactivated:
            return
        if shape.find_custom_constraints():
            raise Unsupported("SHACL-SPARQL constraint components")
        parameters = [p for p, _ in self.sg.predicate_objects(shape.node)
                      if p in ALL_CONSTRAINT_PARAMETERS]
        done: set[type] = set()
        for parameter in parameters:
            component_class = CONSTRAINT_PARAMETERS_MAP[parameter]
            if component_class in done:
                continue
            done.add(component_class)
            if component_class is PropertyConstraintComponent:
                values = self.prefilters.values_as_focus(shape, focus)
                for node in self.sg.objects(shape.node, SH.property):
                    self.shape(self.sg.lookup_shape_from_node(node), values)
                continue
            component = _component(component_class, shape)
            if component is None:
                continue
            if component_class is SPARQLBasedConstraint:
                self.sparql(component, shape, focus)
                continue
            query = self.prefilters.candidates(shape, focus, component_class.__name__)
            candidates = self.focus_nodes(query)
            if candidates:
                self.judge(component, shape, candidates)

    def judge(self, component: Any, shape: Any, candidates: list[Node]) -> None:
        value_nodes = shape.value_nodes(self.data, candidates)
        _conforms, reports = component.evaluate(self.executor, self.data, value_nodes,
                                                [shape, component])
        self.results.extend(reports)

    # -- SHACL-SPARQL ------------------------------------------------------------------------

    def sparql(self, component: Any, shape: Any, focus: Focus) -> None:
        """Each SELECT once over all focus nodes when :func:`.store_sparql.once_safe`, else per
        focus node as pySHACL does (through the rdflib view: slow, rare)."""
        for helper in component.sparql_constraints:
            if helper.deactivated:
                continue
            init_binds, text = helper.pre_bind_variables(URIRef("urn:x-samhandling:this"))
            text = helper.apply_prefixes(text)
            # rows_once checks once_safe and refuses the network itself
            rows = None
            if set(init_binds) == {"this"}:
                rows = rows_once(self.store, text, focus("this"))
            if rows is None:
                refuse_network(text)
                nodes = self.focus_nodes(every_focus_node(focus))
                _nc, reports = component._evaluate_sparql_constraint(
                    helper, self.data, {n: {n} for n in nodes})
            else:
                def answered(_query: str, binds: dict, _graph: Any, found: Any = rows) -> Any:
                    return violations(found.get(binds["this"], []))

                component._validate_sparql_query = answered
                try:
                    _nc, reports = component._evaluate_sparql_constraint(
                        helper, self.data, {n: {n} for n in rows})
                finally:
                    del component._validate_sparql_query
            self.results.extend(reports)


def _component(component_class: type, shape: Any) -> Any:
    """pySHACL's component object, or None where pySHACL skips it with a warning."""
    from pyshacl.errors import ConstraintLoadWarning

    try:
        return component_class(shape)
    except ConstraintLoadWarning:
        return None


__all__ = ["validate_on_store"]
