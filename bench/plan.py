"""Benchmark of ``samhandling plan``: 500 items with a random prerequisite DAG.

The model comes from ``samhandling synth`` (its services form a reuse DAG with hubs); every
service gets an estimate (seeded random costs, a third of them triangular, benefit derived
from the graph), so the prerequisites are the derived ones, as on a real model. Timed:

* load: build the model, read the estimates, derive prerequisites and benefits;
* optimal plan: the exact best set within the frame (goal: <= 10 s);
* cut list and plus list, ``--steps`` steps each (goal: <= 60 s together);
* the gap of ratio ranking: benefit/cost order, each item taken with the prerequisites it
  still lacks while they fit, against the optimum.

Usage (from the repository root)::

    .venv/bin/python bench/plan.py                   # 500 items, frame = 1/3 of all costs
    .venv/bin/python bench/plan.py --items 200 --steps 5

Writes ``bench/results/plan.md`` and prints the same table.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from samhandling.plan.instance import Instance, scaled, unscaled  # noqa: E402
from samhandling.plan.lists import cut_list, plus_list  # noqa: E402
from samhandling.plan.request import PlanRequest  # noqa: E402
from samhandling.plan.run import make_plan  # noqa: E402
from samhandling.plan.solver import best  # noqa: E402
from samhandling.synth import generate_model  # noqa: E402


def _estimates(model: Path, out: Path, seed: int) -> int:
    """One estimate per service of the synthetic model; returns how many."""
    services = [line.split(":", 1)[1].strip() for line in
                (model / "tjenester.yaml").read_text("utf-8").splitlines()
                if line.startswith("- id:")]
    rng = random.Random(seed)
    lines = []
    for service in services:
        likely = rng.randint(2, 60)
        lines.append(f"- item: {service}")
        if rng.random() < 1 / 3:
            lines += [f"  cost_low: {likely * 0.8:.1f}", f"  cost_likely: {likely}",
                      f"  cost_high: {likely * 1.6:.1f}"]
        else:
            lines.append(f"  cost: {likely}")
        lines += [f"  duration_years: {rng.randint(1, 3)}", "  interpretation: true"]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(services)


def ratio_ranking(inst: Instance, frame: int) -> tuple[int, int]:
    """(benefit, cost) of the greedy plan: items by benefit/cost, each with the prerequisites
    it still lacks (the first member of each unmet group, recursively), while they fit."""
    by_id = inst.by_id
    chosen: set[str] = set()
    cost = 0

    def closure(item: str, into: set[str]) -> None:
        if item in chosen or item in into:
            return
        into.add(item)
        for group in by_id[item].groups:
            if not set(group) & (chosen | into):
                closure(group[0], into)

    order = sorted(inst.items, key=lambda i: (-i.benefit / max(i.cost, 1), i.id))
    for item in order:
        needed: set[str] = set()
        closure(item.id, needed)
        extra = sum(by_id[i].cost for i in needed)
        if cost + extra <= frame:
            chosen |= needed
            cost += extra
    return sum(by_id[i].benefit for i in chosen), cost


def random_dag(count: int, seed: int) -> Instance:
    """A harder case for ranking: 0-3 prerequisites per item among earlier ones, and one item
    in five an enabler with no benefit of its own."""
    from samhandling.plan.instance import Item

    rng = random.Random(seed)
    items = []
    for k in range(count):
        needs = rng.sample(range(k), min(k, rng.choice((0, 0, 1, 1, 2, 3))))
        benefit = 0 if rng.random() < 0.2 else rng.randint(1, 100) * 1000
        items.append(Item(f"i{k:04d}", rng.randint(1, 50) * 1000, benefit,
                          tuple((f"i{j:04d}",) for j in sorted(needs))))
    return Instance(tuple(items))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-plan-"))
    model = work / "model"
    generate_model(model, services=args.items, needs=args.items * 3,
                   actors=max(40, args.items // 2), seed=args.seed)
    estimates = work / "estimater.yaml"
    count = _estimates(model, estimates, args.seed)
    total = sum(Decimal(line.split(":")[1]) for line in estimates.read_text().splitlines()
                if line.startswith(("  cost:", "  cost_likely:")))
    frame = (total / 3).quantize(Decimal(1))
    rows: list[tuple[str, str, str]] = []

    started = time.perf_counter()
    result = make_plan(model, estimates, PlanRequest(frame, steps=0))
    rows.append(("load, prerequisites, benefit, plan (steps 0)",
                 f"{time.perf_counter() - started:.2f} s", ""))
    inst = result.instance
    edges = sum(len(i.groups) for i in inst.items)
    started = time.perf_counter()
    plan = best(inst, scaled(frame))
    assert plan is not None
    solve = time.perf_counter() - started
    rows.append(("optimal plan", f"{solve:.2f} s", "goal <= 10 s" +
                 ("" if plan.optimal else " (time limit: not proven)")))
    started = time.perf_counter()
    cuts = cut_list(inst, plan, args.steps)
    cut_time = time.perf_counter() - started
    started = time.perf_counter()
    pluses = plus_list(inst, plan, args.steps)
    plus_time = time.perf_counter() - started
    rows.append((f"cut list ({len(cuts)} steps)", f"{cut_time:.2f} s", ""))
    rows.append((f"plus list ({len(pluses)} steps)", f"{plus_time:.2f} s", ""))
    rows.append(("cut + plus lists", f"{cut_time + plus_time:.2f} s", "goal <= 60 s"))
    greedy, greedy_cost = ratio_ranking(inst, scaled(frame))
    gap = (plan.benefit - greedy) / plan.benefit if plan.benefit else 0.0
    rows.append(("optimal benefit", f"{unscaled(plan.benefit):g}",
                 f"cost {unscaled(plan.cost):g} MNOK, {len(plan.chosen)} items"))
    rows.append(("ratio-ranking benefit", f"{unscaled(greedy):g}",
                 f"cost {unscaled(greedy_cost):g} MNOK; gap {gap:.1%} below the optimum"))
    dag = random_dag(args.items, args.seed)
    dag_frame = sum(i.cost for i in dag.items) // 3
    started = time.perf_counter()
    dag_plan = best(dag, dag_frame)
    assert dag_plan is not None
    dag_time = time.perf_counter() - started
    dag_greedy, _ = ratio_ranking(dag, dag_frame)
    dag_gap = (dag_plan.benefit - dag_greedy) / dag_plan.benefit
    rows.append((f"random DAG, {args.items} items, 20% enablers: optimal plan",
                 f"{dag_time:.2f} s", f"benefit {unscaled(dag_plan.benefit):g}"))
    rows.append(("random DAG: ratio-ranking benefit", f"{unscaled(dag_greedy):g}",
                 f"gap {dag_gap:.1%} below the optimum"))
    header = (f"# samhandling plan benchmark\n\n{count} items (synth seed {args.seed}), "
              f"{edges} prerequisite groups, frame {frame} MNOK (a third of all costs), "
              f"{args.steps} steps per list.\n\n")
    table = "| measure | value | note |\n|---|---|---|\n" + "".join(
        f"| {a} | {b} | {c} |\n" for a, b, c in rows)
    text = header + table
    (REPO / "bench" / "results").mkdir(exist_ok=True)
    (REPO / "bench" / "results" / "plan.md").write_text(text, encoding="utf-8")
    print(text, end="")
    ok = solve <= 10 and dag_time <= 10 and cut_time + plus_time <= 60
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
