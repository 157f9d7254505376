"""Each shape file, alone, on its own conforming and failing fixture; and the shapes as a whole.

Fixtures live in tests/fixtures/shapes/<file>.ok.ttl and <file>.fail.ttl. A failing fixture
lists the results it must give as ``test:expected test:result "severity | focus | path |
shape"`` triples; the test removes them, validates with that one shape file and compares the
complete set, so a missing, extra or misplaced result fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef

from samhandling.built import BuiltModel
from samhandling.namespaces import RDF, RDFS, SH
from samhandling.schema import KINDS
from samhandling.validation.shacl import SHAPES_NS, load_shapes, validate_model

from .support import FIXTURES, REPO

SHAPES = REPO / "shapes"
FIX = FIXTURES / "shapes"
TEST = Namespace("https://w3id.org/samhandling/test#")
NAMES = sorted(p.stem for p in SHAPES.glob("*.ttl"))


def _run(name: str, fixture: Path) -> tuple[set[str], set[str]]:
    data = Graph().parse(fixture, format="turtle")
    expected = {str(o) for o in data.objects(TEST.expected, TEST.result)}
    data.remove((TEST.expected, None, None))
    report = validate_model(BuiltModel(data), load_shapes([SHAPES / f"{name}.ttl"]))
    got = {f"{r.severity} | {r.focus} | {r.path} | {r.shape}" for r in report.results}
    return expected, got


def _units(shapes: Graph) -> set[str]:
    """Named shapes that carry constraints of their own (what a result can name)."""
    skip = {RDF.type, RDFS.label, SH.property, SH.severity, SH.message, SH.targetClass,
            SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.path}
    return {str(s)[len(SHAPES_NS):] for s in set(shapes.subjects())
            if isinstance(s, URIRef) and str(s).startswith(SHAPES_NS)
            and any(p not in skip for p in shapes.predicates(s))}


def test_every_shape_file_has_a_conforming_and_a_failing_fixture():
    assert len(NAMES) >= 20
    fixtures = sorted(p.name for p in FIX.glob("*.ttl"))
    assert fixtures == sorted(f"{n}.{kind}.ttl" for n in NAMES for kind in ("ok", "fail"))


@pytest.mark.parametrize("name", NAMES)
def test_conforming_fixture_gives_no_result(name: str):
    expected, got = _run(name, FIX / f"{name}.ok.ttl")
    assert not expected
    assert got == set()


@pytest.mark.parametrize("name", NAMES)
def test_failing_fixture_gives_exactly_the_expected_results(name: str):
    expected, got = _run(name, FIX / f"{name}.fail.ttl")
    assert expected, "the failing fixture lists no expected result"
    assert got == expected
    # ... and between them the expected results name every shape of the file
    shapes = Graph().parse(SHAPES / f"{name}.ttl")
    assert {line.split(" | ")[3] for line in expected} == _units(shapes)


def test_every_shape_has_a_deliberate_severity_and_messages_in_nb_and_en():
    shapes = load_shapes()
    units = {URIRef(SHAPES_NS + u) for u in _units(shapes)}
    assert len(units) > 60
    for shape in units:
        assert shapes.value(shape, SH.severity) in (SH.Violation, SH.Warning, SH.Info), shape
        carriers = [shape, *shapes.objects(shape, SH.sparql)]
        langs = {m.language for c in carriers for m in shapes.objects(c, SH.message)
                 if isinstance(m, Literal)}
        assert langs == {"nb", "en"}, shape
    severities = {shapes.value(s, SH.severity) for s in units}
    assert severities == {SH.Violation, SH.Warning, SH.Info}


def _shapes_on(shapes: Graph, cls: URIRef) -> list[URIRef]:
    """Property shapes that apply to instances of ``cls``."""
    found = []
    for holder in shapes.subjects(SH.targetClass, cls):
        found.append(holder)
        found.extend(shapes.objects(holder, SH.property))
    return found


def _path_of(shapes: Graph, shape: URIRef) -> tuple[URIRef | None, bool]:
    path = shapes.value(shape, SH.path)
    if isinstance(path, URIRef):
        return path, False
    inverse = shapes.value(path, SH.inversePath) if path is not None else None
    return inverse, True


def test_every_required_column_and_reference_of_the_schema_is_checked_by_a_shape():
    """Validation builds leniently and leaves these rules to SHACL: none may go unchecked."""
    shapes = load_shapes()
    for kind in KINDS:
        on_kind = _shapes_on(shapes, kind.cls)
        for column in kind.columns:
            if not (column.required or column.type == "ref"):
                continue
            predicate = RDF.type if column.type == "type" else column.predicate
            matching = [s for s in on_kind
                        if _path_of(shapes, s) == (predicate, column.inverse)]
            where = f"{kind.name}.{column.name}"
            assert matching, f"no shape checks {where}"
            if column.required:
                assert any((s, SH.minCount, None) in shapes
                           or (s, SH.qualifiedMinCount, None) in shapes for s in matching), where
            if column.type == "ref" and column.targets:
                assert any((s, SH["class"], None) in shapes or (s, SH["or"], None) in shapes
                           for s in matching), f"{where} may point at nothing"


def test_bundled_shapes_load_and_name_only_classes_of_the_ontology():
    shapes = load_shapes()
    assert (URIRef(SHAPES_NS + "InformationService"), SH.targetClass, None) in shapes
