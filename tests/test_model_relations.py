"""The relations and concepts issue 14 adds, where a user meets them: written in YAML, built into
RDF, checked by a shape that fails when they are broken, and kept by the tables round trip.

- project -> solution it uses or changes, project -> deliverable, solution -> service it
  realises, step -> target picture it covers, principle -> step it governs, dimension -> actors
  it joins; roles apart from actor groups;
- plateaus and "service S is at level Y in plateau P" (the older maturity_2023 kept);
- a status column from a closed list;
- closed code lists as SKOS concept schemes.

Engine tests: each works on a copy of the frozen seed model (``tests/support.MODEL_DIR``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from samhandling.build import load_model
from samhandling.export.tables import export_tables
from samhandling.namespaces import BASE, RDF, RDFS, SAM, SKOS

from .support import MODEL_DIR, run_cli


def iri(segment: str, record: str) -> URIRef:
    return URIRef(f"{BASE}{segment}/{record}")


ADDITIONS = {
    "plataer.yaml": """
- id: utgangspunkt
  order: 1
  label_nb: Utgangspunkt
  label_en: Baseline
  source: [seed]
- id: "2023"
  order: 2
  year: 2023
  follows: utgangspunkt
  label_nb: "2023"
  label_en: "2023"
  source: [vg]
""",
    "modenhetsvurderinger.yaml": """
- id: plan-2023
  service: plan
  plateau: "2023"
  level: r
  source: [vg]
""",
}


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _records(model: Path, name: str) -> list[dict[str, object]]:
    return yaml.safe_load((model / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed fixture with one of each new relation, plateaus and a status written in."""
    model = tmp_path_factory.mktemp("relations") / "model"
    shutil.copytree(MODEL_DIR, model)
    for name, text in ADDITIONS.items():
        (model / name).write_text(text, encoding="utf-8")
    nilar = next(r for r in _records(model, "prosjekter.yaml") if r["id"] == "nilar")
    assert nilar["built_by"] == ["norsk-helsenett"]
    _replace(model / "prosjekter.yaml", "  acronym: NILAR\n",
             "  acronym: NILAR\n  uses_solution: [kjernejournal]\n"
             "  changes_solution: [helsenorge]\n  status: planlagt\n")
    _replace(model / "losninger.yaml", "- id: kjernejournal\n",
             "- id: kjernejournal\n  realises: [kritisk-informasjon]\n")
    _replace(model / "steg.yaml", "- id: steg-2\n",
             "- id: steg-2\n  covers: [helhetlig-samhandling]\n")
    _replace(model / "prinsipper.yaml", "- id: design-to-cost\n",
             "- id: design-to-cost\n  governs: [steg-2]\n")
    _append(model / "prosjektpunkter.yaml", """
- id: tag-leveranse-1
  project: tag
  type: leveranse
  label_nb: De første leveransene gjelder dokumentdeling gjennom kjernejournal
  label_en: The first deliveries concern document sharing through kjernejournal
  source: [seed:24]
""")
    dimension = _records(model, "dimensjoner.yaml")[0]["id"]
    _replace(model / "dimensjoner.yaml", f"- id: {dimension}\n",
             f"- id: {dimension}\n  between: [innbygger]\n")
    return model


@pytest.fixture(scope="module")
def graph(model: Path) -> Graph:
    return load_model(model).graph


@pytest.mark.parametrize(("subject", "predicate", "value"), [
    (iri("prosjekt", "nilar"), SAM.usesSolution, iri("losning", "kjernejournal")),
    (iri("prosjekt", "nilar"), SAM.changesSolution, iri("losning", "helsenorge")),
    (iri("losning", "kjernejournal"), SAM.realisesService, iri("tjeneste", "kritisk-informasjon")),
    (iri("steg", "steg-2"), SAM.coversTargetPicture, iri("malbilde", "helhetlig-samhandling")),
    (iri("prinsipp", "design-to-cost"), SAM.governsStep, iri("steg", "steg-2")),
    (iri("prosjekt", "nilar"), SAM.status, URIRef(f"{BASE}status/planlagt")),
    (iri("prosjektpunkt", "tag-leveranse-1"), RDF.type, SAM.Deliverable),
    (iri("prosjektpunkt", "tag-leveranse-1"), SAM.itemOfProject, iri("prosjekt", "tag")),
    (iri("plata", "2023"), SAM.followsPlateau, iri("plata", "utgangspunkt")),
    (iri("modenhetsvurdering", "plan-2023"), SAM.assessmentOf, iri("tjeneste", "plan")),
    (iri("modenhetsvurdering", "plan-2023"), SAM.inPlateau, iri("plata", "2023")),
    (iri("modenhetsvurdering", "plan-2023"), SAM.maturityLevel, iri("modenhet", "r")),
])
def test_each_new_column_builds_its_triple(graph: Graph, subject: URIRef, predicate: URIRef,
                                           value: URIRef) -> None:
    assert (subject, predicate, value) in graph


def test_the_dimension_names_its_actors(graph: Graph) -> None:
    assert set(graph.subject_objects(SAM.dimensionBetween)) == {
        (next(graph.subjects(SAM.dimensionBetween, None)), iri("aktor", "innbygger"))}


def test_an_assessment_reads_as_service_plateau_and_level(graph: Graph) -> None:
    assessment = iri("modenhetsvurdering", "plan-2023")
    labels = set(graph.objects(assessment, RDFS.label))
    red = iri("modenhet", "r")
    assert labels == {Literal(f"Plan i 2023: {_label(graph, red, 'nb')}", lang="nb"),
                      Literal(f"Plan in 2023: {_label(graph, red, 'en')}", lang="en")}
    # the older shortcut stays: existing queries keep working
    assert (iri("tjeneste", "plan"), SAM.maturity2023, iri("modenhet", "r")) in graph


