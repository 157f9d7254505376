"""`samhandling reason` against a Java that misbehaves: a fake ``java`` script on PATH.

A Java that never answers must be stopped at the time limit (``--timeout``), with its whole
process group (the fake forks a ``sleep`` child, as a wrapper script or a JVM may); SIGTERM
on the command must leave no model copy in the temp folder and no Java behind; a Java that
exits 0 without printing anything is an error, never "consistent".
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from samhandling.process import Deadline, TimeLimitError, run_bounded

from .support import FIXTURES, REPO

CONSISTENT = FIXTURES / "reason" / "consistent.ttl"

HANGING_JAVA = """#!/bin/sh
# Never answers: records its pid and its child's, then waits for the child forever.
echo $$ >> "$FAKE_JAVA_PIDS"
sleep 300 &
echo $! >> "$FAKE_JAVA_PIDS"
wait
"""
SILENT_JAVA = "#!/bin/sh\nexit 0\n"


def _fake_java(tmp_path: Path, script: str) -> dict[str, str]:
    """An environment whose PATH finds the fake ``java`` first and whose TMPDIR is private."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    java = bin_dir / "java"
    java.write_text(script, encoding="utf-8")
    java.chmod(0o755)
    temp = tmp_path / "tmp"
    temp.mkdir()
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
            "TMPDIR": str(temp), "FAKE_JAVA_PIDS": str(tmp_path / "pids")}


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for init to reap it counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _pids(tmp_path: Path) -> list[int]:
    path = tmp_path / "pids"
    return [int(x) for x in path.read_text().split()] if path.exists() else []


def _wait_gone(pids: list[int], seconds: float = 10) -> list[int]:
    end = time.monotonic() + seconds
    while time.monotonic() < end and any(_alive(p) for p in pids):
        time.sleep(0.1)
    return [p for p in pids if _alive(p)]


def _reason(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "samhandling", "reason", str(CONSISTENT),
                             "--lang", "en", *args], cwd=REPO, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_a_java_that_never_answers_is_stopped_at_the_timeout_with_its_children(
        tmp_path: Path) -> None:
    env = _fake_java(tmp_path, HANGING_JAVA)
    started = time.monotonic()
    proc = _reason(env, "--timeout", "3")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 2, err
    assert time.monotonic() - started < 90
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "timed out after 3 s" in lines[0] and "HermiT" in lines[0]
    assert "Traceback" not in err and "consistent" not in out
    pids = _pids(tmp_path)
    assert len(pids) == 2, "the fake java did not start"
    assert _wait_gone(pids) == [], "java or its child outlived the command"
    assert list((tmp_path / "tmp").iterdir()) == [], "the model copy was left in TMPDIR"


def test_sigterm_leaves_no_model_copy_and_no_java(tmp_path: Path) -> None:
    env = _fake_java(tmp_path, HANGING_JAVA)
    proc = _reason(env)
    end = time.monotonic() + 90
    while len(_pids(tmp_path)) < 2 and time.monotonic() < end and proc.poll() is None:
        time.sleep(0.1)
    assert len(_pids(tmp_path)) == 2, "the fake java did not start"
    assert any((tmp_path / "tmp").iterdir()), "the model copy should exist while Java runs"
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert "Traceback" not in err
    assert _wait_gone(_pids(tmp_path)) == [], "an orphaned java is still running"
    assert list((tmp_path / "tmp").iterdir()) == [], "the model copy was left in TMPDIR"


def test_a_java_that_exits_0_without_output_is_an_error_not_consistent(
        tmp_path: Path) -> None:
    env = _fake_java(tmp_path, SILENT_JAVA)
    proc = _reason(env)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 2, (out, err)
    assert "consistent" not in out
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: the reasoner (HermiT) exited "
                                                   "without an answer (status 0, no output)")


@pytest.mark.parametrize("timeout", ["0", "-1", "soon"])
def test_timeout_must_be_a_positive_number(timeout: str, tmp_path: Path) -> None:
    proc = _reason(_fake_java(tmp_path, SILENT_JAVA), "--timeout", timeout)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 2 and "--timeout" in err


def test_run_bounded_kills_the_whole_group_and_shares_one_deadline(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    script = f"echo $$ >> {pids}; sleep 300 & echo $! >> {pids}; wait"
    deadline = Deadline(1.5)
    started = time.monotonic()
    with pytest.raises(TimeLimitError, match=r"^the sleeper timed out after 1.5 s; try less$"):
        run_bounded(["sh", "-c", script], what="the sleeper", deadline=deadline, hint="try less")
    assert time.monotonic() - started < 10
    assert _wait_gone([int(x) for x in pids.read_text().split()]) == []
    # The budget is spent: the next step fails at once instead of getting a fresh one.
    with pytest.raises(TimeLimitError):
        run_bounded(["true"], what="the next step", deadline=deadline)


def test_run_bounded_reaps_helpers_a_finished_program_left_running(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    script = f"(sleep 300 >/dev/null 2>&1 & echo $! >> {pids}); echo done"
    result = run_bounded(["sh", "-c", script], what="x", deadline=30)
    assert result.returncode == 0 and result.stdout == b"done\n"
    assert _wait_gone([int(x) for x in pids.read_text().split()]) == []


def test_a_hanging_dot_is_stopped_and_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    """Graphviz gets the same treatment (a fake ``dot``; the real one need not exist)."""
    from samhandling.render.dot import run_dot

    env = _fake_java(tmp_path, HANGING_JAVA)
    (tmp_path / "bin" / "java").rename(tmp_path / "bin" / "dot")
    monkeypatch.setenv("PATH", env["PATH"])
    monkeypatch.setenv("FAKE_JAVA_PIDS", env["FAKE_JAVA_PIDS"])
    with pytest.raises(TimeLimitError, match=r"^Graphviz dot timed out after 1 s; draw a "
                                             r"smaller view \(--group, --focus, --maturity\)$"):
        run_dot("digraph { a }", "svg", timeout=1)
    assert _wait_gone(_pids(tmp_path)) == []
