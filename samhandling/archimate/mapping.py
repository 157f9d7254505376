"""The one table from the ontology to ArchiMate: which class becomes which element type, which
predicate which relationship type, and which record kind becomes a relationship of its own.

Everything else follows from these rows and from :data:`samhandling.schema.KINDS`: the exporter
writes a record as the element its first matching row names; its labels become ``<name>``, its
definitions ``<documentation>``, each ref column whose predicate has a :class:`RelationRow`
(and whose target is exported) a relationship, and every other column a property named like
the column. The importer reads the same rows backwards; the manual's table and the ontology's
alignment annotations (``ontology/archimate-alignment.ttl``) are generated from them
(:mod:`samhandling.archimate.describe`), so the three cannot drift apart.

Rows are ordered most specific first: an actor group is also an actor, and the first row whose
class a resource has wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rdflib import Graph, Namespace, URIRef
from rdflib.term import Node

from ..namespaces import BASE, RDF, RDFS, SAM
from ..schema import KINDS, KINDS_BY_NAME, KINDS_BY_SEGMENT, Kind

#: The exchange format's namespace (the same for ArchiMate 3.0 and 3.1).
EXCHANGE_NS = "http://www.opengroup.org/xsd/archimate/3.0/"
#: The namespace of ArchiMate 2.1 exchange files (refused with advice).
EXCHANGE_NS_21 = "http://www.opengroup.org/xsd/archimate"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XML_NS = "http://www.w3.org/XML/1998/namespace"
#: Our vocabulary for what the exchange format carries beyond our kinds (passthrough) and
#: for the alignment annotations.
AM = Namespace(BASE + "archimate#")
#: Resources made from a foreign file's identifiers live under this IRI prefix.
AM_RESOURCE = BASE + "archimate/"

Folder = Literal["Strategy", "Business", "Application", "Technology & Physical", "Motivation",
                 "Implementation & Migration", "Other", "Relations", "Views"]
#: Archi's top-level folders, in the order Archi shows them.
FOLDERS: tuple[Folder, ...] = ("Strategy", "Business", "Application", "Technology & Physical",
                               "Motivation", "Implementation & Migration", "Other", "Relations",
                               "Views")


@dataclass(frozen=True)
class ElementRow:
    """One class of the ontology and the ArchiMate element type its resources become."""

    cls: URIRef
    archimate: str
    #: the record kind (file) resources of this class are read from and written back to
    kind: str
    why: str = ""

    @property
    def folder(self) -> Folder:
        return folder_of(self.archimate)


@dataclass(frozen=True)
class RelationRow:
    """One predicate and the ArchiMate relationship type each of its triples becomes.

    ``reverse`` means the relationship points from the triple's object to its subject
    (``service inMainGroup group`` is the grouping aggregating the service)."""

    predicate: URIRef
    archimate: str
    reverse: bool = False
    #: for Access relationships: Read, Write, Access or ReadWrite
    access: str | None = None
    why: str = ""
    #: (source type, target type, relationship type) where ArchiMate does not allow
    #: ``archimate`` between the two element types
    otherwise: tuple[tuple[str, str, str], ...] = ()

    def type_between(self, source: str, target: str) -> str:
        """The relationship type written from an element of type ``source`` to one of type
        ``target``."""
        for from_type, to_type, archimate in self.otherwise:
            if (from_type, to_type) == (source, target):
                return archimate
        return self.archimate


@dataclass(frozen=True)
class RecordRelationRow:
    """A record kind whose records are relationships (a reuse relation has its own id,
    labels and sources): the relationship runs from ``source_column``'s record to
    ``target_column``'s."""

    kind: str
    archimate: str
    source_column: str
    target_column: str
    why: str = ""


