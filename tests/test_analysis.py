"""Analyses on hand-made graphs with known answers, on the hand-made fixture model
(tests/fixtures/analysis: alfa -> beta -> gamma <- delta, epsilon alone) and on the seed model."""

from __future__ import annotations

import doctest
import importlib
import json
from functools import cache

import networkx as nx
import pytest

from samhandling.analysis import (
    analyze,
    build_order,
    coverage,
    impact,
    render_impact,
    render_report,
    resolve_service,
    view_graph,
)
from samhandling.analysis.centrality import dependency_centrality, dependent_counts
from samhandling.analysis.coverage import actor_reach, need_coverage
from samhandling.analysis.graphs import ModelGraphs, model_graphs
from samhandling.analysis.orphans import orphans_by_kind
from samhandling.build import load_model
from samhandling.errors import UsageError

from .support import FIXTURES, MODEL_DIR

ANALYSIS = FIXTURES / "analysis"
BASE = "https://w3id.org/samhandling/"


def svc(name: str) -> str:
    return f"{BASE}tjeneste/{name}"


@cache
def fixture() -> ModelGraphs:
    return model_graphs(load_model(ANALYSIS))


@cache
def seed() -> ModelGraphs:
    return model_graphs(load_model(MODEL_DIR))


# -- docstring examples ------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["build_order", "centrality", "impact", "orphans", "coverage",
                                  "graphs", "views", "report"])
def test_docstring_examples_hold(name: str) -> None:
    module = importlib.import_module(f"samhandling.analysis.{name}")
    failures, _ = doctest.testmod(module, globs={"nx": nx, **vars(module)})
    assert failures == 0


# -- build order -------------------------------------------------------------------------------

def test_build_order_layers_a_chain_and_a_fan_in() -> None:
    order = build_order(nx.DiGraph([("a", "b"), ("b", "c"), ("d", "c"), ("e", "e2")]))
    assert order.layers == (("c", "e2"), ("b", "d", "e"), ("a",))
    assert order.cycles == ()


def test_build_order_names_cycles_and_still_orders_the_rest() -> None:
    order = build_order(nx.DiGraph([("x", "y"), ("y", "x"), ("y", "z"), ("w", "w")]))
    assert order.layers == (("w", "z"), ("x", "y"))
    assert [(c.members, c.example) for c in order.cycles] == [
        (("w",), ("w",)), (("x", "y"), ("x", "y"))]
    assert order.layer_of("x") == 1


def test_build_order_of_the_fixture_model() -> None:
    order = build_order(fixture().reuse)
    assert order.layers == ((svc("epsilon"), svc("gamma")), (svc("beta"), svc("delta")),
                            (svc("alfa"),))


# -- centrality --------------------------------------------------------------------------------

def test_dependents_count_transitive_reusers_also_inside_cycles() -> None:
    counts = dependent_counts(nx.DiGraph([("a", "b"), ("b", "c"), ("c", "b"), ("d", "c")]))
    # b and c reach each other: each has the other, a and d as dependents.
    assert counts == {"a": 0, "b": 3, "c": 3, "d": 0}


def test_centrality_is_exact_on_small_graphs_with_known_betweenness() -> None:
    result = dependency_centrality(fixture().reuse)
    rows = {r.node: r for r in result.rows}
    assert not result.approximate and result.samples is None
    assert (rows[svc("gamma")].in_degree, rows[svc("gamma")].dependents) == (2, 3)
    assert rows[svc("beta")].betweenness == pytest.approx(1 / 12)  # a -> b -> c of 4 * 3 pairs
    assert result.rows[0].node == svc("gamma")


def test_centrality_samples_above_the_limit_and_says_so() -> None:
    graph = nx.gnp_random_graph(60, 0.05, seed=1, directed=True)
    result = dependency_centrality(graph, exact_limit=50, samples=10, seed=3)
    assert result.approximate and result.samples == 10
    again = dependency_centrality(graph, exact_limit=50, samples=10, seed=3)
    assert [r.betweenness for r in result.rows] == [r.betweenness for r in again.rows]


