"""The cut list, the plus list and the frontier, each step a re-solve of the exact problem.

Ranking by benefit/cost ratio is not optimal once items have prerequisites (a cheap enabler
with no benefit of its own ranks last, though what it enables ranks first), so every step
here asks the solver again:

* **cut list**: with the frame just below the current plan's cost, the best plan; what
  leaves (and what may come in instead) is one step. Repeated until only the musts are left.
* **plus list**: the least frame at which more benefit is possible (the cheapest set with
  more benefit), then the best plan at that frame; what enters is one step.

Each step is one breakpoint of the frontier (frame -> best benefit), so the frontier table is
the two lists joined around the plan itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from .instance import Instance
from .solver import DEFAULT_TIME_LIMIT, Solution, best, cheapest

#: How many steps each list takes by default (the first cuts and additions are the ones a
#: board decides on; ``--steps`` asks for more).
DEFAULT_STEPS = 10


@dataclass(frozen=True)
class Step:
    """One step of a list: from ``frame`` on, the plan is ``solution``; ``out`` left and
    ``into`` came in compared with the step before."""

    frame: int
    out: tuple[str, ...]
    into: tuple[str, ...]
    solution: Solution


def _diff(before: Solution, after: Solution) -> tuple[tuple[str, ...], tuple[str, ...]]:
    old, new = set(before.chosen), set(after.chosen)
    return tuple(sorted(old - new)), tuple(sorted(new - old))


def cut_list(inst: Instance, plan: Solution, steps: int = DEFAULT_STEPS,
             time_limit: float = DEFAULT_TIME_LIMIT) -> list[Step]:
    """What leaves, in order, as the frame shrinks below each plan's cost in turn.

    ``Step.frame`` is the frame the step's plan needs (its cost): below the previous plan's
    cost and down to this, the step's plan is the best. Ends when nothing cheaper is feasible
    (the musts and their prerequisites) or after ``steps`` steps.
    """
    result: list[Step] = []
    current = plan
    while len(result) < steps and current.cost > 0:
        smaller = best(inst, current.cost - 1, hint=None, time_limit=time_limit)
        if smaller is None:
            break
        out, into = _diff(current, smaller)
        result.append(Step(smaller.cost, out, into, smaller))
        current = smaller
    return result


def plus_list(inst: Instance, plan: Solution, steps: int = DEFAULT_STEPS,
              time_limit: float = DEFAULT_TIME_LIMIT) -> list[Step]:
    """What enters, in order, as the frame grows to each next level that buys more benefit.

    ``Step.frame`` is the least frame at which the step's plan (and its benefit) is possible.
    Ends when no set has more benefit or after ``steps`` steps.
    """
    result: list[Step] = []
    current = plan
    while len(result) < steps:
        reach = cheapest(inst, current.benefit + 1, hint=None, time_limit=time_limit)
        if reach is None:
            break
        larger = best(inst, reach.cost, hint=reach.chosen, time_limit=time_limit) or reach
        out, into = _diff(current, larger)
        result.append(Step(larger.cost, out, into, larger))
        current = larger
    return result


@dataclass(frozen=True)
class FrontierPoint:
    """From ``frame`` on (up to the next point), the best benefit is ``benefit``."""

    frame: int
    benefit: int
    chosen: int
    current: bool = False


def frontier(plan: Solution, cuts: list[Step], pluses: list[Step]) -> list[FrontierPoint]:
    """The breakpoints of frame -> best benefit the lists found, by frame."""
    points = [FrontierPoint(s.frame, s.solution.benefit, len(s.solution.chosen))
              for s in reversed(cuts)]
    points.append(FrontierPoint(plan.cost, plan.benefit, len(plan.chosen), current=True))
    points += [FrontierPoint(s.frame, s.solution.benefit, len(s.solution.chosen))
               for s in pluses]
    return points


__all__ = ["DEFAULT_STEPS", "FrontierPoint", "Step", "cut_list", "frontier", "plus_list"]
