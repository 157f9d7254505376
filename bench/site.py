"""Benchmark: ``samhandling docs`` on the seed model and on a synthetic model of 2,000 services.

Goals (issue 18): the seed model's site in ≤ 3 s; the 2,000-service site in ≤ 60 s, with pages
that still load in under a second (long lists are split into pages of
:data:`samhandling.site.render.PAGE_SIZE` rows).

Run from the repository root::

    .venv/bin/python bench/site.py
    .venv/bin/python bench/site.py --services 500 --repeat 3 --no-browser

Each figure is the best of ``--repeat`` runs (at least 3 for the seed) of the command as a user
runs it, in wall seconds, with the CPU seconds a run took beside it (a new process:
Python start, imports, model load, validation, queries, Graphviz, every page written). The
synthetic model (:func:`samhandling.synth.generate_model`, needs and actors in the proportions
of the ``100k`` preset) is written to a temporary folder. With Chromium and Playwright
installed, the largest pages of the big site and its search page are then loaded in headless
Chromium and the slowest load is reported. Results also go to ``bench/results/site.json``.
Exit code 1 when a goal is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from timing import best_of  # noqa: E402  (bench/timing.py)

from samhandling.synth import SIZES, generate_model  # noqa: E402

SEED_GOAL = 3.0
BIG_GOAL = 60.0
LOAD_GOAL = 1.0
SEED = REPO / "tests" / "fixtures" / "seed-model"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def cpu_seconds() -> float:
    """User + system CPU of every finished child so far (load on the machine does not
    change it, unlike wall time)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def docs(model: Path, out: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "samhandling", "docs", str(model), "-o",
                           str(out), "-q"], cwd=REPO, capture_output=True, text=True,
                          timeout=900)
    if proc.returncode != 0:
        raise SystemExit(f"samhandling docs failed: {proc.stderr.strip()}")


def site_size(folder: Path) -> dict[str, Any]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    pages = sorted((p for p in files if p.suffix == ".html"), key=lambda p: -p.stat().st_size)
    return {"files": len(files), "megabytes": round(sum(p.stat().st_size for p in files) / 1e6, 1),
            "largest_pages": [(p.relative_to(folder).as_posix(), p.stat().st_size)
                              for p in pages[:5]]}


def slowest_load(folder: Path, paths: list[str]) -> tuple[float, str] | None:
    """The slowest ``file://`` load (to the load event) of ``paths`` in headless Chromium,
    or None without Chromium or Playwright."""
    chromium = shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if chromium is None:
        return None
    worst = (0.0, "")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page()
        for path in paths:
            url = (folder / path.split("?")[0]).as_uri() + ("?" + path.split("?")[1]
                                                             if "?" in path else "")
            started = time.perf_counter()
            page.goto(url, wait_until="load")
            if "search" in path:
                page.wait_for_selector("#search-results p")
            worst = max(worst, (time.perf_counter() - started, path))
        browser.close()
    return worst


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    services, needs, actors = SIZES["100k"]
    scale = args.services / services
    results: dict[str, Any] = {}
    failed = False
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        work = Path(tmp)
        repeat = max(3, args.repeat)  # the seed's runs are short: more of them
        cpu = cpu_seconds()
        seconds, _ = best_of(repeat, lambda: docs(SEED, work / "seed-site"))
        cpu = (cpu_seconds() - cpu) / repeat
        results["seed"] = {"seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2),
                           "goal": SEED_GOAL, **site_size(work / "seed-site")}
        print(f"seed model: {seconds:.2f} s (goal ≤ {SEED_GOAL:.0f} s; {cpu:.2f} s CPU a run; "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
        failed |= seconds > SEED_GOAL
        model = work / "model"
        summary = generate_model(model, args.services, max(args.services, int(needs * scale)),
                                 max(10, int(actors * scale)), seed=1)
        cpu = cpu_seconds()
        seconds, _ = best_of(args.repeat, lambda: docs(model, work / "big-site"))
        cpu = (cpu_seconds() - cpu) / args.repeat
        size = site_size(work / "big-site")
        results["big"] = {"services": summary.services, "seconds": round(seconds, 2),
                          "cpu_seconds": round(cpu, 2), "goal": BIG_GOAL, **size}
        print(f"{summary.services} services: {seconds:.2f} s (goal ≤ {BIG_GOAL:.0f} s; "
              f"{cpu:.1f} s CPU; load average {os.getloadavg()[0]:.1f}), "
              f"{size['files']} files, {size['megabytes']} MB; largest page "
              f"{size['largest_pages'][0][0]} ({size['largest_pages'][0][1] / 1e3:.0f} kB)")
        failed |= seconds > BIG_GOAL
        if not args.no_browser:
            paths = [p for p, _ in size["largest_pages"]] + ["nb/index.html",
                                                             "nb/search.html?q=tjeneste"]
            worst = slowest_load(work / "big-site", paths)
            if worst is None:
                print("page loads: not measured (no Chromium or Playwright)")
            else:
                results["big"]["slowest_load"] = {"seconds": round(worst[0], 3),
                                                  "page": worst[1], "goal": LOAD_GOAL}
                print(f"slowest page load: {worst[0]:.2f} s ({worst[1]}; goal < "
                      f"{LOAD_GOAL:.0f} s)")
                failed |= worst[0] >= LOAD_GOAL
    out = REPO / "bench" / "results" / "site.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
