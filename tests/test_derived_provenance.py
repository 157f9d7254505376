"""Derived resources say they are derived: on the frozen seed model, a generated need-code group
has ``prov:wasDerivedFrom`` the needs under its code and no ``dcterms:source`` (no source
states it), and the provenance shapes fail a group with neither. And a need can be flagged as
an interpretation, like the records of other kinds."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from samhandling.build import load_model
from samhandling.built import BuiltModel
from samhandling.namespaces import BASE, DCTERMS, PROV, RDF, SAM, SKOS
from samhandling.validation.shacl import load_shapes, validate_model

from .support import MODEL_DIR, REPO


def need(code: str) -> URIRef:
    return URIRef(f"{BASE}behov/{code}")


@pytest.fixture(scope="module")
def graph() -> Graph:
    return load_model(MODEL_DIR).graph


def test_a_generated_group_is_derived_from_the_needs_under_its_code(graph: Graph) -> None:
    group = need("05.20")
    assert (group, RDF.type, SAM.NeedCodeGroup) in graph
    assert set(graph.objects(group, PROV.wasDerivedFrom)) == {
        need("05.20.20.10"), need("05.20.20.15"), need("05.20.20.25.10")}
    assert set(graph.objects(group, DCTERMS.source)) == set()
    # the needs keep their own sources: the group rests on Side 31 only through them
    assert (need("05.20.20.10"), DCTERMS.source, URIRef(f"{BASE}kilde/seed/side-31")) in graph


def test_no_generated_group_has_a_source_and_each_is_derived(graph: Graph) -> None:
    groups = set(graph.subjects(RDF.type, SAM.NeedCodeGroup))
    assert {need("05"), need("05.20.20"), need("15.10.70"), need("20")} <= groups
    for group in groups:
        assert not set(graph.objects(group, DCTERMS.source)), group
        origins = set(graph.objects(group, PROV.wasDerivedFrom))
        assert origins, group
        code = str(group).rsplit("/", 1)[-1]
        for origin in origins:
            assert (origin, RDF.type, SAM.InformationNeed) in graph
            assert str(origin).rsplit("/", 1)[-1].startswith(code + "."), (group, origin)


def test_the_provenance_shape_fails_a_group_with_neither(graph: Graph) -> None:
    shapes = load_shapes([REPO / "shapes" / "provenance.ttl"])
    assert not validate_model(BuiltModel(graph), shapes).results
    broken = Graph()
    for triple in graph:
        broken.add(triple)
    broken.remove((need("05.20"), PROV.wasDerivedFrom, None))
    report = validate_model(BuiltModel(broken), shapes)
    failed = {(r.focus, r.shape) for r in report.results}
    assert failed == {("behov/05.20", "Derived")}


def test_a_need_takes_the_interpretation_columns(tmp_path: Path) -> None:
    """``behov`` has ``interpretation``, ``note_nb`` and ``note_en`` like the other kinds: the
    mapping of need 15.10.70.20 to a service is read, not stated (Side 31 names none)."""
    model = tmp_path / "model"
    shutil.copytree(MODEL_DIR, model)
    needs = model / "behov.yaml"
    text = needs.read_text(encoding="utf-8")
    marker = '  code: "15.10.70.20"\n'
    assert text.count(marker) == 1
    needs.write_text(text.replace(marker, marker + (
        "  interpretation: true\n  note_nb: Side 31 nevner ingen tjeneste\n"
        "  note_en: Side 31 names no service\n")), encoding="utf-8")
    graph = load_model(model).graph
    subject = need("15.10.70.20")
    assert (subject, SAM.isInterpretation, Literal(True)) in graph
    assert set(graph.objects(subject, SKOS.note)) == {
        Literal("Side 31 nevner ingen tjeneste", lang="nb"),
        Literal("Side 31 names no service", lang="en")}
