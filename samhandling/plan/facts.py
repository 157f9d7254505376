"""What the planner reads from the model graph: the items it can plan and what they deliver.

An *item* is a step-2 package, a project, a service or a solution. What an item delivers and
needs is declared in :data:`DELIVERS` and :data:`NEEDS`, one row per kind of item, so a new
relation (a project that delivers a service) is one line here.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import URIRef

from ..analysis.index import ModelIndex
from ..namespaces import BASE, SAM

#: node kind of an item -> its IRI segment (for qualified ids such as ``prosjekt/nilar``)
ITEM_KINDS: dict[str, str] = {
    "package": "steg2-pakke",
    "project": "prosjekt",
    "service": "tjeneste",
    "solution": "losning",
}

#: node kind -> predicates whose objects are the services an item of that kind delivers
#: (a service delivers itself)
DELIVERS: dict[str, tuple[URIRef, ...]] = {
    "package": (SAM.touchesService,),
    "project": (SAM.touchesService,),
}
#: node kind -> predicates whose objects are the solutions an item of that kind needs
NEEDS: dict[str, tuple[URIRef, ...]] = {
    "package": (SAM.touchesSolution,),
    "project": (SAM.touchesSolution,),
}


def local_id(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def short_id(iri: str) -> str:
    """``segment/id`` below the base IRI (``steg2-pakke/felles-sprak``)."""
    return iri[len(BASE):] if iri.startswith(BASE) else iri


@dataclass
class ModelFacts:
    """The relations the planner needs, as sets of IRIs."""

    index: ModelIndex
    #: item IRI -> node kind
    items: dict[str, str] = field(default_factory=dict)
    #: item IRI -> services it delivers
    delivers: dict[str, frozenset[str]] = field(default_factory=dict)
    #: item IRI -> solutions it needs
    needs_solutions: dict[str, frozenset[str]] = field(default_factory=dict)
    #: service -> services it reuses (directly)
    reuses: dict[str, frozenset[str]] = field(default_factory=dict)
    #: service -> needs it handles; need -> scenarios; service -> pain points it answers
    needs_of: dict[str, frozenset[str]] = field(default_factory=dict)
    scenarios_of: dict[str, frozenset[str]] = field(default_factory=dict)
    pain_points_of: dict[str, frozenset[str]] = field(default_factory=dict)

    def of_kind(self, kind: str) -> list[str]:
        return self.index.of_kind(kind)

    def label(self, iri: str, lang: str) -> str:
        return self.index.label(iri, lang) if iri in self.index.kinds else local_id(iri)

    def resolve(self, text: str) -> tuple[str | None, list[str]]:
        """The item a written id names (``felles-sprak``, ``prosjekt/nilar`` or an IRI), or
        None and the closest ids. An id two kinds share must be qualified."""
        text = text.strip()
        for candidate in (text, BASE + text):
            if candidate in self.items:
                return candidate, []
        matches = [iri for iri in self.items if local_id(iri) == text]
        if len(matches) == 1:
            return matches[0], []
        if len(matches) > 1:
            return None, sorted(short_id(m) for m in matches)
        names = sorted({local_id(i) for i in self.items} | {short_id(i) for i in self.items})
        return None, difflib.get_close_matches(text, names, n=3)


def _grouped(pairs: list[tuple[str, str]]) -> dict[str, set[str]]:
    grouped: dict[str, set[str]] = defaultdict(set)
    for s, o in pairs:
        grouped[s].add(o)
    return grouped


def model_facts(index: ModelIndex) -> ModelFacts:
    """Read the planner's relations from an indexed model."""
    facts = ModelFacts(index)
    for kind in ITEM_KINDS:
        for iri in index.of_kind(kind):
            facts.items[iri] = kind
    delivered: dict[str, set[str]] = defaultdict(set)
    needed: dict[str, set[str]] = defaultdict(set)
    for kind, predicates in DELIVERS.items():
        for predicate in predicates:
            for s, o in index.pairs(predicate):
                if facts.items.get(s) == kind:
                    delivered[s].add(o)
    for kind, predicates in NEEDS.items():
        for predicate in predicates:
            for s, o in index.pairs(predicate):
                if facts.items.get(s) == kind:
                    needed[s].add(o)
    for iri, kind in facts.items.items():
        if kind == "service":
            delivered[iri].add(iri)
    facts.delivers = {i: frozenset(delivered.get(i, ())) for i in facts.items}
    facts.needs_solutions = {i: frozenset(needed.get(i, ())) for i in facts.items}
    reuse = _grouped(index.pairs(SAM.reuses))
    users: dict[str, str] = {}
    used: dict[str, str] = {}
    for record, service in index.pairs(SAM.reusingService):
        users[record] = service
    for record, service in index.pairs(SAM.reusedService):
        used[record] = service
    for record, user in users.items():
        if record in used:
            reuse.setdefault(user, set()).add(used[record])
    facts.reuses = {s: frozenset(v - {s}) for s, v in reuse.items()}
    facts.needs_of = {s: frozenset(v) for s, v in _grouped(index.pairs(SAM.handlesNeed)).items()}
    facts.scenarios_of = {n: frozenset(v) for n, v in
                          _grouped(index.pairs(SAM.arisesInScenario)).items()}
    facts.pain_points_of = {s: frozenset(v) for s, v in
                            _grouped(index.pairs(SAM.answersPainPoint)).items()}
    return facts


__all__ = ["DELIVERS", "ITEM_KINDS", "NEEDS", "ModelFacts", "local_id", "model_facts",
           "short_id"]
