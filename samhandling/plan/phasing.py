"""Year by year: when each chosen item starts and ends, and what each year costs.

With per-year budgets or capacity the solver has already placed every item (the years are
part of the choice); without them each item starts as early as it may: in its
``earliest_year`` and not before one of each group of its prerequisites has finished. Costs
and person-years are spread evenly over an item's years.
"""

from __future__ import annotations

from dataclasses import dataclass

from .instance import Instance, spread
from .solver import Solution


@dataclass(frozen=True)
class Phase:
    """One chosen item on the roadmap: its first and last year and its yearly use."""

    item: str
    start: int
    end: int
    cost: tuple[int, ...]
    capacity: tuple[int, ...]


def base_year(inst: Instance) -> int:
    """The plan's first year: the earliest year any option or estimate names, else 1."""
    years = [*inst.budgets, *inst.capacity,
             *(i.earliest for i in inst.items if i.earliest is not None)]
    return min(years) if years else 1


def _as_early_as_possible(inst: Instance, chosen: tuple[str, ...]) -> dict[str, int]:
    by_id = inst.by_id
    picked = set(chosen)
    first = base_year(inst)
    starts: dict[str, int] = {}

    def start(item_id: str, trail: tuple[str, ...] = ()) -> int:
        if item_id in starts:
            return starts[item_id]
        item = by_id[item_id]
        year = item.earliest if item.earliest is not None else first
        for group in item.groups:
            members = [m for m in group if m in picked and m not in trail]
            if members:
                year = max(year, min(start(m, (*trail, item_id)) + by_id[m].duration
                                     for m in members))
        starts[item_id] = year
        return year

    for item_id in chosen:
        start(item_id)
    return starts


def phase(inst: Instance, solution: Solution) -> list[Phase]:
    """The roadmap of ``solution``, by start year, then item."""
    starts = solution.starts or _as_early_as_possible(inst, solution.chosen)
    by_id = inst.by_id
    phases = [Phase(item, starts[item], starts[item] + by_id[item].duration - 1,
                    tuple(spread(by_id[item].cost, by_id[item].duration)),
                    tuple(spread(by_id[item].capacity, by_id[item].duration)))
              for item in solution.chosen]
    return sorted(phases, key=lambda p: (p.start, p.end, p.item))


def yearly(phases: list[Phase]) -> dict[int, tuple[int, int]]:
    """Year -> (cost, person-years) of the plan, every year from the first to the last."""
    if not phases:
        return {}
    first = min(p.start for p in phases)
    last = max(p.end for p in phases)
    totals = {year: [0, 0] for year in range(first, last + 1)}
    for p in phases:
        for offset, (cost, people) in enumerate(zip(p.cost, p.capacity, strict=True)):
            totals[p.start + offset][0] += cost
            totals[p.start + offset][1] += people
    return {year: (c, k) for year, (c, k) in totals.items()}


__all__ = ["Phase", "base_year", "phase", "yearly"]
