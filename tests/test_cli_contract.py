"""The CLI contract every command keeps (README, "The command line").

One spelling per option (positional MODEL_DIR, -o/--output, --format, --lang, -q/--quiet) with
the old spellings as hidden aliases; every usage error one ``error:`` line and exit 2; an
internal error exit 3, never 1; a closed stdout quiet 0; Ctrl-C 130 with nothing left behind.
Most cases run in-process through :func:`samhandling.cli.main`, the few that need a real pipe
or a signal in a subprocess.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import click
import pytest

from samhandling.cli import COMMANDS, cli, main
from samhandling.errors import Problem, root_causes_first

from .support import MODEL_DIR, REPO

MODEL = str(MODEL_DIR)

#: Commands that read the model folder: positional MODEL_DIR, hidden --model alias.
READS_MODEL = {"analyze", "build", "export-tables", "graph", "impact", "push", "query", "reason",
               "stats", "validate"}
#: Commands that write something a user names: -o/--output.
WRITES = {"analyze", "build", "diff", "export-tables", "graph", "impact", "query", "stats",
          "synth", "validate"}
#: Commands with more than one output form.
FORMATS = {"analyze", "build", "diff", "export-tables", "graph", "impact", "query", "stats",
           "validate"}
#: Long work that shows progress on a terminal.
QUIET = {"analyze", "build", "push", "synth", "validate"}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``samhandling ARGS`` in-process: exit code, stdout, stderr."""
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    captured = capsys.readouterr()
    code = exited.value.code
    return (code if isinstance(code, int) else 0), captured.out, captured.err


def help_of(name: str) -> str:
    parent = click.Context(cli, info_name="samhandling")
    command = cli.get_command(parent, name)
    assert command is not None, name
    return command.get_help(click.Context(command, info_name=name, parent=parent))


# -- one spelling per option ----------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_shows_the_shared_options(name: str) -> None:
    text = help_of(name)
    usage = text.splitlines()[0]
    if name in READS_MODEL:
        assert "[MODEL_DIR]" in usage, usage
        assert "--model" not in text, "the --model alias is hidden"
    if name in WRITES:
        assert "-o, --output" in text
        assert "--out " not in text and "--out," not in text, "the --out alias is hidden"
    if name in FORMATS:
        assert "--format" in text
    if "--lang" in text:
        assert "SAMHANDLING_LANG" in text
    if name in QUIET:
        assert "-q, --quiet" in text
    assert "Example:" in text


def test_no_command_spells_an_option_another_way() -> None:
    # Every output option is -o/--output; no --out-dir, --outfile, -O ... creeps back in.
    parent = click.Context(cli)
    for name in COMMANDS:
        command = cli.get_command(parent, name)
        assert command is not None
        for param in command.params:
            if isinstance(param, click.Option) and "-o" in param.opts:
                assert "--output" in param.opts, name
            if isinstance(param, click.Option) and param.name in ("model_dir", "model_alias"):
                assert param.opts == ["--model"], name


