"""Benchmark suite: build, validate, the query library and analyze at every model size.

For each size (a synthetic model from ``samhandling synth``, or the seed model) and each stage,
the samhandling pipeline ("fast") and a reference ("ref") run in the same invocation, each run
in a fresh subprocess so its peak memory is its own:

========  ===========================================  =========================================
stage     fast                                         reference
========  ===========================================  =========================================
build     parse YAML, build triples, load the          the same, then the rdflib graph (how
          pyoxigraph store (``BuiltModel.store``)      the build held the model before)
validate  ``samhandling.validation``: load (lenient)   default pySHACL on the in-memory rdflib
          + ``validate_model`` (build + validate),     graph, same load and shapes
          on the model with seeded defects
queries   every ``queries/*.rq`` on the embedded       the same queries on rdflib's own SPARQL
          store (load not counted; slowest shown)      engine
analyze   load + ``samhandling.analysis.analyze``      the same with exact betweenness
========  ===========================================  =========================================

Times are wall seconds, the median of ``--runs`` runs (``--ref-runs`` for the reference, which
is slow at 1m); memory is each process's peak RSS (``ru_maxrss``). Ratios are reference time /
fast time. The suite also checks what it times: validation results must be identical (focus,
path, shape, severity) between fast and reference and equal to what the generator seeded
(``defects.json``), and every query must return the same rows on both engines. A stage whose
module does not exist yet is skipped with a note.

Results: ``bench/results/suite.md`` (Markdown table) and ``suite.json`` (git-ignored), or
``suite-smoke.*`` with ``--smoke``. Exit code 0, or 1 when a check failed.

Usage (from the repository root)::

    .venv/bin/python bench/suite.py                       # small, 100k, 1m; 3 runs; ~1 h
    .venv/bin/python bench/suite.py --sizes 100k --stages build,queries
    .venv/bin/python bench/suite.py --smoke               # CI: small only, 1 run, < 1 min
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import platform
import resource
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
STAGES = ("build", "validate", "queries", "analyze")
ENGINES = ("fast", "ref")
#: Query parameters for synthetic models: an early service of the reuse DAG (many reuse it).
SYNTH_PARAMS = {"service": "tjeneste-00002", "source": "vg", "text": "plan",
                "scenario": "scenario-00001"}
SEED_PARAMS = {"service": "plan", "source": "vg", "text": "plan"}
#: Modules a stage needs; a stage whose module is missing is skipped with a note.
STAGE_MODULES = {"build": "samhandling.build", "validate": "samhandling.validation.shacl",
                 "queries": "samhandling.query.run", "analyze": "samhandling.analysis"}


# -- worker: one stage, one engine, one process ------------------------------------------------
def _clock() -> float:
    return time.perf_counter()


class _QueryTimeout(Exception):
    pass


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Interrupt a pure-Python query (rdflib) after ``seconds``; a query running in Rust
    (pyoxigraph) is only noticed once it returns, and counted as timed out then."""
    def expire(signum: int, frame: Any) -> None:
        raise _QueryTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def worker(stage: str, engine: str, model_dir: Path, params: dict[str, str],
           query_timeout: float = 60.0) -> dict[str, Any]:
    """Run one stage once and describe it: seconds, parts, peak RSS and what to compare."""
    sys.path.insert(0, str(REPO))
    parts: dict[str, float] = {}
    out: dict[str, Any] = {}
    started = _clock()

    def part(name: str, since: float) -> float:
        now = _clock()
        parts[name] = now - since
        return now

    if stage == "build":
        from samhandling.build import load_model

        model = load_model(model_dir)
        mark = part("parse_and_build", started)
        if engine == "fast":
            out["store_triples"] = len(model.store)
            part("store", mark)
        else:
            out["graph_triples"] = len(model.graph)
            part("rdflib_graph", mark)
        out["triples"] = len(model)
        seconds = _clock() - started
    elif stage == "validate":
        from samhandling.validation.load import load_for_validation

        model = load_for_validation(model_dir)
        mark = part("load", started)
        if engine == "fast":
            from samhandling.validation.shacl import validate_model

            report = validate_model(model)
            out["results"] = sorted([r.severity, r.focus, r.shape, r.path]
                                    for r in report.results)
            part("validate", mark)
        else:
            out["results"] = _reference_validation(model, parts, mark)
        seconds = _clock() - started
    elif stage == "queries":
        from samhandling.build import load_model
        from samhandling.query.library import list_queries
        from samhandling.query.run import Dataset, execute, local_engine

        dataset = Dataset(load_model(model_dir))
        mark = part("load", started)
        runner = local_engine(dataset, "oxigraph" if engine == "fast" else "rdflib")
        mark = part("prepare", mark)
        per_query: dict[str, float] = {}
        digests: dict[str, str] = {}
        timed_out: list[str] = []
        for query in list_queries():
            q_started = _clock()
            try:
                with _time_limit(query_timeout):
                    outcome = execute(query, runner, {p.name: params[p.name]
                                                      for p in query.params if p.name in params})
            except _QueryTimeout:
                outcome = None
            per_query[query.name] = _clock() - q_started
            if outcome is None or per_query[query.name] > query_timeout:
                timed_out.append(query.name)
                per_query[query.name] = max(per_query[query.name], query_timeout)
            else:
                digests[query.name] = _digest(outcome.result)
            print(f"      {engine} {query.name}: {per_query[query.name]:.3f} s"
                  + (" (timed out)" if query.name in timed_out else ""),
                  file=sys.stderr, flush=True)
        part("queries", mark)
        out["per_query"] = per_query
        out["digests"] = digests
        out["timed_out"] = timed_out
        seconds = sum(per_query.values())
    elif stage == "analyze":
        from samhandling.analysis import analyze, model_graphs
        from samhandling.build import load_model

        model = load_model(model_dir)
        mark = part("load", started)
        graphs = model_graphs(model)  # as `samhandling analyze` does: no rdflib graph
        mark = part("graphs", mark)
        report = (analyze(graphs) if engine == "fast"
                  else analyze(graphs, exact_limit=10**12))
        part("analyze", mark)
        out["counts"] = dict(report.counts)
        seconds = _clock() - started
    else:
        raise SystemExit(f"unknown stage {stage}")
    out.update(seconds=seconds, parts=parts,
               rss_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return out


def _reference_validation(model: Any, parts: dict[str, float], mark: float) -> list[list[str]]:
    """Default pySHACL on the in-memory rdflib graph; results in validate_model's notation."""
    from pyshacl import validate
    from rdflib import Graph

    from samhandling.namespaces import BASE, curie
    from samhandling.resources import shape_files

    graph = model.graph
    shapes = Graph()
    for path in shape_files():
        shapes.parse(path, format="turtle")
    now = _clock()
    parts["rdflib_graph"] = now - mark
    _conforms, report, _text = validate(graph, shacl_graph=shapes)
    parts["pyshacl"] = _clock() - now
    sh = "http://www.w3.org/ns/shacl#"

    def value(node: Any, name: str) -> Any:
        return report.value(node, _iri(sh + name))

    def compact(iri: str) -> str:
        return curie(iri) or f"<{iri}>"

    def path_text(path: Any) -> str:
        if path is None:
            return ""
        if type(path).__name__ == "URIRef":
            return compact(str(path))
        inverse = report.value(path, _iri(sh + "inversePath"))
        return "^" + compact(str(inverse)) if inverse is not None else ""

    rows = set()
    for node in report.subjects(_iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                                _iri(sh + "ValidationResult")):
        rows.add((str(value(node, "resultSeverity")).rsplit("#", 1)[-1],
                  str(value(node, "focusNode")).removeprefix(BASE),
                  str(value(node, "sourceShape")).removeprefix(BASE + "shapes#"),
                  path_text(value(node, "resultPath"))))
    return sorted(list(r) for r in rows)


def _iri(text: str) -> Any:
    from rdflib import URIRef

    return URIRef(text)


def _digest(result: Any) -> str:
    """Rows in a stable order; CONSTRUCT blank nodes are engine-local, so they count as one."""
    rows = sorted(repr(tuple(("bnode" if getattr(t, "kind", "") == "bnode" else t)
                             for t in row)) for row in result.rows)
    text = repr((result.form, list(result.variables), rows, result.boolean))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# -- parent: models, runs, checks, tables --------------------------------------------------------
def prepare_models(size: str, seed: int, defects: int) -> dict[str, Any]:
    """The models of one size: ``clean`` (build, queries, analyze), ``broken`` (validate, with
    the seeded defects listed in ``defects``), and the query parameters that fit them."""
    sys.path.insert(0, str(REPO))
    if size == "seed":
        seed_model = REPO / "model"  # the live content: the benchmark measures what users run
        return {"clean": seed_model, "broken": seed_model, "defects": None,
                "params": SEED_PARAMS}
    from samhandling.synth import SIZES, generate_model

    clean, broken = RESULTS / "models" / size, RESULTS / "models" / f"{size}-defects"
    clean.parent.mkdir(parents=True, exist_ok=True)
    generate_model(clean, *SIZES[size], seed=seed, force=True)
    generate_model(broken, *SIZES[size], seed=seed, defects=defects, force=True)
    return {"clean": clean, "broken": broken,
            "defects": (broken / "defects.json") if defects else None,
            "params": SYNTH_PARAMS}


def run_once(stage: str, engine: str, model_dir: Path, params: dict[str, str],
             timeout: float, query_timeout: float) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", stage,
               "--engine", engine, "--model", str(model_dir), "--params", json.dumps(params),
               "--query-timeout", str(query_timeout)]
    started = time.perf_counter()
    try:  # the worker's stderr (progress, a traceback) goes straight to ours
        proc = subprocess.run(command, stdout=subprocess.PIPE, text=True, timeout=timeout,
                              cwd=REPO, check=False)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        return {"error": f"exit {proc.returncode} (its traceback is above)"}
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    data["process_wall"] = wall
    return data


