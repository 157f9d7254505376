"""Every loader on valid and invalid input; every problem named by file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from rdflib import Literal, URIRef
from rdflib.compare import isomorphic

from samhandling.build import load_model
from samhandling.built import BuiltModel
from samhandling.errors import ModelLoadError
from samhandling.namespaces import BASE, RDFS, SAM, SKOS

from .support import MINI, run_cli

PLAN = URIRef(BASE + "tjeneste/plan")


def problems_of(model_dir: Path) -> list[str]:
    with pytest.raises(ModelLoadError) as info:
        load_model(model_dir)
    return [str(p) for p in info.value.problems]


def test_yaml_and_csv_sources_load_with_lines_in_the_source_map() -> None:
    model = load_model(MINI)
    assert (PLAN, SAM.inMainGroup, URIRef(BASE + "hovedgruppe/oversikt")) in model.graph
    assert (PLAN, SKOS.altLabel, Literal("Planer", lang="nb")) in model.graph
    assert str(model.location_of(PLAN)).endswith("tjenester.yaml:1")
    dokumentdeling = URIRef(BASE + "samhandlingsform/dokumentdeling")
    assert str(model.location_of(dokumentdeling)).endswith("samhandlingsformer.csv:3")
    # the reuse shortcut and need hierarchy are derived
    assert (URIRef(BASE + "tjeneste/oppsummering"), SAM.reuses, PLAN) in model.graph
    assert (URIRef(BASE + "behov/20.30.10"), SKOS.broader, URIRef(BASE + "behov/20.30")) \
        in model.graph
    assert (URIRef(BASE + "behov/20"), SKOS.topConceptOf, URIRef(BASE + "behovskoder")) \
        in model.graph


def test_statement_locations_point_at_the_cell_line() -> None:
    model = load_model(MINI)
    triple = (PLAN, SAM.itCode, Literal("IT08"))
    assert str(model.statements[triple]).endswith("tjenester.yaml:6")


def test_xlsx_sheets_load_like_csv(mini_copy: Path) -> None:
    expected = load_model(MINI).graph
    csv_file = mini_copy / "samhandlingsformer.csv"
    rows = [line.split(",") for line in csv_file.read_text().splitlines()]
    csv_file.unlink()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "samhandlingsformer"
    for row in rows:
        sheet.append(row)
    workbook.save(mini_copy / "former.xlsx")
    model = load_model(mini_copy)
    assert isomorphic(model.graph, expected)
    form = URIRef(BASE + "samhandlingsform/dokumentdeling")
    assert str(model.location_of(form)).endswith("former.xlsx[samhandlingsformer]:3")


def test_turtle_passthrough_loads_as_it_is(mini_copy: Path) -> None:
    (mini_copy / "extra.ttl").write_text(
        '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
        '<https://w3id.org/samhandling/x> rdfs:label "X"@nb .\n', encoding="utf-8")
    (mini_copy / "more.nt").write_text(
        '<https://w3id.org/samhandling/y> <http://www.w3.org/2000/01/rdf-schema#label> "Y"@en .\n',
        encoding="utf-8")
    (mini_copy / "more.jsonld").write_text(
        '[{"@id": "https://w3id.org/samhandling/z", '
        '"http://www.w3.org/2000/01/rdf-schema#label": [{"@value": "Z", "@language": "nb"}]}]',
        encoding="utf-8")
    graph = load_model(mini_copy).graph
    assert (URIRef(BASE + "x"), RDFS.label, Literal("X", lang="nb")) in graph
    assert (URIRef(BASE + "y"), RDFS.label, Literal("Y", lang="en")) in graph
    assert (URIRef(BASE + "z"), RDFS.label, Literal("Z", lang="nb")) in graph


BAD_INPUTS = {
    "malformed YAML": ("tjenester.yaml", "- id: a\n  label_nb: [unclosed\n", "tjenester.yaml:3",
                       "malformed YAML"),
    "malformed CSV": ("modenhet.csv", 'id,label_nb\n"y,Gul\n', "modenhet.csv:",
                      "malformed CSV"),
    "malformed Turtle": ("x.ttl", "@prefix e: <http://e/> .\ne:a e:b e:c e:d .\n", "x.ttl:2",
                         "malformed RDF"),
    "unknown column": ("scenarioer.yaml",
                       "- id: s\n  label_nb: S\n  label_en: S\n  colour: red\n  source: [seed]\n",
                       "scenarioer.yaml:4", "unknown column 'colour'"),
    "missing language tag": ("scenarioer.yaml",
                             "- id: s\n  label: S\n  source: [seed]\n",
                             "scenarioer.yaml:2", "has no language tag"),
    "missing language tag in Turtle": (
        "x.ttl",
        '<https://w3id.org/samhandling/q>\n <http://www.w3.org/2000/01/rdf-schema#label> "Q" .\n',
        "x.ttl:1", "has no language tag"),
    "bad need code": ("behov.yaml",
                      "- id: n\n  code: 5.2\n  label_nb: N\n  label_en: N\n  source: [seed]\n",
                      "behov.yaml:2", "bad need code '5.2'"),
    "dangling reference": ("gjenbruk.yaml",
                           "- id: x\n  service: plan\n  reuses: nowhere\n  source: [seed]\n",
                           "gjenbruk.yaml:3", "unknown id 'nowhere'"),
    "column given twice": ("scenarioer.yaml",
                           "- id: s\n  label_nb: S\n  label_nb: T\n  label_en: S\n"
                           "  source: [seed]\n",
                           "scenarioer.yaml:3", "column 'label_nb' given twice"),
    "nested value": ("scenarioer.yaml",
                     "- id: s\n  label_nb: {a: b}\n  label_en: S\n  source: [seed]\n",
                     "scenarioer.yaml:2", "column 'label_nb': expected a value or a list"),
    "duplicate id": ("tjenester2.yaml", "", "", ""),  # filled in below
    "unknown kind": ("fruit.yaml", "- id: apple\n", "fruit.yaml:1", "unknown kind 'fruit'"),
}


@pytest.mark.parametrize("case", sorted(k for k in BAD_INPUTS if k != "duplicate id"))
def test_bad_input_is_reported_with_file_and_line(case: str, mini_copy: Path) -> None:
    name, text, where, message = BAD_INPUTS[case]
    (mini_copy / name).write_text(text, encoding="utf-8")
    found = problems_of(mini_copy)
    assert any(where in p and message in p for p in found), found


def test_duplicate_id_names_both_places(mini_copy: Path) -> None:
    (mini_copy / "tjenester.extra.yaml").write_text(
        "- id: plan\n  group: oversikt\n  label_nb: P\n  label_en: P\n  source: [seed]\n",
        encoding="utf-8")
    found = problems_of(mini_copy)
    assert any("tjenester.extra.yaml:1" in p and "duplicate id 'plan'" in p
               and "tjenester.yaml:1" in p for p in found), found


def test_non_utf8_file_names_the_line(mini_copy: Path) -> None:
    (mini_copy / "scenarioer.yaml").write_bytes(
        "- id: s\n  label_nb: Sm\u00e5\n".encode() + b"  label_en: \xe5\n")
    found = problems_of(mini_copy)
    assert any("scenarioer.yaml:3" in p and "not UTF-8" in p for p in found), found


def test_malformed_xlsx(mini_copy: Path) -> None:
    (mini_copy / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    found = problems_of(mini_copy)
    assert any("broken.xlsx" in p and "malformed XLSX" in p for p in found), found


def test_all_problems_of_a_run_are_reported(mini_copy: Path) -> None:
    for case in ("unknown column", "bad need code", "dangling reference", "malformed Turtle"):
        name, text, _, _ = BAD_INPUTS[case]
        (mini_copy / name).write_text(text, encoding="utf-8")
    found = problems_of(mini_copy)
    assert len(found) >= 4
    for case in ("unknown column", "bad need code", "dangling reference", "malformed Turtle"):
        assert any(BAD_INPUTS[case][3] in p for p in found), case


def test_cli_bad_input_exit_2_one_line_each_and_nothing_written(mini_copy: Path,
                                                                tmp_path: Path) -> None:
    for case in ("unknown column", "dangling reference"):
        name, text, _, _ = BAD_INPUTS[case]
        (mini_copy / name).write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", str(mini_copy), "-o", str(out))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("error: ") for line in lines)
    assert "Traceback" not in result.stderr
    assert not out.exists()


# -- what the build keeps per cell ---------------------------------------------------------

def test_statement_locations_name_each_file_a_cell_was_read_from() -> None:
    """Cells of different files (YAML, CSV) and derived triples each keep their own place."""
    model = load_model(MINI)
    form = URIRef(BASE + "samhandlingsform/dokumentdeling")
    realises = (form, SAM.realisesForm, URIRef(BASE + "samhandlingsform/sla-opp"))
    assert str(model.statements[realises]).endswith("samhandlingsformer.csv:3")
    shortcut = (URIRef(BASE + "tjeneste/oppsummering"), SAM.reuses, PLAN)
    assert str(model.statements[shortcut]).endswith("gjenbruk.yaml:1")
    assert (PLAN, SAM.reuses, form) not in model.statements


def test_a_repeated_value_gives_one_term_and_each_bad_cell_its_own_problem(
        mini_copy: Path) -> None:
    """Cell values are memoised per column; problems are not, so each bad cell is named."""
    (mini_copy / "gjenbruk.extra.yaml").write_text(
        "- id: a\n  service: oppsummering\n  reuses: nowhere\n  source: [seed:30]\n"
        "- id: b\n  service: journal\n  reuses: nowhere\n  source: [seed:30]\n",
        encoding="utf-8")
    found = problems_of(mini_copy)
    assert [p for p in found if "unknown id 'nowhere'" in p] == [
        p for p in found if "gjenbruk.extra.yaml:3" in p or "gjenbruk.extra.yaml:7" in p]
    assert sum("unknown id 'nowhere'" in p for p in found) == 2
    (mini_copy / "gjenbruk.extra.yaml").write_text(
        "- id: a\n  service: oppsummering\n  reuses: journal\n  source: [seed:30]\n"
        "- id: b\n  service: journal\n  reuses: plan\n  source: [seed:30]\n",
        encoding="utf-8")
    graph = load_model(mini_copy).graph
    journal = URIRef(BASE + "tjeneste/journal")
    for record, user, used in (("a", "oppsummering", journal), ("b", "journal", PLAN)):
        relation = URIRef(BASE + "gjenbruk/" + record)
        assert (relation, SAM.reusedService, used) in graph
        assert (URIRef(BASE + "tjeneste/" + user), SAM.reuses, used) in graph


def test_nt_triples_of_a_build_and_of_its_rdflib_graph_agree() -> None:
    model = load_model(MINI)
    from_build = list(model.nt_triples())
    assert len(from_build) == len(model) > 0
    assert set(from_build) == set(BuiltModel(model.graph).nt_triples())
