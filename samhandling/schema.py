"""The tabular source format: which kinds of thing the model holds and which columns each has.

One declarative table drives every loader (YAML, CSV, XLSX), the exporter back to tables and
the README's format description, so the three formats cannot drift apart. A *kind* is one file
(``model/tjenester.yaml``, ``tjenester.csv`` or sheet ``tjenester``); a *column* maps to one RDF
predicate. Columns are the same in every format: YAML records use them as keys.

Value conventions shared by all formats:

* ``ref`` columns hold ids of other records (``legemidler-og-vaksiner``); a ref to any kind may
  be qualified as ``segment/id`` (``prosjekt/nilar``).
* multi-valued columns are YAML lists, or ``;``-separated in CSV/XLSX cells.
* ``source`` columns hold a source id, optionally with a page: ``seed:32``, ``vg``.
* ``lang`` columns are one column per language: ``label_nb``, ``label_en``.

Beside the files, :data:`NODE_KINDS` declares what a resource *is* once it is built
(``service``, ``need``, ``actor_group`` ...): the classes that decide it, its names in both
languages and its look in a picture. The analysis graphs, the report and every picture derive
their kinds from that one table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from rdflib import URIRef

from .namespaces import BASE, DCTERMS, RDF, RDFS, SAM, SKOS

ValueType = Literal["text", "lang", "ref", "int", "decimal", "bool", "date", "code", "source",
                    "type", "choice"]

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
#: Need codes: dot-separated two-digit segments (05.20.20.25.10).
NEED_CODE_PATTERN = re.compile(r"^[0-9]{2}(\.[0-9]{2})*$")


@dataclass(frozen=True)
class Column:
    """One column of a kind: its header name and the predicate its values become."""

    name: str
    predicate: URIRef
    type: ValueType = "text"
    lang: str | None = None
    multi: bool = False
    required: bool = False
    #: For ``ref`` columns: the kinds a value may point at (empty: any kind).
    targets: tuple[str, ...] = ()
    #: Write the triple the other way round: ``(value, predicate, record)``.
    inverse: bool = False
    #: For ``type`` columns: the allowed values and the extra class each asserts; for
    #: ``choice`` columns: the allowed values and the concept (an IRI) each stands for.
    choices: tuple[tuple[str, URIRef], ...] = ()
    doc: str = ""


@dataclass(frozen=True)
class Kind:
    """One kind of record: a file name, the class its records get and its IRI segment."""

    name: str
    cls: URIRef
    segment: str
    columns: tuple[Column, ...]
    doc: str = ""
    #: Whether records carry provenance (``dcterms:source``); sources themselves do not.
    needs_source: bool = True
    #: For a closed code list: the SKOS concept scheme every record is a concept of (the
    #: build writes ``skos:Concept`` and ``skos:inScheme``; the scheme itself is described in
    #: ``model/kodeverk.ttl``).
    scheme: URIRef | None = None

    def column(self, name: str) -> Column | None:
        for col in self.columns:
            if col.name == name:
                return col
        return None

    @property
    def column_names(self) -> list[str]:
        return ["id", *[c.name for c in self.columns]]

    def iri(self, record_id: str) -> URIRef:
        return URIRef(f"{BASE}{self.segment}/{record_id}")


def _labels(required: bool = True) -> tuple[Column, ...]:
    return (
        Column("label_nb", RDFS.label, "lang", lang="nb", required=required),
        Column("label_en", RDFS.label, "lang", lang="en", required=required),
    )


def _definitions(pred: URIRef = SKOS.definition) -> tuple[Column, ...]:
    return (
        Column("definition_nb", pred, "lang", lang="nb"),
        Column("definition_en", pred, "lang", lang="en"),
    )


def _notes() -> tuple[Column, ...]:
    return (
        Column("interpretation", SAM.isInterpretation, "bool",
               doc="true where the fact is read from a figure rather than stated in text"),
        _status(),
        Column("note_nb", SKOS.note, "lang", lang="nb"),
        Column("note_en", SKOS.note, "lang", lang="en"),
    )


SOURCE = Column("source", DCTERMS.source, "source", multi=True, required=True,
                doc="provenance: source id with optional page, e.g. seed:32; vg")

#: The closed list of a statement's status (modality): how settled the sources say it is.
#: A SKOS concept scheme; the concepts' labels and definitions are in ``model/status.ttl``.
#: A fact without a status is stated as it is (the default reading of every source).
STATUS_SCHEME = URIRef(BASE + "status")
STATUS_CHOICES: tuple[tuple[str, URIRef], ...] = tuple(
    (value, URIRef(f"{BASE}status/{value}"))
    for value in ("foreslatt", "under-diskusjon", "planlagt", "besluttet"))


def _status() -> Column:
    return Column("status", SAM.status, "choice", choices=STATUS_CHOICES,
                  doc="how settled the sources say it is: "
                      + " / ".join(v for v, _ in STATUS_CHOICES))


#: What a single value may carry besides itself, in the per-value form of a column
#: (``built_by: [{id: norsk-helsenett, status: planlagt, source: seed:23}]``). Each becomes a
#: triple about the value's *statement* (an ``rdf:Statement`` reifying the triple the value
#: makes), so two values of one column can have two sources and two degrees of certainty.
QUALIFIERS: tuple[Column, ...] = (
    Column("source", DCTERMS.source, "source", multi=True,
           doc="the source that states this value (instead of the record's)"),
    Column("interpretation", SAM.isInterpretation, "bool",
           doc="true where this value is read from a figure rather than stated in text"),
    _status(),
    Column("note_nb", SKOS.note, "lang", lang="nb"),
    Column("note_en", SKOS.note, "lang", lang="en"),
)
QUALIFIERS_BY_NAME: dict[str, Column] = {q.name: q for q in QUALIFIERS}
#: The key of the per-value form that holds the value itself (``id`` reads well for refs).
VALUE_KEYS = ("id", "value")
#: Column types whose values may be written in the per-value form: what makes one triple per
#: value. (Types decide classes, sources are provenance, labels describe: none of them is a
#: statement one would qualify.)
QUALIFIABLE_TYPES: frozenset[str] = frozenset({"ref", "text", "int", "decimal", "bool",
                                               "date", "code", "choice"})


#: What an estimate may be for: the things a programme step funds (``segment/id`` where ids
#: clash, ``prosjekt/nilar``).
ESTIMATED_KINDS = ("pakker", "prosjekter", "tjenester", "losninger")
#: Where an estimated measure belongs, for the national/regional/local balance (Side 40):
#: the concepts of a SKOS scheme described in the ontology.
SCOPE_SCHEME = URIRef(BASE + "omfang")
SCOPE_CHOICES: tuple[tuple[str, URIRef], ...] = tuple(
    (value, URIRef(f"{BASE}omfang/{segment}"))
    for value, segment in (("national", "nasjonal"), ("regional", "regional"),
                           ("local", "lokal")))


def _mnok(name: str, predicate: URIRef, doc: str) -> Column:
    return Column(name, predicate, "decimal", doc=doc)


def _kind(name: str, cls: URIRef, segment: str, *columns: Column, doc: str = "",
          needs_source: bool = True, scheme: str = "") -> Kind:
    cols = tuple(columns) + ((SOURCE,) if needs_source else ())
    return Kind(name, cls, segment, cols, doc=doc, needs_source=needs_source,
                scheme=URIRef(BASE + scheme) if scheme else None)


KINDS: tuple[Kind, ...] = (
    _kind("kilder", SAM.Source, "kilde",
          Column("tag", SAM.sourceTag, required=True, doc="citation tag, e.g. SEED, VG"),
          *_labels(),
          Column("title", DCTERMS.title, "lang", lang="nb"),
          Column("identifier", DCTERMS.identifier),
          Column("issued", DCTERMS.issued),
          Column("citation", DCTERMS.bibliographicCitation),
          doc="documents the facts come from", needs_source=False),
    _kind("malbilde", SAM.TargetPicture, "malbilde",
          *_labels(), *_definitions(),
          Column("declared_service_count", SAM.declaredServiceCount, "int", required=True),
          Column("declared_group_count", SAM.declaredGroupCount, "int"),
          doc="the target picture itself, with the counts it declares"),
    _kind("hovedgrupper", SAM.MainGroup, "hovedgruppe",
          Column("number", SAM.groupNumber, "int", required=True),
          *_labels(),
          Column("target_picture", SAM.partOfTargetPicture, "ref", targets=("malbilde",)),
          doc="the 7 main groups of information services", scheme="hovedgrupper"),
    _kind("modenhet", SAM.MaturityRating, "modenhet",
          Column("notation", SKOS.notation, required=True), *_labels(), *_definitions(),
          doc="maturity ratings for 2023 (G, Y, R)", scheme="modenhetsnivaer"),
    _kind("plataer", SAM.Plateau, "plata",
          Column("order", SAM.plateauOrder, "int", required=True,
                 doc="position in time: the baseline first, the target state last"),
          *_labels(),
          Column("year", SAM.plateauYear, "int", doc="the year the plateau stands for, if one"),
          Column("follows", SAM.followsPlateau, "ref", targets=("plataer",),
                 doc="the plateau this one follows"),
          *_definitions(), *_notes(),
          doc="plateaus: the states the architecture is described in (baseline, 2023, target)"),
    _kind("modenhetsvurderinger", SAM.MaturityAssessment, "modenhetsvurdering",
          *_labels(required=False),
          Column("service", SAM.assessmentOf, "ref", required=True, targets=("tjenester",)),
          Column("plateau", SAM.inPlateau, "ref", required=True, targets=("plataer",)),
          Column("level", SAM.maturityLevel, "ref", required=True, targets=("modenhet",)),
          *_notes(),
          doc="maturity of one service in one plateau, with its source (labels default to "
              "'S i P: L' / 'S in P: L')"),
    _kind("organisasjoner", SAM.Organisation, "organisasjon", *_labels(), *_definitions(),
          doc="organisations that run, build or govern things"),
    _kind("aktorer", SAM.Participant, "aktor",
          Column("type", RDF.type, "type",
                 choices=(("gruppe", SAM.ActorGroup), ("aktor", SAM.Actor),
                          ("rolle", SAM.ActorRole)),
                 doc="an actor group, an actor, or a role actors play (a role is no actor)"),
          *_labels(),
          Column("part_of", SAM.partOfActorGroup, "ref", targets=("aktorer",)),
          Column("plays", SAM.playsRole, "ref", multi=True, targets=("aktorer",),
                 doc="actor -> the roles (type: rolle) it plays, where a source says so"),
          *_definitions(), *_notes(),
          doc="actors, actor groups and roles (participants), a hierarchy through part_of"),
    _kind("dimensjoner", SAM.CollaborationDimension, "dimensjon", *_labels(), *_definitions(),
          Column("between", SAM.dimensionBetween, "ref", multi=True, targets=("aktorer",),
                 doc="the actors or actor groups collaborating in this dimension"),
          *_notes(), doc="collaboration dimensions"),
    _kind("lagring", SAM.StorageAlternative, "lagring", *_labels(), *_definitions(), *_notes(),
          doc="storage alternatives", scheme="lagringsalternativer"),
    _kind("samhandlingsformer", SAM.CollaborationForm, "samhandlingsform",
          Column("type", RDF.type, "type", required=True,
                 choices=(("organisatorisk", SAM.OrganisationalCollaborationForm),
                          ("teknisk", SAM.TechnicalCollaborationForm))),
          *_labels(), *_definitions(),
          Column("realises", SAM.realisesForm, "ref", multi=True,
                 targets=("samhandlingsformer",),
                 doc="technical form -> the organisational forms it realises"),
          Column("storage", SAM.storageAlternative, "ref", multi=True, targets=("lagring",)),
          doc="organisational and technical collaboration forms", scheme="samhandlingsformer"),
    _kind("tjenester", SAM.InformationService, "tjeneste",
          Column("group", SAM.inMainGroup, "ref", required=True, targets=("hovedgrupper",)),
          *_labels(),
          Column("alt_label_nb", SKOS.altLabel, "lang", lang="nb", multi=True),
          Column("code", SAM.itCode),
          Column("maturity_2023", SAM.maturity2023, "ref", targets=("modenhet",)),
          Column("preferred_form", SAM.preferredCollaborationForm, "ref", multi=True,
                 targets=("samhandlingsformer",)),
          Column("preferred_form_source", SAM.preferredFormSource, "source", multi=True),
          Column("preferred_form_tentative", SAM.preferredFormTentative, "bool"),
          *_definitions(), *_notes(),
          doc="the information services of the target picture"),
    _kind("scenarioer", SAM.Scenario, "scenario", *_labels(),
          Column("actors", SAM.involvesActor, "ref", multi=True, targets=("aktorer",)),
          *_notes(),
          doc="citizen scenarios"),
    _kind("behov", SAM.InformationNeed, "behov",
          Column("code", SKOS.notation, "code", required=True), *_labels(),
          Column("services", SAM.handlesNeed, "ref", multi=True, inverse=True,
                 targets=("tjenester",), doc="services that handle this need"),
          Column("scenarios", SAM.arisesInScenario, "ref", multi=True, targets=("scenarioer",)),
          *_notes(),
          doc="information needs with their codes (a SKOS concept scheme)"),
    _kind("informasjonsinnhold", SAM.InformationContent, "informasjonsinnhold", *_labels(),
          Column("services", SAM.conveysContent, "ref", multi=True, inverse=True,
                 targets=("tjenester",)),
          *_notes(), doc="information content conveyed by services"),
    _kind("arbeidsprosesser", SAM.WorkProcess, "arbeidsprosess", *_labels(),
          Column("services", SAM.supportsWorkProcess, "ref", multi=True, inverse=True,
                 targets=("tjenester",)),
          Column("reuses", SAM.processReusesService, "ref", multi=True, targets=("tjenester",)),
          *_notes(), doc="generic work processes services are tied to"),
    _kind("gjenbruk", SAM.ReuseRelation, "gjenbruk",
          *_labels(required=False),
          Column("service", SAM.reusingService, "ref", required=True, targets=("tjenester",)),
          Column("reuses", SAM.reusedService, "ref", required=True, targets=("tjenester",)),
          *_notes(),
          doc="one service reusing information from another (also written as sam:reuses; "
              "labels default to 'A gjenbruker B' / 'A reuses B')"),
    _kind("smertepunkter", SAM.PainPoint, "smertepunkt", *_labels(),
          Column("answered_by", SAM.answersPainPoint, "ref", multi=True, inverse=True,
                 targets=("tjenester",)),
          *_notes(), doc="pain points voiced by citizens and personnel"),
    _kind("program", SAM.Programme, "program", *_labels(), *_definitions(),
          doc="the programme"),
    _kind("steg", SAM.ProgrammeStep, "steg",
          Column("number", SAM.stepNumber, "int", required=True), *_labels(),
          Column("programme", SAM.stepOf, "ref", required=True, targets=("program",)),
          Column("builds_on", SAM.buildsOn, "ref", multi=True, targets=("kilder",)),
          Column("covers", SAM.coversTargetPicture, "ref", multi=True, targets=("malbilde",),
                 doc="the target picture (parts of) which the step covers"),
          *_definitions(), *_notes(), doc="steps of the programme"),
    _kind("prosjekter", SAM.Project, "prosjekt", *_labels(),
          Column("acronym", SKOS.notation),
          Column("step", SAM.inStep, "ref", required=True, targets=("steg",)),
          Column("built_by", SAM.builtBy, "ref", multi=True, targets=("organisasjoner",)),
          Column("uses_solution", SAM.usesSolution, "ref", multi=True, targets=("losninger",),
                 doc="solutions the project uses (as they are)"),
          Column("changes_solution", SAM.changesSolution, "ref", multi=True,
                 targets=("losninger",), doc="solutions the project changes or extends"),
          *_definitions(), *_notes(), doc="projects of a step"),
    _kind("prosjektpunkter", SAM.ProjectItem, "prosjektpunkt",
          Column("project", SAM.itemOfProject, "ref", required=True, targets=("prosjekter",)),
          Column("type", RDF.type, "type", required=True,
                 choices=(("mal", SAM.Goal), ("status", SAM.StatusItem),
                          ("apent-sporsmal", SAM.OpenQuestion),
                          ("leveranse", SAM.Deliverable))),
          *_labels(), *_notes(),
          doc="goals, status lines, open questions and deliverables of projects"),
    _kind("losninger", SAM.Solution, "losning",
          Column("type", RDF.type, "type", required=True,
                 choices=(("nasjonal", SAM.NationalSolution), ("regional", SAM.RegionalSolution))),
          *_labels(),
          Column("operated_by", SAM.operatedBy, "ref", multi=True, targets=("organisasjoner",)),
          Column("part_of", SAM.solutionPartOf, "ref", targets=("losninger",)),
          Column("realises", SAM.realisesService, "ref", multi=True, targets=("tjenester",),
                 doc="information services the solution realises"),
          *_definitions(), *_notes(), doc="national and regional solutions"),
    _kind("pakker", SAM.Step2Package, "steg2-pakke", *_labels(),
          Column("step", SAM.inStep, "ref", required=True, targets=("steg",)),
          Column("services", SAM.touchesService, "ref", multi=True, targets=("tjenester",)),
          Column("solutions", SAM.touchesSolution, "ref", multi=True, targets=("losninger",)),
          *_definitions(), *_notes(), doc="candidate packages for step 2"),
    _kind("prinsipper", SAM.DesignToCostPrinciple, "prinsipp", *_labels(), *_definitions(),
          Column("governs", SAM.governsStep, "ref", multi=True, targets=("steg",),
                 doc="the programme steps the principle governs"),
          *_notes(), doc="design-to-cost principles (a kind of sam:Principle)"),
    _kind("moter", SAM.BoardMeeting, "mote", *_labels(),
          Column("board", SAM.meetingOf, "ref", required=True, targets=("organisasjoner",)),
          Column("date", DCTERMS.date), doc="board meetings"),
    _kind("saker", SAM.AgendaItem, "sak",
          Column("number", SKOS.notation, required=True),
          Column("meeting", SAM.onAgendaOf, "ref", required=True, targets=("moter",)),
          *_labels(),
          Column("item_type_nb", SAM.agendaItemType, "lang", lang="nb"),
          Column("item_type_en", SAM.agendaItemType, "lang", lang="en"),
          Column("time", SAM.scheduledTime),
          Column("proposed_decision_nb", SAM.proposedDecision, "lang", lang="nb"),
          Column("proposed_decision_en", SAM.proposedDecision, "lang", lang="en"),
          *_definitions(DCTERMS.description), doc="the board's agenda items"),
    _kind("tall", SAM.Figure, "tall",
          Column("about", SAM.figureAbout, "ref", required=True), *_labels(),
          Column("value", SAM.figureValue, "int", required=True),
          *_notes(), doc="figures the sources state (counts), each with its own source"),
    _kind("estimater", SAM.Estimate, "estimat",
          Column("item", SAM.estimateOf, "ref", required=True, targets=ESTIMATED_KINDS,
                 doc="the step-2 package, project, service or solution estimated"),
          _mnok("cost", SAM.cost, "cost in MNOK (a point estimate)"),
          _mnok("cost_low", SAM.costLow, "triangular estimate, MNOK: lowest"),
          _mnok("cost_likely", SAM.costLikely, "triangular estimate, MNOK: most likely"),
          _mnok("cost_high", SAM.costHigh, "triangular estimate, MNOK: highest"),
          Column("benefit", SAM.benefit, "decimal",
                 doc="benefit points; without it, the planner derives one from the graph"),
          Column("requires", SAM.requiresItem, "ref", multi=True, targets=ESTIMATED_KINDS,
                 doc="items this one needs first (besides those derived from the graph)"),
          Column("capacity", SAM.participationCapacity, "decimal",
                 doc="sector participation needed, person-years in total"),
          Column("scope", SAM.scope, "choice", choices=SCOPE_CHOICES,
                 doc="national / regional / local (the planner's default: national)"),
          Column("earliest_year", SAM.earliestYear, "int", doc="the first year work may start"),
          Column("duration_years", SAM.durationYears, "int",
                 doc="years the work takes (the planner's default: 1)"),
          *_notes(),
          doc="cost estimates for the design-to-cost planner, one per item (MNOK); the seed "
              "states no costs, so only sourced figures belong in a model"),
)

KINDS_BY_NAME: dict[str, Kind] = {k.name: k for k in KINDS}
KINDS_BY_SEGMENT: dict[str, Kind] = {k.segment: k for k in KINDS}


@dataclass(frozen=True)
class NodeKind:
    """What a resource *is* in the analysis graphs, reports and pictures (``service``,
    ``need``, ``actor_group`` ...), decided by its classes; declared here once, so the graphs,
    the report's headings and the pictures' legend cannot name the kinds differently.

    Not the same as a :class:`Kind`: a kind is a *file* of records (``tjenester``), and one
    file can hold several node kinds (``aktorer`` holds actors and actor groups), while some
    node kinds come from no file at all (need code groups, source pages).
    """

    name: str
    #: classes that make a resource this kind, the most specific first (a goal is also a
    #: project item; its class is reported as ``sam:Goal``)
    classes: tuple[URIRef, ...]
    #: one of them, as a legend names it
    nb: str
    en: str
    #: several of them, as a report's heading names them
    plural_nb: str
    plural_en: str
    #: the kind whose class this kind's class specialises (``actor_group``: ``actor``); a
    #: resource with both classes is of this kind, the more specific one
    refines: str = ""
    #: the kind classifies or cites other resources rather than taking part in the domain
    #: (a source, a main group, a figure a source states): never reported as an orphan
    bookkeeping: bool = False
    #: drawing hints for kinds with a look of their own: Graphviz node shape and fill
    #: (services are drawn in their main group's colour, other kinds as a plain box)
    shape: str = ""
    fill: str = ""


#: Every node kind, in reading order: the order a legend lists them in.
NODE_KINDS: tuple[NodeKind, ...] = (
    NodeKind("service", (SAM.InformationService,), "Informasjonstjeneste",
             "Information service", "Informasjonstjenester", "Information services"),
    NodeKind("need", (SAM.InformationNeed,), "Informasjonsbehov", "Information need",
             "Informasjonsbehov", "Information needs", shape="note", fill="#f7f7f7"),
    NodeKind("need_code_group", (SAM.NeedCodeGroup,), "Behovskodegruppe", "Need code group",
             "Behovskodegrupper", "Need code groups", bookkeeping=True),
    NodeKind("scenario", (SAM.Scenario,), "Scenario", "Scenario", "Scenarioer", "Scenarios",
             shape="box", fill="#fff8e7"),
    NodeKind("actor", (SAM.Actor, SAM.ActorRole, SAM.Participant), "Aktør", "Actor",
             "Aktører", "Actors",
             shape="ellipse", fill="#eeeeee"),
    NodeKind("actor_group", (SAM.ActorGroup,), "Aktørgruppe", "Actor group", "Aktørgrupper",
             "Actor groups", refines="actor", shape="ellipse", fill="#dddddd"),
    NodeKind("org_form", (SAM.OrganisationalCollaborationForm,),
             "Organisatorisk samhandlingsform", "Organisational collaboration form",
             "Organisatoriske samhandlingsformer", "Organisational collaboration forms",
             refines="form", shape="hexagon", fill="#fff2b3"),
    NodeKind("tech_form", (SAM.TechnicalCollaborationForm,), "Teknisk samhandlingsform",
             "Technical collaboration form", "Tekniske samhandlingsformer",
             "Technical collaboration forms", refines="form", shape="component",
             fill="#eeeeee"),
    NodeKind("form", (SAM.CollaborationForm,), "Samhandlingsform", "Collaboration form",
             "Samhandlingsformer", "Collaboration forms", shape="hexagon", fill="#eeeeee"),
    NodeKind("programme", (SAM.Programme,), "Program", "Programme", "Program", "Programmes",
             shape="folder", fill="#dfe7f2"),
    NodeKind("step", (SAM.ProgrammeStep,), "Programsteg", "Programme step", "Programsteg",
             "Programme steps", shape="box", fill="#dfe7f2"),
    NodeKind("package", (SAM.Step2Package,), "Steg 2-pakke", "Step-2 package",
             "Steg 2-pakker", "Step-2 packages", shape="tab", fill="#eef2f8"),
    NodeKind("project", (SAM.Project,), "Prosjekt", "Project", "Prosjekter", "Projects",
             shape="tab", fill="#eef2f8"),
    NodeKind("project_item", (SAM.Goal, SAM.StatusItem, SAM.OpenQuestion, SAM.Deliverable,
                              SAM.ProjectItem),
             "Prosjektpunkt", "Project item", "Prosjektpunkter", "Project items"),
    NodeKind("solution", (SAM.NationalSolution, SAM.RegionalSolution, SAM.Solution),
             "Løsning", "Solution", "Løsninger", "Solutions", shape="cylinder",
             fill="#eeeeee"),
    NodeKind("pain_point", (SAM.PainPoint,), "Smertepunkt", "Pain point", "Smertepunkter",
             "Pain points"),
    NodeKind("content", (SAM.InformationContent,), "Informasjonsinnhold",
             "Information content", "Informasjonsinnhold", "Information content"),
    NodeKind("work_process", (SAM.WorkProcess,), "Arbeidsprosess", "Work process",
             "Arbeidsprosesser", "Work processes"),
    NodeKind("reuse_relation", (SAM.ReuseRelation,), "Gjenbruksrelasjon", "Reuse relation",
             "Gjenbruksrelasjoner", "Reuse relations", bookkeeping=True),
    NodeKind("main_group", (SAM.MainGroup,), "Hovedgruppe", "Main group", "Hovedgrupper",
             "Main groups", bookkeeping=True),
    NodeKind("maturity", (SAM.MaturityRating,), "Modenhetsvurdering", "Maturity rating",
             "Modenhetsvurderinger", "Maturity ratings", bookkeeping=True),
    NodeKind("plateau", (SAM.Plateau,), "Platå", "Plateau", "Platåer", "Plateaus",
             bookkeeping=True),
    NodeKind("maturity_assessment", (SAM.MaturityAssessment,), "Modenhetsvurdering i platå",
             "Maturity in a plateau", "Modenhetsvurderinger i platåer",
             "Maturity in plateaus", bookkeeping=True),
    NodeKind("target_picture", (SAM.TargetPicture,), "Målbilde", "Target picture",
             "Målbilder", "Target pictures", bookkeeping=True),
    NodeKind("storage", (SAM.StorageAlternative,), "Lagringsalternativ", "Storage alternative",
             "Lagringsalternativer", "Storage alternatives"),
    NodeKind("dimension", (SAM.CollaborationDimension,), "Samhandlingsdimensjon",
             "Collaboration dimension", "Samhandlingsdimensjoner", "Collaboration dimensions"),
    NodeKind("organisation", (SAM.Organisation,), "Organisasjon", "Organisation",
             "Organisasjoner", "Organisations"),
    NodeKind("principle", (SAM.DesignToCostPrinciple,), "Design-to-cost-prinsipp",
             "Design-to-cost principle", "Design-to-cost-prinsipper",
             "Design-to-cost principles"),
    NodeKind("meeting", (SAM.BoardMeeting,), "Styremøte", "Board meeting", "Styremøter",
             "Board meetings"),
    NodeKind("agenda_item", (SAM.AgendaItem,), "Sak", "Agenda item", "Saker", "Agenda items"),
    NodeKind("estimate", (SAM.Estimate,), "Kostnadsestimat", "Cost estimate",
             "Kostnadsestimater", "Cost estimates", bookkeeping=True),
    NodeKind("figure", (SAM.Figure,), "Tall", "Stated number", "Tall", "Stated numbers",
             bookkeeping=True),
    NodeKind("source_page", (SAM.SourcePage,), "Kildeside", "Source page", "Kildesider",
             "Source pages", bookkeeping=True),
    NodeKind("source", (SAM.Source,), "Kilde", "Source", "Kilder", "Sources",
             bookkeeping=True),
)
NODE_KINDS_BY_NAME: dict[str, NodeKind] = {k.name: k for k in NODE_KINDS}

#: Resources the loader derives rather than reads (their IRIs live under these segments).
SOURCE_PAGE_SEGMENT = "kilde"
NEED_SCHEME = URIRef(BASE + "behovskoder")

__all__ = [
    "ID_PATTERN",
    "KINDS",
    "KINDS_BY_NAME",
    "KINDS_BY_SEGMENT",
    "NEED_CODE_PATTERN",
    "NEED_SCHEME",
    "NODE_KINDS",
    "NODE_KINDS_BY_NAME",
    "SCOPE_CHOICES",
    "Column",
    "Kind",
    "NodeKind",
    "ValueType",
]
