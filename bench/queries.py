"""Benchmark: every library query on the seed model and on a synthetic ~100k-triple model,
embedded store (pyoxigraph) against the rdflib reference, as ratios, in one run.

Goals: each query at most 1 s on the embedded store at 100k triples (issue 4) and at 1m
(issue 6).

Run from the repository root::

    .venv/bin/python bench/queries.py                  # seed + synthetic "100k"
    .venv/bin/python bench/queries.py --size 1m --no-rdflib
    .venv/bin/python bench/queries.py --query actor-service-matrix --repeat 5
    .venv/bin/python bench/queries.py --model /tmp/s/1m --no-rdflib        # an existing model

The synthetic model comes from :func:`samhandling.synth.generate_model` (same YAML format as
``model/``) and is written to a temporary folder. Times are the best of ``--repeat`` runs of
binding + evaluating a query (resource parameters are looked up each run, as the CLI does);
rdflib runs once on the synthetic model because it is slow, in a forked child that is given
up after ``--rdflib-timeout`` seconds (shown as ``>60 s``). Results also go to
``bench/results/queries.json``.
"""

from __future__ import annotations

import argparse
import functools
import json
import multiprocessing
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from timing import best_of, timed  # noqa: E402  (bench/timing.py)

from samhandling.query.library import QueryFile, list_queries  # noqa: E402
from samhandling.query.run import Dataset, Engine, execute, local_engine  # noqa: E402
from samhandling.synth import SIZES, generate_model  # noqa: E402

T = TypeVar("T")
GOAL_SECONDS = 1.0
SEED_PARAMS = {"service": "plan", "source": "vg", "text": "plan"}
#: tjeneste-00002 is an early service of the synthetic reuse DAG, so many services reuse it.
#: ``service`` and ``scenario`` also narrow the three big listings (actor-service-matrix,
#: needs-per-service, scenario-needs-services), as a user would at national size; ``--full``
#: leaves those optional parameters out, to time the whole listing.
SYNTH_PARAMS = {"service": "tjeneste-00002", "scenario": "scenario-00001", "source": "vg",
                "text": "plan"}


def best_of_with_timeout(repeat: int, func: Callable[[], T],
                         timeout: float) -> tuple[float | None, T | None]:
    """best_of in a forked child (it shares the loaded graph), killed after ``timeout``
    seconds: rdflib can take minutes on a large model, and one slow query must not stall the
    rest of the run."""
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)

    def child() -> None:
        seconds, value = best_of(repeat, func)
        send.send((seconds, value))

    process = ctx.Process(target=child)
    process.start()
    try:
        if receive.poll(timeout):
            return receive.recv()  # type: ignore[no-any-return]
        return None, None
    finally:
        if process.is_alive():
            process.kill()
        process.join()


def params_for(query: QueryFile, values: dict[str, str], full: bool = False) -> dict[str, str]:
    """The values this query declares; with ``full``, its optional parameters stay unbound."""
    return {p.name: values[p.name] for p in query.params
            if p.name in values and not (full and not p.required)}


def bench_model(label: str, model_dir: Path, queries: list[QueryFile], values: dict[str, str],
                repeat: int, rdflib_repeat: int, rdflib_timeout: float,
                full: bool = False) -> dict[str, object]:
    load_s, dataset = timed(lambda: Dataset.load(model_dir))
    triples = len(dataset)
    store_s, ox_engine = timed(lambda: local_engine(dataset, "oxigraph"))
    rdflib_engine: Engine | None = None
    graph_s = None
    if rdflib_repeat:
        graph_s, rdflib_engine = timed(lambda: local_engine(dataset, "rdflib"))
    print(f"\n## {label}: {triples} triples (load {load_s:.2f} s, store {store_s:.2f} s"
          + (f", rdflib graph {graph_s:.2f} s)" if graph_s is not None else ")"))
    print(f"{'query':<34} {'rows':>6} {'oxigraph':>10} {'rdflib':>10} {'ratio':>7}")
    rows: list[dict[str, object]] = []
    slowest = ("", 0.0)
    for query in queries:
        params = params_for(query, values, full)
        ox_s, outcome = best_of(repeat, functools.partial(execute, query, ox_engine, params))
        n = len(outcome.result.rows)
        ref_s = None
        timed_out = False
        if rdflib_engine is not None:
            ref_s, ref = best_of_with_timeout(
                rdflib_repeat, functools.partial(execute, query, rdflib_engine, params),
                rdflib_timeout)
            timed_out = ref_s is None
            if ref is not None and ref.result != outcome.result:
                print(f"!! {query.name}: rdflib and oxigraph rows differ", file=sys.stderr)
        ratio = f"{ref_s / ox_s:7.0f}x" if ref_s else "      -"
        flag = "  > goal" if ox_s > GOAL_SECONDS else ""
        ref_text = (f"{ref_s * 1000:8.1f}ms" if ref_s is not None
                    else f"{'>' + format(rdflib_timeout, 'g') + ' s':>10}" if timed_out
                    else "         -")
        print(f"{query.name:<34} {n:>6} {ox_s * 1000:8.1f}ms {ref_text} {ratio}{flag}")
        rows.append({"query": query.name, "rows": n, "oxigraph_s": ox_s, "rdflib_s": ref_s,
                     "rdflib_timed_out": timed_out})
        slowest = max(slowest, (query.name, ox_s), key=lambda pair: pair[1])
    print(f"slowest on oxigraph: {slowest[0]} {slowest[1] * 1000:.1f} ms "
          f"(goal {GOAL_SECONDS:.0f} s)")
    return {"model": label, "triples": triples, "load_s": load_s, "store_s": store_s,
            "rdflib_graph_s": graph_s, "queries": rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="100k",
                        help="synthetic model size preset (default 100k)")
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs (default 3)")
    parser.add_argument("--no-rdflib", action="store_true",
                        help="skip rdflib on the synthetic model (it is slow at 1m)")
    parser.add_argument("--rdflib-timeout", type=float, default=60,
                        help="give up on an rdflib query after this many seconds (default 60)")
    parser.add_argument("--query", action="append", default=[],
                        help="only this query (repeatable)")
    parser.add_argument("--full", action="store_true",
                        help="leave optional narrowing parameters unbound (whole listings)")
    parser.add_argument("--model", type=Path,
                        help="time this model folder instead of generating one (e.g. a 1m "
                             "model made by `samhandling synth`)")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "queries.json")
    args = parser.parse_args(argv)

    queries = [q for q in list_queries() if not args.query or q.name in args.query]
    results = [bench_model("seed model", REPO / "model", queries, SEED_PARAMS, args.repeat,
                           args.repeat, args.rdflib_timeout, args.full)]
    if args.model is not None:
        results.append(bench_model(f"model {args.model}", args.model, queries, SYNTH_PARAMS,
                                   args.repeat, 0 if args.no_rdflib else 1,
                                   args.rdflib_timeout, args.full))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            services, needs, actors = SIZES[args.size]
            out = Path(tmp) / "synth"
            gen_s, _ = timed(lambda: generate_model(out, services=services, needs=needs,
                                                    actors=actors, seed=1))
            print(f"\n(generated synthetic model '{args.size}': {services} services, "
                  f"{needs} needs, {actors} actors in {gen_s:.2f} s)")
            results.append(bench_model(f"synthetic {args.size}", out, queries, SYNTH_PARAMS,
                                       args.repeat, 0 if args.no_rdflib else 1,
                                       args.rdflib_timeout, args.full))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out.relative_to(REPO) if args.out.is_relative_to(REPO) else args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
