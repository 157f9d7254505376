"""The exact choice: the most benefit within a frame, with OR-Tools CP-SAT.

Why CP-SAT (and not HiGHS): per-year budgets and sector capacity turn the choice into a
scheduling problem (which items, and in which year each starts), and CP-SAT states that
directly with Boolean start variables and enforced precedences; it works in exact integer
arithmetic (no MIP tolerances, so a brute-force check in the tests compares equal numbers);
and with one worker and a fixed seed it gives the same answer every run.

Ties are broken in fixed stages, each a re-solve with the earlier optimum fixed: the most
benefit, then the least cost at that benefit, then (with years) the earliest starts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported where a solve starts: OR-Tools (with pandas) costs 0.3 s to load
    from ortools.sat.python import cp_model

from ..errors import SamhandlingError
from .instance import PER_MILLE, Instance, spread

#: One worker and a fixed seed: the same inputs give the same plan.
SEED = 17
DEFAULT_TIME_LIMIT = 60.0


class SolverTimeout(SamhandlingError):
    """The solver met its time limit before it had any answer (one error line, exit 2)."""


@dataclass(frozen=True)
class Solution:
    """A chosen set with its totals; ``starts`` gives each item's first year when years bind."""

    chosen: tuple[str, ...]
    cost: int
    benefit: int
    starts: dict[str, int] = field(default_factory=dict)
    #: False when a time limit stopped the solver before it proved the optimum
    optimal: bool = True


@dataclass
class _Built:
    model: cp_model.CpModel
    x: list[cp_model.IntVar]
    cost: Any
    benefit: Any
    start_sum: Any
    z: dict[tuple[int, int], cp_model.IntVar]


def _build(inst: Instance, frame: int | None) -> _Built:
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    items = inst.items
    index = {item.id: k for k, item in enumerate(items)}
    x = [model.new_bool_var(f"x{k}") for k in range(len(items))]
    for k, item in enumerate(items):
        if item.id in inst.musts:
            model.add(x[k] == 1)
        if item.id in inst.excluded:
            model.add(x[k] == 0)
    cost = sum(item.cost * x[k] for k, item in enumerate(items))
    benefit = sum(item.benefit * x[k] for k, item in enumerate(items))
    if frame is not None:
        model.add(cost <= frame)
    for scope, share in sorted(inst.shares.items()):
        model.add(sum(((PER_MILLE if item.scope == scope else 0) - share) * item.cost * x[k]
                      for k, item in enumerate(items)) <= 0)
    z: dict[tuple[int, int], cp_model.IntVar] = {}
    start_sum: Any = 0
    horizon = inst.horizon()
    if horizon is None:
        for k, item in enumerate(items):
            for group in item.groups:
                members = [x[index[j]] for j in group if j in index]
                model.add(sum(members) >= x[k])
    else:
        first, last = horizon
        starts: list[Any] = []
        finishes: list[Any] = []
        for k, item in enumerate(items):
            begin = max(first, item.earliest if item.earliest is not None else first)
            years = range(begin, last - item.duration + 2)
            for year in years:
                z[k, year] = model.new_bool_var(f"z{k}_{year}")
            model.add(sum(z[k, year] for year in years) == x[k])
            starts.append(sum(year * z[k, year] for year in years))
            finishes.append(sum((year + item.duration) * z[k, year] for year in years))
        start_sum = sum(starts)
        for k, item in enumerate(items):
            for n, group in enumerate(item.groups):
                targets = [index[j] for j in group if j in index]
                picks = []
                for j in targets:
                    pick = model.new_bool_var(f"g{k}_{n}_{j}")
                    model.add_implication(pick, x[j])
                    model.add(starts[k] >= finishes[j]).only_enforce_if(pick)
                    picks.append(pick)
                model.add(sum(picks) >= x[k])
        for limits, need in ((inst.budgets, "cost"), (inst.capacity, "capacity")):
            if not limits:
                continue
            use: dict[int, list[Any]] = {year: [] for year in range(first, last + 1)}
            for (k, year), var in z.items():
                parts = spread(getattr(items[k], need), items[k].duration)
                for offset, part in enumerate(parts):
                    if part:
                        use[year + offset].append(part * var)
            for year, terms in use.items():
                if terms:
                    model.add(sum(terms) <= limits.get(year, 0))
    return _Built(model, x, cost, benefit, start_sum, z)