ELEMENTS: tuple[ElementRow, ...] = (
    ElementRow(SAM.ActorGroup, "BusinessActor", "aktorer",
               "a group of actors; its members are aggregated"),
    ElementRow(SAM.ActorRole, "BusinessRole", "aktorer",
               "a role persons or organisations play (fastlege, pårørende)"),
    ElementRow(SAM.Actor, "BusinessActor", "aktorer"),
    ElementRow(SAM.Participant, "BusinessActor", "aktorer",
               "an actor or role whose type is not given: drawn as an actor"),
    ElementRow(SAM.Organisation, "BusinessActor", "organisasjoner",
               "organisations run, build and govern"),
    ElementRow(SAM.InformationService, "ApplicationService", "tjenester"),
    ElementRow(SAM.MainGroup, "Grouping", "hovedgrupper", "aggregates its services"),
    ElementRow(SAM.TargetPicture, "Plateau", "malbilde", "composed of the main groups"),
    ElementRow(SAM.Plateau, "Plateau", "plataer", "baseline, 2023, target state"),
    ElementRow(SAM.InformationContent, "DataObject", "informasjonsinnhold",
               "read by the services that convey it"),
    ElementRow(SAM.InformationNeed, "Requirement", "behov",
               "realised by the services that handle it"),
    ElementRow(SAM.PainPoint, "Assessment", "smertepunkter",
               "influenced by the services that answer it"),
    ElementRow(SAM.Scenario, "BusinessInteraction", "scenarioer",
               "the actors involved are assigned to it"),
    ElementRow(SAM.WorkProcess, "BusinessProcess", "arbeidsprosesser",
               "served by the services that support it"),
    ElementRow(SAM.OrganisationalCollaborationForm, "BusinessInteraction", "samhandlingsformer"),
    ElementRow(SAM.TechnicalCollaborationForm, "ApplicationInteraction", "samhandlingsformer",
               "realises organisational forms"),
    ElementRow(SAM.Programme, "WorkPackage", "program"),
    ElementRow(SAM.ProgrammeStep, "WorkPackage", "steg", "composed into its programme"),
    ElementRow(SAM.Project, "WorkPackage", "prosjekter", "composed into its step"),
    ElementRow(SAM.Step2Package, "WorkPackage", "pakker", "composed into its step"),
    ElementRow(SAM.Goal, "Goal", "prosjektpunkter", "realised by its project"),
    ElementRow(SAM.Deliverable, "Deliverable", "prosjektpunkter", "realised by its project"),
    ElementRow(SAM.Solution, "ApplicationComponent", "losninger",
               "national or regional (property type)"),
    ElementRow(SAM.DesignToCostPrinciple, "Principle", "prinsipper"),
)

RELATIONS: tuple[RelationRow, ...] = (
    RelationRow(SAM.inMainGroup, "Aggregation", reverse=True,
                why="the main group aggregates the service"),
    RelationRow(SAM.partOfTargetPicture, "Composition", reverse=True,
                why="the target picture is composed of its main groups"),
    RelationRow(SAM.partOfActorGroup, "Aggregation", reverse=True,
                why="the actor group aggregates its members (a role: associated with it, as "
                    "ArchiMate lets no actor aggregate a role)",
                otherwise=(("BusinessActor", "BusinessRole", "Association"),)),
    RelationRow(SAM.handlesNeed, "Realization", why="the service realises the need"),
    RelationRow(SAM.conveysContent, "Access", access="Read",
                why="the service reads the information content"),
    RelationRow(SAM.answersPainPoint, "Influence", why="the service influences the pain point"),
    RelationRow(SAM.involvesActor, "Assignment", reverse=True,
                why="the actor or role is assigned to the scenario"),
    RelationRow(SAM.playsRole, "Assignment", why="the actor is assigned to the role it plays"),
    RelationRow(SAM.arisesInScenario, "Association", why="the need arises in the scenario"),
    RelationRow(SAM.supportsWorkProcess, "Serving", why="the service serves the work process"),
    RelationRow(SAM.processReusesService, "Association",
                why="the work process reuses the service"),
    RelationRow(SAM.preferredCollaborationForm, "Association",
                why="the service prefers the collaboration form"),
    RelationRow(SAM.realisesForm, "Realization",
                why="the technical form realises the organisational form"),
    RelationRow(SAM.stepOf, "Composition", reverse=True,
                why="the programme is composed of its steps"),
    RelationRow(SAM.inStep, "Composition", reverse=True,
                why="the step is composed of its projects and packages"),
    RelationRow(SAM.builtBy, "Assignment", reverse=True,
                why="the organisation is assigned to the project"),
    RelationRow(SAM.itemOfProject, "Realization", reverse=True,
                why="the project realises its goal"),
    RelationRow(SAM.touchesService, "Association", why="the package touches the service"),
    RelationRow(SAM.touchesSolution, "Association", why="the package touches the solution"),
    RelationRow(SAM.operatedBy, "Association", why="the solution is operated by the organisation"),
    RelationRow(SAM.solutionPartOf, "Aggregation", reverse=True,
                why="the solution aggregates its parts"),
    RelationRow(SAM.followsPlateau, "Triggering", reverse=True,
                why="the earlier plateau triggers the one that follows it"),
    RelationRow(SAM.realisesService, "Realization",
                why="the solution realises the information service"),
    RelationRow(SAM.changesSolution, "Realization",
                why="the project realises the solution it changes or extends"),
    RelationRow(SAM.usesSolution, "Association", why="the project uses the solution"),
    RelationRow(SAM.coversTargetPicture, "Realization",
                why="the step realises (parts of) the target picture"),
    RelationRow(SAM.governsStep, "Association",
                why="the principle governs the step (ArchiMate allows no more between them)"),
)

