"""The OWL ontology: it parses, every term is documented in both languages, every term the code
uses is declared with the kind (object, datatype, annotation property) its values need, it stays
in OWL 2 DL's vocabulary separation, and HermiT finds it consistent (and a nonsense fixture not)."""

from __future__ import annotations

import re
import shutil
import warnings
from collections import Counter
from pathlib import Path

import owlready2
import pytest
from rdflib import Graph, Literal, URIRef

from samhandling import namespaces as ns
from samhandling.namespaces import DCTERMS, OWL, RDF, RDFS, SAM, SKOS
from samhandling.schema import KINDS

ROOT = Path(__file__).parent.parent
ONTOLOGY = ROOT / "ontology" / "samhandling.ttl"
FIXTURES = Path(__file__).parent / "fixtures" / "reason"
ONTOLOGY_IRI = URIRef("https://w3id.org/samhandling/ontologi")

PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
TERM_TYPES = (OWL.Class, *PROPERTY_TYPES)
#: Terms the brief names beyond those the code uses (type choices and the like).
EXTRA_TERMS = ("ActorGroup", "OrganisationalCollaborationForm", "TechnicalCollaborationForm",
               "Goal", "StatusItem", "OpenQuestion", "NationalSolution", "RegionalSolution")
#: Column value types and the range their (sam:) datatype property must have.
DATATYPE_RANGES = {"int": ns.XSD.integer, "decimal": ns.XSD.decimal, "bool": ns.XSD.boolean,
                   "date": ns.XSD.date, "text": ns.XSD.string, "code": ns.XSD.string}


@pytest.fixture(scope="module")
def graph() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


def _sam_terms(graph: Graph) -> dict[URIRef, set[URIRef]]:
    """Every sam: IRI declared as a class or property, with its OWL types."""
    terms: dict[URIRef, set[URIRef]] = {}
    for kind in TERM_TYPES:
        for term in graph.subjects(RDF.type, kind):
            if isinstance(term, URIRef) and term.startswith(str(SAM)):
                terms.setdefault(term, set()).add(kind)
    return terms


def _code_terms() -> set[str]:
    """Local names of every ``SAM.xxx`` the Python sources use."""
    files = [*(ROOT / "samhandling").rglob("*.py"), *(ROOT / "loaders").glob("*.py")]
    names: set[str] = set()
    for path in files:
        names.update(re.findall(r"\bSAM\.(\w+)", path.read_text(encoding="utf-8")))
    return names


# -- (1) syntax and header ----------------------------------------------------------------------

