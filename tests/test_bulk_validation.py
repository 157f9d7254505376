"""The store route of ``validate`` (:mod:`samhandling.validation.store_engine`) gives default
pySHACL's results exactly, for every SHACL Core component and the corner cases of its
pre-filters.

``tests/fixtures/bulk`` holds shapes that use every core component (and SHACL-SPARQL, once-safe
and not) and data built to trip each pre-filter: ill-typed literals, an impossible date, mixed
datatypes against a range, language tags in another case, a non-portable regular expression,
sequence and inverse paths, targets of every kind, a literal and a missing target node.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from samhandling.validation.load import load_for_validation
from samhandling.validation.shacl import ValidationReport, load_shapes, validate_model
from samhandling.validation.store_engine import validate_on_store

from .support import REPO

FIXTURE = REPO / "tests" / "fixtures" / "bulk"


def _both(data: Path, shapes: Path = FIXTURE / "shapes.ttl") -> dict[str, ValidationReport]:
    graph = load_shapes([shapes])
    return {engine: validate_model(load_for_validation(data), graph, engine=engine)
            for engine in ("fast", "reference")}


def test_every_core_component_gives_pyshacls_results() -> None:
    reports = _both(FIXTURE / "data.ttl")
    assert reports["fast"].results == reports["reference"].results
    components = {r.component for r in reports["reference"].results}
    assert components >= {
        "MinCountConstraintComponent", "MaxCountConstraintComponent",
        "DatatypeConstraintComponent", "ClassConstraintComponent",
        "NodeKindConstraintComponent", "InConstraintComponent",
        "LanguageInConstraintComponent", "UniqueLangConstraintComponent",
        "PatternConstraintComponent", "MinLengthConstraintComponent",
        "MaxLengthConstraintComponent", "MinInclusiveConstraintComponent",
        "MaxExclusiveConstraintComponent", "HasValueConstraintComponent",
        "DisjointConstraintComponent", "EqualsConstraintComponent",
        "LessThanConstraintComponent", "NodeConstraintComponent", "NotConstraintComponent",
        "OrConstraintComponent", "AndConstraintComponent", "XoneConstraintComponent",
        "QualifiedMaxCountConstraintComponent", "ClosedConstraintComponent",
        "SPARQLConstraintComponent"}


def test_ill_typed_and_impossible_values_are_not_filtered_away() -> None:
    results = _both(FIXTURE / "data.ttl")["fast"].results
    bad = {(r.component, r.value) for r in results}
    assert ("DatatypeConstraintComponent", "abc") in bad  # "abc"^^xsd:integer
    assert ("DatatypeConstraintComponent", '"2024-02-31"') in bad
    assert ("PatternConstraintComponent", '"cafe"') in bad  # \\w+é with flag i


def test_a_literal_the_store_would_rewrite_sends_validation_to_pyshacl(tmp_path: Path) -> None:
    data = tmp_path / "data.ttl"
    text = (FIXTURE / "data.ttl").read_text(encoding="utf-8")
    data.write_text(text.replace('"2"^^xsd:integer', '"2"^^xsd:short'), encoding="utf-8")
    assert load_for_validation(data).store_rewrites_literals()
    assert not load_for_validation(FIXTURE / "data.ttl").store_rewrites_literals()
    reports = _both(data)
    assert reports["fast"].results == reports["reference"].results
    assert ("t4", "DatatypeConstraintComponent", '"2"') in {
        (r.focus.rsplit("#")[-1].rstrip(">"), r.component, r.value)
        for r in reports["fast"].results}


def test_a_blank_target_node_sends_validation_to_pyshacl(tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix ex: <http://example.org/ns#> .\n"
        "ex:S a sh:NodeShape ; sh:targetNode [ ] ; sh:property [ sh:path ex:p ; "
        "sh:minCount 1 ] .\n", encoding="utf-8")
    model = load_for_validation(FIXTURE / "data.ttl")
    assert validate_on_store(model.store, load_shapes([shapes])) is None
    reports = _both(FIXTURE / "data.ttl", shapes)
    assert reports["fast"].results == reports["reference"].results
    assert [r.component for r in reports["fast"].results] == ["MinCountConstraintComponent"]


def test_the_store_view_reads_the_store_and_refuses_writes() -> None:
    from samhandling.validation.store_view import store_graph

    model = load_for_validation(FIXTURE / "data.ttl")
    view = store_graph(model.store)
    assert len(view) == len(model.store)
    assert set(view) == set(model.graph)
    with pytest.raises(TypeError):
        view.add(next(iter(view)))