RECORD_RELATIONS: tuple[RecordRelationRow, ...] = (
    RecordRelationRow("gjenbruk", "Serving", source_column="reuses", target_column="service",
                      why="the reused service serves the reusing one"),
)

#: Element type -> Archi's top-level folder.
_FOLDER_OF: dict[str, Folder] = {
    **dict.fromkeys(("Resource", "Capability", "ValueStream", "CourseOfAction"), "Strategy"),
    **dict.fromkeys(("BusinessActor", "BusinessRole", "BusinessCollaboration",
                     "BusinessInterface", "BusinessProcess", "BusinessFunction",
                     "BusinessInteraction", "BusinessEvent", "BusinessService",
                     "BusinessObject", "Contract", "Representation", "Product"), "Business"),
    **dict.fromkeys(("ApplicationComponent", "ApplicationCollaboration",
                     "ApplicationInterface", "ApplicationFunction", "ApplicationInteraction",
                     "ApplicationProcess", "ApplicationEvent", "ApplicationService",
                     "DataObject"), "Application"),
    **dict.fromkeys(("Stakeholder", "Driver", "Assessment", "Goal", "Outcome", "Principle",
                     "Requirement", "Constraint", "Meaning", "Value"), "Motivation"),
    **dict.fromkeys(("WorkPackage", "Deliverable", "ImplementationEvent", "Plateau", "Gap"),
                    "Implementation & Migration"),
    **dict.fromkeys(("Location", "Grouping", "Junction", "AndJunction", "OrJunction"), "Other"),
}

#: Every element type of ArchiMate 3.1 (the XSD's ElementTypeEnum), for checking xsi:type.
ELEMENT_TYPES: frozenset[str] = frozenset({
    *_FOLDER_OF,
    "Node", "Device", "SystemSoftware", "TechnologyCollaboration", "TechnologyInterface",
    "Path", "CommunicationNetwork", "TechnologyFunction", "TechnologyProcess",
    "TechnologyInteraction", "TechnologyEvent", "TechnologyService", "Artifact", "Equipment",
    "Facility", "DistributionNetwork", "Material",
})
RELATIONSHIP_TYPES: frozenset[str] = frozenset({
    "Composition", "Aggregation", "Assignment", "Realization", "Serving", "Access",
    "Influence", "Triggering", "Flow", "Specialization", "Association"})


def folder_of(archimate: str) -> Folder:
    """Archi's top-level folder for an element type (technology types in theirs)."""
    return _FOLDER_OF.get(archimate, "Technology & Physical")


ELEMENT_KINDS: frozenset[str] = frozenset(row.kind for row in ELEMENTS)
RELATION_BY_PREDICATE: dict[URIRef, RelationRow] = {row.predicate: row for row in RELATIONS}
RECORD_RELATION_BY_KIND: dict[str, RecordRelationRow] = {r.kind: r for r in RECORD_RELATIONS}