def run_stage(stage: str, model_dir: Path, params: dict[str, str], runs: int, ref_runs: int,
              timeout: float, query_timeout: float) -> dict[str, Any]:
    entry: dict[str, Any] = {"stage": stage}
    for engine, count in (("fast", runs), ("ref", ref_runs)):
        results = []
        for _ in range(count):
            result = run_once(stage, engine, model_dir, params, timeout, query_timeout)
            results.append(result)
            if "error" in result:
                break
        errors = [r["error"] for r in results if "error" in r]
        good = [r for r in results if "error" not in r]
        entry[engine] = {
            "runs": len(good),
            "seconds": statistics.median(r["seconds"] for r in good) if good else None,
            "rss_mib": max(r["rss_mib"] for r in good) if good else None,
            "parts": _median_parts(good),
            "error": errors[0] if errors else None,
            "last": good[-1] if good else None,
        }
    fast, ref = entry["fast"], entry["ref"]
    entry["speedup"] = (ref["seconds"] / fast["seconds"]
                        if fast["seconds"] and ref["seconds"] else None)
    return entry


def _median_parts(results: list[dict[str, Any]]) -> dict[str, float]:
    names = list(dict.fromkeys(name for r in results for name in r.get("parts", {})))
    return {name: statistics.median(r["parts"][name] for r in results if name in r["parts"])
            for name in names}


