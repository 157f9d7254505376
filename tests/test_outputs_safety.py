"""Outputs are whole or absent: interrupted, concurrent, refused and failed writes.

The suite runs as root, which writes through read-only folders. Read-only folders are tested
for real under ``unshare --user`` (a user namespace without a mapping: the same owner, but
without root's power to override permissions) and, where that is unavailable, simulated by
an EACCES from the temp file's creation; a full disk is simulated in-process (ENOSPC from
the write). Read-only *files* need no trick: they are refused by their mode bits, for root
too.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from samhandling import atomic
from samhandling.atomic import OutputError, new_folder, write_bytes, write_set
from samhandling.cli import main

from .support import MINI, REPO, run_cli

SET = ("samhandling.jsonld", "samhandling.nt", "samhandling.ttl", "sourcemap.json")


def _old_set(folder: Path) -> dict[str, bytes]:
    folder.mkdir(exist_ok=True)
    for name in SET:
        (folder / name).write_bytes(b"old " + name.encode())
    return _snapshot(folder)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob(".*"))


def _outputs(fail_at: int, failure: Callable[[], None]) -> list[tuple[str, Callable[[], bytes]]]:
    def produce(index: int) -> bytes:
        if index == fail_at:
            failure()
        return b"new"

    return [(name, lambda i=i: produce(i)) for i, name in enumerate(SET)]


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """Run the CLI in this process (so a monkeypatch reaches it): exit code and stderr."""
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    return int(exit_info.value.code or 0), capsys.readouterr().err


# -- a set of files: whole or not at all --------------------------------------------------------

def test_ctrl_c_after_the_first_file_leaves_the_old_set_and_no_temp_file(tmp_path: Path) -> None:
    before = _old_set(tmp_path / "out")

    def interrupt() -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_set(tmp_path / "out", _outputs(1, interrupt))
    assert _snapshot(tmp_path / "out") == before
    assert _hidden(tmp_path) == []


def test_sigterm_while_writing_leaves_the_old_set_and_no_temp_file(tmp_path: Path) -> None:
    """In a child process: without the handler SIGTERM kills it on the spot (and this test
    sees the temp file it leaves), it must not take the test runner with it."""
    out = tmp_path / "out"
    before = _old_set(out)
    script = textwrap.dedent("""
        import os, signal, sys
        from pathlib import Path
        from samhandling.atomic import write_set
        def produce(i):
            if i == 2:
                os.kill(os.getpid(), signal.SIGTERM)
            return b"new"
        write_set(Path(sys.argv[1]), [(n, lambda i=i: produce(i)) for i, n in
                                      enumerate(sys.argv[2:])])
    """)
    proc = subprocess.run([sys.executable, "-c", script, str(out), *SET], cwd=REPO,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 143, proc.stderr
    assert "Traceback" not in proc.stderr
    assert _snapshot(out) == before
    assert _hidden(tmp_path) == []


def test_a_full_disk_is_one_error_line_naming_the_file_and_nothing_changes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    before = _old_set(out)
    real = Path.write_bytes

    def full(self: Path, data: bytes) -> int:
        if self.name.startswith(".samhandling.nt."):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", full)
    code, err = _cli(capsys, "build", str(MINI), "-o", str(out), "-q")
    assert code == 2
    assert err.splitlines() == [f"error: {out / 'samhandling.nt'}: cannot write: no space left "
                                "on device"]
    assert _snapshot(out) == before and _hidden(tmp_path) == []


def test_two_concurrent_builds_never_mix_their_files(tmp_path: Path) -> None:
    """Two writers whose files are ready at different times (A: three at once, the last one
    late; B: all after a pause): file by file, A would own the first three and B the last."""
    script = textwrap.dedent("""
        import sys, time
        from pathlib import Path
        from samhandling.atomic import write_set
        tag = sys.argv[2].encode()
        pauses = [float(x) for x in sys.argv[3].split(",")]
        def produce(i):
            time.sleep(pauses[i])
            return tag
        write_set(Path(sys.argv[1]), [(f"f{i}", lambda i=i: produce(i)) for i in range(4)])
    """)
    schedules = {"A": "0,0,0,1.5", "B": "0.7,0,0,0"}
    runs = [subprocess.Popen([sys.executable, "-c", script, str(tmp_path / "out"), tag, pauses],
                             cwd=REPO) for tag, pauses in schedules.items()]
    assert [run.wait(timeout=60) for run in runs] == [0, 0]
    assert len(set(_snapshot(tmp_path / "out").values())) == 1, "files of two runs mixed"
    assert _hidden(tmp_path) == []


def test_build_replaces_the_set_and_keeps_other_files_and_modes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _old_set(out)
    (out / "samhandling.ttl").chmod(0o600)
    (out / "validation.xml").write_text("keep me")
    result = run_cli("build", str(MINI), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert all(not data.startswith(b"old ") for name, data in _snapshot(out).items()
               if name in SET)
    assert (out / "validation.xml").read_text() == "keep me"
    assert stat.S_IMODE((out / "samhandling.ttl").stat().st_mode) == 0o600
    assert _hidden(tmp_path) == []


# -- refused targets ----------------------------------------------------------------------------

def test_build_onto_a_dangling_symlink_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "out"
    link.symlink_to(tmp_path / "nowhere")
    result = run_cli("build", str(MINI), "-o", str(link), "-q")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"error: {link}: is a dangling symbolic link (to {tmp_path / 'nowhere'})"]
    assert not (tmp_path / "nowhere").exists() and _hidden(tmp_path) == []


def test_outputs_never_follow_a_symlink_out_of_the_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    outside = tmp_path / "outside.ttl"
    outside.write_text("precious")
    (out / "samhandling.ttl").symlink_to(outside)
    result = run_cli("build", str(MINI), "-o", str(out), "-q")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {out / 'samhandling.ttl'}: is a symbolic link")
    assert len(result.stderr.splitlines()) == 1
    assert outside.read_text() == "precious"
    assert sorted(p.name for p in out.iterdir()) == ["samhandling.ttl"]  # nothing half written


def test_a_report_onto_a_dangling_symlink_or_a_read_only_file_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "report.xml"
    link.symlink_to(tmp_path / "elsewhere.xml")
    result = run_cli("validate", str(MINI), "--format", "junit", "-o", str(link))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1].startswith(
        f"error: {link}: is a dangling symbolic link")
    assert not (tmp_path / "elsewhere.xml").exists()
    frozen = tmp_path / "frozen.xml"
    frozen.write_text("keep")
    frozen.chmod(0o444)
    result = run_cli("validate", str(MINI), "--format", "junit", "-o", str(frozen))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"error: {frozen}: is read-only; refusing to replace it (make it writable or write "
        "elsewhere)")
    assert frozen.read_text() == "keep" and _hidden(tmp_path) == []


def test_a_replaced_private_report_stays_private(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    report.write_text("{}")
    report.chmod(0o600)
    result = run_cli("validate", str(MINI), "--format", "json", "-o", str(report))
    assert result.exit_code == 0, result.stderr
    assert report.read_text() != "{}"
    assert stat.S_IMODE(report.stat().st_mode) == 0o600
    fresh = tmp_path / "fresh.json"
    write_bytes(fresh, b"{}")
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~atomic._umask()


def test_a_read_only_folder_simulated_is_one_error_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    def denied(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    out = tmp_path / "out"
    out.mkdir()
    code, err = _cli(capsys, "build", str(MINI), "-o", str(out), "-q")
    assert code == 2
    assert err.splitlines() == [f"error: {out / 'samhandling.jsonld'}: cannot write: "
                                "permission denied"]


def _unprivileged() -> bool:
    if os.geteuid() != 0:
        return True
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "--user", "true"], capture_output=True, check=False)
    return probe.returncode == 0


@pytest.mark.skipif(not _unprivileged(), reason="root, and no 'unshare --user' to drop its "
                                                "override of file permissions")
def test_a_read_only_folder_for_real(tmp_path: Path) -> None:
    out = tmp_path / "out"
    before = _old_set(out)
    out.chmod(0o555)
    prefix = ["unshare", "--user"] if os.geteuid() == 0 else []
    try:
        proc = subprocess.run([*prefix, sys.executable, "-m", "samhandling", "build", str(MINI),
                               "-o", str(out), "-q"], capture_output=True, text=True, cwd=REPO,
                              timeout=300)
    finally:
        out.chmod(0o755)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.splitlines() == [f"error: {out / 'samhandling.jsonld'}: cannot write: "
                                        "permission denied"]
    assert _snapshot(out) == before and _hidden(tmp_path) == []


# -- whole folders: synth and export-tables -----------------------------------------------------

def test_synth_refuses_an_existing_model_folder_unless_forced(tmp_path: Path) -> None:
    model = tmp_path / "m"
    model.mkdir()
    (model / "tjenester.yaml").write_text("- id: mine\n")
    args = ["synth", "--services", "8", "--needs", "10", "--actors", "10", "-o", str(model)]
    result = run_cli(*args)
    assert result.exit_code == 2
    assert result.stderr == (f"error: {model}: folder is not empty; use --force to replace it "
                             "as a whole\n")
    assert [p.name for p in model.iterdir()] == ["tjenester.yaml"]
    forced = run_cli(*args, "--force")
    assert forced.exit_code == 0, forced.stderr
    assert "- id: mine" not in (model / "tjenester.yaml").read_text()
    assert _hidden(tmp_path) == []


def test_export_tables_refuses_a_non_empty_folder_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "tables"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    args = ["export-tables", str(MINI), "--format", "csv", "-o", str(out)]
    result = run_cli(*args)
    assert result.exit_code == 2
    assert result.stderr == (f"error: {out}: folder is not empty; use --force to replace it "
                             "as a whole\n")
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    forced = run_cli(*args, "--force")
    assert forced.exit_code == 0, forced.stderr
    assert not (out / "notes.txt").exists() and (out / "tjenester.csv").is_file()
    assert _hidden(tmp_path) == []


def test_a_folder_that_fails_half_way_leaves_the_old_one(tmp_path: Path) -> None:
    out = tmp_path / "m"
    out.mkdir()
    (out / "a.yaml").write_text("old")
    with pytest.raises(OutputError, match=r"m: cannot write: no space left on device$"), \
            new_folder(out, force=True) as folder:
        (folder / "a.yaml").write_text("new")
        raise OSError(errno.ENOSPC, "No space left on device")
    assert _snapshot(out) == {"a.yaml": b"old"} and _hidden(tmp_path) == []


def test_a_single_file_on_a_full_disk_names_the_file_and_leaves_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.xml"
    target.write_text("old")

    def full(self: Path, data: bytes) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))

    monkeypatch.setattr(Path, "write_bytes", full)
    with pytest.raises(OutputError, match=r"report\.xml: cannot write: no space left on device$"):
        write_bytes(target, b"new")
    assert target.read_text() == "old" and _hidden(tmp_path) == []
