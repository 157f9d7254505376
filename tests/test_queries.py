"""The query library: headers, exact rows on a hand-made fixture, key rows on the seed model,
the same rows from pyoxigraph and rdflib, and parameters bound safely.

The fixture (tests/fixtures/queries) is small enough to check every row by hand; each record
in it is there to hit one edge of a query (see the comments in its YAML files).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from samhandling.errors import UsageError
from samhandling.query import sparqltext
from samhandling.query.format import compact, render, row_count_line
from samhandling.query.library import find_query, list_queries, load_query_file
from samhandling.query.params import parse_assignments
from samhandling.query.run import Dataset, Engine, bound_text, execute, local_engine
from samhandling.query.terms import QueryResult, Term

from .support import FIXTURES, MODEL_DIR

QUERY_FIXTURE = FIXTURES / "queries"
LIBRARY = list_queries()
NAMES = [q.name for q in LIBRARY]
#: Values for the required parameters, valid on the fixture and on the seed model alike.
PARAMS: dict[str, dict[str, str]] = {
    "reuse-of-service": {"service": "plan"},
    "construct-service-neighbourhood": {"service": "plan"},
    "facts-from-source": {"source": "vg"},
    "search": {"text": "MÅLING"},
}


def cell(term: Term | None) -> object:
    """A term as the expected rows below write it: IRIs short, literals as Python values."""
    if term is None:
        return None
    return compact(term) if term.kind == "iri" else term.python()


def cells(result: QueryResult) -> list[tuple[object, ...]]:
    return [tuple(cell(t) for t in row) for row in result.rows]


@pytest.fixture(scope="module")
def fixture_engines() -> dict[str, Engine]:
    dataset = Dataset.load(QUERY_FIXTURE)
    return {name: local_engine(dataset, name) for name in ("oxigraph", "rdflib")}


@pytest.fixture(scope="module")
def model_engines() -> dict[str, Engine]:
    dataset = Dataset.load(MODEL_DIR)
    return {name: local_engine(dataset, name) for name in ("oxigraph", "rdflib")}


def run(engine: Engine, name: str, lang: str = "nb", **params: str) -> QueryResult:
    return execute(find_query(name), engine, params or PARAMS.get(name, {}), lang).result


# -- the library's files -------------------------------------------------------------------

def test_library_covers_every_question_of_the_issue():
    expected = {
        "services-per-group", "needs-per-service", "need-without-service-violation",
        "services-without-preferred-form", "services-per-form", "technical-forms-per-form",
        "actor-service-matrix", "actors-without-service", "reuse-of-service",
        "services-by-maturity", "new-services-depended-on", "scenario-needs-services",
        "pain-points-per-service", "step2-packages", "project-status", "facts-from-source",
        "search",
    }
    assert expected <= set(NAMES)
    kinds = {q.kind for q in LIBRARY}
    assert kinds == {"report", "violation", "construct"}


@pytest.mark.parametrize("query", LIBRARY, ids=NAMES)
def test_header_is_complete(query):
    assert set(query.summary) == {"nb", "en"} and all(query.summary.values())
    assert query.tags
    assert query.returns or query.returns_text
    for param in query.params:
        assert param.type in ("iri", "literal", "integer")
        if param.cls is not None:
            assert param.class_iri.startswith("https://w3id.org/samhandling/ontologi#")
        assert set(param.meaning) == {"nb", "en"}, param.name
    if query.kind == "construct":
        assert sparqltext.query_form(query.text) == "CONSTRUCT"
    else:
        assert sparqltext.query_form(query.text) == "SELECT"
        # every report and violation orders its rows; the engines' tests check it is total
        assert "ORDER BY" in query.text
        assert [c.name for c in query.returns] == _projected(query)
        for column in query.returns:
            assert set(column.titles) == {"nb", "en"}, column.name


def _projected(query) -> list[str]:
    """Variables of the SELECT clause, in order (``(expr AS ?v)`` gives ``v``)."""
    names, depth = [], 0
    select_seen = prev_as = False
    for token in sparqltext.tokens(query.text):
        upper = token.text.upper()
        if not select_seen:
            select_seen = upper == "SELECT"
            continue
        if upper == "WHERE" or token.text == "{":
            break
        if token.text == "(":
            depth += 1
        elif token.text == ")":
            depth -= 1
        elif token.kind == "var" and (depth == 0 or prev_as):
            names.append(token.text[1:])
        prev_as = upper == "AS"
    return names


# -- exact rows on the fixture ------------------------------------------------------------

EXPECTED: dict[str, list[tuple[object, ...]]] = {
    "actor-service-matrix": [
        ("aktor/hjemmetjeneste", "Hjemmebaserte tjenester", "tjeneste/oppsummering",
         "Klinisk oppsummering", 2),
        ("aktor/hjemmetjeneste", "Hjemmebaserte tjenester", "tjeneste/plan", "Plan", 2),
        ("aktor/innbygger", "Innbygger", "tjeneste/lab", "Bestilling og svar (lab)", 1),
        ("aktor/innbygger", "Innbygger", "tjeneste/plan", "Plan", 1),
        ("aktor/legevakt", "Legevakt", "tjeneste/lab", "Bestilling og svar (lab)", 1),
        ("aktor/sykehus", "Sykehus", "tjeneste/oppsummering", "Klinisk oppsummering", 2),
        ("aktor/sykehus", "Sykehus", "tjeneste/plan", "Plan", 1),
    ],
    "actors-without-service": [
        ("aktor/andre", "Andre aktører", None, None),
        ("aktor/fastlege", "Fastlege", "aktor/kommunal", "Kommunal helse- og omsorgstjeneste"),
        ("aktor/skole", "Skole", "aktor/andre", "Andre aktører"),
    ],
    "declared-count-violation": [],
    "facts-from-source": [
        # a generated code group: no source states it, it rests on VG through need 30.10
        ("sam:NeedCodeGroup", "Behovskodegruppe", "behov/30", "Behovskode 30",
         "prov:wasDerivedFrom", None),
        ("sam:InformationNeed", "Informasjonsbehov", "behov/30.10", "Videokonsultasjon",
         "dcterms:source", None),
        ("sam:InformationService", "Informasjonstjeneste", "tjeneste/plan", "Plan",
         "sam:preferredFormSource", None),
        ("sam:MaturityRating", "Modenhetsvurdering", "modenhet/g", "Grønn", "dcterms:source",
         None),
        ("sam:MaturityRating", "Modenhetsvurdering", "modenhet/y", "Gul", "dcterms:source", None),
        ("sam:MaturityRating", "Modenhetsvurdering", "modenhet/r", "Rød", "dcterms:source", None),
        ("sam:NationalSolution", "Nasjonal løsning", "losning/helsenorge", "Helsenorge",
         "dcterms:source", None),
        ("sam:NationalSolution", "Nasjonal løsning", "losning/kjernejournal", "Kjernejournal",
         "dcterms:source", None),
        ("sam:OrganisationalCollaborationForm", "Organisatorisk samhandlingsform",
         "samhandlingsform/endre-og-dele", "Endre og dele", "dcterms:source", None),
        ("sam:OrganisationalCollaborationForm", "Organisatorisk samhandlingsform",
         "samhandlingsform/sende-og-motta", "Sende og motta", "dcterms:source", None),
        ("sam:OrganisationalCollaborationForm", "Organisatorisk samhandlingsform",
         "samhandlingsform/sla-opp", "Slå opp", "dcterms:source", None),
        ("sam:RegionalSolution", "Regional løsning", "losning/helseplattformen",
         "Helseplattformen", "dcterms:source", None),
        ("sam:TechnicalCollaborationForm", "Teknisk samhandlingsform",
         "samhandlingsform/datadeling", "Datadeling", "dcterms:source", None),
        ("sam:TechnicalCollaborationForm", "Teknisk samhandlingsform",
         "samhandlingsform/dokumentdeling", "Dokumentdeling", "dcterms:source", None),
        ("sam:TechnicalCollaborationForm", "Teknisk samhandlingsform",
         "samhandlingsform/meldingsutveksling", "Meldingsutveksling", "dcterms:source", None),
    ],
    "missing-label-violation": [],
    "need-without-service-violation": [
        ("behov/30.10", "30.10", "Videokonsultasjon"),
    ],
    "needs-per-service": [
        ("tjeneste/lab", "Bestilling og svar (lab)", "behov/15.10", "15.10", "Egne målinger"),
        ("tjeneste/journal", "Journaldokumenter", None, None, None),
        ("tjeneste/oppsummering", "Klinisk oppsummering", "behov/05.10", "05.10",
         "Aktuelle diagnoser"),
        ("tjeneste/oppsummering", "Klinisk oppsummering", "behov/20.20", "20.20",
         "Behandlingsplan"),
        ("tjeneste/plan", "Plan", "behov/20.20", "20.20", "Behandlingsplan"),
        ("tjeneste/plan", "Plan", "behov/20.30", "20.30", "Planlagte kontakter"),
        ("tjeneste/video", "Video", None, None, None),
    ],
    "new-services-depended-on": [
        ("tjeneste/journal", "Journaldokumenter", "tjeneste/oppsummering",
         "Klinisk oppsummering", False),
        ("tjeneste/journal", "Journaldokumenter", "arbeidsprosess/lese-labsvar",
         "Lese tidligere labsvar", True),
        ("tjeneste/journal", "Journaldokumenter", "tjeneste/plan", "Plan", True),
        ("tjeneste/journal", "Journaldokumenter", "tjeneste/video", "Video", False),
        ("tjeneste/plan", "Plan", "tjeneste/oppsummering", "Klinisk oppsummering", True),
        ("tjeneste/plan", "Plan", "tjeneste/video", "Video", True),
    ],
    "open-questions": [
        ("NILAR", "prosjektpunkt/nilar-sporsmal-1", "Hvordan vise prøvesvar"),
        ("NILAR", "prosjektpunkt/nilar-sporsmal-2", "Hvor lenge lagre svar"),
        ("TAG", "prosjektpunkt/tag-sporsmal-1", "Stegvis innføring av dokumentdeling"),
    ],
    "pain-points-per-service": [
        ("tjeneste/journal", "Journaldokumenter", "smertepunkt/ikke-tilgang",
         "Jeg har ikke tilgang til nødvendig informasjon"),
        ("tjeneste/oppsummering", "Klinisk oppsummering", "smertepunkt/ikke-tilgang",
         "Jeg har ikke tilgang til nødvendig informasjon"),
        ("tjeneste/oppsummering", "Klinisk oppsummering", "smertepunkt/gjenta-historien",
         "Jeg må stadig gjenta historien min"),
    ],
    "project-status": [
        ("NILAR", "sam:Goal", "Mål", "prosjektpunkt/nilar-mal-1", "Gi tilgang til alle svar"),
        ("NILAR", "sam:StatusItem", "Statuspunkt", "prosjektpunkt/nilar-status-1",
         "Avtaler inngås"),
        ("NILAR", "sam:OpenQuestion", "Åpent spørsmål", "prosjektpunkt/nilar-sporsmal-1",
         "Hvordan vise prøvesvar"),
        ("NILAR", "sam:OpenQuestion", "Åpent spørsmål", "prosjektpunkt/nilar-sporsmal-2",
         "Hvor lenge lagre svar"),
        ("TAG", "sam:StatusItem", "Statuspunkt", "prosjektpunkt/tag-status-1", "Mål defineres"),
        ("TAG", "sam:OpenQuestion", "Åpent spørsmål", "prosjektpunkt/tag-sporsmal-1",
         "Stegvis innføring av dokumentdeling"),
    ],
    "reuse-cycle-violation": [],
    "reuse-of-service": [
        ("reuses", "tjeneste/lab", "Bestilling og svar (lab)", False),
        ("reuses", "tjeneste/journal", "Journaldokumenter", True),
        ("reused-by", "tjeneste/oppsummering", "Klinisk oppsummering", True),
        ("reused-by", "tjeneste/video", "Video", True),
    ],
    "scenario-needs-services": [
        ("scenario/skoledag", "En skoledag", None, None, None, None, None),
        ("scenario/egenmaling", "Når egenmålinger brukes", "15.10", "behov/15.10",
         "Egne målinger", "tjeneste/lab", "Bestilling og svar (lab)"),
        ("scenario/egenmaling", "Når egenmålinger brukes", "30.10", "behov/30.10",
         "Videokonsultasjon", None, None),
        ("scenario/planlegge-sammen", "Når mange skal planlegge sammen", "20.30", "behov/20.30",
         "Planlagte kontakter", "tjeneste/plan", "Plan"),
        ("scenario/uavklart", "Når tilstanden er uavklart", "05.10", "behov/05.10",
         "Aktuelle diagnoser", "tjeneste/oppsummering", "Klinisk oppsummering"),
        ("scenario/uavklart", "Når tilstanden er uavklart", "20.20", "behov/20.20",
         "Behandlingsplan", "tjeneste/oppsummering", "Klinisk oppsummering"),
        ("scenario/uavklart", "Når tilstanden er uavklart", "20.20", "behov/20.20",
         "Behandlingsplan", "tjeneste/plan", "Plan"),
    ],
    "search": [
        ("behov/15.10", "Egne målinger", "nb", "Egne målinger"),
        ("scenario/egenmaling", "Når egenmålinger brukes", "nb", "Når egenmålinger brukes"),
    ],
    "services-by-maturity": [
        ("G", "Grønn", "tjeneste/lab", "Bestilling og svar (lab)", 2),
        ("Y", "Gul", "tjeneste/oppsummering", "Klinisk oppsummering", 1),
        ("Y", "Gul", "tjeneste/video", "Video", 2),
        ("R", "Rød", "tjeneste/journal", "Journaldokumenter", 2),
        ("R", "Rød", "tjeneste/plan", "Plan", 1),
    ],
    "services-per-form": [
        ("samhandlingsform/endre-og-dele", "Endre og dele", "tjeneste/plan", "Plan", None),
        ("samhandlingsform/sende-og-motta", "Sende og motta", "tjeneste/lab",
         "Bestilling og svar (lab)", None),
        ("samhandlingsform/sla-opp", "Slå opp", "tjeneste/journal", "Journaldokumenter", None),
        ("samhandlingsform/sla-opp", "Slå opp", "tjeneste/oppsummering", "Klinisk oppsummering",
         True),
    ],
    "services-per-group": [
        (1, "hovedgruppe/oversikt", "Skaffe oversikt", 2),
        (2, "hovedgruppe/oppslag", "Gjøre oppslag", 3),
        (3, "hovedgruppe/rapportere", "Rapportere", 0),
    ],
    "services-without-preferred-form": [
        (2, "tjeneste/video", "Video", "Y"),
    ],
    "services": [
        (1, "tjeneste/oppsummering", "Klinisk oppsummering", "IT01", "Y"),
        (1, "tjeneste/plan", "Plan", "IT08", "R"),
        (2, "tjeneste/lab", "Bestilling og svar (lab)", None, "G"),
        (2, "tjeneste/journal", "Journaldokumenter", None, "R"),
        (2, "tjeneste/video", "Video", "IT11", "Y"),
    ],
    "step2-packages": [
        ("steg2-pakke/delt-plan", "Delt plan", "service", "tjeneste/plan", "Plan"),
        ("steg2-pakke/delt-plan", "Delt plan", "solution", "losning/helsenorge", "Helsenorge"),
        ("steg2-pakke/felles-sprak", "Felles språk", None, None, None),
        ("steg2-pakke/kritisk-info", "Kritisk informasjon via API", "solution",
         "losning/kjernejournal", "Kjernejournal"),
    ],
    # the fixture writes no per-value form: only the derived reuse shortcuts are statements,
    # each derived from its reuse relation and sourced by none
    "statement-sources": [
        ("tjeneste/journal", "Journaldokumenter", "sam:reuses", "tjeneste/lab",
         "Bestilling og svar (lab)", None, "gjenbruk/journal-lab", None, None),
        ("tjeneste/oppsummering", "Klinisk oppsummering", "sam:reuses", "tjeneste/plan", "Plan",
         None, "gjenbruk/oppsummering-plan", None, None),
        ("tjeneste/plan", "Plan", "sam:reuses", "tjeneste/journal", "Journaldokumenter", None,
         "gjenbruk/plan-journal", None, None),
        ("tjeneste/video", "Video", "sam:reuses", "tjeneste/plan", "Plan", None,
         "gjenbruk/video-plan", None, None),
    ],
    "technical-forms-per-form": [
        ("samhandlingsform/endre-og-dele", "Endre og dele", "samhandlingsform/datadeling",
         "Datadeling"),
        ("samhandlingsform/sende-og-motta", "Sende og motta",
         "samhandlingsform/meldingsutveksling", "Meldingsutveksling"),
        ("samhandlingsform/sla-opp", "Slå opp", "samhandlingsform/datadeling", "Datadeling"),
        ("samhandlingsform/sla-opp", "Slå opp", "samhandlingsform/dokumentdeling",
         "Dokumentdeling"),
    ],
}


def test_every_report_and_violation_has_expected_rows():
    select_queries = {q.name for q in LIBRARY if q.kind != "construct"}
    assert select_queries == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_exact_rows_on_fixture(fixture_engines, name):
    result = run(fixture_engines["oxigraph"], name)
    assert cells(result) == EXPECTED[name]


def test_labels_follow_lang(fixture_engines):
    result = run(fixture_engines["oxigraph"], "services-per-group", lang="en")
    assert cells(result) == [(1, "hovedgruppe/oversikt", "Get an overview", 2),
                             (2, "hovedgruppe/oppslag", "Look up", 3),
                             (3, "hovedgruppe/rapportere", "Report", 0)]
    label = result.rows[0][2]
    assert label is not None and label.lang == "en"
    status = run(fixture_engines["oxigraph"], "project-status", lang="en")
    assert [r[2] for r in cells(status)][:3] == ["Goal", "Status item", "Open question"]


def test_construct_skos_on_fixture(fixture_engines):
    result = run(fixture_engines["oxigraph"], "construct-service-skos")
    triples = set(cells(result))
    assert len(result.rows) == 53
    assert ("tjeneste/plan", "skos:broader", "hovedgruppe/oversikt") in triples
    assert ("tjeneste/plan", "skos:altLabel", "Planer") in triples
    assert ("tjeneste/video", "skos:notation", "IT11") in triples
    assert ("malbilde/lite", "skos:hasTopConcept", "hovedgruppe/rapportere") in triples
    assert ("hovedgruppe/oppslag", "skos:notation", "2") in triples
    assert all(row[0].kind == "iri" for row in result.rows)


def test_construct_neighbourhood_stays_around_the_service(fixture_engines):
    result = run(fixture_engines["oxigraph"], "construct-service-neighbourhood",
                 service="Journaldokumenter")
    triples = set(cells(result))
    journal = "tjeneste/journal"
    assert ("tjeneste/plan", "sam:reuses", journal) in triples
    assert (journal, "sam:reuses", "tjeneste/lab") in triples
    assert ("tjeneste/lab", "rdfs:label", "Bestilling og svar (lab)") in triples
    for s, p, o in triples:
        assert journal in (s, o) or p == "rdfs:label", (s, p, o)
    assert not any(s == "tjeneste/video" for s, _, _ in triples)


# -- the same rows from both engines ------------------------------------------------------

@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("name", NAMES)
def test_engines_agree_on_fixture(fixture_engines, name, lang):
    ox = run(fixture_engines["oxigraph"], name, lang)
    rdflib = run(fixture_engines["rdflib"], name, lang)
    assert ox == rdflib


@pytest.mark.parametrize("name", NAMES)
def test_engines_agree_on_model(model_engines, name):
    ox = run(model_engines["oxigraph"], name)
    rdflib = run(model_engines["rdflib"], name)
    assert ox.variables == rdflib.variables
    assert ox.rows == rdflib.rows
    if name not in ("declared-count-violation", "reuse-cycle-violation",
                    "missing-label-violation", "need-without-service-violation"):
        assert ox.rows, f"{name} returns nothing on the seed model"


# -- key rows on the seed model ------------------------------------------------------------

@pytest.mark.parametrize("name", [q.name for q in LIBRARY if q.kind == "violation"])
def test_seed_model_has_no_violations(model_engines, name):
    assert run(model_engines["oxigraph"], name).rows == []


def test_model_has_7_groups_and_26_services(model_engines):
    rows = cells(run(model_engines["oxigraph"], "services-per-group"))
    assert [r[0] for r in rows] == [1, 2, 3, 4, 5, 6, 7]
    assert sum(r[3] for r in rows) == 26
    assert rows[0][3] == 8  # group 1 holds 8 services ([SEED] Side 32)
    assert len(run(model_engines["oxigraph"], "services").rows) == 26


def test_model_plan_needs(model_engines):
    rows = cells(run(model_engines["oxigraph"], "needs-per-service"))
    plan = sorted(r[3] for r in rows if r[0] == "tjeneste/plan")
    assert plan == ["20.05.10", "20.20", "20.30"]


def test_model_open_questions_of_nilar_and_tag(model_engines):
    rows = cells(run(model_engines["oxigraph"], "project-status"))
    open_questions = [r[0] for r in rows if r[1] == "sam:OpenQuestion"]
    assert open_questions.count("NILAR") == 3 and open_questions.count("TAG") == 2
    only_tag = cells(run(model_engines["oxigraph"], "project-status", project="TAG"))
    assert only_tag and {r[0] for r in only_tag} == {"TAG"}


def test_model_clinical_summary_reuses_six_services(model_engines):
    rows = cells(run(model_engines["oxigraph"], "reuse-of-service",
                     service="klinisk-oppsummering"))
    reused = {r[1] for r in rows if r[0] == "reuses"}
    assert {"tjeneste/plan", "tjeneste/kritisk-informasjon",
            "tjeneste/undersokelser-malinger-og-funn"} <= reused
    assert len(reused) == 6


def test_model_services_without_form_are_a_known_gap(model_engines):
    rows = cells(run(model_engines["oxigraph"], "services-without-preferred-form"))
    names = {r[1] for r in rows}
    assert "tjeneste/problem-diagnose-og-behov" in names
    assert "tjeneste/plan" not in names and "tjeneste/video" not in names


# -- violations fire when something is wrong ---------------------------------------------

def test_violations_find_broken_records(tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(QUERY_FIXTURE, broken)
    with (broken / "gjenbruk.yaml").open("a", encoding="utf-8") as f:
        f.write("- id: lab-oppsummering\n  service: lab\n  reuses: oppsummering\n"
                "  source: [seed:30]\n")
    text = (broken / "malbilde.yaml").read_text(encoding="utf-8")
    (broken / "malbilde.yaml").write_text(text.replace("declared_service_count: 5",
                                                       "declared_service_count: 26"))
    (broken / "ekstra.ttl").write_text(
        "<https://w3id.org/samhandling/organisasjon/ny> a "
        "<https://w3id.org/samhandling/ontologi#Organisation> ;\n"
        '    <http://www.w3.org/2000/01/rdf-schema#label> "Ny"@nb .\n', encoding="utf-8")
    engine = local_engine(Dataset.load(broken))
    cycle = cells(run(engine, "reuse-cycle-violation"))
    assert [r[0] for r in cycle] == ["tjeneste/journal", "tjeneste/lab",
                                     "tjeneste/oppsummering", "tjeneste/plan"]
    assert cells(run(engine, "declared-count-violation")) == [
        ("malbilde/lite", "services", 26, 5)]
    assert cells(run(engine, "missing-label-violation")) == [("organisasjon/ny", "en")]


# -- parameters ---------------------------------------------------------------------------

@pytest.mark.parametrize("value", [
    "plan", "tjeneste/plan", "Plan", "PLAN", "https://w3id.org/samhandling/tjeneste/plan",
    "<https://w3id.org/samhandling/tjeneste/plan>",
])
def test_resource_parameter_forms(fixture_engines, value):
    rows = cells(run(fixture_engines["oxigraph"], "reuse-of-service", service=value))
    assert rows == EXPECTED["reuse-of-service"]


def test_resource_by_english_label_and_notation(fixture_engines):
    engine = fixture_engines["oxigraph"]
    rows = cells(run(engine, "reuse-of-service", service="clinical summary"))
    assert rows == [("reuses", "tjeneste/lab", "Bestilling og svar (lab)", False),
                    ("reuses", "tjeneste/journal", "Journaldokumenter", False),
                    ("reuses", "tjeneste/plan", "Plan", True)]
    assert {r[0] for r in cells(run(engine, "project-status", project="nilar"))} == {"NILAR"}
    assert {r[0] for r in cells(run(engine, "project-status", project="NILAR"))} == {"NILAR"}
    by_tag = cells(run(engine, "facts-from-source", source="VG"))
    assert by_tag == EXPECTED["facts-from-source"]
    by_code = cells(run(engine, "reuse-of-service", service="it08"))
    assert by_code == EXPECTED["reuse-of-service"]


def test_unknown_resource_suggests_close_names(fixture_engines):
    with pytest.raises(UsageError, match=r"no sam:InformationService .* 'plann'.*Plan"):
        run(fixture_engines["oxigraph"], "reuse-of-service", service="plann")
    with pytest.raises(UsageError, match="no sam:InformationService"):
        # a resource of another class is not a service
        run(fixture_engines["oxigraph"], "reuse-of-service", service="oversikt")


def test_ambiguous_label_is_an_error(fixture_engines):
    # "Look up" is the English label of main group 2 and of the form sla-opp; any class
    # matches when the header declares none, so a by-label lookup must refuse to guess
    from samhandling.query.library import Param
    from samhandling.query.params import to_term

    param = Param("thing", "iri", None, None, False, {})
    engine = fixture_engines["oxigraph"]
    with pytest.raises(UsageError, match="matches several resources by label: "
                                         "hovedgruppe/oppslag, samhandlingsform/sla-opp"):
        to_term(param, "look up", lambda text: engine.run(text))


def test_integer_parameter(fixture_engines):
    engine = fixture_engines["oxigraph"]
    assert [r[1] for r in cells(run(engine, "services", group="02"))] == [
        "tjeneste/lab", "tjeneste/journal", "tjeneste/video"]
    with pytest.raises(UsageError, match="parameter 'group' takes a whole number, got 'two'"):
        run(engine, "services", group="two")


def test_unknown_and_missing_parameters(fixture_engines):
    engine = fixture_engines["oxigraph"]
    with pytest.raises(UsageError, match=r"has no parameter 'servic' \(declared: service\)"):
        run(engine, "reuse-of-service", servic="plan")
    with pytest.raises(UsageError, match="needs -p service="):
        execute(find_query("reuse-of-service"), engine, {}, "nb")
    with pytest.raises(UsageError, match="--lang"):
        execute(find_query("services"), engine, {"lang": "en"}, "nb")


@pytest.mark.parametrize("text", ['"} } ; DROP ALL #', "x' . } UNION { ?s ?p ?o", "\\\"\n\t"])
def test_literal_values_cannot_change_the_query(fixture_engines, text):
    query = find_query("search")
    for engine in fixture_engines.values():
        bound = bound_text(query, engine, {"text": text}, "nb")
        assert bound.count("DROP ALL") <= 1  # only inside the escaped literal
        assert execute(query, engine, {"text": text}, "nb").result.rows == []


def test_search_finds_alternative_labels_case_insensitively(fixture_engines):
    rows = cells(run(fixture_engines["oxigraph"], "search", text="PLANER"))
    assert rows == [("tjeneste/plan", "Planer", "nb", "Plan")]


def test_parse_assignments():
    assert parse_assignments(["service=plan", "text=a=b", "?_group=2"]) == {
        "service": "plan", "text": "a=b", "group": "2"}
    with pytest.raises(UsageError, match="write -p name=value"):
        parse_assignments(["service"])
    with pytest.raises(UsageError, match="given twice"):
        parse_assignments(["a=1", "a=2"])


# -- SPARQL text handling ------------------------------------------------------------------

def test_values_go_into_the_outermost_where_group():
    text = ('PREFIX ex: <http://e/>\n# SELECT { WHERE\nCONSTRUCT { ?s ex:p "}" } '
            "WHERE { ?s ex:q ?_x . { SELECT ?s WHERE { ?s ?p ?o } } }")
    bound = sparqltext.insert_values(text, ["_x"], ['"v"'])
    assert 'WHERE { VALUES (?_x) { ("v") }  ?s ex:q ?_x' in bound
    select = "SELECT (EXISTS { ?a ?b ?c } AS ?e) { ?s ?p ?_x }"
    assert sparqltext.insert_values(select, ["_x"], ["1"]).endswith(
        "{ VALUES (?_x) { (1) }  ?s ?p ?_x }")
    with pytest.raises(UsageError, match="short form"):
        sparqltext.insert_values("CONSTRUCT WHERE { ?s ?p ?_x }", ["_x"], ["1"])


def test_service_is_found_only_as_a_keyword():
    assert sparqltext.uses_service("SELECT * { service <http://x/> { ?s ?p ?o } }")
    assert not sparqltext.uses_service('SELECT * { ?service ex:service "SERVICE" } # SERVICE')


def test_service_refused_on_local_engines(fixture_engines, tmp_path):
    path = tmp_path / "fed.rq"
    path.write_text("#+ summary: federated\n"
                    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }\n")
    for engine in fixture_engines.values():
        with pytest.raises(UsageError, match=r"SERVICE .* refused unless --allow-service"):
            execute(load_query_file(path), engine)


def test_term_serialization_is_safe():
    assert Term.literal('a"b\\c\nd').sparql() == '"a\\"b\\\\c\\nd"'
    assert Term.literal("x", lang="NB").sparql() == '"x"@nb'
    with pytest.raises(UsageError, match="not an absolute IRI"):
        Term.iri("http://e/x> } ; DROP ALL")
    with pytest.raises(UsageError, match="not an absolute IRI"):
        Term.iri("relative/path")


# -- bad query files -----------------------------------------------------------------------

@pytest.mark.parametrize(("text", "message"), [
    ("SELECT * WHERE { ?s ?p ?o }\n", r"bad\.rq:1: missing '#\+' header"),
    ("#+ summary: [x\nSELECT * WHERE { ?s ?p ?o }\n", r"bad\.rq:1: bad '#\+' header"),
    ("#+ summary: x\n#+ colour: red\nSELECT * WHERE { ?s ?p ?o }\n",
     "unknown '#\\+' header key 'colour'"),
    ("#+ tags: [x]\nSELECT * WHERE { ?s ?p ?o }\n", "lacks 'summary:'"),
    ("#+ summary: x\nSELECT * WHERE { ?s ?p ?_x }\n", r"uses \?_x, which .* does not declare"),
    ("#+ summary: x\n#+ params:\n#+   ?_x: {type: literal}\nSELECT * WHERE { ?s ?p ?o }\n",
     r"declares \?_x, which the query never uses"),
    ("#+ summary: x\n#+ params:\n#+   ?_x: {type: date}\nSELECT * WHERE { ?s ?p ?_x }\n",
     "unknown type 'date'"),
    ("#+ summary: x\n#+ params:\n#+   x: {type: literal}\nSELECT * WHERE { ?s ?p ?_x }\n",
     r"must be written \?_name"),
])
def test_bad_headers(tmp_path, text, message):
    path = tmp_path / "bad.rq"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        load_query_file(path)


def test_query_that_does_not_parse_names_the_file(fixture_engines, tmp_path):
    path = tmp_path / "broken.rq"
    path.write_text("#+ summary: x\nSELECT * WHERE { ?s ?p }\n")
    for engine in fixture_engines.values():
        with pytest.raises(UsageError, match=r"broken\.rq: query does not parse"):
            execute(load_query_file(path), engine)


def test_unknown_query_lists_close_names():
    with pytest.raises(UsageError, match="unknown query 'service-per-group'; did you mean "
                                         "services-per-group"):
        find_query("service-per-group")
    with pytest.raises(UsageError, match="query file not found"):
        find_query("no/such/file.rq")
    assert find_query("services-per-group.rq").name == "services-per-group"


# -- output formats ------------------------------------------------------------------------

def _small_result() -> QueryResult:
    return QueryResult("select", ["service", "label", "n", "ok"], [
        (Term.iri("https://w3id.org/samhandling/tjeneste/plan"),
         Term.literal("Plan | A", lang="nb"),
         Term.literal("3", "http://www.w3.org/2001/XMLSchema#integer"),
         Term.literal("true", "http://www.w3.org/2001/XMLSchema#boolean")),
        (Term.iri("http://example.org/x"), None, None, None),
    ])


def test_formats():
    result = _small_result()
    assert render(result, "csv") == ("service,label,n,ok\n"
                                     "https://w3id.org/samhandling/tjeneste/plan,Plan | A,3,true\n"
                                     "http://example.org/x,,,\n")
    assert render(result, "json") == (
        '[\n {\n  "service": "https://w3id.org/samhandling/tjeneste/plan",\n'
        '  "label": "Plan | A",\n  "n": 3,\n  "ok": true\n },\n'
        ' {\n  "service": "http://example.org/x",\n  "label": null,\n  "n": null,\n'
        '  "ok": null\n }\n]\n')
    assert render(result, "md", lang="en").splitlines() == [
        "| service | label | n | ok |", "|---|---|---|---|",
        "| tjeneste/plan | Plan \\| A | 3 | true |", "| <http://example.org/x> |  |  |  |"]
    assert render(result, "table", lang="en").splitlines() == [
        "service                 label     n  ok", "----------------------  --------  -  ----",
        "tjeneste/plan           Plan | A  3  true", "<http://example.org/x>"]
    # Norwegian human formats say ja/nei; csv and json above keep the boolean as data.
    assert render(result, "table", lang="nb").splitlines()[2].endswith("3  ja")
    assert row_count_line(result, "en") == "2 rows"
    with pytest.raises(UsageError, match="--format nt needs a CONSTRUCT"):
        render(result, "nt")


def test_ntriples_output_of_construct(fixture_engines):
    text = render(run(fixture_engines["oxigraph"], "construct-service-skos"), "nt")
    import pyoxigraph as ox

    assert len(list(ox.parse(text.encode(), format=ox.RdfFormat.N_TRIPLES))) == 53


def test_dataset_views_hold_the_same_triples():
    dataset = Dataset.load(QUERY_FIXTURE)
    assert len(dataset) == len(dataset.graph())
    without = Dataset.load(QUERY_FIXTURE, with_ontology=False)
    assert len(without) < len(dataset)


def test_ad_hoc_query_file_runs(fixture_engines, tmp_path: Path):
    path = tmp_path / "mine.rq"
    path.write_text("#+ summary: groups\n#+ params:\n#+   ?_n: {type: integer, default: 2}\n"
                    "PREFIX sam: <https://w3id.org/samhandling/ontologi#>\n"
                    "SELECT ?g WHERE { ?g sam:groupNumber ?_n }\n")
    result = execute(load_query_file(path), fixture_engines["rdflib"]).result
    assert cells(result) == [("hovedgruppe/oppslag",)]


# -- narrowing parameters and the embedded engine's result reading ---------------------------

@pytest.mark.parametrize(("name", "param", "value", "column"), [
    ("actor-service-matrix", "service", "plan", 2),
    ("needs-per-service", "service", "plan", 0),
    ("needs-per-service", "service", "video", 0),  # a service without needs keeps its row
    ("scenario-needs-services", "scenario", "uavklart", 0),
    ("scenario-needs-services", "scenario", "skoledag", 0),  # a scenario without needs
])
def test_narrowing_parameter_keeps_the_rows_of_one_resource(fixture_engines, name, param,
                                                            value, column):
    """The big listings take an optional parameter for national-size models; narrowed, they
    must give exactly the whole listing's rows for that resource, on both engines."""
    wanted = [row for row in EXPECTED[name] if str(row[column]).endswith("/" + value)]
    assert wanted  # the fixture has rows for it, so the test can fail
    for engine in fixture_engines.values():
        assert cells(run(engine, name, **{param: value})) == wanted, engine.name