def check_stage(entry: dict[str, Any], defects_file: Path | None) -> list[str]:
    """What did not hold: results differing between engines or from the seeded defects."""
    problems: list[str] = []
    fast, ref = entry["fast"].get("last"), entry["ref"].get("last")
    stage = entry["stage"]
    if stage == "validate" and fast is not None:
        got = {tuple(r) for r in fast["results"]}
        if ref is not None and got != {tuple(r) for r in ref["results"]}:
            only_fast = len(got - {tuple(r) for r in ref["results"]})
            only_ref = len({tuple(r) for r in ref["results"]} - got)
            problems.append(f"validate: results differ from default pySHACL ({only_fast} only "
                            f"in samhandling, {only_ref} only in pySHACL)")
        if defects_file is not None:
            sys.path.insert(0, str(REPO))
            from samhandling.namespaces import BASE

            seeded = json.loads(defects_file.read_text(encoding="utf-8"))
            expected = {(d["severity"], d["focus"].removeprefix(BASE),
                         d["shape"].removeprefix(BASE + "shapes#")) for d in seeded}
            found = {(r[0], r[1], r[2]) for r in got}
            if found != expected:
                problems.append(f"validate: {len(expected - found)} seeded defects not "
                                f"reported, {len(found - expected)} results not seeded")
    if stage == "queries" and fast is not None and ref is not None:
        differing = sorted(name for name, digest in fast["digests"].items()
                           if name in ref["digests"] and ref["digests"][name] != digest)
        if differing:
            problems.append("queries: rows differ between engines: " + ", ".join(differing))
    for engine in ENGINES:
        if entry[engine]["error"]:
            problems.append(f"{stage} ({engine}): {entry[engine]['error']}")
    return problems


