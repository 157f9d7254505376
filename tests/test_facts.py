"""Facts of domain.md asked of the built model by SPARQL (the table below is copied from
shared/domain.md, the specification; the model must answer the same)."""

from __future__ import annotations

import pytest
from rdflib import Graph

from samhandling.build import load_model
from samhandling.namespaces import PREFIXES

from .support import MODEL_DIR

# group | service (nb) | code | 2023 | organisational forms (sorted, by label)
SERVICES = """
1|Klinisk oppsummering|IT01|Y|Slå opp og tilgjengeliggjøre
1|Problem/diagnose og behov||R|
1|Plan|IT08|R|Endre og dele
1|Pågående og gjennomførte prosedyrer og behandlinger|IT19|R|
1|Tjenester, ytelser og hjelpemidler|IT23|R|Slå opp og tilgjengeliggjøre
1|Legemidler og vaksiner|IT03|Y|Endre og dele
1|Immunisering (status)||R|
1|Kritisk informasjon||G|Endre og dele
2|Undersøkelser, målinger og funn|IT17|R|Slå opp og tilgjengeliggjøre
2|Multimedia og MTU-målinger|IT07|R|Slå opp og tilgjengeliggjøre
2|Journaldokumenter|IT09|Y|Slå opp og tilgjengeliggjøre
2|Kliniske bakgrunnsopplysninger|IT16|R|Slå opp og tilgjengeliggjøre
3|Bestilling og svar (lab)||G|Sende og motta
3|Henvisning, epikrise m.m.||Y|
3|Anmodning om tjeneste||Y|Sende og motta
3|Kommunikasjon ved saksbehandling||R|Sende og motta
4|Pasientdemografi|IT12|G|Slå opp og tilgjengeliggjøre
4|Personvern||Y|Endre og dele
4|Innbyggers opplysninger og ønsker||Y|
5|Oversikt over tilgjengelige tjenester og tilbud||R|
5|Klinisk kunnskap|IT14|R|Slå opp og tilgjengeliggjøre
6|Rapportering helsefag||G|
6|Rapportering administrativt||G|
7|Team- og møteadministrasjon||Y|
7|Video|IT11|Y|Sende og motta;Slå opp og tilgjengeliggjøre
7|Tekstlig dialog|IT10|G|Sende og motta;Slå opp og tilgjengeliggjøre
"""

NEEDS = {
    "05.20.20.25.10": ("Legemidler og vaksiner",),
    "20.30": ("Plan",),
    "15.10.70.20": ("Undersøkelser, målinger og funn",),
    "05.20.20.10": ("Problem/diagnose og behov",),
    "05.20.20.15": ("Problem/diagnose og behov",),
    "20.05.10": ("Plan",),
    "20.20": ("Plan",),
}


@pytest.fixture(scope="module")
def graph() -> Graph:
    return load_model(MODEL_DIR).graph


def ask(graph: Graph, query: str) -> list[tuple[str, ...]]:
    prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
    return sorted(tuple("" if v is None else str(v) for v in row)
                  for row in graph.query(prologue + query))


def test_26_services_in_7_groups(graph: Graph) -> None:
    rows = ask(graph, """SELECT (COUNT(DISTINCT ?s) AS ?n) (COUNT(DISTINCT ?g) AS ?groups)
        WHERE { ?s a sam:InformationService ; sam:inMainGroup ?g . ?g a sam:MainGroup }""")
    assert rows == [("26", "7")]


def test_each_service_in_its_group_with_code_maturity_and_forms(graph: Graph) -> None:
    rows = ask(graph, """
        SELECT ?group ?name ?code ?maturity ?formName
        WHERE {
          ?s a sam:InformationService ; rdfs:label ?name ; sam:inMainGroup/sam:groupNumber ?group .
          FILTER(lang(?name) = "nb")
          OPTIONAL { ?s sam:itCode ?code }
          OPTIONAL { ?s sam:maturity2023/skos:notation ?maturity }
          OPTIONAL { ?s sam:preferredCollaborationForm/rdfs:label ?formName
                     FILTER(lang(?formName) = "nb") }
        }""")
    forms: dict[tuple[str, ...], list[str]] = {}
    for group, name, code, maturity, form in rows:
        forms.setdefault((group, name, code, maturity), []).extend([form] if form else [])
    got = {(*key, ";".join(sorted(f))) for key, f in forms.items()}
    expected = {tuple(line.split("|")) for line in SERVICES.strip().splitlines()}
    assert got == expected


