"""The planner's library: exact against brute force, and hand-checked lists and phasing.

Random instances (up to 14 items, random prerequisite DAGs with groups of alternatives,
musts, exclusions and scope shares) are compared with a brute force over every subset: the
solver's benefit must equal the best benefit, its set must honour every constraint and cost
the least among the best.
"""

from __future__ import annotations

import itertools
import random
from decimal import Decimal
from pathlib import Path

import pytest

from samhandling.analysis.index import ModelIndex
from samhandling.errors import ModelLoadError
from samhandling.plan.benefit import derived_benefit
from samhandling.plan.estimates import Place, read_estimates
from samhandling.plan.facts import ModelFacts
from samhandling.plan.instance import PER_MILLE, Instance, Item
from samhandling.plan.lists import cut_list, frontier, plus_list
from samhandling.plan.phasing import phase
from samhandling.plan.prerequisites import derive
from samhandling.plan.solver import best, cheapest


def _random_instance(rng: random.Random, n: int) -> Instance:
    items = []
    for k in range(n):
        earlier = list(range(k))
        groups: list[tuple[str, ...]] = []
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            if not earlier:
                break
            size = rng.choice((1, 1, 1, 2))
            groups.append(tuple(sorted(f"i{j}" for j in rng.sample(earlier,
                                                                    min(size, len(earlier))))))
        items.append(Item(f"i{k}", rng.randint(1, 40), rng.choice((0, *range(1, 30))),
                          tuple(groups), rng.choice(("national", "regional", "local"))))
    ids = [i.id for i in items]
    musts = frozenset(rng.sample(ids, rng.choice((0, 0, 1))))
    excluded = frozenset(rng.sample([i for i in ids if i not in musts], rng.choice((0, 0, 1))))
    shares = {"national": rng.choice((500, 700))} if rng.random() < 0.3 else {}
    return Instance(tuple(items), musts, excluded, shares=shares)


def _feasible(inst: Instance, chosen: set[str], frame: int) -> bool:
    by_id = inst.by_id
    cost = sum(by_id[i].cost for i in chosen)
    if cost > frame or not inst.musts <= chosen or inst.excluded & chosen:
        return False
    for i in chosen:
        if any(not set(group) & chosen for group in by_id[i].groups):
            return False
    for scope, share in inst.shares.items():
        if sum(by_id[i].cost for i in chosen if by_id[i].scope == scope) * PER_MILLE > \
                share * cost:
            return False
    return True


def _brute(inst: Instance, frame: int) -> tuple[int, int] | None:
    """(best benefit, least cost at it) over every subset, or None."""
    ids = [i.id for i in inst.items]
    by_id = inst.by_id
    found: tuple[int, int] | None = None
    for size in range(len(ids) + 1):
        for subset in itertools.combinations(ids, size):
            chosen = set(subset)
            if not _feasible(inst, chosen, frame):
                continue
            key = (sum(by_id[i].benefit for i in chosen), -sum(by_id[i].cost for i in chosen))
            if found is None or key > (found[0], -found[1]):
                found = (key[0], -key[1])
    return found


@pytest.mark.parametrize("seed", range(12))
def test_the_solver_matches_brute_force_on_random_instances(seed: int) -> None:
    rng = random.Random(seed)
    inst = _random_instance(rng, rng.randint(4, 14 if seed % 3 == 0 else 10))
    frame = rng.randint(10, sum(i.cost for i in inst.items))
    expected = _brute(inst, frame)
    got = best(inst, frame)
    if expected is None:
        assert got is None
        return
    assert got is not None
    assert (got.benefit, got.cost) == expected
    assert _feasible(inst, set(got.chosen), frame)


def _four() -> Instance:
    """A is an enabler with no benefit of its own; B needs A."""
    return Instance((Item("A", 10, 0), Item("B", 10, 30, (("A",),)), Item("C", 15, 20),
                     Item("D", 5, 4)))