def _solver(time_limit: float) -> cp_model.CpSolver:
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = SEED
    solver.parameters.max_time_in_seconds = time_limit
    # The full LP relaxation: with one worker the default (level 1) did not prove a
    # 500-item optimum in 30 s; level 2 proves it in about a second.
    solver.parameters.linearization_level = 2
    return solver


def _run(built: _Built, time_limit: float, hint: Sequence[str] | None,
         inst: Instance) -> tuple[cp_model.CpSolver, Any] | None:
    from ortools.sat.python import cp_model

    if hint is not None:
        chosen = set(hint)
        built.model.clear_hints()
        for k, item in enumerate(inst.items):
            built.model.add_hint(built.x[k], item.id in chosen)
    solver = _solver(time_limit)
    status = solver.solve(built.model)
    if status == cp_model.INFEASIBLE:
        return None
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if status == cp_model.UNKNOWN:
            raise SolverTimeout(f"no plan found within the time limit of {time_limit:g} s "
                                "(raise --time-limit)")
        raise RuntimeError(f"CP-SAT answered {solver.status_name(status)}")
    return solver, status


def _solution(inst: Instance, built: _Built, solver: cp_model.CpSolver,
              optimal: bool) -> Solution:
    chosen = tuple(sorted(item.id for k, item in enumerate(inst.items)
                          if solver.value(built.x[k])))
    starts = {inst.items[k].id: year for (k, year), var in sorted(built.z.items())
              if solver.value(var)}
    by_id = inst.by_id
    return Solution(chosen, sum(by_id[i].cost for i in chosen),
                    sum(by_id[i].benefit for i in chosen), starts, optimal)


def best(inst: Instance, frame: int | None, *, hint: Sequence[str] | None = None,
         time_limit: float = DEFAULT_TIME_LIMIT) -> Solution | None:
    """The set with the most benefit costing at most ``frame`` (None: no frame), ties to the
    least cost (then, with years, the earliest starts); None when nothing fits (the musts).

    Raises
    ------
    SolverTimeout
        No feasible set was found within ``time_limit`` seconds (per stage).
    """
    from ortools.sat.python import cp_model

    built = _build(inst, frame)
    built.model.maximize(built.benefit)
    first = _run(built, time_limit, hint, inst)
    if first is None:
        return None
    solver, status = first
    optimal = status == cp_model.OPTIMAL
    top = round(solver.objective_value)
    built.model.add(built.benefit >= top)
    built.model.minimize(built.cost)
    previous = _solution(inst, built, solver, optimal)
    second = _run(built, time_limit, previous.chosen, inst)
    if second is None:  # cannot happen: the first answer is feasible
        return previous
    solver, status = second
    optimal = optimal and status == cp_model.OPTIMAL
    if not inst.timed:
        return _solution(inst, built, solver, optimal)
    built.model.add(built.cost <= round(solver.objective_value))
    built.model.minimize(built.start_sum)
    previous = _solution(inst, built, solver, optimal)
    third = _run(built, time_limit, previous.chosen, inst)
    if third is None:
        return previous
    solver, status = third
    return _solution(inst, built, solver, optimal and status == cp_model.OPTIMAL)


def cheapest(inst: Instance, min_benefit: int = 0, *, frame: int | None = None,
             hint: Sequence[str] | None = None,
             time_limit: float = DEFAULT_TIME_LIMIT) -> Solution | None:
    """The least cost of a set with at least ``min_benefit`` (the musts and their
    prerequisites when 0); None when no set reaches it."""
    from ortools.sat.python import cp_model

    built = _build(inst, frame)
    built.model.add(built.benefit >= min_benefit)
    built.model.minimize(built.cost)
    found = _run(built, time_limit, hint, inst)
    if found is None:
        return None
    solver, status = found
    return _solution(inst, built, solver, status == cp_model.OPTIMAL)


__all__ = ["DEFAULT_TIME_LIMIT", "SEED", "Solution", "SolverTimeout", "best", "cheapest"]