def test_the_seven_need_codes_and_their_services(graph: Graph) -> None:
    rows = ask(graph, """SELECT ?code ?service WHERE {
        ?need a sam:InformationNeed ; skos:notation ?code .
        ?s sam:handlesNeed ?need ; rdfs:label ?service . FILTER(lang(?service) = "nb") }""")
    got: dict[str, tuple[str, ...]] = {}
    for code, service in rows:
        got[code] = (*got.get(code, ()), service)
    assert got == NEEDS


def test_need_broader_follows_the_code_prefix(graph: Graph) -> None:
    rows = ask(graph, """SELECT ?code ?parent WHERE {
        ?need a sam:InformationNeed ; skos:notation ?code ; skos:broader/skos:notation ?parent }""")
    assert len(rows) == 7
    assert all(code.rsplit(".", 1)[0] == parent for code, parent in rows)


def test_nilar_has_177_laboratories_from_the_seed_page_23(graph: Graph) -> None:
    rows = ask(graph, """SELECT ?value ?page WHERE {
        ?project a sam:Project ; skos:notation "NILAR" .
        ?fig sam:figureAbout ?project ; sam:figureValue ?value ; dcterms:source ?src .
        ?src sam:page ?page }""")
    assert ("177", "23") in rows


def test_disagreeing_need_counts_are_both_recorded_with_their_sources(graph: Graph) -> None:
    rows = ask(graph, """SELECT ?value ?tag WHERE {
        ?fig a sam:Figure ; sam:figureValue ?value ; dcterms:source ?src .
        ?src sam:sourceTag ?tag . FILTER(?value IN (297, 376)) }""")
    assert rows == [("297", "VG"), ("376", "LAG")]


def test_side_30_reuse_relations_are_marked_as_interpretations(graph: Graph) -> None:
    rows = ask(graph, """SELECT ?from ?to WHERE {
        ?r a sam:ReuseRelation ; sam:isInterpretation true ;
           sam:reusingService/rdfs:label ?from ; sam:reusedService/rdfs:label ?to .
        FILTER(lang(?from) = "nb" && lang(?to) = "nb") }""")
    assert ("Bestilling og svar (lab)", "Undersøkelser, målinger og funn") in rows
    summary = {to for frm, to in rows if frm == "Klinisk oppsummering"}
    assert summary == {"Plan", "Kritisk informasjon", "Problem/diagnose og behov",
                       "Kliniske bakgrunnsopplysninger", "Innbyggers opplysninger og ønsker",
                       "Undersøkelser, målinger og funn"}


def test_every_record_has_provenance_and_both_labels(graph: Graph) -> None:
    missing = ask(graph, """SELECT ?s WHERE {
        ?s a ?c . FILTER(STRSTARTS(STR(?s), "https://w3id.org/samhandling/"))
        FILTER(?c NOT IN (sam:Source, sam:SourcePage))
        FILTER NOT EXISTS { ?s dcterms:source|(prov:wasDerivedFrom/dcterms:source) ?src } }""")
    assert missing == []
    # what the build derives (need-code groups) cites no source of its own
    assert ask(graph, """SELECT ?s WHERE { ?s a sam:NeedCodeGroup ; dcterms:source ?src }""") \
        == []
    unlabelled = ask(graph, """SELECT ?s WHERE {
        ?s a ?c . FILTER(STRSTARTS(STR(?s), "https://w3id.org/samhandling/"))
        FILTER(NOT EXISTS { ?s rdfs:label ?nb FILTER(lang(?nb) = "nb") }
               || NOT EXISTS { ?s rdfs:label ?en FILTER(lang(?en) = "en") }) }""")
    assert unlabelled == []


def test_seven_main_groups_and_seven_pain_points_and_two_projects(graph: Graph) -> None:
    rows = ask(graph, """SELECT
        (COUNT(DISTINCT ?g) AS ?groups) (COUNT(DISTINCT ?p) AS ?pains)
        (COUNT(DISTINCT ?proj) AS ?projects) (COUNT(DISTINCT ?pkg) AS ?packages)
        WHERE { { ?g a sam:MainGroup } UNION { ?p a sam:PainPoint } UNION
                { ?proj a sam:Project } UNION { ?pkg a sam:Step2Package } }""")
    assert rows == [("7", "7", "2", "6")]