TRICKY_LITERALS = [
    '"tab\\there, line\\nbreak, \\"quotes\\" and a backslash \\\\"',
    '"æøå \\u00e9 \\U0001F600"', '""', '"x"@EN-gb', '"plain"@nb',
    '"1"^^<http://www.w3.org/2001/XMLSchema#integer>', '"-7"^^<http://www.w3.org/2001/XMLSchema#integer>',
    '"2.50"^^<http://www.w3.org/2001/XMLSchema#decimal>', '"1e3"^^<http://www.w3.org/2001/XMLSchema#double>',
    '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>', '"0"^^<http://www.w3.org/2001/XMLSchema#boolean>',
    '"abc"^^<http://www.w3.org/2001/XMLSchema#integer>', '"2024-01-02"^^<http://www.w3.org/2001/XMLSchema#date>',
    '"odd"^^<https://example.org/type>', '<https://example.org/iri#x>', '_:b1',
]


def test_embedded_engine_reads_every_kind_of_term():
    """The embedded engine reads results from pyoxigraph's TSV and N-Triples text (fast for
    big results); each term must come out as converting pyoxigraph's own term objects gives."""
    import pyoxigraph as ox

    from samhandling.query.embedded import EmbeddedEngine
    from samhandling.query.terms import from_oxigraph

    ntriples = "".join(f"<https://example.org/s{i}> <https://example.org/p> {term} .\n"
                       for i, term in enumerate(TRICKY_LITERALS))
    store = ox.Store()
    store.load(ntriples.encode(), format=ox.RdfFormat.N_TRIPLES)
    engine = EmbeddedEngine(store)
    select = "SELECT ?s ?o ?none WHERE { ?s ?p ?o OPTIONAL { ?o ?q ?none } } ORDER BY ?s"
    expected = [tuple(from_oxigraph(v) for v in solution) for solution in store.query(select)]
    assert len(expected) == len(TRICKY_LITERALS)
    assert engine.run(select).rows == expected
    construct = "CONSTRUCT { ?o ?p ?s } WHERE { ?s ?p ?o FILTER(!ISLITERAL(?o)) }"
    triples = sorted({tuple(from_oxigraph(t) for t in (x.subject, x.predicate, x.object))
                      for x in store.query(construct)})
    assert len(triples) == 2
    assert engine.run(construct).rows == triples
    # numbers and booleans come back from TSV's short forms with their datatypes
    values = {row[1].value: row[1] for row in engine.run(select).rows}
    assert values["-7"].python() == -7 and values["true"].python() is True
    assert values["tab\there, line\nbreak, \"quotes\" and a backslash \\"].kind == "literal"