def element_row(classes: set[Node]) -> ElementRow | None:
    """The first row whose class is among ``classes`` (a resource's ``rdf:type`` values)."""
    for row in ELEMENTS:
        if row.cls in classes:
            return row
    return None


def kind_of_iri(iri: str) -> tuple[Kind, str] | None:
    """The record kind and id an IRI of ours names (``.../tjeneste/plan``), else None."""
    if not iri.startswith(BASE):
        return None
    segment, _, rest = iri[len(BASE):].partition("/")
    kind = KINDS_BY_SEGMENT.get(segment)
    if kind is None or not rest or "/" in rest:
        return None
    return kind, rest


def identifier(iri: str) -> str:
    """A stable NCName for a record IRI: ``tjeneste.plan`` (a segment never holds a dot, so
    the first dot separates it from the id); other IRIs get ``id-`` and a digest."""
    named = kind_of_iri(iri)
    if named is not None:
        return f"{named[0].segment}.{named[1]}"
    return "id-" + digest(iri)


def digest(text: str) -> str:
    import hashlib

    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:20]


def relationship_identifier(subject: str, predicate: str, obj: str) -> str:
    """The stable identifier of the relationship one triple becomes."""
    return "rel-" + digest(f"{subject} {predicate} {obj}")


def carried(graph: Graph) -> Graph:
    """The part of ``graph`` the exchange format carries for our own records: for every
    resource an element or record-relationship row maps, its types and every value of a
    column of its kind, and the triples whose predicate has a relation row between two such
    resources. What an export, import and build must give back unchanged (the round trip
    test), and what ``diff`` compares when one side is an ArchiMate file: with the elements
    and relationships an import keeps as ``am:`` passthrough, so one added in Archi shows."""
    exported: set[Node] = set()
    for row in ELEMENTS:
        exported.update(s for s in graph.subjects(RDF.type, row.cls)
                        if isinstance(s, URIRef) and kind_of_iri(str(s)) is not None)
    for record_row in RECORD_RELATIONS:
        exported.update(graph.subjects(RDF.type, KINDS_BY_NAME[record_row.kind].cls))
    predicates: set[Node] = {RDF.type, SAM.reuses}
    for kind in KINDS:
        if kind.name in ELEMENT_KINDS or kind.name in RECORD_RELATION_BY_KIND:
            predicates.update(c.predicate for c in kind.columns)
    # elements and relationships an import kept as passthrough (drawn in Archi, or of types we
    # do not map) are content too; views, folders and property values are not
    foreign = set(graph.subjects(RDF.type, AM.Element)) | set(
        graph.subjects(RDF.type, AM.Relationship))
    foreign_predicates = {RDF.type, AM.type, AM.name, AM.documentation, AM.source, AM.target}
    # the statements (per-value form) of what the exchange carries: their qualifiers travel as
    # the properties of the relationship or of the element (``column.qualifier``); their
    # labels are derived from the triple, and not again for a value kept in the passthrough
    statements = {node for node in graph.subjects(RDF.type, RDF.Statement)
                  if graph.value(node, RDF.subject) in exported
                  and graph.value(node, RDF.predicate) in predicates}
    result = Graph()
    for s, p, o in graph:
        if (s in exported and p in predicates) or (s in foreign and p in foreign_predicates) \
                or (s in statements and p != RDFS.label):
            result.add((s, p, o))
            if p == AM.name:  # so a diff names it as Archi does
                result.add((s, RDFS.label, o))
    return result


__all__ = [
    "AM",
    "AM_RESOURCE",
    "ELEMENTS",
    "ELEMENT_KINDS",
    "ELEMENT_TYPES",
    "EXCHANGE_NS",
    "FOLDERS",
    "RECORD_RELATIONS",
    "RELATIONS",
    "RELATIONSHIP_TYPES",
    "ElementRow",
    "RecordRelationRow",
    "RelationRow",
    "carried",
    "element_row",
    "folder_of",
    "identifier",
    "kind_of_iri",
]
