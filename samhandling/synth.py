"""A synthetic, national-size model in the same YAML source format as ``model/``.

The seed model is small; a real repository (every municipality's units, every need of the needs
analysis, every system) is not. This generator writes a model of any size, with the shape of
the real one, so the build, validation, query and analysis stages can be measured at the size
they must stay fast for:

* services in the 7 main groups (skewed towards group 1, as in the seed), every one with a
  maturity (g/y/r), a preferred organisational form and provenance;
* a reuse *DAG* with a few hubs (``gjenbruk.yaml``): services are ordered and only reuse
  services earlier in the order, half of them a hub;
* needs in a code hierarchy (dot-separated two-digit segments; top-level codes are derived
  code groups, as ``20`` is in the seed); every need is handled by ≥ 1 service and every
  service handles ≥ 1 need;
* actors in a hierarchy under one root actor group; scenarios involving leaf actors;
* one target picture whose ``declared_service_count`` is the number of services;
* ``rdfs:label`` in nb and en and ``source`` on every record that has those columns.

``defects`` seeds that many violations of every kind the SHACL shapes check and lists them in
``defects.json`` beside the model (kind, focus IRI, the shape expected to report it), so a
benchmark can check that a fast validator still finds everything.

Output is deterministic for the same arguments: the same seed gives the same bytes.

Examples
--------
>>> from pathlib import Path; import tempfile
>>> out = Path(tempfile.mkdtemp()) / "m"
>>> generate_model(out, services=26, needs=60, actors=30, seed=1).services
26
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .atomic import OutputError, new_folder
from .errors import UsageError
from .synth_defects import DefectSeeder

__all__ = ["DEFECT_KINDS", "SIZES", "SynthSummary", "generate_model", "size_counts"]

#: Size presets: (services, needs, actors), chosen so that the built graph has about the
#: number of triples in the name (``small`` is seed-like: 26 services).
SIZES: dict[str, tuple[int, int, int]] = {
    "small": (26, 120, 60),
    "100k": (1_150, 5_700, 3_400),
    "1m": (11_500, 57_000, 34_000),
}

#: The seven main groups of [SEED] Side 32 (number, nb, en).
GROUPS: tuple[tuple[int, str, str], ...] = (
    (1, "Skaffe seg oversikt over innbyggers tilstand og behov for helsehjelp",
     "Get an overview of the citizen's condition and need for care"),
    (2, "Gjøre oppslag i tidligere journalopplysninger", "Look up earlier record information"),
    (3, "Anmode om eller bestille tjenester eller ytelser, med svar samt kommunisere om saker",
     "Request or order services or benefits, with answers, and communicate about cases"),
    (4, "Innhente innbyggers opplysninger", "Collect the citizen's information"),
    (5, "Slå opp i generelle informasjonskilder (grunndata)",
     "Look up general information sources (basic data)"),
    (6, "Rapportere egen aktivitet", "Report own activity"),
    (7, "Arrangere og delta i møter, konsultasjoner og samtaler",
     "Arrange and take part in meetings, consultations and conversations"),
)
#: How services spread over the groups (the seed has 8/4/4/3/2/2/3).
GROUP_WEIGHTS = (8, 4, 4, 3, 2, 2, 3)

#: Themes for labels (nb, en); a label is a theme plus a number, so labels stay readable.
THEMES: tuple[tuple[str, str], ...] = (
    ("Legemidler", "Medicines"), ("Plan", "Plan"), ("Kritisk informasjon", "Critical information"),
    ("Prosedyrer", "Procedures"), ("Målinger", "Measurements"), ("Journaldokumenter",
                                                                  "Journal documents"),
    ("Bestilling", "Order"), ("Henvisning", "Referral"), ("Demografi", "Demographics"),
    ("Personvern", "Privacy"), ("Klinisk kunnskap", "Clinical knowledge"),
    ("Rapportering", "Reporting"), ("Video", "Video"), ("Tekstlig dialog", "Text dialogue"),
    ("Immunisering", "Immunisation"), ("Hjelpemidler", "Assistive aids"),
)
NEED_THEMES: tuple[tuple[str, str], ...] = (
    ("Legemidler i bruk", "Medicines in use"), ("Planlagte kontakter", "Planned contacts"),
    ("Kliniske målinger", "Clinical measurements"), ("Aktuelle diagnoser", "Current diagnoses"),
    ("Funksjonsnivå", "Functional level"), ("Mål for behandling", "Treatment goals"),
    ("Behandlingsplan", "Treatment plan"), ("Allergier", "Allergies"),
    ("Pårørende", "Next of kin"), ("Samtykker", "Consents"), ("Labsvar", "Lab results"),
    ("Epikrise", "Discharge summary"),
)
TOP_ACTOR_GROUPS: tuple[tuple[str, str, str, str, str], ...] = (
    # id, nb, en, sub-group prefix nb, en
    ("kommunal-helse-og-omsorgstjeneste", "Kommunal helse- og omsorgstjeneste",
     "Municipal health and care service", "Kommune", "Municipality"),
    ("spesialisthelsetjenesten", "Spesialisthelsetjenesten", "Specialist health service",
     "Helseforetak", "Health trust"),
    ("innbygger", "Innbygger", "Citizen", "Innbyggergruppe", "Citizen group"),
    ("aktorer-utenfor-helse-og-omsorg", "Aktører utenfor helse- og omsorgstjenesten",
     "Actors outside the health and care service", "Virksomhet", "Agency"),
)
LEAF_ACTORS: tuple[tuple[str, str], ...] = (
    ("Fastlege", "Regular GP"), ("Sykehjem", "Nursing home"),
    ("Hjemmebaserte tjenester", "Home-based services"), ("Helsestasjon", "Health centre"),
    ("Legevakt", "Emergency clinic"), ("Sengepost", "Ward"), ("Poliklinikk", "Outpatient clinic"),
    ("Laboratorium", "Laboratory"), ("Skole", "School"), ("NAV-kontor", "NAV office"),
)
ORG_FORMS = ("sende-og-motta", "sla-opp-og-tilgjengeliggjore", "endre-og-dele")
FORM_WEIGHTS = (3, 5, 2)
#: Sources (id, tag, nb, en) and the page range records cite.
SOURCES: tuple[tuple[str, str, str, str, int], ...] = (
    ("seed", "SEED", "Nasjonalt e-helsestyre juni 2021", "National e-health board, June 2021", 44),
    ("vg", "VG", "Sentralt styringsdokument Akson, vedlegg G",
     "Akson central governance document, appendix G", 120),
    ("lag", "LAG", "Prinsipper for lagring", "Principles for storage", 40),
    ("synth", "SYNTH", "Syntetisk modell", "Synthetic model", 0),
)

#: The need-code scheme, as the seed model declares it (model/kodeverk.ttl).
CODE_SCHEME_TTL = """\
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .

<https://w3id.org/samhandling/behovskoder>
    a skos:ConceptScheme ;
    rdfs:label "Behovskoder"@nb, "Need codes"@en ;
    dcterms:source <https://w3id.org/samhandling/kilde/seed/side-31> .
"""

#: Every kind of violation ``defects`` seeds, in the order they are seeded. Each breaks one rule
#: of ``shapes/`` in a way the strict build still loads (a dangling id is a load error, so the
#: dangling reference is one written in a passthrough .ttl, which only SHACL can catch).
DEFECT_KINDS: tuple[str, ...] = (
    "service-without-group", "service-in-two-groups", "bad-maturity", "missing-en-label",
    "missing-source", "reuse-cycle", "self-reuse", "need-broader-not-prefix",
    "actor-outside-hierarchy", "actor-hierarchy-cycle", "dangling-reference", "bad-it-code",
    "wrong-declared-count",
)

#: Values written plain: letters, digits and a few marks, no ": " (the loader keeps text, so
#: ``05.20`` stays a string); anything else is written as a JSON (= YAML double-quoted) string.
#: Files besides ``<kind>.yaml`` a run may write; a run that does not write one removes it.
GENERATED_EXTRAS = ("kodeverk.ttl", "defekter.ttl", "defects.json")
_PLAIN = re.compile(r"^[A-Za-z0-9ÆØÅæøå](?:[A-Za-z0-9ÆØÅæøå ._()/,-]|:(?=[^ ]))*$")
#: Columns written quoted whatever their value, as the hand-written model does.
_QUOTED = frozenset({"code"})
TARGET_PICTURE_ID = "synth"
ROOT_ACTOR_ID = "aktorer-i-samhandling"


@dataclass
class SynthSummary:
    """What :func:`generate_model` wrote: record counts per kind, seeded defects, files."""

    out_dir: Path
    services: int
    needs: int
    actors: int
    seed: int
    records: dict[str, int] = field(default_factory=dict)
    #: One entry per validation result the seeded defects must give: kind, defect (its
    #: number within the kind), focus, shape, path, value (IRIs in full), severity.
    defects: list[dict[str, Any]] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    @property
    def total_records(self) -> int:
        return sum(self.records.values())


Record = dict[str, str | list[str]]


def size_counts(size: str) -> tuple[int, int, int]:
    """(services, needs, actors) of a size preset; an unknown name lists the valid ones."""
    try:
        return SIZES[size]
    except KeyError:
        raise UsageError(f"unknown size '{size}'; valid sizes: {', '.join(SIZES)}") from None


def generate_model(out_dir: Path, services: int, needs: int, actors: int, seed: int,
                   defects: int = 0, *, force: bool = False) -> SynthSummary:
    """Write a synthetic model folder to ``out_dir`` and return what it holds.

    Parameters
    ----------
    out_dir: folder to write; created if missing, its parent must exist. It is written whole
        or not at all (:func:`samhandling.atomic.new_folder`): an existing non-empty folder
        is refused, or with ``force`` replaced as a whole, so files of two models never mix.
    services, needs, actors: how many of each (needs ≥ services so every service has a need;
        actors ≥ 10 so the hierarchy has room for its groups).
    seed: seed of the random generator; the same arguments always give the same files.
    defects: how many violations of each kind in :data:`DEFECT_KINDS` to seed.

    Raises
    ------
    UsageError: counts out of range, or ``out_dir`` cannot be created.
    OutputError: ``out_dir`` is not empty (without ``force``) or cannot be written.

    Notes
    -----
    Linear in the number of records: every choice is O(1) (hubs and parents are drawn from
    lists, never searched).
    """
    _check_counts(services, needs, actors, defects)
    out_dir = Path(out_dir)
    if not out_dir.parent.exists():
        raise UsageError(f"{out_dir}: parent folder {out_dir.parent} does not exist")
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"{out_dir}: exists and is not a folder")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not force:  # before the work, not after
        raise OutputError(f"{out_dir}: folder is not empty; use --force to replace it as a "
                          "whole")
    generator = _Generator(random.Random(seed), services, needs, actors)
    files = generator.generate()
    summary = SynthSummary(out_dir, services, needs, actors, seed)
    if defects:
        summary.defects = generator.seed_defects(defects)
    names: list[str] = []
    with new_folder(out_dir, force=force) as folder:
        for kind, records in files.items():  # one text in memory at a time (1m: ~100 MB)
            names.append(f"{kind}.yaml")
            (folder / names[-1]).write_text(_yaml(records), encoding="utf-8")
            summary.records[kind] = len(records)
        for name, text in generator.extra_files.items():
            names.append(name)
            (folder / name).write_text(text, encoding="utf-8")
        if defects:
            names.append("defects.json")
            (folder / names[-1]).write_text(
                json.dumps(summary.defects, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    summary.files.extend(out_dir / name for name in names)
    return summary


def _check_counts(services: int, needs: int, actors: int, defects: int) -> None:
    if services < 7:
        raise UsageError(f"--services must be at least 7 (one per main group), got {services}")
    if needs < services:
        raise UsageError(f"--needs must be at least --services ({services}) so every service "
                         f"handles a need, got {needs}")
    if actors < 10:
        raise UsageError(f"--actors must be at least 10 (root, 4 top groups, their members), "
                         f"got {actors}")
    if defects < 0:
        raise UsageError(f"--defects must not be negative, got {defects}")


class _Generator:
    """Draws the records of every kind; ``files`` maps kind -> records in file order."""

    def __init__(self, rng: random.Random, services: int, needs: int, actors: int) -> None:
        self.rng = rng
        self.n_services = services
        self.n_needs = needs
        self.n_actors = actors
        self.files: dict[str, list[Record]] = {}
        self.extra_files: dict[str, str] = {}

    # -- helpers -----------------------------------------------------------------------
    def _source(self, main: str = "seed", page: int | None = None) -> list[str]:
        """A record's provenance: one cited page, sometimes a second source."""
        pages = {s[0]: s[4] for s in SOURCES}
        cited = [f"{main}:{page or self.rng.randint(1, pages[main])}" if pages[main] else main]
        if self.rng.random() < 0.2:
            cited.append("synth")
        return cited

    # -- kinds -------------------------------------------------------------------------
    def generate(self) -> dict[str, list[Record]]:
        self.files["kilder"] = [
            {"id": sid, "tag": tag, "label_nb": nb, "label_en": en}
            for sid, tag, nb, en, _ in SOURCES]
        self.files["malbilde"] = [{
            "id": TARGET_PICTURE_ID, "label_nb": "Syntetisk målbilde",
            "label_en": "Synthetic target picture",
            "declared_service_count": str(self.n_services), "declared_group_count": "7",
            "source": ["synth"]}]
        self.files["hovedgrupper"] = [
            {"id": f"gruppe-{n}", "number": str(n), "label_nb": nb, "label_en": en,
             "target_picture": TARGET_PICTURE_ID, "source": ["seed:32"]}
            for n, nb, en in GROUPS]
        self.files["modenhet"] = [
            {"id": i, "notation": i.upper(), "label_nb": nb, "label_en": en, "source": ["vg"]}
            for i, nb, en in (("g", "Grønn", "Green"), ("y", "Gul", "Yellow"),
                              ("r", "Rød", "Red"))]
        self.files["lagring"] = [
            {"id": i, "label_nb": nb, "label_en": en, "source": ["lag"]}
            for i, nb, en in (("lokal-original", "Lokal original", "Local original"),
                              ("nasjonal-original", "Nasjonal original", "National original"),
                              ("nasjonal-kopi", "Nasjonal kopi", "National copy"))]
        self.files["samhandlingsformer"] = self._forms()
        self.extra_files["kodeverk.ttl"] = CODE_SCHEME_TTL
        self._actors()
        self._services()
        self._reuse()
        self._scenarios()
        self._needs()
        return self.files

    def _forms(self) -> list[Record]:
        organisational = [
            ("sende-og-motta", "Sende og motta", "Send and receive", ["lokal-original"]),
            ("sla-opp-og-tilgjengeliggjore", "Slå opp og tilgjengeliggjøre",
             "Look up and make available", ["lokal-original", "nasjonal-kopi"]),
            ("endre-og-dele", "Endre og dele", "Change and share", ["nasjonal-original"]),
        ]
        technical = [
            ("meldingsutveksling", "Meldingsutveksling", "Message exchange", ["sende-og-motta"]),
            ("dokumentdeling", "Dokumentdeling", "Document sharing",
             ["sla-opp-og-tilgjengeliggjore"]),
            ("datadeling", "Datadeling", "Data sharing",
             ["sla-opp-og-tilgjengeliggjore", "endre-og-dele"]),
            ("samhandling-i-felles-losning", "Samhandling i felles løsning",
             "Collaboration in a shared solution", ["endre-og-dele"]),
            ("portaltilgang", "Portaltilgang", "Portal access", ["sla-opp-og-tilgjengeliggjore"]),
        ]
        records: list[Record] = [
            {"id": i, "type": "organisatorisk", "label_nb": nb, "label_en": en,
             "storage": storage, "source": ["vg:41"]}
            for i, nb, en, storage in organisational]
        records += [
            {"id": i, "type": "teknisk", "label_nb": nb, "label_en": en, "realises": realises,
             "source": ["vg:42"]}
            for i, nb, en, realises in technical]
        return records

    def _actors(self) -> None:
        """Root group, 4 top groups, sub-groups (municipalities, trusts ...), leaf actors."""
        rng = self.rng
        records: list[Record] = [{
            "id": ROOT_ACTOR_ID, "type": "gruppe", "label_nb": "Aktører i samhandling",
            "label_en": "Actors in collaboration", "source": ["seed:27"]}]
        for gid, nb, en, _, _ in TOP_ACTOR_GROUPS:
            records.append({"id": gid, "type": "gruppe", "label_nb": nb, "label_en": en,
                            "part_of": ROOT_ACTOR_ID, "source": ["seed:27"]})
        remaining = self.n_actors - len(records)
        n_sub = max(1, remaining // 10)
        sub_ids: list[str] = []
        for i in range(n_sub):
            top = TOP_ACTOR_GROUPS[i % len(TOP_ACTOR_GROUPS)]
            sid = f"{top[3].lower()}-{i + 1:05d}"
            sub_ids.append(sid)
            records.append({"id": sid, "type": "gruppe", "label_nb": f"{top[3]} {i + 1}",
                            "label_en": f"{top[4]} {i + 1}", "part_of": top[0],
                            "source": self._source("vg")})
        leaves: list[str] = []
        for i in range(self.n_actors - len(records)):
            nb, en = LEAF_ACTORS[rng.randrange(len(LEAF_ACTORS))]
            # every sub-group gets a member first (an empty group is reported, sh:Info)
            parent = sub_ids[i] if i < len(sub_ids) else sub_ids[rng.randrange(len(sub_ids))]
            aid = f"aktor-{i + 1:06d}"
            leaves.append(aid)
            records.append({"id": aid, "type": "aktor", "label_nb": f"{nb} {i + 1}",
                            "label_en": f"{en} {i + 1}", "part_of": parent,
                            "source": self._source("seed", 27)})
        self.leaf_actors = leaves or sub_ids
        self.files["aktorer"] = records

    def _services(self) -> None:
        rng = self.rng
        records: list[Record] = []
        groups = rng.choices(range(1, 8), weights=GROUP_WEIGHTS, k=self.n_services)
        groups[:7] = range(1, 8)  # every group has a service
        self.service_ids: list[str] = []
        self.services_by_group: dict[int, list[str]] = {n: [] for n in range(1, 8)}
        for i, group in enumerate(groups):
            sid = f"tjeneste-{i + 1:05d}"
            nb, en = THEMES[rng.randrange(len(THEMES))]
            forms = rng.choices(ORG_FORMS, weights=FORM_WEIGHTS, k=2 if rng.random() < 0.1 else 1)
            record: Record = {
                "id": sid, "group": f"gruppe-{group}",
                "label_nb": f"{nb} {i + 1}", "label_en": f"{en} {i + 1}",
                "maturity_2023": rng.choices(("g", "y", "r"), weights=(2, 3, 4))[0],
                "preferred_form": sorted(set(forms)),
                "preferred_form_source": [rng.choice(("vg", "lag"))],
                "source": self._source("seed", 32)}
            if i < 99:  # IT codes are two digits (IT01..IT99): only the first services have one
                record["code"] = f"IT{i + 1:02d}"
            if rng.random() < 0.2:
                record["preferred_form_tentative"] = "false"  # "true" is reported (sh:Info)
            if rng.random() < 0.3:
                record["definition_nb"] = f"Informasjonstjeneste for {nb.lower()}."
                record["definition_en"] = f"Information service for {en.lower()}."
            records.append(record)
            self.service_ids.append(sid)
            self.services_by_group[group].append(sid)
        self.files["tjenester"] = records

    def _reuse(self) -> None:
        """A DAG: service i reuses only services before it; a few early ones are hubs."""
        rng = self.rng
        ids = self.service_ids
        n_hubs = max(3, len(ids) // 200)
        records: list[Record] = []
        for i in range(1, len(ids)):
            k = rng.choices((0, 1, 2, 3), weights=(3, 4, 2, 1))[0]
            targets: set[int] = set()
            for _ in range(k):
                if rng.random() < 0.5:
                    targets.add(rng.randrange(min(i, n_hubs)))
                else:
                    targets.add(rng.randrange(i))
            for j in sorted(targets):
                record: Record = {"id": f"{ids[i]}--{ids[j]}", "service": ids[i],
                                  "reuses": ids[j], "source": self._source("seed", 30)}
                if rng.random() < 0.3:
                    record["interpretation"] = "true"
                records.append(record)
        self.files["gjenbruk"] = records

    def _scenarios(self) -> None:
        rng = self.rng
        n = max(3, self.n_needs // 25)
        records: list[Record] = []
        self.scenario_ids = []
        for i in range(n):
            sid = f"scenario-{i + 1:05d}"
            k = min(len(self.leaf_actors), rng.randint(2, 4))
            actors = sorted({self.leaf_actors[rng.randrange(len(self.leaf_actors))]
                             for _ in range(k)})
            records.append({"id": sid, "label_nb": f"Når innbygger {i + 1} trenger hjelp",
                            "label_en": f"When citizen {i + 1} needs help", "actors": actors,
                            "source": self._source("vg")})
            self.scenario_ids.append(sid)
        self.files["scenarioer"] = records

    def _needs(self) -> None:
        """Codes grow as a random tree under derived top-level code groups, depth ≤ 5."""
        rng = self.rng
        n_top = min(99, max(7, self.n_needs // 500))
        tops = sorted(rng.sample(range(1, 100), n_top))
        # (code, depth, next free child segment); top-level codes are code groups, not needs
        parents: list[list] = [[f"{t:02d}", 1, 5] for t in tops]
        top_group = {f"{t:02d}": (k % 7) + 1 for k, t in enumerate(tops)}
        records: list[Record] = []
        service_of_need: list[str] = []
        for i in range(self.n_needs):
            while True:
                slot = parents[rng.randrange(len(parents))]
                if slot[2] <= 99:
                    break
            code = f"{slot[0]}.{slot[2]:02d}"
            slot[2] += rng.choice((1, 5, 5, 10))
            if slot[1] + 1 < 5:
                parents.append([code, slot[1] + 1, rng.choice((5, 10, 20))])
            # the first need of every service guarantees coverage; later needs follow groups
            if i < self.n_services:
                service = self.service_ids[i]
            else:
                group = self.services_by_group[top_group[code[:2]]]
                service = group[rng.randrange(len(group))]
            service_of_need.append(service)
            nb, en = NEED_THEMES[rng.randrange(len(NEED_THEMES))]
            services = {service}
            if rng.random() < 0.3:
                services.add(self.service_ids[rng.randrange(len(self.service_ids))])
            record: Record = {
                "id": code, "code": code, "label_nb": f"{nb} ({code})",
                "label_en": f"{en} ({code})", "services": sorted(services),
                "scenarios": [self.scenario_ids[rng.randrange(len(self.scenario_ids))]],
                "source": self._source("seed", 31)}
            records.append(record)
        records.sort(key=lambda r: str(r["id"]))
        self.files["behov"] = records

    # -- defects -----------------------------------------------------------------------
    def seed_defects(self, count: int) -> list[dict[str, Any]]:
        """Break the model ``count`` times per kind of :data:`DEFECT_KINDS`.

        Every defect still loads with the strict build (``samhandling build``): what YAML cannot
        say without a load error (a record without a required column, a second value in a
        one-value column) is written to the passthrough file ``defekter.ttl``. Returns one
        entry per validation result the shapes must report (a reuse cycle is reported on
        every service on it, so one seeded cycle can expect several), sorted.
        """
        seeder = DefectSeeder(self, count)
        for kind in DEFECT_KINDS:
            getattr(seeder, "seed_" + kind.replace("-", "_"))()
        seeder.finish()
        return sorted(seeder.expected,
                      key=lambda d: (d["kind"], d["defect"], d["focus"], d["shape"], d["value"]))


# -- YAML writing -------------------------------------------------------------------------------
def _scalar(value: str, quoted: bool = False) -> str:
    """Plain when it cannot be misread, else a JSON string (valid double-quoted YAML)."""
    if not quoted and _PLAIN.match(value) and value not in ("null", "~"):
        return value
    return json.dumps(value, ensure_ascii=False)


def _yaml(records: Sequence[Record]) -> str:
    """Records as a YAML list in the hand-written style of ``model/`` (one column a line)."""
    lines: list[str] = []
    for record in records:
        first = True
        for key, value in record.items():
            prefix = "- " if first else "  "
            first = False
            if isinstance(value, list):
                lines.append(f"{prefix}{key}: [{', '.join(_scalar(v) for v in value)}]")
            else:
                lines.append(f"{prefix}{key}: {_scalar(value, key in _QUOTED)}")
    lines.append("")
    return "\n".join(lines)