# -- impact --------------------------------------------------------------------------------------

def test_impact_of_the_bottom_service_reaches_everything_above_it() -> None:
    g = fixture()
    result = impact(g.reuse, g.actors, g.hierarchy, svc("gamma"))
    assert result.services == (svc("alfa"), svc("beta"), svc("delta"))
    assert result.needs == (f"{BASE}behov/10.10", f"{BASE}behov/10.20")
    assert result.needs_without_alternative == result.needs
    assert result.scenarios == (f"{BASE}scenario/s1", f"{BASE}scenario/s2")
    assert result.actors == (f"{BASE}aktor/x", f"{BASE}aktor/y")
    assert result.actor_groups == (f"{BASE}aktor/alle",)
    assert result.counts()["services"] == 3


def test_impact_counts_a_need_with_another_service_as_affected_but_not_alone() -> None:
    g = fixture()
    result = impact(g.reuse, g.actors, g.hierarchy, svc("delta"))
    assert result.services == ()
    assert result.needs == (f"{BASE}behov/10.20",)
    assert result.needs_without_alternative == ()  # gamma still handles it


@pytest.mark.parametrize("text", ["Gamma", "gamma", f"{BASE}tjeneste/gamma", "  GAMMA "])
def test_resolve_service_by_label_id_or_iri(text: str) -> None:
    assert resolve_service(fixture().reuse, text) == svc("gamma")


def test_resolve_service_by_english_and_alternative_label() -> None:
    g = fixture()
    assert resolve_service(g.reuse, "Alpha") == svc("alfa")
    assert resolve_service(g.reuse, "Betaen", g.index.alt_labels) == svc("beta")


def test_unknown_service_suggests_close_labels() -> None:
    with pytest.raises(UsageError, match=r"unknown service 'Gama' \(did you mean 'Gamma'"):
        resolve_service(fixture().reuse, "Gama")


# -- coverage ----------------------------------------------------------------------------------

def test_coverage_shares_of_the_fixture() -> None:
    g = fixture()
    result = coverage(g.reuse, g.needs, g.forms, g.actors, g.hierarchy, g.programme,
                      g.index.declared_service_count)
    assert (result.needs.part, result.needs.whole, result.needs.missing) == (
        2, 3, (f"{BASE}behov/20.10",))
    assert (result.forms.part, result.forms.whole) == (3, 5)
    assert result.forms.missing == (svc("beta"), svc("epsilon"))
    assert (result.actors.part, result.actors.whole) == (3, 5)
    assert result.actors.missing == (f"{BASE}aktor/w", f"{BASE}aktor/z")
    by_group = {r.key: (r.services, r.with_form, r.needs, r.actors) for r in result.by_group}
    assert by_group == {"1": (3, 1, 1, 2), "2": (2, 2, 1, 2)}
    by_maturity = [(r.key, r.services, r.with_form, r.needs, r.actors)
                   for r in result.by_maturity]
    assert by_maturity == [("G", 2, 2, 2, 3), ("Y", 1, 0, 0, 0), ("R", 2, 1, 1, 2)]


def test_step2_is_measured_against_the_declared_count() -> None:
    g = fixture()
    step2 = coverage(g.reuse, g.needs, g.forms, g.actors, g.hierarchy, g.programme,
                     g.index.declared_service_count).step2
    assert step2.services == (svc("alfa"), svc("delta"))
    assert (step2.share.part, step2.share.whole) == (2, 6)
    assert step2.prerequisites == (svc("beta"), svc("gamma"))
    assert (step2.needs.part, step2.needs.whole) == (2, 3)