def test_cut_list_re_solves_as_the_frame_shrinks() -> None:
    inst = _four()
    plan = best(inst, 30)
    assert plan is not None and plan.chosen == ("A", "B", "D") and plan.cost == 25
    steps = cut_list(inst, plan, steps=10)
    assert [(s.frame, s.out, s.into) for s in steps] == [
        (20, ("D",), ()),
        (15, ("A", "B"), ("C",)),
        (5, ("C",), ("D",)),
        (0, ("D",), ()),
    ]


def test_plus_list_re_solves_as_the_frame_grows() -> None:
    inst = _four()
    plan = best(inst, 30)
    assert plan is not None
    steps = plus_list(inst, plan, steps=10)
    assert [(s.frame, s.out, s.into, s.solution.benefit) for s in steps] == [
        (35, ("D",), ("C",), 50),
        (40, (), ("D",), 54),
    ]
    points = frontier(plan, [], steps)
    assert [(p.frame, p.benefit, p.current) for p in points] == [
        (25, 34, True), (35, 50, False), (40, 54, False)]


def test_the_lists_stop_at_the_musts_and_at_everything() -> None:
    inst = Instance(_four().items, musts=frozenset({"C"}))
    plan = best(inst, 30)
    assert plan is not None and "C" in plan.chosen
    assert all("C" in s.solution.chosen for s in cut_list(inst, plan))
    assert cheapest(inst).cost == 15  # type: ignore[union-attr]
    assert best(inst, 14) is None


def _timed(budgets: dict[int, int]) -> Instance:
    return Instance((Item("A", 10, 0, earliest=2023, duration=2),
                     Item("B", 10, 30, (("A",),), duration=1),
                     Item("C", 15, 20), Item("D", 5, 4, earliest=2024)), budgets=budgets)


def test_phasing_without_budgets_starts_each_item_when_its_prerequisites_are_done() -> None:
    inst = Instance(_timed({}).items)
    plan = best(inst, 30)
    assert plan is not None
    assert [(p.item, p.start, p.end) for p in phase(inst, plan)] == [
        ("A", 2023, 2024), ("D", 2024, 2024), ("B", 2025, 2025)]


def test_per_year_budgets_bind_the_choice_and_place_the_items() -> None:
    loose = _timed({2023: 10, 2024: 10, 2025: 10})
    plan = best(loose, 30)
    assert plan is not None and plan.chosen == ("A", "B", "D")
    assert plan.starts == {"A": 2023, "B": 2025, "D": 2024}
    tight = _timed({2023: 10, 2024: 9, 2025: 10})  # D fits in no year now; C in none ever
    plan = best(tight, 30)
    assert plan is not None and plan.chosen == ("A", "B")
    assert [(p.item, p.start, p.end, p.cost) for p in phase(tight, plan)] == [
        ("A", 2023, 2024, (5, 5)), ("B", 2025, 2025, (10,))]


def test_capacity_per_year_binds_like_a_budget() -> None:
    items = (Item("A", 10, 10, capacity=6), Item("B", 10, 10, capacity=6))
    one_year = Instance(items, capacity={2023: 10})
    assert best(one_year, 100).chosen in (("A",), ("B",))  # type: ignore[union-attr]
    two_years = Instance(items, capacity={2023: 10, 2024: 10})
    plan = best(two_years, 100)
    assert plan is not None and plan.chosen == ("A", "B")
    assert sorted(plan.starts.values()) == [2023, 2024]


def test_estimates_report_every_bad_value_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "estimater.yaml"
    path.write_text(
        "- item: a\n  cost: -3\n"
        "- item: b\n  cost: lots\n"
        "- item: c\n  cost_low: 9\n  cost_likely: 5\n  cost_high: 12\n"
        "- item: d\n  cost: 4\n  scope: nationl\n  costt: 3\n", encoding="utf-8")
    with pytest.raises(ModelLoadError) as caught:
        read_estimates(path)
    lines = [str(p) for p in caught.value.problems]
    assert any(":2:" in line and "negative" in line for line in lines), lines
    assert any(":4:" in line and "not a number" in line for line in lines), lines
    assert any("cost_low 9 is greater than cost_likely 5" in line for line in lines), lines
    assert any("did you mean 'national'" in line for line in lines), lines
    assert any("unknown column 'costt'" in line and "'cost'" in line for line in lines), lines


