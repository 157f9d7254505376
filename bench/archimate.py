"""Benchmark the ArchiMate exchange (issue 15): export of the ``100k`` synthetic model and import
of a generated 1,000-element exchange file, each in a fresh process, median of ``--runs``.

Goals: export ≤ 10 s (views included: the overview and the per-group views are above the
layout limit at this size and are set out as grids), import ≤ 2 s. The 100k model is made with
``samhandling synth 100k`` under ``bench/results/models/`` when missing.

Usage (from the repository root)::

    .venv/bin/python bench/archimate.py [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MODEL = REPO / "bench" / "results" / "models" / "100k"
GOALS = {"export 100k": 10.0, "import 1,000 elements": 2.0}


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(*args: str) -> tuple[float, float]:
    """Wall and CPU seconds of one ``samhandling`` run (CPU tells the work apart from waiting
    for a core on a busy machine)."""
    started, cpu = time.perf_counter(), _cpu()
    proc = subprocess.run([sys.executable, "-m", "samhandling", *args], capture_output=True,
                          text=True, cwd=REPO)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"samhandling {' '.join(args)} failed: {proc.stderr.strip()}")
    return elapsed, _cpu() - cpu


def thousand_elements(path: Path) -> None:
    """An exchange file of 1,000 elements (ApplicationServices with IRIs of ours and foreign
    BusinessProcesses) and 999 relationships, the way another tool would write it."""
    ns = "http://www.opengroup.org/xsd/archimate/3.0/"
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<model xmlns="{ns}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
             'identifier="bench">', '<name xml:lang="en">Bench</name>', "<elements>"]
    for i in range(1000):
        kind = "BusinessProcess" if i % 2 else "ApplicationService"
        lines.append(f'<element identifier="e{i}" xsi:type="{kind}">'
                     f'<name xml:lang="nb">Element {i}</name>'
                     f'<name xml:lang="en">Element {i}</name></element>')
    lines.append("</elements><relationships>")
    for i in range(1, 1000):
        lines.append(f'<relationship identifier="r{i}" source="e{i - 1}" target="e{i}" '
                     'xsi:type="Association"/>')
    lines.append("</relationships></model>")
    path.write_text("\n".join(lines), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not MODEL.is_dir():
        _run("synth", "100k", "-o", str(MODEL))
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in GOALS}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        source = work / "thousand.xml"
        thousand_elements(source)
        for n in range(args.runs):
            results["export 100k"].append(_run("export", "archimate", str(MODEL), "-o",
                                               str(work / "100k.xml")))
            results["import 1,000 elements"].append(
                _run("import", "archimate", str(source), "-o", str(work / f"imported-{n}")))
    failed = False
    for name, runs in results.items():
        median = statistics.median(wall for wall, _ in runs)
        cpu = statistics.median(cpu for _, cpu in runs)
        ok = median <= GOALS[name]
        failed |= not ok
        print(f"{name}: {median:.2f} s wall, {cpu:.2f} s CPU (median of {len(runs)}; goal "
              f"≤ {GOALS[name]:.0f} s) {'ok' if ok else 'SLOWER THAN THE GOAL'}; load average "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
