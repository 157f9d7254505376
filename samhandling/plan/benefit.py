"""The benefit of an item when its estimate gives none, derived from the graph.

For an item that delivers the services S (a package: the services it touches; a service:
itself)::

    benefit = (needs + scenarios + pain points) * (1 + reusers)

* needs: the information needs the services in S handle (``sam:handlesNeed``);
* scenarios: the scenarios those needs arise in (``sam:arisesInScenario``);
* pain points: the pain points the services in S answer (``sam:answersPainPoint``);
* reusers: the services outside S that reuse a service in S, directly or through others
  (``sam:reuses``): an item others build on is worth more than its own needs.

Each is a count of distinct resources. An item that delivers no service (a solution, a
package with no services) has benefit 0 unless its estimate gives one; it is still chosen
when something it enables is worth its cost. A plan's benefit is the sum over its items.
"""

from __future__ import annotations

from dataclasses import dataclass

from .facts import ModelFacts


@dataclass(frozen=True)
class BenefitParts:
    """The counts behind a derived benefit, for the report."""

    needs: int
    scenarios: int
    pain_points: int
    reusers: int

    @property
    def value(self) -> int:
        return (self.needs + self.scenarios + self.pain_points) * (1 + self.reusers)


def _reusers(facts: ModelFacts, services: frozenset[str]) -> set[str]:
    used_by: dict[str, set[str]] = {}
    for user, targets in facts.reuses.items():
        for target in targets:
            used_by.setdefault(target, set()).add(user)
    seen: set[str] = set()
    todo = sorted(services)
    while todo:
        service = todo.pop()
        for user in sorted(used_by.get(service, ())):
            if user not in seen:
                seen.add(user)
                todo.append(user)
    return seen - services


def derived_benefit(facts: ModelFacts, item: str) -> BenefitParts:
    """The counts for ``item`` (see the module docstring for the formula)."""
    services = facts.delivers.get(item, frozenset())
    needs = {n for s in services for n in facts.needs_of.get(s, ())}
    scenarios = {c for n in needs for c in facts.scenarios_of.get(n, ())}
    pains = {p for s in services for p in facts.pain_points_of.get(s, ())}
    return BenefitParts(len(needs), len(scenarios), len(pains), len(_reusers(facts, services)))


__all__ = ["BenefitParts", "derived_benefit"]