def test_estimates_read_from_csv_split_lists(tmp_path: Path) -> None:
    path = tmp_path / "estimater.csv"
    path.write_text("item,cost,requires,scope\na,3,b; c,local\nb,2,,\n", encoding="utf-8")
    estimates = read_estimates(path)
    assert [e.item for e in estimates] == ["a", "b"]
    assert [r for r, _ in estimates[0].requires] == ["b", "c"]
    assert estimates[0].scope == "local" and estimates[1].scope == "national"


def test_estimates_read_from_the_estimater_sheet_of_a_workbook(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "estimater"
    sheet.append(["item", "cost_low", "cost_likely", "cost_high", "requires"])
    sheet.append(["a", 1, 2, 4, "b;c"])
    sheet.append(["b", 3, 2, 4, None])
    book.create_sheet("notes").append(["anything"])
    path = tmp_path / "estimates.xlsx"
    book.save(path)
    with pytest.raises(ModelLoadError) as caught:
        read_estimates(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}[estimater]:3: cost_low 3 is greater than cost_likely 2"]
    sheet.delete_rows(3)
    book.save(path)
    (estimate,) = read_estimates(path)
    assert estimate.triangular and estimate.planning_cost == Decimal(7) / 3
    assert [r for r, _ in estimate.requires] == ["b", "c"]


def _facts() -> ModelFacts:
    """Packages P (delivers s1, s2), Q (delivers s3, needs solution L) and service s4 as an
    item; s3 reuses s1, s4 reuses s1 and s5; the solution L and s5 have no estimate."""
    facts = ModelFacts(ModelIndex())
    facts.items = {"P": "package", "Q": "package", "s4": "service", "L": "solution"}
    facts.delivers = {"P": frozenset({"s1", "s2"}), "Q": frozenset({"s3"}),
                      "s4": frozenset({"s4"}), "L": frozenset()}
    facts.needs_solutions = {"Q": frozenset({"L"})}
    facts.reuses = {"s3": frozenset({"s1"}), "s4": frozenset({"s1", "s5"}),
                    "s2": frozenset({"s1"})}
    facts.needs_of = {"s1": frozenset({"n1", "n2"}), "s2": frozenset({"n2", "n3"})}
    facts.scenarios_of = {"n1": frozenset({"c1"}), "n3": frozenset({"c1", "c2"})}
    facts.pain_points_of = {"s2": frozenset({"p1"})}
    return facts


def test_prerequisites_derive_from_reuse_and_solutions_and_report_what_is_in_place() -> None:
    facts = _facts()
    here = Place("estimater.yaml", 1)
    found = derive(facts, ["P", "Q", "s4"], {"P": [("L", here)]}, {})
    assert found.groups == {"P": (), "Q": (("P",),), "s4": (("P",),)}
    # P delivers s1 itself, so s2 reusing s1 asks for nothing; the explicit L is in place
    assert found.explicit["P"] == ()
    assert {(p.item, p.needed, p.via) for p in found.in_place} == {
        ("P", "L", "requires"), ("Q", "L", "solution"), ("s4", "s5", "reuse")}
    with_l = derive(facts, ["P", "Q", "L"], {}, {})
    assert with_l.groups["Q"] == (("L",), ("P",))


def test_prerequisite_cycle_names_its_members() -> None:
    facts = _facts()
    here = Place("estimater.yaml", 7)
    with pytest.raises(ModelLoadError) as caught:
        derive(facts, ["P", "Q"], {"P": [("Q", here)]}, {"P": here, "Q": here})
    assert [str(p) for p in caught.value.problems] == [
        "estimater.yaml:7: prerequisites form a cycle: P -> Q -> P"]


def test_derived_benefit_counts_needs_scenarios_pain_points_and_reusers() -> None:
    facts = _facts()
    parts = derived_benefit(facts, "P")
    # needs n1, n2, n3; scenarios c1, c2; pain point p1; reusers s3, s4 (not s2: P's own)
    assert (parts.needs, parts.scenarios, parts.pain_points, parts.reusers) == (3, 2, 1, 2)
    assert parts.value == (3 + 2 + 1) * (1 + 2)
    assert derived_benefit(facts, "L").value == 0
