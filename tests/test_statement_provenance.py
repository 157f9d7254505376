"""Statement-level provenance: a single value says where it comes from, how certain and how
settled it is (the per-value form), carried into RDF as an ``rdf:Statement`` that reifies the
value's triple; derived ``sam:reuses`` shortcuts say what they are derived from; the shapes
fail a broken statement; the query ``statement-sources`` and ``validate`` show them; a user who
writes the form wrong reads one error line that says what to write.

Engine tests: each works on a copy of the frozen seed model (``tests/support.MODEL_DIR``)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from samhandling.build import load_model, statement_iri
from samhandling.built import BuiltModel
from samhandling.export.tables import export_tables
from samhandling.namespaces import BASE, DCTERMS, PROV, RDF, RDFS, SAM
from samhandling.terms import nt_term
from samhandling.validation.shacl import load_shapes, validate_model

from .support import MODEL_DIR, REPO, run_cli

PLAN = URIRef(f"{BASE}tjeneste/plan")
FORM = URIRef(f"{BASE}samhandlingsform/endre-og-dele")
LAG = URIRef(f"{BASE}kilde/lag")
SIDE_34 = URIRef(f"{BASE}kilde/seed/side-34")
PLANNED = URIRef(f"{BASE}status/planlagt")
PLAN_FORM = '  preferred_form: [endre-og-dele]\n  preferred_form_source: [lag]\n'


def _copy(tmp_path: Path) -> Path:
    model = tmp_path / "model"
    shutil.copytree(MODEL_DIR, model)
    return model


def _qualify_plan(model: Path, form: str) -> None:
    """Write Plan's preferred form as ``form`` (the first service with the usual two lines)."""
    path = model / "tjenester.yaml"
    text = path.read_text(encoding="utf-8")
    assert PLAN_FORM in text
    path.write_text(text.replace(PLAN_FORM, form + '  preferred_form_source: [lag]\n', 1),
                    encoding="utf-8")


def _statements(graph: Graph, subject: URIRef) -> dict[URIRef, dict[URIRef, set]]:
    found = {}
    for node in graph.subjects(RDF.subject, subject):
        found[node] = {p: set(graph.objects(node, p)) for p in set(graph.predicates(node))}
    return found


@pytest.fixture(scope="module")
def qualified(tmp_path_factory: pytest.TempPathFactory) -> Path:
    model = _copy(tmp_path_factory.mktemp("qualified"))
    _qualify_plan(model, "  preferred_form:\n    - id: endre-og-dele\n"
                         "      source: [lag, seed:34]\n"
                         "      interpretation: true\n      status: planlagt\n")
    return model


def test_a_qualified_value_becomes_a_statement_and_its_triple_stays(qualified: Path) -> None:
    graph = load_model(qualified).graph
    assert (PLAN, SAM.preferredCollaborationForm, FORM) in graph  # queries keep working
    statements = _statements(graph, PLAN)
    assert len(statements) == 1
    node, facts = next(iter(statements.items()))
    assert facts == {
        RDF.type: {RDF.Statement}, RDF.subject: {PLAN},
        RDF.predicate: {SAM.preferredCollaborationForm}, RDF.object: {FORM},
        DCTERMS.source: {LAG, SIDE_34}, SAM.isInterpretation: {Literal(True)},
        SAM.status: {PLANNED},
        # labelled as the triple it qualifies: ids, the relation by its label in the ontology
        RDFS.label: {Literal("Utsagn: tjeneste/plan – foretrukket samhandlingsform – "
                             "samhandlingsform/endre-og-dele", lang="nb"),
                     Literal("Statement: tjeneste/plan – preferred collaboration form – "
                             "samhandlingsform/endre-og-dele", lang="en")}}
    # its IRI is the digest of the triple: stable, whichever file or order wrote it
    assert str(node) == statement_iri(
        (nt_term(PLAN), nt_term(SAM.preferredCollaborationForm), nt_term(FORM)))
    # the record keeps its own provenance; only the value is qualified
    assert (PLAN, SAM.isInterpretation, None) not in graph


def test_the_flow_and_single_value_spellings_build_the_same(qualified: Path,
                                                           tmp_path: Path) -> None:
    model = _copy(tmp_path)
    _qualify_plan(model, "  preferred_form: {id: endre-og-dele, source: [lag, seed:34], "
                         "interpretation: true, status: planlagt}\n")
    assert isomorphic(load_model(model).graph, load_model(qualified).graph)


def test_csv_spells_the_form_in_braces(qualified: Path, tmp_path: Path) -> None:
    """The tabular spelling: ``value {key: v, key: v}``, a key repeated for a list."""
    model = tmp_path / "csv"
    export_tables(load_model(MODEL_DIR).graph, model, "csv")
    path = model / "tjenester.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, at = rows[0], [r[0] for r in rows].index("plan")
    rows[at][header.index("preferred_form")] = (
        "endre-og-dele {source: lag, source: seed:34, interpretation: true, status: planlagt}")
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    got = _statements(load_model(model).graph, PLAN)
    want = _statements(load_model(qualified).graph, PLAN)
    assert got == want and len(got) == 1


