"""SHACL Core test cases, in the W3C test-manifest format, through both validation engines.

``tests/fixtures/shacl-core/*.ttl`` are small cases written for this project after the
specification's test suite (https://w3c.github.io/data-shapes/data-shapes-test-suite/):
each file is data graph, shapes graph and manifest at once (``sht:dataGraph`` and
``sht:shapesGraph`` name the file itself), with the expected ``sh:ValidationReport``
(``sh:conforms`` and every ``sh:result``: focus node, path, value, severity, constraint
component) worked out from the specification's text. Every case runs on the ``fast`` and the
``reference`` engine; both must give exactly the expected results.

Results are compared as the report shows them (:class:`ValidationResult`): equal-looking
results fold into one (``sh:uniqueLang`` gives one per repeated tag), and a node shape's
value that is the focus node itself is not repeated.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.term import Node

from samhandling.namespaces import RDF, SH
from samhandling.validation.display import local_name as _local
from samhandling.validation.display import show as _show
from samhandling.validation.display import show_path as _show_path
from samhandling.validation.literals import as_written
from samhandling.validation.load import load_for_validation
from samhandling.validation.shacl import ValidationReport, load_shapes, validate_model

from .support import REPO

CASES = sorted((REPO / "tests" / "fixtures" / "shacl-core").glob("*.ttl"))
ENGINES = ("fast", "reference")
MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
SHT = "http://www.w3.org/ns/shacl-test#"
#: Every SHACL Core constraint component (SHACL 1.0, section 4); each has a case.
CORE_COMPONENTS = {
    "ClassConstraintComponent", "DatatypeConstraintComponent", "NodeKindConstraintComponent",
    "MinCountConstraintComponent", "MaxCountConstraintComponent",
    "MinExclusiveConstraintComponent", "MinInclusiveConstraintComponent",
    "MaxExclusiveConstraintComponent", "MaxInclusiveConstraintComponent",
    "MinLengthConstraintComponent", "MaxLengthConstraintComponent",
    "PatternConstraintComponent", "LanguageInConstraintComponent",
    "UniqueLangConstraintComponent", "EqualsConstraintComponent",
    "DisjointConstraintComponent", "LessThanConstraintComponent",
    "LessThanOrEqualsConstraintComponent", "NotConstraintComponent", "AndConstraintComponent",
    "OrConstraintComponent", "XoneConstraintComponent", "NodeConstraintComponent",
    "QualifiedMinCountConstraintComponent", "QualifiedMaxCountConstraintComponent",
    "ClosedConstraintComponent", "HasValueConstraintComponent", "InConstraintComponent",
}

Row = tuple[str, str, str, str, str]


def _expected(path: Path) -> tuple[bool, set[Row]]:
    """``sh:conforms`` and the results of the file's one ``sht:Validate`` entry."""
    with as_written():
        graph = Graph().parse(path, format="turtle")
    entries = list(graph.subjects(RDF.type, URIRef(SHT + "Validate")))
    assert len(entries) == 1, f"{path.name}: one sht:Validate entry per file"
    report = graph.value(entries[0], URIRef(MF + "result"))
    assert report is not None and (report, RDF.type, SH.ValidationReport) in graph
    conforms = graph.value(report, SH.conforms)
    rows = set()
    for result in graph.objects(report, SH.result):
        rows.add(_row(graph, graph.value(result, SH.focusNode),
                      graph.value(result, SH.resultPath), graph.value(result, SH.value),
                      graph.value(result, SH.sourceConstraintComponent),
                      graph.value(result, SH.resultSeverity)))
    return bool(conforms.toPython()) if conforms is not None else False, rows


def _row(graph: Graph, focus: Node | None, path: Node | None, value: Node | None,
         component: Node | None, severity: Node | None) -> Row:
    if value is not None and value == focus and not (
            isinstance(path, URIRef) and (focus, path, value) in graph):
        value = None  # the report does not repeat the focus node as the value
    return (_local(severity) if severity is not None else "Violation", _show(focus),
            _show_path(graph, path), _local(component) if component is not None else "",
            _show(value) if value is not None else "")


def _actual(report: ValidationReport) -> set[Row]:
    return {(r.severity, r.focus, r.path, r.component, r.value) for r in report.results}


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_shacl_core_case(case: Path, engine: str) -> None:
    conforms, expected = _expected(case)
    report = validate_model(load_for_validation(case), load_shapes([case]), engine=engine)
    assert _actual(report) == expected
    assert (not report.results) == conforms


def test_every_core_component_has_a_case() -> None:
    covered = set()
    for case in CASES:
        covered |= {row[3] for row in _expected(case)[1]}
    assert covered >= CORE_COMPONENTS, sorted(CORE_COMPONENTS - covered)
    assert len(CASES) >= 40


def test_installed_pyshacl_is_in_the_pinned_range() -> None:
    """The fast engine uses pySHACL internals; pyproject.toml pins the range these tests
    ran on, and the installed version must be in it."""
    import re
    from importlib.metadata import version

    pin = re.search(r'"pyshacl>=([\d.]+),<([\d.]+)"',
                    (REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert pin is not None, "pyproject.toml pins pyshacl as >=X,<Y"

    def parts(text: str) -> tuple[int, ...]:
        return tuple(int(p) for p in re.findall(r"\d+", text)[:3])

    assert parts(pin[1]) <= parts(version("pyshacl")) < parts(pin[2])