def _label(graph: Graph, node: URIRef, lang: str) -> str:
    return next(str(o) for o in graph.objects(node, RDFS.label)
                if isinstance(o, Literal) and o.language == lang)


def test_closed_code_lists_are_skos_concept_schemes(graph: Graph) -> None:
    for cls, scheme in ((SAM.MainGroup, "hovedgrupper"), (SAM.CollaborationForm,
                        "samhandlingsformer"), (SAM.StorageAlternative, "lagringsalternativer"),
                        (SAM.MaturityRating, "modenhetsnivaer")):
        members = set(graph.subjects(RDF.type, cls))
        assert members, cls
        for member in members:
            assert (member, RDF.type, SKOS.Concept) in graph
            assert (member, SKOS.inScheme, URIRef(BASE + scheme)) in graph


def test_the_model_validates_and_the_round_trip_keeps_it(model: Path, graph: Graph,
                                                        tmp_path: Path) -> None:
    result = run_cli("validate", str(model), "--lang", "en")
    assert result.exit_code == 0, result.stdout
    out = tmp_path / "out"
    export_tables(graph, out, "yaml")
    nilar = next(r for r in _records(out, "prosjekter.yaml") if r["id"] == "nilar")
    assert nilar["status"] == "planlagt" and nilar["uses_solution"] == ["kjernejournal"]
    assert isomorphic(load_model(out).graph, graph)


@pytest.mark.parametrize(("file", "old", "new", "message"), [
    ("modenhetsvurderinger.yaml", "  level: r\n", "  level: g\n",
     "another level than the service's maturity_2023"),
    ("plataer.yaml", "  order: 1\n", "  order: 3\n",
     "follows a plateau that does not come before it in time"),
    ("prosjekter.yaml", "  uses_solution: [kjernejournal]\n", "  uses_solution: [nilar]\n",
     "uses a solution that does not exist"),
])
def test_a_broken_relation_fails_its_shape(model: Path, tmp_path: Path, file: str, old: str,
                                           new: str, message: str) -> None:
    broken = tmp_path / "model"
    shutil.copytree(model, broken)
    _replace(broken / file, old, new)
    if file == "prosjekter.yaml":  # a project id where a solution belongs: the build says so
        result = run_cli("build", str(broken), "-o", str(tmp_path / "out"))
        assert result.exit_code == 2
        assert "column 'uses_solution': unknown id 'nilar' (expected an id of losninger)" \
            in result.stderr
        result = run_cli("validate", str(broken), "--lang", "en")
    else:
        result = run_cli("validate", str(broken), "--lang", "en")
    assert result.exit_code == 1, result.stdout + result.stderr
    assert any(message in line and "Violation" in line for line in result.stdout.splitlines()), \
        result.stdout


def test_a_status_outside_the_list_is_one_error_line(model: Path, tmp_path: Path) -> None:
    broken = tmp_path / "model"
    shutil.copytree(model, broken)
    _replace(broken / "prosjekter.yaml", "  status: planlagt\n", "  status: planned\n")
    result = run_cli("build", str(broken), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "prosjekter.yaml:" in errors[0]
    assert "'planned' is not one of foreslatt, under-diskusjon, planlagt, besluttet " \
           "(did you mean planlagt?)" in errors[0]


@pytest.mark.skipif(shutil.which("java") is None, reason="needs Java")
def test_hermit_finds_the_new_structures_consistent(model: Path) -> None:
    result = run_cli("reason", str(model), "--lang", "en")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert ": consistent (HermiT" in result.stdout


def test_a_role_is_a_participant_apart_from_actors(model: Path, tmp_path: Path) -> None:
    """``type: rolle`` (fastlege, pårørende): a participant scenarios and dimensions may name,
    typed a role and not an actor (issue 14); a role that is also an actor group, or also an
    actor, fails its shape, and an actor may play the role (``plays``)."""
    roles = tmp_path / "model"
    shutil.copytree(model, roles)
    _replace(roles / "aktorer.yaml", "- id: fastlege\n  type: aktor\n",
             "- id: fastlege\n  type: rolle\n")
    graph = load_model(roles).graph
    fastlege = iri("aktor", "fastlege")
    assert {(fastlege, RDF.type, SAM.ActorRole), (fastlege, RDF.type, SAM.Participant)} \
        <= set(graph)
    assert (fastlege, RDF.type, SAM.Actor) not in graph
    assert set(graph.subjects(SAM.involvesActor, fastlege)), "the seed's scenarios name it"
    assert run_cli("validate", str(roles)).exit_code == 0
    for clash, message in ((SAM.ActorGroup, "both a role and an actor group"),
                           (SAM.Actor, "both a role and an actor")):
        (roles / "clash.ttl").write_text(f"<{fastlege}> a <{clash}> .\n", encoding="utf-8")
        result = run_cli("validate", str(roles), "--lang", "en")
        assert result.exit_code == 1
        assert any(message in line for line in result.stdout.splitlines()), result.stdout
    (roles / "clash.ttl").unlink()
    # an actor plays the role: fine; an actor that "plays" an actor fails
    plays = iri("aktor", "innbygger")
    (roles / "plays.ttl").write_text(f"<{plays}> <{SAM.playsRole}> <{fastlege}> .\n",
                                     encoding="utf-8")
    assert run_cli("validate", str(roles)).exit_code == 0
    (roles / "plays.ttl").write_text(f"<{fastlege}> <{SAM.playsRole}> <{plays}> .\n",
                                     encoding="utf-8")
    result = run_cli("validate", str(roles), "--lang", "en")
    assert result.exit_code == 1
    assert any("only actors play roles" in line for line in result.stdout.splitlines())