def test_need_coverage_and_actor_reach_on_hand_made_graphs() -> None:
    needs = nx.DiGraph([("s", "n1")])
    needs.add_node("n2")
    nx.set_node_attributes(needs, {"s": "service", "n1": "need", "n2": "need"}, "kind")
    assert need_coverage(needs).missing == ("n2",)
    chain = nx.DiGraph([("a", "sc"), ("sc", "n"), ("n", "s"), ("b", "sc2")])
    nx.set_node_attributes(chain, {"a": "actor", "b": "actor", "sc": "scenario",
                                   "sc2": "scenario", "n": "need", "s": "service"}, "kind")
    hierarchy = nx.DiGraph([("a", "group"), ("b", "group"), ("group", "top")])
    assert actor_reach(chain, hierarchy) == {"a", "group", "top"}


# -- orphans -----------------------------------------------------------------------------------

def test_orphans_are_resources_no_relation_reaches() -> None:
    grouped = orphans_by_kind(fixture().relations)
    assert grouped == {"actor": [f"{BASE}aktor/w"], "principle": [f"{BASE}prinsipp/kutt"],
                       "service": [svc("epsilon")]}


# -- report ------------------------------------------------------------------------------------

def test_report_json_holds_every_analysis() -> None:
    data = json.loads(render_report(analyze(fixture()), "json", "en"))
    assert data["counts"] == {"services": 5, "needs": 3, "scenarios": 2, "actors": 5,
                              "reuse_edges": 3}
    assert [[s["label"] for s in layer] for layer in data["build_order"]["layers"]] == [
        ["Epsilon", "Gamma"], ["Beta", "Delta"], ["Alpha"]]
    assert data["centrality"]["betweenness"]["approximate"] is False
    assert data["coverage"]["step2"]["declared_services"] == 6
    assert [o["label"] for o in data["orphans"]["service"]] == ["Epsilon"]


def test_report_text_and_markdown_switch_language() -> None:
    report = analyze(fixture())
    nb = render_report(report, "text", "nb")
    en = render_report(report, "md", "en")
    assert "Byggerekkefølge" in nb and "Lag 2 (1): Alfa" in nb
    assert "## Build order" in en and "- Layer 2 (1): Alpha" in en
    assert "| 1 First group | 3 | 1 (33%) | 1 | 2 |" in en


def test_report_says_when_betweenness_is_approximated() -> None:
    text = render_report(analyze(fixture(), exact_limit=2, samples=3), "text", "en")
    assert "approximated from 3 random sources" in text


def test_impact_renders_every_affected_resource_with_counts() -> None:
    g = fixture()
    text = render_impact(impact(g.reuse, g.actors, g.hierarchy, svc("gamma")), g.index,
                         "text", "en")
    assert "If “Gamma” is delayed" in text
    assert "Services that reuse it (directly or indirectly) (3)" in text
    assert "  Actor X\n  Actor Y\n" in text


# -- views ---------------------------------------------------------------------------------------

def test_group_filter_keeps_what_leads_to_and_from_the_group() -> None:
    view = view_graph(fixture(), "services", group=2)
    assert set(view) == {svc(n) for n in ("alfa", "beta", "gamma", "delta")}
    assert view.nodes[svc("alfa")]["context"] is True
    assert view.nodes[svc("gamma")]["context"] is False
    assert view.graph["filters_en"] == "main group 2"


def test_focus_and_depth_cut_the_view_around_one_service() -> None:
    view = view_graph(fixture(), "services", focus="Beta", depth=1)
    assert set(view) == {svc("alfa"), svc("beta"), svc("gamma")}
    assert set(view_graph(fixture(), "services", focus="beta", depth=0)) == {svc("beta")}


def test_maturity_filter_accepts_notation_and_names() -> None:
    red = view_graph(fixture(), "coverage", maturity="Rød")
    assert {n for n, d in red.nodes(data=True) if not d["context"] and d["kind"] == "service"} \
        == {svc("gamma"), svc("epsilon")}
    assert set(view_graph(fixture(), "coverage", maturity="r")) == set(red)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"name": "nope"}, "unknown view 'nope'; valid views: services, coverage, actors"),
    ({"name": "services", "group": 9}, "unknown main group 9; valid groups: 1, 2"),
    ({"name": "services", "maturity": "blue"}, "unknown maturity 'blue'; valid: G"),
    ({"name": "services", "depth": 2}, "--depth needs --focus"),
    ({"name": "services", "focus": "Gama"}, "did you mean 'Gamma'"),
    ({"name": "programme", "focus": "Beta"}, "not in the programme view"),
    ({"name": "services", "group": 1, "maturity": "G", "focus": "Epsilon", "depth": 0},
     "leave no service"),
])
def test_view_errors_name_what_is_wrong(kwargs: dict, message: str) -> None:
    name = kwargs.pop("name")
    with pytest.raises(UsageError, match=message.replace("(", r"\(")):
        view_graph(fixture(), name, **kwargs)


