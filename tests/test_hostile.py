"""The hostile corpus (``tests/hostile/``) through every command that reads a model.

For each case: exit code 2 from every command, error lines that name the file (and line, where
there is one), no traceback, nothing left in the output folder, and all commands within the
case's time bound. Add cases to :data:`tests.hostile.CASES`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile import CASES, Case
from tests.support import MINI, REPO


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Every case's folder made, then every command run on each in one process."""
    root = tmp_path_factory.mktemp("hostile")
    spec = []
    for case in CASES:
        model = root / case.name / "model"
        shutil.copytree(MINI, model)
        case.make(model / case.file)
        out = root / case.name / "out"
        out.mkdir()
        spec.append({"name": case.name, "model": str(model), "out": str(out),
                     "env": case.env})
    (root / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "tests.hostile.driver",
                           str(root / "spec.json")], capture_output=True, text=True, cwd=REPO,
                          env=os.environ.copy(), timeout=sum(c.seconds for c in CASES))
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    return {"root": root, **json.loads(proc.stdout)}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input_is_refused_cleanly(case: Case, results: dict[str, object]) -> None:
    root = results["root"]
    assert isinstance(root, Path)
    where = str(root / case.name / "model" / case.file)
    runs = results[case.name]
    assert isinstance(runs, list)
    for run in runs:
        command, stderr = run["argv"][0], run["stderr"]
        assert "Traceback" not in stderr, f"{command}: {stderr}"
        assert run["code"] == 2, f"{command} exited {run['code']}: {stderr}"
        errors = [line for line in stderr.splitlines() if line.startswith("error:")]
        assert 1 <= len(errors) <= case.max_errors, f"{command}: {stderr}"
        mine = [line for line in errors if where in line]
        assert mine, f"{command}: no error names {where}: {stderr}"
        for line in mine:
            assert case.message in line, f"{command}: {line}"
            if case.line is not None:
                assert (f"{where}:{case.line}:" in line or f"]:{case.line}:" in line), \
                    f"{command}: expected line {case.line}: {line}"
    assert sum(run["seconds"] for run in runs) < case.seconds, runs
    out = root / case.name / "out"
    assert not any(out.rglob("*")), f"left behind: {sorted(out.rglob('*'))}"


def test_the_corpus_covers_every_class() -> None:
    """The classes of issue 12's input side, each with at least one case."""
    assert {c.cls for c in CASES} >= {"huge", "xlsx", "rdf"}
    assert len({c.name for c in CASES}) == len(CASES)
