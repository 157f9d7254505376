"""Benchmark: `samhandling validate MODEL` against bare `pyshacl` on the same graph and shapes.

Goal (issue 3): ratio <= 1.0 on the seed model: the wrapper (build from YAML, source lines,
labels, report) must not cost more than the validator it wraps run on the built graph.

What is timed, as wall time of a fresh process each run (start-up included, as CI sees it):

* ``samhandling validate MODEL``: load the sources, build, validate, write the text report;
* ``pyshacl -s shapes.ttl -i none samhandling.ttl``: the same shapes (all of shapes/ merged into
  one file, since the pyshacl CLI takes one) on the graph ``samhandling build`` writes.

The two alternate (A B A B ...) so machine noise hits both alike; the medians and their ratio
are printed, and written as JSON with ``--json FILE``.

Usage::

    .venv/bin/python bench/validate.py                 # 5 runs each on model/
    .venv/bin/python bench/validate.py --runs 9 --model model/ --json bench/results/validate.json
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _command(name: str, module: str) -> list[str]:
    """The console script beside this Python when installed, else ``python -m module``."""
    script = Path(sys.executable).parent / name
    return [str(script)] if script.exists() else [sys.executable, "-m", module]


def _time(command: list[str]) -> tuple[float, int]:
    started = time.perf_counter()
    proc = subprocess.run(command, cwd=REPO, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started, proc.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="model", help="model folder (default: model)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each (default: 5)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(REPO))
    from samhandling.build import load_model
    from samhandling.export import to_turtle
    from samhandling.validation.shacl import load_shapes

    work = Path(tempfile.mkdtemp(prefix="samhandling-bench-"))
    try:
        data = work / "samhandling.ttl"
        shapes = work / "shapes.ttl"
        data.write_bytes(to_turtle(load_model(REPO / args.model).graph))
        shapes.write_bytes(load_shapes().serialize(format="turtle", encoding="utf-8"))
        ours = [*_command("samhandling", "samhandling"), "validate", args.model]
        bare = [*_command("pyshacl", "pyshacl"), "-s", str(shapes), "-i", "none", str(data)]
        times: dict[str, list[float]] = {"samhandling": [], "pyshacl": []}
        codes: dict[str, set[int]] = {"samhandling": set(), "pyshacl": set()}
        for _ in range(args.runs):
            for name, command in (("samhandling", ours), ("pyshacl", bare)):
                seconds, code = _time(command)
                times[name].append(seconds)
                codes[name].add(code)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    medians = {name: statistics.median(values) for name, values in times.items()}
    ratio = medians["samhandling"] / medians["pyshacl"]
    print(f"model: {args.model}, runs: {args.runs} each (wall time, fresh process)")
    for name, command in (("samhandling", ours), ("pyshacl", bare)):
        runs = " ".join(f"{t:.2f}" for t in times[name])
        print(f"  {name:<12} median {medians[name]:.2f} s   runs: {runs}   "
              f"exit {sorted(codes[name])}   ({' '.join(Path(c).name for c in command[:2])} ...)")
    print(f"ratio samhandling / pyshacl: {ratio:.2f} (goal <= 1.0)")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"model": args.model, "runs": args.runs,
                                         "seconds": times, "median": medians,
                                         "ratio": ratio}, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