def test_every_view_of_the_fixture_has_its_kinds() -> None:
    kinds = {name: {d["kind"] for _, d in view_graph(fixture(), name).nodes(data=True)}
             for name in ("services", "coverage", "actors", "forms", "programme")}
    assert kinds["services"] == {"service"}
    assert kinds["coverage"] == {"service", "need"}
    assert kinds["actors"] == {"actor", "scenario", "need", "service"}
    assert kinds["forms"] == {"service", "org_form", "tech_form"}
    assert kinds["programme"] == {"programme", "step", "package", "service"}


# -- the seed model ----------------------------------------------------------------------------

SUMMARY_REUSES = {"plan", "kritisk-informasjon", "problem-diagnose-og-behov",
                  "kliniske-bakgrunnsopplysninger", "innbyggers-opplysninger-og-onsker",
                  "undersokelser-malinger-og-funn"}


def test_seed_reuse_graph_holds_side_30() -> None:
    reuse = seed().reuse
    assert set(reuse.successors(svc("klinisk-oppsummering"))) == {svc(s) for s in SUMMARY_REUSES}
    assert set(reuse.successors(svc("bestilling-og-svar-lab"))) == {
        svc("undersokelser-malinger-og-funn")}
    assert reuse.number_of_nodes() == 26


def test_seed_build_order_puts_the_reusers_last() -> None:
    order = build_order(seed().reuse)
    assert order.layers[-1] == (svc("bestilling-og-svar-lab"), svc("klinisk-oppsummering"))
    assert order.cycles == ()


def test_seed_impact_of_examinations_reaches_both_reusers() -> None:
    g = seed()
    node = resolve_service(g.reuse, "Examinations, measurements and findings")
    result = impact(g.reuse, g.actors, g.hierarchy, node)
    assert result.services == (svc("bestilling-og-svar-lab"), svc("klinisk-oppsummering"))
    assert f"{BASE}behov/15.10.70.20" in result.needs


def test_seed_report_measures_step2_against_26_services() -> None:
    data = json.loads(render_report(analyze(seed()), "json", "nb"))
    assert data["coverage"]["step2"]["declared_services"] == 26
    assert data["counts"]["services"] == 26
    most = data["centrality"]["services"][0]
    assert most["label"] == "Undersøkelser, målinger og funn" and most["in_degree"] == 2


# -- reading the model -------------------------------------------------------------------------

@pytest.mark.parametrize("folder", [ANALYSIS, MODEL_DIR], ids=["fixture", "seed"])
def test_graphs_from_the_built_triples_equal_those_from_an_rdflib_graph(folder) -> None:
    """The built model's N-Triples are read directly (fast); an rdflib graph of the same
    model must give exactly the same nodes, attributes and edges in every graph."""
    model = load_model(folder)
    fast, slow = model_graphs(model), model_graphs(model.graph)
    assert fast.index.edges == slow.index.edges
    assert fast.index.alt_labels == slow.index.alt_labels
    assert fast.index.declared_service_count == slow.index.declared_service_count
    assert fast.services and fast.services == slow.services
    for name in ("reuse", "needs", "actors", "hierarchy", "forms", "programme", "relations"):
        a, b = getattr(fast, name), getattr(slow, name)
        assert dict(a.nodes(data=True)) == dict(b.nodes(data=True)), name
        assert sorted(a.edges(data=True)) == sorted(b.edges(data=True)), name
    assert fast.reuse.number_of_edges() > 0
