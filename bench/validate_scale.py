"""Benchmark: the fast validation engine against default pySHACL at 100k and 1m triples.

For each size a synthetic model with seeded defects is generated (``samhandling.synth``), then
each engine runs in a fresh process per run (so peak RSS is that run's own):

* ``fast``: ``validate_model(engine="fast")``: SPARQL on the model's pyoxigraph store picks the
  focus nodes that may fail, pySHACL's components judge those
  (``samhandling/validation/store_engine.py``);
* ``reference``: ``validate_model(engine="reference")``: default pySHACL, every SPARQL query
  per focus node on rdflib's engine.

Each run reports build (lenient load of the YAML sources), validate and total wall seconds and
its peak RSS (``resource.getrusage`` in the child). The script checks that both engines give
the same results (focus, path, shape, severity, value, component) and that every defect in
``defects.json`` is among them, and prints medians and the reference/fast ratio.

Usage::

    .venv/bin/python bench/validate_scale.py                      # 100k and 1m
    .venv/bin/python bench/validate_scale.py --sizes 100k --runs 3 --json out.json
    .venv/bin/python bench/validate_scale.py --sizes small --defects 1 --runs 1   # smoke

Exit status 1 when the engines disagree or a seeded defect is missed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def child(model_dir: str, engine: str) -> None:
    """One run in this process: build, validate, print one JSON line."""
    import resource

    start = time.perf_counter()
    from samhandling.validation.load import load_for_validation
    from samhandling.validation.shacl import load_shapes, validate_model

    model = load_for_validation(model_dir)
    built = time.perf_counter()
    shapes = load_shapes()
    shaped = time.perf_counter()
    report = validate_model(model, shapes, engine=engine)
    done = time.perf_counter()
    keys = sorted([r.focus, r.path, r.shape, r.severity, r.value, r.component]
                  for r in report.results)
    print(json.dumps({
        "engine": engine, "triples": len(model), "build_s": built - start,
        "validate_s": done - shaped, "total_s": done - start,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "results": keys,
    }))


def run(model_dir: Path, engine: str) -> dict[str, object]:
    out = subprocess.run([sys.executable, __file__, "--child", str(model_dir), engine],
                         capture_output=True, text=True, check=True, cwd=REPO)
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_size(size: str, runs: int, reference_runs: int, work: Path,
               defects: int = 3) -> dict[str, object]:
    from samhandling.synth import generate_model, size_counts
    from samhandling.validation.display import compact_shape, show

    services, needs, actors = size_counts(size)
    model_dir = work / size
    summary = generate_model(model_dir, services, needs, actors, seed=1, defects=defects)
    results: dict[str, list[dict[str, object]]] = {"fast": [], "reference": []}
    for i in range(max(runs, reference_runs)):
        for engine, n in (("fast", runs), ("reference", reference_runs)):
            if i < n:
                results[engine].append(run(model_dir, engine))
                print(f"{size} {engine} run {i + 1}: "
                      f"{_fmt(results[engine][-1])}", file=sys.stderr, flush=True)
    fast, ref = results["fast"], results["reference"]
    found = {(r[0], r[2], r[3]) for r in fast[0]["results"]}  # type: ignore[index]
    from rdflib import URIRef
    missed = [d for d in summary.defects
              if (show(URIRef(d["focus"])), compact_shape(URIRef(d["shape"])),
                  d["severity"]) not in found]
    row: dict[str, object] = {"size": size, "triples": fast[0]["triples"],
                              "seeded_results": len(summary.defects),
                              "seeded_missed": len(missed)}
    for engine, data in results.items():
        if data:
            for key in ("build_s", "validate_s", "total_s", "peak_rss_mb"):
                row[f"{engine}_{key}"] = round(statistics.median(d[key] for d in data), 2)
            row[f"{engine}_results"] = len(data[0]["results"])  # type: ignore[arg-type]
    if ref:
        row["equal"] = all(d["results"] == ref[0]["results"] for d in fast + ref)
        row["ratio_validate"] = round(row["reference_validate_s"] / row["fast_validate_s"], 2)  # type: ignore[operator]
        row["ratio_total"] = round(row["reference_total_s"] / row["fast_total_s"], 2)  # type: ignore[operator]
    return row


def _fmt(run_data: dict[str, object]) -> str:
    return ", ".join(f"{k} {v:.1f}" for k, v in run_data.items()
                     if isinstance(v, float))


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", nargs="+", default=["100k", "1m"])
    parser.add_argument("--runs", type=int, default=3, help="runs of the fast engine")
    parser.add_argument("--reference-runs", type=int, default=1,
                        help="runs of default pySHACL (slow: ~2 min at 100k); 0 skips it")
    parser.add_argument("--defects", type=int, default=3,
                        help="defects of each kind to seed (1 for the small size)")
    parser.add_argument("--json", type=Path, help="write the rows as JSON here")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="validate-scale-") as tmp:
        for size in args.sizes:
            rows.append(bench_size(size, args.runs, args.reference_runs, Path(tmp),
                                   args.defects))
            print(json.dumps(rows[-1]), flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    bad = [r for r in rows if r["seeded_missed"] or r.get("equal") is False]
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