def test_old_spellings_still_work(capsys, tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    code, out, err = run(capsys, "analyze", "--model", MODEL, "--out", str(target))
    assert code == 0, err
    assert out == "" and target.read_text(encoding="utf-8").startswith("# Analyse")
    code, out, _ = run(capsys, "stats", "--model", MODEL, "--lang", "en")
    assert code == 0 and "triples" in out
    code, same, _ = run(capsys, "stats", MODEL, "--lang", "en")
    assert same == out


def test_format_follows_the_output_extension(capsys, tmp_path: Path) -> None:
    target = tmp_path / "stats.json"
    code, _, err = run(capsys, "stats", MODEL, "-o", str(target))
    assert code == 0, err
    assert target.read_text(encoding="utf-8").lstrip().startswith("{")


# -- usage errors -----------------------------------------------------------------------------

BAD_USAGE = [
    pytest.param(["query", "services", MODEL, "--format", "xml"], "'xml' is not one of",
                 id="bad-choice"),
    pytest.param(["query", "services", MODEL, "--formt", "csv"], "did you mean '--format'",
                 id="unknown-option-hint"),
    pytest.param(["impact"], "missing argument 'SERVICE'", id="missing-argument"),
    pytest.param(["nosuch"], "no such command 'nosuch'", id="unknown-command"),
    pytest.param(["stats", MODEL, "--format", "xml"], "'xml' is not one of", id="stats-format"),
    pytest.param(["graph", "services", MODEL, "-o", "{tmp}/x.gif"], "'.gif' matches no output",
                 id="graph-gif"),
    pytest.param(["stats", MODEL, "-o", "{tmp}/x.gif"], "'.gif' matches no output",
                 id="stats-gif"),
    pytest.param(["analyze", MODEL, "-o", "{tmp}/x.pdf"], "'.pdf' matches no output",
                 id="analyze-pdf"),
    pytest.param(["query", "services", MODEL, "-o", "{tmp}/x.xlsx"], "'.xlsx' matches no",
                 id="query-xlsx"),
    pytest.param(["validate", MODEL, "--format", "json", "-o", "{tmp}/r.xml"],
                 "'.xml' is for junit, not --format json", id="extension-conflict"),
    pytest.param(["validate", MODEL, "--annotate-level", "info"],
                 "--annotate-level applies to --format github", id="annotate-without-github"),
    pytest.param(["build", MODEL, "--format", "nope"], "'nope' is not one of",
                 id="build-format"),
    pytest.param(["synth"], "missing option '-o'", id="missing-option"),
    pytest.param(["stats", MODEL, "--model", "elsewhere"], "give one", id="model-twice"),
    pytest.param(["query", "services", MODEL, "--lang", "de"], "'de' is not one of",
                 id="bad-lang"),
    pytest.param(["graph", "nosuchview", MODEL], "unknown view 'nosuchview'", id="bad-view"),
    pytest.param(["stats", "--depth", "3"], "no such option '--depth'", id="no-such-option"),
    pytest.param(["impact", "plan", MODEL, "extra"], "got unexpected extra argument",
                 id="extra-argument"),
]


@pytest.mark.parametrize(("args", "message"), BAD_USAGE)
def test_every_usage_error_is_one_line_and_exit_2(capsys, tmp_path: Path, args: list[str],
                                                  message: str) -> None:
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    code, out, err = run(capsys, *args)
    lines = err.splitlines()
    assert code == 2, err
    assert len(lines) == 1 and lines[0].startswith("error: "), lines
    assert message.casefold() in lines[0].casefold(), lines
    assert "Traceback" not in err and "Usage:" not in err and out == ""
    assert list(tmp_path.iterdir()) == [], "nothing written"


def test_hints_never_suggest_a_hidden_alias(capsys) -> None:
    _, _, err = run(capsys, "stats", MODEL, "--ou", "x.txt")
    assert "--out'" not in err and "--model" not in err


def test_a_bad_language_in_the_environment_is_a_usage_error(capsys, monkeypatch) -> None:
    monkeypatch.setenv("SAMHANDLING_LANG", "xx")
    code, _, err = run(capsys, "stats", MODEL)
    assert code == 2 and err.count("\n") == 1 and "SAMHANDLING_LANG" in err


# -- default language -------------------------------------------------------------------------

def test_samhandling_lang_sets_the_default(capsys, monkeypatch) -> None:
    monkeypatch.setenv("SAMHANDLING_LANG", "en")
    _, out, _ = run(capsys, "stats", MODEL)
    assert out.splitlines()[-1].startswith("triples")
    _, out, _ = run(capsys, "stats", MODEL, "--lang", "nb")  # the option wins
    assert out.splitlines()[-1].startswith("tripler")


def test_samhandling_toml_beside_the_model_sets_the_default(capsys, monkeypatch,
                                                            tmp_path: Path) -> None:
    monkeypatch.delenv("SAMHANDLING_LANG", raising=False)
    (tmp_path / "samhandling.toml").write_text('lang = "en"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    _, out, _ = run(capsys, "stats", MODEL)
    assert out.splitlines()[-1].startswith("triples")


# -- exit codes beyond the verdict ----------------------------------------------------------

def _boom(*_args: object, **_kwargs: object) -> None:
    raise RuntimeError("boom\nsecond line")


def test_an_internal_error_is_one_line_and_exit_3(capsys, monkeypatch) -> None:
    monkeypatch.setattr("samhandling.cli.model_commands.class_counts", _boom)
    code, out, err = run(capsys, "stats", MODEL)
    assert code == 3, err
    assert err.splitlines() == ["error: internal error: RuntimeError: boom second line "
                                "(run with --debug for the traceback)"]
    assert out == ""


def test_debug_shows_the_traceback(capsys, monkeypatch) -> None:
    monkeypatch.setattr("samhandling.cli.model_commands.class_counts", _boom)
    code, _, err = run(capsys, "--debug", "stats", MODEL)
    assert code == 3
    assert "Traceback (most recent call last)" in err and "_boom" in err
    assert err.splitlines()[-1].startswith("error: internal error: RuntimeError: boom")


def test_ctrl_c_in_process_is_130(capsys, monkeypatch) -> None:
    def interrupt(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("samhandling.cli.model_commands.class_counts", interrupt)
    code, out, err = run(capsys, "stats", MODEL)
    assert code == 130 and out == "" and "Traceback" not in err


def test_ctrl_c_leaves_no_partial_output_and_exits_130(tmp_path: Path) -> None:
    target = tmp_path / "big"
    proc = subprocess.Popen([sys.executable, "-m", "samhandling", "synth", "--size", "1m", "-o",
                             str(target)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            cwd=REPO)
    deadline = time.monotonic() + 60
    while not any(tmp_path.iterdir()) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)  # wait until synth has begun writing (its temp folder appears)
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    if proc.returncode == 0:
        pytest.skip("synth finished before the signal on this machine")
    assert proc.returncode == 130, err
    assert b"Traceback" not in err
    assert list(tmp_path.iterdir()) == [], "no partial model folder or temp folder"


def test_a_closed_pipe_is_quiet_and_exit_0() -> None:
    # `samhandling query … | head -1` through a shell, with pipefail so our code counts.
    script = (f"set -o pipefail; {sys.executable} -m samhandling query services {MODEL} "
              f"--format csv | head -1")
    proc = subprocess.run(["bash", "-c", script], capture_output=True, text=True, cwd=REPO,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("number,service")
    assert "Traceback" not in proc.stderr and "error" not in proc.stderr


def test_a_reader_that_is_gone_before_the_first_write_is_exit_0() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "samhandling", "query", "services", MODEL],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the write end's reader is gone: every write raises EPIPE
    err = proc.stderr.read()
    assert proc.wait(timeout=300) == 0, err
    assert err == b""


# -- validate --format github -----------------------------------------------------------------

@pytest.fixture(scope="module")
def annotated() -> dict[str, str]:
    """validate --format github on the seed model (0 violations, warnings and infos)."""
    outputs = {}
    for level in (None, "warning", "info"):
        args = [sys.executable, "-m", "samhandling", "validate", MODEL, "--format", "github"]
        if level:
            args += ["--annotate-level", level]
        proc = subprocess.run(args, capture_output=True, text=True, cwd=REPO, timeout=600)
        assert proc.returncode == 0, proc.stderr
        outputs[level or "default"] = proc.stdout
    return outputs


def test_github_annotates_only_what_fails_the_run_by_default(annotated) -> None:
    default = annotated["default"].splitlines()
    assert not any(row.startswith(("::warning", "::notice")) for row in default)
    assert default[-1].startswith("0 brudd")  # the summary is still there


def test_github_annotates_warnings_and_infos_on_request(annotated) -> None:
    warning = annotated["warning"].splitlines()
    info = annotated["info"].splitlines()
    assert any(row.startswith("::warning") for row in warning)
    assert not any(row.startswith("::notice") for row in warning)
    assert any(row.startswith("::notice") for row in info)


def test_text_report_opens_with_the_summary(capsys) -> None:
    code, out, _ = run(capsys, "validate", MODEL, "--lang", "en")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("0 violations, ") and lines[0] == lines[-1]


# -- the rest of the contract ----------------------------------------------------------------

def test_a_plain_rq_file_runs_as_an_ad_hoc_query(capsys, tmp_path: Path) -> None:
    query = tmp_path / "mine.rq"
    query.write_text("PREFIX sam: <https://w3id.org/samhandling/ontologi#>\n"
                     "SELECT ?s WHERE { ?s a sam:InformationService } ORDER BY ?s LIMIT 2\n",
                     encoding="utf-8")
    code, out, err = run(capsys, "query", str(query), MODEL, "--format", "csv")
    assert code == 0, err
    assert out.splitlines()[0] == "s" and len(out.splitlines()) == 3


def test_build_reports_the_file_that_did_not_parse_first(capsys, tmp_path: Path) -> None:
    model = tmp_path / "model"
    shutil.copytree(MODEL_DIR, model)
    services = model / "tjenester.yaml"
    text = services.read_text(encoding="utf-8")
    services.write_text(text.replace("\n  label_nb:", "\n   label_nb:", 1), encoding="utf-8")
    code, _, err = run(capsys, "build", str(model), "-o", str(tmp_path / "out"))
    lines = err.splitlines()
    assert code == 2 and len(lines) > 1
    assert lines[0].startswith(f"error: {services}:") and "malformed YAML" in lines[0]


def test_root_causes_first_orders_follow_on_unknown_ids_last() -> None:
    problems = [
        Problem("a.yaml", 1, "column 'services': unknown id 'x' (expected an id of tjenester)"),
        Problem("b.yaml", 2, "column 'x': something else"),
        Problem("tjenester.yaml", 9, "malformed YAML: mapping values are not allowed here"),
        Problem("c.yaml", 3, "column 'y': unknown id 'z' (expected an id of behov)"),
    ]
    ordered = [p.file for p in root_causes_first(problems)]
    assert ordered == ["tjenester.yaml", "b.yaml", "c.yaml", "a.yaml"]


@pytest.mark.parametrize("args", [
    ["stats", MODEL], ["analyze", MODEL], ["impact", "plan", MODEL],
    ["query", "reuse-of-service", "-p", "service=plan", MODEL],
    ["query", "new-services-depended-on", MODEL], ["query", "--list"],
])
def test_norwegian_output_has_no_english_words(capsys, args: list[str]) -> None:
    code, out, err = run(capsys, *args, "--lang", "nb")
    assert code == 0, err
    words = set(out.replace("(", " ").replace(")", " ").replace(";", " ").split())
    assert not words & {"reused-by", "reuses", "true", "false", "Concept", "ConceptScheme",
                        "Sykler", "betweenness", "report", "violation", "literal"}, out


def test_markdown_report_is_complete(capsys) -> None:
    _, out, _ = run(capsys, "analyze", MODEL, "--format", "md")
    assert "… og" not in out
    _, text, _ = run(capsys, "analyze", MODEL)
    assert "… og" in text  # text keeps the short form


def test_progress_only_at_a_terminal(monkeypatch) -> None:
    from samhandling.cli.progress import progress_wanted

    assert not progress_wanted()  # pytest captures stderr: not a terminal
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert progress_wanted()
    assert not progress_wanted(quiet=True)
    monkeypatch.setenv("CI", "true")
    assert not progress_wanted()


def test_shell_completion_script() -> None:
    env = {**os.environ, "_SAMHANDLING_COMPLETE": "bash_source"}
    proc = subprocess.run([sys.executable, "-m", "samhandling"], capture_output=True, text=True,
                          cwd=REPO, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "_SAMHANDLING_COMPLETE" in proc.stdout and "complete " in proc.stdout
