"""Benchmark the slides (issue 16): the whole deck of the seed model, and a services view of 150
nodes drawn as a native PPTX slide (every node a shape, every edge a glued connector:
``--no-aggregate``, since a 150-node view would otherwise be drawn as its main groups), each
as the command a user runs, in a fresh process, median of ``--runs``.

Goals (wall time): deck ≤ 5 s, 150-node native slide ≤ 5 s. CPU time is shown beside it:
on a machine shared with other work the wall time says more about the neighbours. The
150-service model is made with ``samhandling synth`` under ``bench/results/models/`` when
missing.

Usage (from the repository root)::

    .venv/bin/python bench/slides.py [--runs 3]
"""

from __future__ import annotations

import argparse
import io
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "tests" / "fixtures" / "seed-model"
MODEL = REPO / "bench" / "results" / "models" / "services-150"
GOALS = {"deck of the seed model": 5.0, "services view, 150 nodes, native pptx": 5.0}


def _run(*args: str) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system, the command and what it started: dot) of
    one run; on a shared machine the CPU time is the steadier figure."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "samhandling", *args], capture_output=True,
                          text=True, cwd=REPO, timeout=600)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"samhandling {' '.join(args)} failed: {proc.stderr.strip()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def _shapes(path: Path) -> tuple[int, int]:
    """(node shapes, connectors) on the first slide: the benchmark checks what it times."""
    from pptx import Presentation

    slide = Presentation(io.BytesIO(path.read_bytes())).slides[0]
    names = [shape.name for shape in slide.shapes]
    return (sum(n.startswith("node ") for n in names), sum(n.startswith("edge ") for n in names))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not (MODEL / "tjenester.yaml").exists():
        MODEL.parent.mkdir(parents=True, exist_ok=True)
        _run("synth", "--services", "150", "--needs", "150", "--actors", "10", "-o", str(MODEL))
    failed = False
    with tempfile.TemporaryDirectory() as folder:
        deck = Path(folder) / "deck.pptx"
        slide = Path(folder) / "services-150.pptx"
        cases = {
            "deck of the seed model": ["slides", str(SEED), "-o", str(deck)],
            "services view, 150 nodes, native pptx": [
                "graph", "services", str(MODEL), "--format", "pptx", "--no-aggregate", "-o",
                str(slide)],
        }
        print(f"{'case':42} {'wall s':>7} {'cpu s':>6} {'goal s':>7}  (medians)")
        for name, command in cases.items():
            runs = [_run(*command) for _ in range(args.runs)]
            wall = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[1] for r in runs)
            ok = wall <= GOALS[name]
            failed |= not ok
            print(f"{name:42} {wall:7.2f} {cpu:6.2f} {GOALS[name]:7.1f} "
                  f"{'ok' if ok else 'SLOW'}")
        nodes, edges = _shapes(slide)
        print(f"150-node slide: {nodes} node shapes, {edges} connectors")
        if nodes != 150:
            print("error: the 150-node slide does not hold 150 node shapes")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