def test_every_derived_reuse_shortcut_says_what_it_is_derived_from() -> None:
    graph = load_model(MODEL_DIR).graph
    shortcuts = set(graph.subject_objects(SAM.reuses))
    assert shortcuts
    for user, used in shortcuts:
        nodes = [n for n in graph.subjects(RDF.subject, user)
                 if (n, RDF.predicate, SAM.reuses) in graph and (n, RDF.object, used) in graph]
        assert len(nodes) == 1, (user, used)
        origins = set(graph.objects(nodes[0], PROV.wasDerivedFrom))
        assert origins and all((o, RDF.type, SAM.ReuseRelation) in graph for o in origins)
        for origin in origins:
            assert (origin, SAM.reusingService, user) in graph
            assert (origin, SAM.reusedService, used) in graph
        assert not set(graph.objects(nodes[0], DCTERMS.source))  # no source states it


def test_the_shapes_fail_a_statement_whose_triple_is_gone(qualified: Path) -> None:
    graph = load_model(qualified).graph
    shapes = load_shapes([REPO / "shapes" / "statement.ttl"])
    assert not validate_model(BuiltModel(graph), shapes).results
    graph.remove((PLAN, SAM.preferredCollaborationForm, FORM))
    node = next(iter(_statements(graph, PLAN)))
    graph.remove((node, DCTERMS.source, None))
    failed = {(r.focus, r.shape) for r in validate_model(BuiltModel(graph), shapes).results}
    focus = str(node).rsplit("/", 1)[-1]
    assert failed == {(f"utsagn/{focus}", "Statement-asserted"), (f"utsagn/{focus}", "Statement")}


def test_validate_conforms_and_names_the_file_of_a_broken_statement(qualified: Path,
                                                                      tmp_path: Path) -> None:
    ok = run_cli("validate", str(qualified), "--lang", "en")
    assert ok.exit_code == 0, ok.stdout + ok.stderr
    model = _copy(tmp_path)
    (model / "broken.ttl").write_text(
        "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
        "@prefix sam: <https://w3id.org/samhandling/ontologi#> .\n"
        f"<{BASE}utsagn/x> a rdf:Statement ;\n"
        f"  rdf:subject <{PLAN}> ; rdf:predicate sam:reuses ; rdf:object <{PLAN}> .\n",
        encoding="utf-8")
    bad = run_cli("validate", str(model), "--lang", "en")
    assert bad.exit_code == 1
    lines = [line for line in bad.stdout.splitlines() if "broken.ttl:3" in line]
    assert any("does not say where it comes from" in line for line in lines), bad.stdout
    assert any("not in the model" in line for line in lines), bad.stdout


def test_the_query_lists_each_statement_with_its_source(qualified: Path) -> None:
    result = run_cli("query", "statement-sources", str(qualified), "--format", "csv",
                     "--lang", "en")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == ",".join(_HEADER)
    rows = [dict(zip(_HEADER, r, strict=True)) for r in csv.reader(lines[1:])]
    form = [r for r in rows if r["predicate"] == str(SAM.preferredCollaborationForm)]
    assert {r["source"] for r in form} == {str(LAG), str(SIDE_34)}
    assert {(r["object"], r["objectLabel"], r["interpretation"], r["status"]) for r in form} \
        == {(str(FORM), "Change and share", "true", str(PLANNED))}
    derived = [r for r in rows if r["predicate"] == str(SAM.reuses)]
    assert derived and all(r["derivedFrom"].startswith(f"{BASE}gjenbruk/") and not r["source"]
                           for r in derived)
    # the parameter keeps the statements about one resource
    only = run_cli("query", "statement-sources", str(qualified), "-p", "subject=plan",
                   "--format", "csv")
    assert only.exit_code == 0, only.stderr
    subjects = {r[0] for r in csv.reader(only.stdout.splitlines()[1:])}
    assert subjects == {str(PLAN)}


_HEADER = ["subject", "subjectLabel", "predicate", "object", "objectLabel", "source",
           "derivedFrom", "interpretation", "status"]


@pytest.mark.parametrize("fmt", ["yaml", "csv", "xlsx"])
def test_export_writes_the_per_value_form_back(qualified: Path, tmp_path: Path,
                                               fmt: str) -> None:
    """The tables keep a value's own qualifiers (YAML: the mapping; CSV/XLSX: the braces), so
    no statement is left to extra.ttl, and loading the tables gives the same graph."""
    graph = load_model(qualified).graph
    out = tmp_path / "out"
    export_tables(graph, out, fmt)
    extra = Graph().parse(out / "extra.ttl")  # the passthrough code list lands there
    assert (None, RDF.type, RDF.Statement) not in extra
    assert (None, None, FORM) not in extra
    if fmt == "yaml":
        plan = next(r for r in yaml.safe_load((out / "tjenester.yaml").read_text("utf-8"))
                    if r["id"] == "plan")
        assert plan["preferred_form"] == [{"id": "endre-og-dele",
                                           "source": ["lag", "seed:34"],
                                           "interpretation": "true", "status": "planlagt"}]
    if fmt == "csv":
        assert ("endre-og-dele {source: lag, source: seed:34, interpretation: true, "
                "status: planlagt}") in (out / "tjenester.csv").read_text("utf-8")
    assert isomorphic(load_model(out).graph, graph)


