"""Run the ``run:`` steps of a GitHub Actions workflow locally, the way a runner would.

Enough of the runner for our own workflow, and strict about the rest: ``${{ }}`` expressions
are limited to context lookups (``github.base_ref``) and ``a || 'default'``; an expression
outside that subset fails the test instead of being skipped, so the workflow cannot grow a step
this runner silently ignores. Steps follow the runner's rules: a step without ``if:`` runs only
while every earlier step succeeded, ``if: always()`` runs anyway, ``uses:`` steps are recorded
(their inputs expanded) but not executed; each ``run:`` script goes to ``bash -e``, with the
workflow, job and step ``env:`` and ``GITHUB_STEP_SUMMARY`` set.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
_LOOKUP = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


@dataclass
class StepResult:
    name: str
    kind: str  # "run", "uses" or "skipped"
    returncode: int = 0
    stdout: str = ""
    stderr: str = ""
    inputs: dict[str, str] = field(default_factory=dict)


def _lookup(path: str, context: dict[str, Any]) -> str:
    value: Any = context
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return ""
        value = value[part]
    return "" if value is None else str(value)


def expand(text: str, context: dict[str, Any]) -> str:
    """``text`` with every ``${{ expr }}`` replaced by its value in ``context``."""

    def one(match: re.Match[str]) -> str:
        expr = match.group(1)
        for alternative in (a.strip() for a in expr.split("||")):
            if alternative.startswith("'") and alternative.endswith("'"):
                value = alternative[1:-1]
            elif _LOOKUP.match(alternative):
                value = _lookup(alternative, context)
            else:
                raise ValueError(f"expression outside the runner's subset: {expr!r}")
            if value:
                return value
        return ""

    return _EXPRESSION.sub(one, text)


def _condition(expr: str | None, context: dict[str, Any], failed: bool) -> bool:
    if expr is None:
        return not failed
    expr = _EXPRESSION.sub(lambda m: m.group(1), str(expr)).strip()
    if expr == "always()":
        return True
    if expr == "failure()":
        return failed
    match = re.fullmatch(r"([A-Za-z_.]+)\s*==\s*'([^']*)'", expr)
    if match:
        return not failed and _lookup(match.group(1), context) == match.group(2)
    raise ValueError(f"condition outside the runner's subset: {expr!r}")


def run_job(workflow: Path, job: str, *, cwd: Path, context: dict[str, Any],
            env: dict[str, str]) -> list[StepResult]:
    """Run one job of ``workflow`` in ``cwd``; returns every step's result, skipped included."""
    spec = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    job_spec = spec["jobs"][job]
    if not _condition(job_spec.get("if"), context, failed=False):
        return []
    summary = cwd / ".step-summary.md"
    base_env = {**env, "GITHUB_STEP_SUMMARY": str(summary), "CI": "true",
                "GITHUB_ACTIONS": "true"}
    for scope in (spec.get("env") or {}, job_spec.get("env") or {}):
        base_env.update({k: expand(str(v), context) for k, v in scope.items()})
    results: list[StepResult] = []
    failed = False
    for index, step in enumerate(job_spec["steps"]):
        name = step.get("name") or step.get("uses") or f"step {index}"
        if not _condition(step.get("if"), context, failed):
            results.append(StepResult(name, "skipped"))
            continue
        if "uses" in step:
            inputs = {k: expand(str(v), context) for k, v in (step.get("with") or {}).items()}
            results.append(StepResult(name, "uses", inputs=inputs))
            continue
        step_env = dict(base_env)
        step_env.update({k: expand(str(v), context) for k, v in (step.get("env") or {}).items()})
        script = expand(step["run"], context)
        proc = subprocess.run(["bash", "-e", "-c", script], capture_output=True, text=True,
                              cwd=cwd, env=step_env, timeout=600)
        results.append(StepResult(name, "run", proc.returncode, proc.stdout, proc.stderr))
        failed = failed or proc.returncode != 0
    return results


def user_env(extra_path: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH"}}
    if extra_path is not None:
        env["PATH"] = f"{extra_path}{os.pathsep}{env['PATH']}"
    return env