def test_ontology_parses_and_has_header(graph: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in graph
    titles = {t.language for t in graph.objects(ONTOLOGY_IRI, DCTERMS.title)}
    assert titles == {"nb", "en"}
    assert {d.language for d in graph.objects(ONTOLOGY_IRI, DCTERMS.description)} == {"nb", "en"}
    assert Literal("0.1.0") in set(graph.objects(ONTOLOGY_IRI, OWL.versionInfo))
    assert graph.value(ONTOLOGY_IRI, DCTERMS.license) is not None


# -- (2) documentation ----------------------------------------------------------------------------

def test_every_term_has_one_label_and_definition_per_language(graph: Graph) -> None:
    terms = _sam_terms(graph)
    assert len(terms) > 50
    problems = []
    for term in sorted(terms):
        for predicate in (RDFS.label, SKOS.definition):
            langs = Counter(o.language for o in graph.objects(term, predicate)
                            if isinstance(o, Literal))
            if langs != Counter({"nb": 1, "en": 1}):
                problems.append(f"{term.n3(graph.namespace_manager)} "
                                f"{predicate.n3(graph.namespace_manager)}: {dict(langs)}")
    assert not problems, "\n".join(problems)


def test_no_sam_iri_is_used_without_declaration(graph: Graph) -> None:
    declared = set(_sam_terms(graph))
    used = {node for triple in graph for node in triple
            if isinstance(node, URIRef) and node.startswith(str(SAM))}
    assert used <= declared, sorted(used - declared)


# -- (3) the code's terms -------------------------------------------------------------------------

def test_every_term_the_code_uses_is_declared(graph: Graph) -> None:
    terms = _sam_terms(graph)
    names = _code_terms() | set(EXTRA_TERMS)
    assert "InformationService" in names and "handlesNeed" in names  # the grep works
    missing = sorted(n for n in names if SAM[n] not in terms)
    assert not missing, f"not declared in the ontology: {missing}"
    wrong = sorted(n for n in names
                   if (n[0].isupper()) != (OWL.Class in terms[SAM[n]]))
    assert not wrong, f"capitalised names must be classes, others properties: {wrong}"


def test_schema_columns_match_property_kinds(graph: Graph) -> None:
    """ref/source/choice columns are object properties; lang columns annotation properties; int,
    bool, date, text and code columns datatype properties with the matching range (sam: terms)."""
    problems = []
    for kind in KINDS:
        for column in kind.columns:
            pred = column.predicate
            if column.type == "type" or pred == RDFS.label:
                continue
            types = set(graph.objects(pred, RDF.type)) & set(PROPERTY_TYPES)
            where = f"{kind.name}.{column.name} ({pred})"
            if column.type in ("ref", "source", "choice"):
                expected = {OWL.ObjectProperty}
            elif column.type == "lang":
                expected = {OWL.AnnotationProperty}
            elif pred.startswith(str(SAM)):
                expected = {OWL.DatatypeProperty}
            else:  # reused vocabulary with plain text: either is fine for OWL 2 DL
                expected = types if types in ({OWL.DatatypeProperty},
                                              {OWL.AnnotationProperty}) else {OWL.DatatypeProperty}
            if types != expected:
                problems.append(f"{where}: declared {sorted(types)}, expected {sorted(expected)}")
                continue
            if types == {OWL.DatatypeProperty} and pred.startswith(str(SAM)):
                ranges = set(graph.objects(pred, RDFS.range))
                if ranges != {DATATYPE_RANGES[column.type]}:
                    problems.append(f"{where}: range {sorted(ranges)}")
    assert not problems, "\n".join(problems)


def test_kind_classes_and_type_choices(graph: Graph) -> None:
    """Every kind's class is declared, and each type choice is a subclass of that class (a record
    gets both types, so they must never be disjoint)."""
    for kind in KINDS:
        assert (kind.cls, RDF.type, OWL.Class) in graph, kind.cls
        for column in kind.columns:
            if column.type != "type":  # a choice column's values are concepts, not classes
                continue
            for _, cls in column.choices:
                supers = set(graph.transitive_objects(cls, RDFS.subClassOf))
                assert kind.cls in supers, f"{cls} is not a subclass of {kind.cls}"


def test_owl2_dl_vocabulary_separation(graph: Graph) -> None:
    """No IRI is two kinds of property, or both a class and a property."""
    kinds: dict[URIRef, set[URIRef]] = {}
    for kind in TERM_TYPES:
        for term in graph.subjects(RDF.type, kind):
            if isinstance(term, URIRef):
                kinds.setdefault(term, set()).add(kind)
    clashes = {t: k for t, k in kinds.items() if len(k) > 1}
    assert not clashes, clashes
    # reused terms the build writes must be declared, with the kind their values need
    assert (DCTERMS.source, RDF.type, OWL.ObjectProperty) in graph
    assert (DCTERMS.isPartOf, RDF.type, OWL.ObjectProperty) in graph
    for prop in (SKOS.broader, SKOS.inScheme, SKOS.topConceptOf):
        assert (prop, RDF.type, OWL.ObjectProperty) in graph
    assert (SKOS.notation, RDF.type, OWL.DatatypeProperty) in graph
    for prop in (SKOS.definition, SKOS.note, SKOS.altLabel, SKOS.prefLabel):
        assert (prop, RDF.type, OWL.AnnotationProperty) in graph


def test_standard_vocabulary_anchors(graph: Graph) -> None:
    for cls in (SAM.InformationNeed, SAM.NeedCodeGroup, SAM.MaturityRating):
        assert (cls, RDFS.subClassOf, SKOS.Concept) in graph
    assert (SAM.Actor, RDFS.subClassOf, URIRef("http://xmlns.com/foaf/0.1/Agent")) in graph
    assert (SAM.Organisation, RDFS.subClassOf, URIRef("http://www.w3.org/ns/org#Organization")) \
        in graph
    assert (SAM.Source, RDFS.subClassOf, URIRef("http://www.w3.org/ns/prov#Entity")) in graph


# -- (4, 5) reasoning with HermiT -----------------------------------------------------------------

needs_java = pytest.mark.skipif(shutil.which(owlready2.JAVA_EXE) is None,
                                reason="HermiT needs Java")


def _world(tmp_path: Path, *turtle_files: Path) -> owlready2.World:
    """A fresh owlready2 World holding the given Turtle files (converted to N-Triples, which
    owlready2 reads)."""
    world = owlready2.World()
    for i, path in enumerate(turtle_files):
        target = tmp_path / f"{i}-{path.stem}.nt"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # rdflib: "NTSerializer always uses UTF-8"
            Graph().parse(path, format="turtle").serialize(target, format="nt")
        world.get_ontology(target.as_uri()).load()
    return world


def _reason(world: owlready2.World) -> None:
    owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)


@needs_java
def test_hermit_finds_the_ontology_consistent_and_every_class_satisfiable(
        tmp_path: Path) -> None:
    world = _world(tmp_path, ONTOLOGY)
    _reason(world)
    assert list(world.inconsistent_classes()) == []


@needs_java
def test_hermit_finds_a_realistic_model_sample_consistent(tmp_path: Path) -> None:
    world = _world(tmp_path, ONTOLOGY, FIXTURES / "consistent.ttl")
    _reason(world)
    assert list(world.inconsistent_classes()) == []


@needs_java
def test_hermit_finds_the_inconsistent_fixture_inconsistent(tmp_path: Path) -> None:
    world = _world(tmp_path, ONTOLOGY, FIXTURES / "inconsistent.ttl")
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        _reason(world)


@needs_java
def test_hermit_finds_ontology_plus_the_built_model_consistent(tmp_path: Path) -> None:
    from samhandling.build import load_model

    built = tmp_path / "model.ttl"
    from .support import MODEL_DIR

    load_model(MODEL_DIR).graph.serialize(built, format="turtle")
    world = _world(tmp_path, ONTOLOGY, built)
    _reason(world)
    assert list(world.inconsistent_classes()) == []
    services = world.search(type=world[str(SAM.InformationService)])
    assert len(services) == 26


def test_label_of_a_node_with_two_labels_in_one_language_does_not_depend_on_order() -> None:
    from rdflib import Graph, Literal, URIRef

    from samhandling.namespaces import RDFS, SKOS
    from samhandling.vocabulary import label

    node = URIRef("https://w3id.org/samhandling/tjeneste/x")
    shown = set()
    for order in (("Beta", "Alfa"), ("Alfa", "Beta")):
        graph = Graph()
        for text in order:
            graph.add((node, RDFS.label, Literal(text, lang="nb")))
        graph.add((node, SKOS.prefLabel, Literal("Aaa", lang="nb")))  # rdfs:label comes first
        shown.add(label(graph, node, "nb"))
    assert shown == {"Alfa"}
    assert label(Graph(), node, "en") == "x"
