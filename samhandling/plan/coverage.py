"""What a plan covers and leaves uncovered: services, needs, scenarios, pain points."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .facts import ModelFacts

#: report key -> node kind, in reading order
TOPICS: tuple[tuple[str, str], ...] = (
    ("services", "service"),
    ("needs", "need"),
    ("scenarios", "scenario"),
    ("pain_points", "pain_point"),
)


@dataclass(frozen=True)
class Covered:
    """The covered and uncovered resources of one kind, as sorted IRIs."""

    covered: tuple[str, ...]
    uncovered: tuple[str, ...]


def coverage(facts: ModelFacts, chosen: Iterable[str]) -> dict[str, Covered]:
    """Per topic of :data:`TOPICS`: what the chosen items deliver or answer, and the rest.

    A service is covered when a chosen item delivers it; a need when a covered service
    handles it; a scenario when a covered need arises in it; a pain point when a covered
    service answers it.
    """
    services = {s for item in chosen for s in facts.delivers.get(item, ())}
    needs = {n for s in services for n in facts.needs_of.get(s, ())}
    reached = {
        "service": services,
        "need": needs,
        "scenario": {c for n in needs for c in facts.scenarios_of.get(n, ())},
        "pain_point": {p for s in services for p in facts.pain_points_of.get(s, ())},
    }
    result: dict[str, Covered] = {}
    for key, kind in TOPICS:
        every = facts.of_kind(kind)
        got = reached[kind]
        result[key] = Covered(tuple(i for i in every if i in got),
                              tuple(i for i in every if i not in got))
    return result


__all__ = ["TOPICS", "Covered", "coverage"]
