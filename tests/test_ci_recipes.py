"""The CI recipes the README offers, run for real.

* The pre-commit hook of this repository (``.pre-commit-hooks.yaml``) through the real
  ``pre-commit try-repo``, which installs the package as pre-commit does for every user.
* The ``.pre-commit-config.yaml`` that ``samhandling init`` writes, through ``pre-commit install``
  and real ``git commit``s: a good change commits, a bad one is blocked.
* The GitHub workflow's ``run:`` steps (see :mod:`tests.workflow_runner`) in a throw-away
  repository with a base branch and a pull-request branch: annotations, the JUnit file and the
  Markdown diff are written and the diff is posted (to a stand-in ``gh`` that records it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from .installed import Installed, built, installed, user_folder
from .support import MODEL_DIR, REPO
from .workflow_runner import run_job

NEW_SERVICE = """
- id: eksempeltjeneste
  group: skaffe-oversikt
  label_nb: Eksempeltjeneste for CI
  label_en: Example service for CI
  code: IT99
  maturity_2023: g
  preferred_form: [sende-og-motta]
  preferred_form_source: [lag]
  source: [vg]
"""

GIT_ENV = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org",
           "GIT_CONFIG_NOSYSTEM": "1", "HOME": ""}

#: One xdist worker runs every test of the installed package, so the wheel is built once.
pytestmark = [pytest.mark.skipif(shutil.which("git") is None, reason="needs git on PATH"),
              pytest.mark.xdist_group("installed")]


def _git(*args: str, cwd: Path, env: dict[str, str] | None = None) -> str:
    proc = subprocess.run(["git", *args], capture_output=True, text=True, cwd=cwd,
                          env=env or _env(cwd), timeout=120)
    assert proc.returncode == 0, f"git {' '.join(args)}: {proc.stderr}"
    return proc.stdout


def _env(home: Path, inst: Installed | None = None) -> dict[str, str]:
    """A user's environment: own HOME (no global git config), the installed venv first."""
    env = inst.env() if inst else {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(GIT_ENV)
    env["HOME"] = str(home)
    env["PRE_COMMIT_HOME"] = str(home / ".pre-commit-cache")
    return env


def _set_count(model: Path, count: int) -> None:
    path = model / "malbilde.yaml"
    text = path.read_text("utf-8")
    lines = [f"  declared_service_count: {count}" if line.startswith(
        "  declared_service_count:") else line for line in text.splitlines()]
    assert any(line.startswith("  declared_service_count:") for line in text.splitlines())
    path.write_text("\n".join(lines) + "\n", "utf-8")


def _add_service(model: Path) -> None:
    with (model / "tjenester.yaml").open("a", encoding="utf-8") as handle:
        handle.write(NEW_SERVICE)
    _set_count(model, 27)


def _pre_commit(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=900)


@pytest.mark.skipif(not (REPO / ".git").exists(), reason="needs this checkout as a git repo")
def test_pre_commit_try_repo_passes_a_good_model_and_blocks_a_bad_one() -> None:
    home = user_folder("try-repo")
    repo = home / "models"
    repo.mkdir()
    env = _env(home)
    _git("init", "-q", "-b", "main", cwd=repo, env=env)
    shutil.copytree(MODEL_DIR, repo / "model")
    _git("add", "-A", cwd=repo, env=env)
    _git("commit", "-qm", "model", cwd=repo, env=env)

    good = _pre_commit("try-repo", str(REPO), "samhandling-validate", "--all-files",
                       cwd=repo, env=env)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "samhandling validate" in good.stdout and "Passed" in good.stdout

    _set_count(repo / "model", 27)  # declares a service the model does not have
    _git("add", "-A", cwd=repo, env=env)
    bad = _pre_commit("try-repo", str(REPO), "samhandling-validate", "--all-files",
                      cwd=repo, env=env)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Failed" in bad.stdout and "malbilde.yaml" in bad.stdout


def _scaffold(inst: Installed, name: str) -> Path:
    """``samhandling init`` from the installed wheel, its requirement pointing at that wheel."""
    home = user_folder(name)
    proc = inst.run("init", "repo", "--package", str(built("wheel")), cwd=home)
    assert proc.returncode == 0, proc.stderr
    return home / "repo"


def test_init_pre_commit_config_blocks_a_bad_commit_and_lets_a_good_one_through() -> None:
    inst = installed("wheel")
    repo = _scaffold(inst, "hook")
    env = _env(repo.parent, inst)
    _git("init", "-q", "-b", "main", cwd=repo, env=env)
    _git("add", "-A", cwd=repo, env=env)
    _git("commit", "-qm", "scaffold", cwd=repo, env=env)
    installed_hook = _pre_commit("install", cwd=repo, env=env)
    assert installed_hook.returncode == 0, installed_hook.stderr

    _set_count(repo / "model", 27)
    _git("add", "-A", cwd=repo, env=env)
    blocked = subprocess.run(["git", "commit", "-m", "declares 27, has 26"], capture_output=True,
                             text=True, cwd=repo, env=env, timeout=900)
    assert blocked.returncode != 0
    hook_output = blocked.stdout + blocked.stderr  # git shows the hook's output on stderr
    assert "samhandling validate" in hook_output and "Failed" in hook_output
    assert _git("rev-list", "--count", "HEAD", cwd=repo, env=env).strip() == "1"

    _add_service(repo / "model")
    _git("add", "-A", cwd=repo, env=env)
    passed = subprocess.run(["git", "commit", "-m", "a 27th service"], capture_output=True,
                            text=True, cwd=repo, env=env, timeout=900)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout + passed.stderr
    assert _git("rev-list", "--count", "HEAD", cwd=repo, env=env).strip() == "2"


def _pull_request(inst: Installed, name: str, change) -> tuple[Path, dict[str, str]]:
    """An origin with the scaffold on main, and a clone on a branch carrying ``change``."""
    scaffold = _scaffold(inst, name)
    home = scaffold.parent
    env = _env(home, inst)
    origin = home / "origin.git"
    _git("init", "-q", "--bare", "-b", "main", str(origin), cwd=home, env=env)
    _git("init", "-q", "-b", "main", cwd=scaffold, env=env)
    _git("add", "-A", cwd=scaffold, env=env)
    _git("commit", "-qm", "base", cwd=scaffold, env=env)
    _git("push", "-q", str(origin), "main", cwd=scaffold, env=env)
    clone = home / "checkout"
    _git("clone", "-q", str(origin), str(clone), cwd=home, env=env)  # fetch-depth: 0
    _git("checkout", "-q", "-b", "feature", cwd=clone, env=env)
    change(clone / "model")
    _git("commit", "-qam", "change", cwd=clone, env=env)
    return clone, env


def _fake_gh(folder: Path) -> Path:
    """A stand-in for the GitHub CLI that records the comment it is asked to post."""
    bin_dir = folder / "fake-bin"
    bin_dir.mkdir()
    script = bin_dir / "gh"
    script.write_text('#!/bin/sh\nprintf "%s\\n" "$*" >> "$GH_LOG"\n'
                      'while [ $# -gt 0 ]; do [ "$1" = --body-file ] && cat "$2" >> "$GH_LOG"; '
                      'shift; done\n', encoding="utf-8")
    script.chmod(0o755)
    return bin_dir


def test_workflow_steps_validate_report_and_comment_the_diff_of_a_pull_request() -> None:
    inst = installed("wheel")
    clone, env = _pull_request(inst, "workflow", _add_service)
    workflow = clone / ".github" / "workflows" / "samhandling.yml"
    env["PATH"] = f"{_fake_gh(clone.parent)}{os.pathsep}{env['PATH']}"
    env["GH_LOG"] = str(clone.parent / "gh.log")
    context = {"github": {"event_name": "pull_request", "base_ref": "main",
                          "token": "not-a-real-token",
                          "event": {"pull_request": {"number": 7}}},
               "vars": {}}

    steps = run_job(workflow, "validate", cwd=clone, context=context, env=env)
    ran = {s.name: s for s in steps}
    assert all(s.returncode == 0 for s in steps), [(s.name, s.stderr) for s in steps]
    assert "Successfully installed" in ran["Install samhandling"].stdout or \
        "already satisfied" in ran["Install samhandling"].stdout
    junit = ElementTree.parse(clone / "samhandling-validation.xml").getroot()
    cases = list(junit.iter("testcase"))
    assert cases and all(case.get("name") for case in cases)
    assert not any(case.find("failure") is not None for case in cases)
    assert ran["Upload the JUnit report"].inputs["path"] == "samhandling-validation.xml"

    steps = run_job(workflow, "diff", cwd=clone, context=context, env=env)
    assert [s.kind for s in steps].count("run") == 3
    assert all(s.returncode == 0 for s in steps), [(s.name, s.stderr) for s in steps]
    diff = (clone / "model-diff.md").read_text("utf-8")
    assert "Example service for CI" in diff
    assert "Example service for CI" in (clone / ".step-summary.md").read_text("utf-8")
    posted = Path(env["GH_LOG"]).read_text("utf-8")
    assert posted.startswith("pr comment 7 --body-file model-diff.md --edit-last")
    assert "Example service for CI" in posted
    assert "not-a-real-token" not in posted


def test_workflow_fails_a_pull_request_that_breaks_the_model_with_annotations() -> None:
    inst = installed("wheel")
    clone, env = _pull_request(inst, "workflow-bad", lambda model: _set_count(model, 27))
    workflow = clone / ".github" / "workflows" / "samhandling.yml"
    context = {"github": {"event_name": "push"}, "vars": {}}

    steps = run_job(workflow, "validate", cwd=clone, context=context, env=env)
    ran = {s.name: s for s in steps}
    validate = ran["Validate (annotations on the changed lines)"]
    assert validate.returncode == 1
    assert "::error file=model/malbilde.yaml,line=" in validate.stdout
    # the report steps still run (if: always()) and write the failure into the JUnit file
    assert ran["JUnit report"].kind == "run" and ran["JUnit report"].returncode == 0
    junit = ElementTree.parse(clone / "samhandling-validation.xml").getroot()
    assert any(case.find("failure") is not None for case in junit.iter("testcase"))
    # the diff job belongs to pull requests only
    assert run_job(workflow, "diff", cwd=clone, context=context, env=env) == []


def test_the_repository_workflow_is_the_one_init_writes() -> None:
    shipped = (REPO / ".github" / "workflows" / "samhandling.yml").read_text("utf-8")
    template = (REPO / "samhandling" / "templates" / "workflow.yml").read_text("utf-8")
    assert shipped == template


def test_recipes_name_only_revisions_that_exist() -> None:
    """No recipe may point at a tag or version this repository does not define."""
    for path in (REPO / ".pre-commit-hooks.yaml", REPO / ".github/workflows/samhandling.yml",
                 REPO / "samhandling/templates/pre-commit-config.yaml",
                 REPO / "samhandling/templates/README.md"):
        text = path.read_text("utf-8")
        assert "@v0." not in text and "rev: v" not in text, path
