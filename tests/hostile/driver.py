"""Run every command that reads a model on each case's folder, all in one process, and print
JSON: case name -> list of (command, exit code, stderr, seconds).

One process for the corpus instead of one per command: the suite's bound on added time is
well under a second per case, and importing the CLI alone takes most of that. Each command
runs through ``samhandling.cli.main`` exactly as the console script does (its error
handling included), with stdout and stderr captured; anything escaping ``main`` other than
``SystemExit`` is reported as a traceback, which the test refuses.

Usage: ``python -m tests.hostile.driver SPEC.json`` where the spec is a list of
``{"name", "model", "out", "env"}``; ``env`` is set for that case's commands only (the
limits are read from the environment at every file).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import time
import traceback
from pathlib import Path


def commands(model: str, out: Path) -> list[list[str]]:
    """Every command that reads a model folder, each writing (if it writes) under ``out``."""
    return [
        ["build", model, "-o", str(out / "build")],
        ["validate", model],
        ["stats", model],
        ["export-tables", model, "-o", str(out / "tables")],
        ["query", "needs-per-service", model],
        ["analyze", model],
        ["impact", "plan", model],
        ["graph", "services", model, "--format", "graphml", "-o", str(out / "services.graphml")],
        ["diff", model, model],
    ]


def run(argv: list[str]) -> dict[str, object]:
    from samhandling.cli import main

    stdout, stderr = io.StringIO(), io.StringIO()
    start = time.monotonic()
    code: object = 0
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            main(argv)
        except SystemExit as exc:
            code = exc.code
        except BaseException:
            code = "escaped"
            stderr.write(traceback.format_exc())
    return {"argv": argv, "code": code, "stderr": stderr.getvalue(),
            "seconds": round(time.monotonic() - start, 3)}


def main(args: list[str]) -> None:
    spec = json.loads(Path(args[0]).read_text(encoding="utf-8"))
    results = {}
    for case in spec:
        saved = {name: os.environ.get(name) for name in case["env"]}
        os.environ.update(case["env"])
        try:
            results[case["name"]] = [run(argv)
                                     for argv in commands(case["model"], Path(case["out"]))]
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
