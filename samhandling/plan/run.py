"""One planning run: read the estimates and the model, check everything, solve, and gather
what the report shows. The CLI calls :func:`make_plan` and renders its :class:`PlanResult`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from samhandling.errors import ModelLoadError, Problem

from ..analysis.index import index_model
from ..build import load_model
from .benefit import BenefitParts, derived_benefit
from .coverage import Covered, coverage
from .estimates import KIND, Estimate, Place, model_estimates, read_estimates
from .facts import ModelFacts, local_id, model_facts, short_id
from .instance import PER_MILLE, Instance, Item, scaled
from .lists import FrontierPoint, Step, cut_list, frontier, plus_list
from .montecarlo import probability_within
from .phasing import Phase, phase
from .prerequisites import Prerequisites, derive
from .request import PlanRequest
from .solver import Solution, best, cheapest


@dataclass
class PlanResult:
    """Everything a report of the run shows; amounts in scaled units (see ``instance``)."""

    request: PlanRequest
    estimates_file: str
    facts: ModelFacts
    estimates: dict[str, Estimate]
    benefits: dict[str, tuple[Decimal, BenefitParts | None]]
    prerequisites: Prerequisites
    instance: Instance
    #: the least cost of the musts and their prerequisites (None: no set honours the
    #: per-year budgets, capacity and shares at all)
    needed: Solution | None
    plan: Solution | None = None
    cuts: list[Step] = field(default_factory=list)
    pluses: list[Step] = field(default_factory=list)
    frontier: list[FrontierPoint] = field(default_factory=list)
    phases: list[Phase] = field(default_factory=list)
    probability: float | None = None
    coverage: dict[str, Covered] = field(default_factory=dict)

    @property
    def frame(self) -> int:
        return scaled(self.request.frame)

    @property
    def shortfall(self) -> int:
        """How much the musts and their prerequisites exceed the frame (0 when they fit)."""
        if self.needed is None:
            return 0
        return max(0, self.needed.cost - self.frame)

    def display(self, iri: str) -> str:
        """An item's id as users write it: the bare id unless another item shares it."""
        bare = local_id(iri)
        clash = sum(1 for other in self.facts.items if local_id(other) == bare)
        return bare if clash == 1 else short_id(iri)


def _resolve(facts: ModelFacts, text: str, where: Place | str,
             problems: list[Problem]) -> str | None:
    iri, close = facts.resolve(text)
    if iri is not None:
        return iri
    if close and all("/" in c for c in close) and len(close) > 1 and \
            all(c.rsplit("/", 1)[-1] == text.strip() for c in close):
        message = f"'{text}' names several items: {', '.join(close)}; write one of them"
    else:
        hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
        message = f"unknown item '{text}'{hint}"
    problems.append(where.problem(message) if isinstance(where, Place)
                    else Problem(where, None, message))
    return None


def _read(model_dir: Path, path: Path | None, problems: list[Problem]) -> list[Estimate]:
    try:
        return model_estimates(model_dir) if path is None else read_estimates(path)
    except ModelLoadError as exc:
        problems.extend(exc.problems)
        return []


def make_plan(model_dir: Path | str, estimates_path: Path | None, request: PlanRequest,
              problems: Sequence[Problem] = ()) -> PlanResult:
    """Plan: the best set within the frame, its lists, phasing, risk and coverage.

    The estimates are the model's own records of the kind ``estimater``, or, when
    ``estimates_path`` is given, that file's (in place of the model's). ``problems`` are those
    the caller already found in the options; they are reported with the file's and the
    model's, all at once.

    Raises
    ------
    ModelLoadError
        Bad input (options, estimates, unknown ids, a cycle): every problem found.
    """
    found = list(problems)
    model_dir = Path(model_dir)
    estimates = _read(model_dir, estimates_path, found)
    origin = str(estimates_path) if estimates_path is not None else \
        f"the model's {KIND.name} ({model_dir})"
    if found and not estimates:
        raise ModelLoadError(found)
    facts = model_facts(index_model(load_model(model_dir)))
    by_iri: dict[str, Estimate] = {}
    for estimate in estimates:
        iri = _resolve(facts, estimate.item, estimate.place, found)
        if iri is None:
            continue
        if iri in by_iri:
            found.append(estimate.place.problem(
                f"item '{estimate.item}' is estimated twice (also at line "
                f"{by_iri[iri].place.line})"))
            continue
        by_iri[iri] = estimate
    requires: dict[str, list[tuple[str, Place]]] = {}
    for iri, estimate in by_iri.items():
        for text, place in estimate.requires:
            target = _resolve(facts, text, place, found)
            if target is not None:
                requires.setdefault(iri, []).append((target, place))
    chosen_sets: dict[str, set[str]] = {"--must": set(), "--exclude": set()}
    for option, texts in (("--must", request.musts), ("--exclude", request.excludes)):
        for text in texts:
            iri = _resolve(facts, text, option, found)
            if iri is None:
                continue
            if iri not in by_iri:
                found.append(Problem(option, None, f"'{text}' has no estimate in {origin}"))
                continue
            chosen_sets[option].add(iri)
    for iri in sorted(chosen_sets["--must"] & chosen_sets["--exclude"]):
        found.append(Problem("--must", None, f"'{local_id(iri)}' is also given to --exclude"))
    if found:
        raise ModelLoadError(found)
    places = {iri: e.place for iri, e in by_iri.items()}
    prereqs = derive(facts, sorted(by_iri), requires, places)
    benefits: dict[str, tuple[Decimal, BenefitParts | None]] = {}
    for iri, estimate in sorted(by_iri.items()):
        if estimate.benefit is not None:
            benefits[iri] = (estimate.benefit, None)
        else:
            parts = derived_benefit(facts, iri)
            benefits[iri] = (Decimal(parts.value), parts)
    inst = Instance(
        items=tuple(Item(iri, scaled(e.planning_cost), scaled(benefits[iri][0]),
                         prereqs.groups.get(iri, ()), e.scope, e.earliest_year, e.duration,
                         scaled(e.capacity)) for iri, e in sorted(by_iri.items())),
        musts=frozenset(chosen_sets["--must"]), excluded=frozenset(chosen_sets["--exclude"]),
        budgets={y: scaled(v) for y, v in request.per_year.items()},
        capacity={y: scaled(v) for y, v in request.capacity.items()},
        shares={s: int(v * PER_MILLE) for s, v in request.shares.items()})
    limit = request.time_limit
    needed = cheapest(inst, 0, time_limit=limit)
    result = PlanResult(request, origin, facts, by_iri, benefits, prereqs, inst,
                        needed)
    if needed is None or needed.cost > result.frame:
        return result
    plan = best(inst, result.frame, time_limit=limit)
    assert plan is not None  # the musts fit, so some set does
    result.plan = plan
    result.cuts = cut_list(inst, plan, request.steps, limit)
    result.pluses = plus_list(inst, plan, request.steps, limit)
    result.frontier = frontier(plan, result.cuts, result.pluses)
    result.phases = phase(inst, plan)
    result.probability = probability_within([by_iri[i] for i in plan.chosen], request.frame,
                                            request.samples, request.seed)
    result.coverage = coverage(facts, plan.chosen)
    return result


__all__ = ["PlanResult", "make_plan"]
