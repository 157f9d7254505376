"""Defects seeded into a synthetic model (``samhandling synth --defects N``).

One method per kind of :data:`samhandling.synth.DEFECT_KINDS`: each breaks ``count`` fresh
records of a generated model so that defects never meet, and records what a correct validator
must report for it (kind, focus, shape, path, value) in ``defects.json``. Kept apart from the
generator (:mod:`samhandling.synth`), which writes valid models and knows nothing of shapes.
"""

from __future__ import annotations

import json
import random
from typing import Any, Protocol

from .errors import UsageError
from .namespaces import BASE


class GeneratedModel(Protocol):
    """What the seeder reads and changes of a generated model (``synth._Generator``): the
    records per kind, extra files, the service ids in generation order and the random
    generator, so the defects follow from the same seed."""

    files: dict[str, list[dict[str, str | list[str]]]]
    extra_files: dict[str, str]
    service_ids: list[str]
    n_services: int
    rng: random.Random

SHAPES = BASE + "shapes#"
SAM_NS = BASE + "ontologi#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
DCTERMS_SOURCE = "http://purl.org/dc/terms/source"
SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _iri(segment: str, record_id: str) -> str:
    return f"{BASE}{segment}/{record_id}"


class DefectSeeder:
    """One method per defect kind; each breaks ``count`` fresh records so defects never meet."""

    def __init__(self, generator: GeneratedModel, count: int) -> None:
        self.g = generator
        self.count = count
        self.expected: list[dict[str, Any]] = []
        self.ttl: list[str] = []
        self.extra_services = 0
        self.wrong_count = False
        #: (kind, defect number, services) of each seeded reuse cycle
        self.cycle_defects: list[tuple[str, int, set[str]]] = []
        hubs = max(3, len(generator.service_ids) // 200)
        # services defects may touch, each at most once: no hubs, in a seeded random order
        self.free = generator.service_ids[hubs:]
        generator.rng.shuffle(self.free)
        needed = 6 * count
        if len(self.free) < needed:
            raise UsageError(f"--defects {count} needs at least {needed + hubs} services, "
                             f"got {len(generator.service_ids)}")
        self.records = {r["id"]: r for r in generator.files["tjenester"]}

    def take_service(self) -> str:
        return self.free.pop()

    def expect(self, kind: str, k: int, focus: str, shape: str, path: str = "",
               value: str = "") -> None:
        self.expected.append({"kind": kind, "defect": k, "focus": focus,
                              "shape": SHAPES + shape, "path": path, "value": value,
                              "severity": "Violation"})

    def triples(self, subject: str, *pairs: tuple[str, str]) -> None:
        """Turtle for one subject; objects are written already as Turtle terms."""
        body = " ;\n    ".join(f"<{p}> {o}" for p, o in pairs)
        self.ttl.append(f"<{subject}>\n    {body} .\n")

    @staticmethod
    def text(value: str, lang: str) -> str:
        return f"{json.dumps(value, ensure_ascii=False)}@{lang}"

    def labelled(self, nb: str, en: str | None, k: int) -> list[tuple[str, str]]:
        pairs = [(RDFS_LABEL, self.text(f"{nb} {k}", "nb"))]
        if en is not None:
            pairs.append((RDFS_LABEL, self.text(f"{en} {k}", "en")))
        return pairs

    # one method per kind, named after it ------------------------------------------------
    def seed_service_without_group(self) -> None:
        for k in range(1, self.count + 1):
            sid = f"defekt-uten-gruppe-{k}"
            iri = _iri("tjeneste", sid)
            need = self.g.files["behov"][k % len(self.g.files["behov"])]["id"]
            self.triples(iri, (RDF_TYPE, f"<{SAM_NS}InformationService>"),
                         *self.labelled("Tjeneste uten gruppe", "Service without group", k),
                         (SAM_NS + "maturity2023", f"<{_iri('modenhet', 'g')}>"),
                         (SAM_NS + "preferredCollaborationForm",
                          f"<{_iri('samhandlingsform', 'sende-og-motta')}>"),
                         (SAM_NS + "handlesNeed", f"<{_iri('behov', str(need))}>"),
                         (DCTERMS_SOURCE, f"<{_iri('kilde', 'synth')}>"))
            self.extra_services += 1
            self.expect("service-without-group", k, iri, "InformationService-inMainGroup",
                        SAM_NS + "inMainGroup")

    def seed_service_in_two_groups(self) -> None:
        for k in range(1, self.count + 1):
            sid = self.take_service()
            group = int(str(self.records[sid]["group"]).rsplit("-", 1)[1])
            other = _iri("hovedgruppe", f"gruppe-{group % 7 + 1}")
            self.triples(_iri("tjeneste", sid), (SAM_NS + "inMainGroup", f"<{other}>"))
            self.expect("service-in-two-groups", k, _iri("tjeneste", sid),
                        "InformationService-inMainGroup", SAM_NS + "inMainGroup")

    def seed_bad_maturity(self) -> None:
        for k in range(1, self.count + 1):
            rid = f"defekt-{k}"
            self.g.files["modenhet"].append({
                "id": rid, "notation": f"X{k}", "label_nb": f"Ukjent {k}",
                "label_en": f"Unknown {k}", "source": ["synth"]})
            self.records[self.take_service()]["maturity_2023"] = rid
            self.expect("bad-maturity", k, _iri("modenhet", rid), "MaturityRating-notation",
                        SKOS_NS + "notation", f"X{k}")

    def seed_missing_en_label(self) -> None:
        for k in range(1, self.count + 1):
            iri = _iri("scenario", f"defekt-uten-engelsk-{k}")
            self.triples(iri, (RDF_TYPE, f"<{SAM_NS}Scenario>"),
                         *self.labelled("Scenario uten engelsk navn", None, k),
                         (DCTERMS_SOURCE, f"<{_iri('kilde', 'synth')}>"))
            self.expect("missing-en-label", k, iri, "label-en", RDFS_LABEL)

    def seed_missing_source(self) -> None:
        for k in range(1, self.count + 1):
            iri = _iri("scenario", f"defekt-uten-kilde-{k}")
            self.triples(iri, (RDF_TYPE, f"<{SAM_NS}Scenario>"),
                         *self.labelled("Scenario uten kilde", "Scenario without source", k))
            self.expect("missing-source", k, iri, "source-present", DCTERMS_SOURCE)

    def seed_reuse_cycle(self) -> None:
        """A back edge B -> A beside A -> B; the results follow in :meth:`finish`."""
        by_user: dict[str, list[str]] = {}
        for record in self.g.files["gjenbruk"]:
            by_user.setdefault(str(record["service"]), []).append(str(record["reuses"]))
        free = set(self.free)
        seeded = 0
        for user in list(self.free):
            if seeded == self.count:
                break
            targets = [t for t in by_user.get(user, []) if t in free and t != user]
            if user not in free or not targets:
                continue
            used = targets[0]
            free -= {user, used}
            self.free.remove(user)
            self.free.remove(used)
            seeded += 1
            self.g.files["gjenbruk"].append({
                "id": f"{used}--{user}", "service": used, "reuses": user,
                "source": ["synth"]})
            self.cycle_defects.append(("reuse-cycle", seeded, {user, used}))
        if seeded < self.count:
            raise UsageError(f"--defects {self.count}: the reuse graph has room for only "
                             f"{seeded} separate cycles; use more services")

    def seed_self_reuse(self) -> None:
        for k in range(1, self.count + 1):
            sid = self.take_service()
            rid = f"{sid}--{sid}"
            self.g.files["gjenbruk"].append({"id": rid, "service": sid, "reuses": sid,
                                             "source": ["synth"]})
            self.expect("self-reuse", k, _iri("gjenbruk", rid), "ReuseRelation-reusingService",
                        SAM_NS + "reusingService", _iri("tjeneste", sid))
            self.cycle_defects.append(("self-reuse", k, {sid}))

    def seed_need_broader_not_prefix(self) -> None:
        needs = self.g.files["behov"]
        for k in range(1, self.count + 1):
            code = f"{98 - (k - 1) // 99:02d}.{(k - 1) % 99 + 1:02d}"
            iri = _iri("behov", f"defekt-prefiks-{k}")
            broader = next(str(n["id"]) for n in needs[k - 1:] if "." in str(n["id"]))
            self.triples(iri, (RDF_TYPE, f"<{SAM_NS}InformationNeed>"),
                         (SKOS_NS + "notation", json.dumps(code)),
                         *self.labelled("Behov med feil overordnet", "Need, wrong broader", k),
                         (SKOS_NS + "broader", f"<{_iri('behov', broader)}>"),
                         (DCTERMS_SOURCE, f"<{_iri('kilde', 'synth')}>"))
            self.expect("need-broader-not-prefix", k, iri, "InformationNeed-broaderPrefix",
                        SKOS_NS + "broader", _iri("behov", broader))

    def seed_actor_outside_hierarchy(self) -> None:
        for k in range(1, self.count + 1):
            aid = f"defekt-utenfor-{k}"
            self.g.files["aktorer"].append({
                "id": aid, "type": "aktor", "label_nb": f"Aktør utenfor {k}",
                "label_en": f"Actor outside {k}", "source": ["synth"]})
            self.expect("actor-outside-hierarchy", k, _iri("aktor", aid), "Actor-inHierarchy",
                        SAM_NS + "partOfActorGroup")

    def seed_actor_hierarchy_cycle(self) -> None:
        for k in range(1, self.count + 1):
            first, second = f"defekt-ring-{k}-a", f"defekt-ring-{k}-b"
            for me, other in ((first, second), (second, first)):
                self.g.files["aktorer"].append({
                    "id": me, "type": "gruppe", "label_nb": f"Ring {k} {me[-1]}",
                    "label_en": f"Loop {k} {me[-1]}", "part_of": other, "source": ["synth"]})
                self.expect("actor-hierarchy-cycle", k, _iri("aktor", me),
                            "Actor-noHierarchyCycle", SAM_NS + "partOfActorGroup",
                            _iri("aktor", other))

    def seed_dangling_reference(self) -> None:
        for k in range(1, self.count + 1):
            sid = self.take_service()
            missing = _iri("behov", f"finnes-ikke-{k}")
            self.triples(_iri("tjeneste", sid), (SAM_NS + "handlesNeed", f"<{missing}>"))
            self.expect("dangling-reference", k, _iri("tjeneste", sid),
                        "InformationService-handlesNeed-class", SAM_NS + "handlesNeed", missing)

    def seed_bad_it_code(self) -> None:
        for k in range(1, self.count + 1):
            sid = self.take_service()
            self.records[sid]["code"] = f"IT-{k}"
            self.expect("bad-it-code", k, _iri("tjeneste", sid), "InformationService-itCode",
                        SAM_NS + "itCode", f"IT-{k}")

    def seed_wrong_declared_count(self) -> None:
        """One target picture, so one defect whatever ``count`` is."""
        self.wrong_count = True

    def finish(self) -> None:
        picture = self.g.files["malbilde"][0]
        declared = self.g.n_services + self.extra_services + (1 if self.wrong_count else 0)
        picture["declared_service_count"] = str(declared)
        if self.wrong_count:
            self.expect("wrong-declared-count", 1, _iri("malbilde", str(picture["id"])),
                        "TargetPicture-serviceCount", SAM_NS + "declaredServiceCount",
                        str(declared))
        self._expect_cycles()
        if self.ttl:
            self.g.extra_files["defekter.ttl"] = (
                "# Defects seeded by `samhandling synth --defects`; defects.json lists what the\n"
                "# shapes must report.\n\n" + "\n".join(self.ttl))

    def _expect_cycles(self) -> None:
        """The reuse-cycle rule reports every reuse edge inside a cycle, on its user."""
        import networkx as nx

        graph: nx.DiGraph[str] = nx.DiGraph()
        for record in self.g.files["gjenbruk"]:
            graph.add_edge(str(record["service"]), str(record["reuses"]))
        component = {node: n for n, nodes in enumerate(nx.strongly_connected_components(graph))
                     for node in nodes}
        for user, used in sorted(graph.edges):
            if component[user] != component[used] and user != used:
                continue
            kind, k = next((kind, k) for kind, k, members in self.cycle_defects
                           if user in members or used in members
                           or component[user] in {component[m] for m in members})
            self.expect(kind, k, _iri("tjeneste", user), "InformationService-noReuseCycle",
                        SAM_NS + "reuses", _iri("tjeneste", used))