def test_a_note_a_cell_cannot_spell_goes_to_extra_ttl(tmp_path: Path) -> None:
    """A qualifier holding a comma cannot be written in braces: CSV leaves that statement to
    extra.ttl, and the round trip still gives the same graph."""
    model = _copy(tmp_path)
    _qualify_plan(model, "  preferred_form:\n    - id: endre-og-dele\n      source: lag\n"
                         "      note_en: one, two\n")
    graph = load_model(model).graph
    out = tmp_path / "csv"
    export_tables(graph, out, "csv")
    assert "endre-og-dele {" not in (out / "tjenester.csv").read_text("utf-8")
    extra = Graph().parse(out / "extra.ttl")
    assert (None, RDF.type, RDF.Statement) in extra
    assert isomorphic(load_model(out).graph, graph)


@pytest.mark.parametrize(("form", "message"), [
    ("  preferred_form: [{id: endre-og-dele, sorce: lag}]\n",
     "unknown qualifier 'sorce' (did you mean source?)"),
    ("  preferred_form: [{id: endre-og-dele, status: planlaggt}]\n",
     "'planlaggt' is not one of foreslatt, under-diskusjon, planlagt, besluttet "
     "(did you mean planlagt?)"),
    ("  preferred_form: [{id: endre-og-dele, interpretation: [true, false]}]\n",
     "qualifier 'interpretation' takes one value, got 2"),
    ("  preferred_form: [{source: lag}]\n",
     "column 'preferred_form': expected a value or a list of values"),
])
def test_a_wrong_per_value_form_is_one_error_line(tmp_path: Path, form: str,
                                                  message: str) -> None:
    model = _copy(tmp_path)
    _qualify_plan(model, form)
    result = run_cli("build", str(model), "-o", str(tmp_path / "out.ttl"))
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "tjenester.yaml:" in errors[0], result.stderr
    assert message in errors[0], errors[0]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out.ttl").exists()


def test_a_label_takes_no_per_value_form(tmp_path: Path) -> None:
    model = _copy(tmp_path)
    path = model / "tjenester.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  label_en: Plan\n", "  label_en: {value: Plan, source: lag}\n",
                                 1), encoding="utf-8")
    result = run_cli("build", str(model), "-o", str(tmp_path / "out.ttl"))
    assert result.exit_code == 2
    assert "column 'label_en' takes no per-value form" in result.stderr


@pytest.mark.skipif(shutil.which("java") is None, reason="needs Java")
def test_hermit_reads_the_statements_and_finds_the_model_consistent(qualified: Path) -> None:
    """RDF 1.1 reification stays in OWL 2 DL here (rdf:Statement a class, rdf:subject/object
    object properties, the predicate punned as an individual): HermiT says consistent."""
    result = run_cli("reason", str(qualified), "--lang", "en")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert ": consistent (HermiT" in result.stdout


def test_renaming_a_resource_leaves_its_statements_alone(qualified: Path, tmp_path: Path) -> None:
    """A statement is named by ids, so ``diff`` reports a renamed service, not every
    statement about it."""
    before = load_model(qualified).graph
    model = tmp_path / "model"
    shutil.copytree(qualified, model)
    path = model / "tjenester.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  label_nb: Plan\n", "  label_nb: Planer\n", 1),
                    encoding="utf-8")
    after = load_model(model).graph
    assert (PLAN, RDFS.label, Literal("Planer", lang="nb")) in after
    statements = set(before.subjects(RDF.type, RDF.Statement))
    assert statements == set(after.subjects(RDF.type, RDF.Statement))
    for node in statements:
        assert set(before.predicate_objects(node)) == set(after.predicate_objects(node))


def test_a_free_text_cell_takes_braces_only_when_they_are_qualifiers(tmp_path: Path) -> None:
    model = tmp_path / "csv"
    export_tables(load_model(MODEL_DIR).graph, model, "csv")
    path = model / "tjenester.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, ids = rows[0], [r[0] for r in rows]
    code = header.index("code")
    rows[ids.index("plan")][code] = "IT08 {source: dho}"
    other = next(i for i, r in enumerate(rows[1:], 1) if r[code] and r[0] != "plan")
    rows[other][code] = "IT99 {not a qualifier}"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    graph = load_model(model).graph
    assert (PLAN, SAM.itCode, Literal("IT08")) in graph
    [node] = _statements(graph, PLAN)
    assert (node, DCTERMS.source, URIRef(f"{BASE}kilde/dho")) in graph
    assert Literal("IT99 {not a qualifier}") in set(graph.objects(None, SAM.itCode))