def _fmt(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def markdown(report: dict[str, Any]) -> str:
    lines = [f"# Benchmark suite ({report['started']})", "",
             f"Machine: {report['machine']}; runs: {report['runs']} (reference "
             f"{report['ref_runs']}); times are medians in seconds, RSS is peak MiB.", "",
             "| size | triples | stage | fast s | fast RSS | ref s | ref RSS | speed-up | "
             "detail |", "|---|---:|---|---:|---:|---:|---:|---:|---|"]
    for size in report["sizes"]:
        for entry in size["stages"]:
            if "skipped" in entry:
                lines.append(f"| {size['size']} | {size.get('triples', '-')} | "
                             f"{entry['stage']} | - | - | - | - | - | {entry['skipped']} |")
                continue
            fast, ref = entry["fast"], entry["ref"]
            lines.append(
                f"| {size['size']} | {size.get('triples', '-')} | {entry['stage']} | "
                f"{_fmt(fast['seconds'])} | {_fmt(fast['rss_mib'], 0)} | "
                f"{_fmt(ref['seconds'])} | {_fmt(ref['rss_mib'], 0)} | "
                f"{_fmt(entry['speedup'], 1)}{'x' if entry['speedup'] else ''} | "
                f"{_detail(entry)} |")
    growth = report.get("growth")
    if growth:
        lines += ["", f"Growth {growth['from']} -> {growth['to']} ({growth['triples']:.1f}x "
                  "triples): time and memory ratios, fast engine (<= the triple ratio is "
                  "linear or better).", "", "| stage | time x | RSS x |", "|---|---:|---:|"]
        for stage, ratios in growth["stages"].items():
            lines.append(f"| {stage} | {_fmt(ratios['time'], 1)} | {_fmt(ratios['rss'], 1)} |")
    if report["problems"]:
        lines += ["", "Checks that failed:", ""] + [f"- {p}" for p in report["problems"]]
    else:
        lines += ["", "All checks of the stages run held (validate: results identical to "
                  "default pySHACL and to the seeded defects; queries: rows identical on both "
                  "engines, where the reference finished)."]
    return "\n".join(lines) + "\n"


def _detail(entry: dict[str, Any]) -> str:
    fast = entry["fast"]
    parts = ", ".join(f"{k} {v:.2f}" for k, v in fast["parts"].items())
    if entry["stage"] == "queries" and fast.get("last"):
        per_query = fast["last"]["per_query"]
        slowest = max(per_query, key=per_query.get)
        parts = (f"{len(per_query)} queries, slowest {slowest} {per_query[slowest]:.3f} s; "
                 + parts)
        late = (entry["ref"].get("last") or {}).get("timed_out")
        if late:
            parts += (f"; reference: {len(late)} queries stopped at the query timeout "
                      "(its time is a lower bound)")
    if fast["error"] or entry["ref"]["error"]:
        parts += f"; error: {fast['error'] or entry['ref']['error']}"
    return parts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="small,100k,1m",
                        help="comma-separated: seed, small, 100k, 1m (default small,100k,1m)")
    parser.add_argument("--stages", default=",".join(STAGES),
                        help=f"comma-separated subset of {','.join(STAGES)}")
    parser.add_argument("--runs", type=int, default=3, help="runs of the fast pipeline (3)")
    parser.add_argument("--ref-runs", type=int, default=1,
                        help="runs of the reference (1: it takes minutes at 1m)")
    parser.add_argument("--defects", type=int, default=1,
                        help="defects of each kind seeded into synthetic models (1)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (1)")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per run (3600)")
    parser.add_argument("--query-timeout", type=float, default=60,
                        help="seconds per query before it counts as timed out (60)")
    parser.add_argument("--smoke", action="store_true",
                        help="CI smoke run: the small size once, every stage")
    parser.add_argument("--out", type=Path, default=None,
                        help="file stem for the results (default bench/results/suite)")
    parser.add_argument("--worker", choices=STAGES, help=argparse.SUPPRESS)
    parser.add_argument("--engine", choices=ENGINES, default="fast", help=argparse.SUPPRESS)
    parser.add_argument("--model", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--params", default="{}", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        print(json.dumps(worker(args.worker, args.engine, args.model, json.loads(args.params),
                                args.query_timeout)))
        return 0
    if args.smoke:
        args.sizes, args.runs, args.ref_runs = "small", 1, 1
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    stages = [s.strip() for s in args.stages.split(",") if s.strip()]
    unknown = [s for s in stages if s not in STAGES]
    if unknown:
        parser.error(f"unknown stage(s) {', '.join(unknown)}; valid: {', '.join(STAGES)}")
    stem = args.out or RESULTS / ("suite-smoke" if args.smoke else "suite")
    report: dict[str, Any] = {
        "started": time.strftime("%Y-%m-%d %H:%M:%S"), "runs": args.runs,
        "ref_runs": args.ref_runs, "defects": args.defects, "seed": args.seed,
        "machine": f"{platform.machine()}, {_cpus()} CPUs, Python {platform.python_version()}",
        "sizes": [], "problems": []}
    for size in sizes:
        print(f"== {size}", file=sys.stderr, flush=True)
        models = prepare_models(size, args.seed, args.defects)
        size_entry: dict[str, Any] = {"size": size, "model": str(models["clean"]),
                                      "stages": []}
        report["sizes"].append(size_entry)
        for stage in stages:
            if importlib.util.find_spec(STAGE_MODULES[stage]) is None:
                size_entry["stages"].append({"stage": stage, "skipped":
                                             f"{STAGE_MODULES[stage]} does not exist yet"})
                continue
            print(f"   {stage} ...", file=sys.stderr, flush=True)
            model_dir = models["broken" if stage == "validate" else "clean"]
            entry = run_stage(stage, model_dir, models["params"], args.runs, args.ref_runs,
                              args.timeout, args.query_timeout)
            size_entry["stages"].append(entry)
            report["problems"] += [f"{size}: {p}"
                                   for p in check_stage(entry, models["defects"])]
            if stage == "build" and entry["fast"].get("last"):
                size_entry["triples"] = entry["fast"]["last"]["triples"]
            print(f"   {stage}: fast {_fmt(entry['fast']['seconds'])} s, ref "
                  f"{_fmt(entry['ref']['seconds'])} s", file=sys.stderr, flush=True)
    report["growth"] = _growth(report)
    for entry in (e for s in report["sizes"] for e in s["stages"] if "fast" in e):
        for engine in ENGINES:  # keep the JSON small: per-query times stay, result lists go
            last = entry[engine].get("last") or {}
            last.pop("results", None)
            last.pop("digests", None)
    stem.parent.mkdir(parents=True, exist_ok=True)
    Path(f"{stem}.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    text = markdown(report)
    Path(f"{stem}.md").write_text(text, encoding="utf-8")
    print(text)
    return 1 if report["problems"] else 0


def _growth(report: dict[str, Any]) -> dict[str, Any] | None:
    by_size = {s["size"]: s for s in report["sizes"]}
    if "100k" not in by_size or "1m" not in by_size:
        return None
    small, big = by_size["100k"], by_size["1m"]
    if not small.get("triples") or not big.get("triples"):
        return None
    stages = {}
    for a, b in zip(small["stages"], big["stages"], strict=True):
        if "fast" in a and "fast" in b and a["fast"]["seconds"] and b["fast"]["seconds"]:
            stages[a["stage"]] = {"time": b["fast"]["seconds"] / a["fast"]["seconds"],
                                  "rss": b["fast"]["rss_mib"] / a["fast"]["rss_mib"]}
    return {"from": "100k", "to": "1m", "triples": big["triples"] / small["triples"],
            "stages": stages}


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


if __name__ == "__main__":
    raise SystemExit(main())
