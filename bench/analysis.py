"""Benchmark: ``analyze`` and ``graph services --format svg`` (filtered) on a synthetic model
with 2,000 services and 20,000 needs.

Goals (issue 5): ``analyze`` ≤ 5 s; ``graph services --format svg`` of a filtered view ≤ 10 s.

Run from the repository root::

    .venv/bin/python bench/analysis.py
    .venv/bin/python bench/analysis.py --services 500 --needs 5000 --repeat 3

The model comes from :func:`samhandling.synth.generate_model` (the same YAML format as
``model/``), written to a temporary folder. Each figure is the best of ``--repeat`` runs:

* library stages in this process: ``load_model`` (the build, not part of this issue),
  ``model_graphs`` (index), ``analyze`` + rendering the text report, and per filtered view
  ``view_graph`` + ``to_svg`` (Graphviz included);
* the commands end to end as a user runs them (a new process each: Python start, imports,
  model load, analysis or drawing, output).

The goals are checked against the analysis and drawing themselves (index + analyses, and
view + drawing), since loading the sources is the build's budget; the end-to-end times are
printed beside them. Results also go to ``bench/results/analysis.json``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from timing import best_of  # noqa: E402  (bench/timing.py)

from samhandling.analysis import analyze, model_graphs, render_report, view_graph  # noqa: E402
from samhandling.build import load_model  # noqa: E402
from samhandling.render.dot import DotOptions, to_svg  # noqa: E402
from samhandling.synth import generate_model  # noqa: E402

ANALYZE_GOAL = 5.0
GRAPH_GOAL = 10.0
#: Filtered views of the synthetic model: a main group, a group and a maturity, and the
#: neighbourhood of an early service of the reuse DAG (a hub: about 100 neighbours).
FILTERS: dict[str, list[str]] = {
    "group 6": ["--group", "6"],
    "group 3, maturity R": ["--group", "3", "--maturity", "R"],
    "focus hub, depth 1": ["--focus", "tjeneste-00002", "--depth", "1"],
}


def command(repeat: int, *args: str) -> float:
    def run() -> None:
        proc = subprocess.run([sys.executable, "-m", "samhandling", *args], cwd=REPO,
                              capture_output=True, timeout=600)
        if proc.returncode != 0:
            raise SystemExit(f"samhandling {' '.join(args)} failed: "
                             f"{proc.stderr.decode(errors='replace')}")

    return best_of(repeat, run)[0]


def filter_kwargs(args: list[str]) -> dict[str, Any]:
    pairs = dict(zip(args[::2], args[1::2], strict=True))
    return {"group": int(pairs["--group"]) if "--group" in pairs else None,
            "maturity": pairs.get("--maturity"), "focus": pairs.get("--focus"),
            "depth": int(pairs["--depth"]) if "--depth" in pairs else None}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=2_000)
    parser.add_argument("--needs", type=int, default=20_000)
    parser.add_argument("--actors", type=int, default=3_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--no-cli", action="store_true", help="skip the end-to-end commands")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="samhandling-bench-") as tmp:
        folder = Path(tmp) / "model"
        summary = generate_model(folder, services=options.services, needs=options.needs,
                                 actors=options.actors, seed=options.seed)
        load_s, model = best_of(options.repeat, lambda: load_model(folder))
        index_s, graphs = best_of(options.repeat, lambda: model_graphs(model))

        def run_analysis() -> str:
            fresh = model_graphs(model)  # graphs are built on first use: count them here
            return render_report(analyze(fresh), "text", "nb")

        analysis_s, report = best_of(options.repeat, run_analysis)
        results: dict[str, Any] = {
            "model": {"services": options.services, "needs": options.needs,
                      "actors": options.actors, "triples": len(model),
                      "records": summary.records},
            "seconds": {"load_model": round(load_s, 2), "index": round(index_s, 2),
                        "index_analyze_and_render": round(analysis_s, 2)},
            "views": {},
        }
        analyze_total = analysis_s  # includes its own index: model_graphs(model) again
        print(f"model: {options.services} services, {options.needs} needs, "
              f"{options.actors} actors, {len(model)} triples")
        print(f"load_model                     {load_s:6.2f} s  (the build's budget)")
        print(f"index                          {index_s:6.2f} s")
        verdict = "ok" if analyze_total <= ANALYZE_GOAL else "MISSED"
        print(f"index + analyze + report       {analyze_total:6.2f} s  "
              f"(goal ≤ {ANALYZE_GOAL:.0f} s: {verdict})")
        for name, args in FILTERS.items():
            kwargs = filter_kwargs(args)

            def draw(kwargs: dict[str, Any] = kwargs) -> tuple[int, int, int]:
                view = view_graph(graphs, "services", **kwargs)
                svg = to_svg(view, DotOptions())
                return view.number_of_nodes(), view.number_of_edges(), len(svg)

            seconds, (nodes, edges, size) = best_of(options.repeat, draw)
            results["views"][name] = {"nodes": nodes, "edges": edges, "svg_bytes": size,
                                      "view_and_svg": round(seconds, 2)}
            print(f"graph services {name:<22} {seconds:6.2f} s  ({nodes} nodes, {edges} edges; "
                  f"goal ≤ {GRAPH_GOAL:.0f} s: {'ok' if seconds <= GRAPH_GOAL else 'MISSED'})")
        if not options.no_cli:
            cli: dict[str, float] = {}
            cli["analyze"] = command(options.repeat, "analyze", "--model", str(folder))
            for name, args in FILTERS.items():
                cli[f"graph services {name}"] = command(
                    options.repeat, "graph", "services", "--model", str(folder), "--format",
                    "svg", "-o", str(Path(tmp) / "view.svg"), *args)
            results["end_to_end"] = {k: round(v, 2) for k, v in cli.items()}
            for name, seconds in cli.items():
                print(f"end to end: samhandling {name:<32} {seconds:6.2f} s")
        print(report.splitlines()[2])
    out = REPO / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "analysis.json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    ok = analyze_total <= ANALYZE_GOAL and all(
        v["view_and_svg"] <= GRAPH_GOAL for v in results["views"].values())
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
