"""``samhandling init``: a model repository that validates clean, from the installed wheel."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from samhandling.atomic import OutputError
from samhandling.scaffold import init_repository, skeleton_records
from samhandling.schema import KINDS

from .installed import installed, user_folder
from .support import REPO

#: One xdist worker runs every test of the installed package, so the wheel is built once.
pytestmark = pytest.mark.xdist_group("installed")
RECIPES = {".github/workflows/samhandling.yml", ".pre-commit-config.yaml", "README.md",
           "requirements.txt", ".gitignore"}


def test_init_writes_the_seed_model_and_the_recipes_and_validates_clean() -> None:
    inst = installed("wheel")
    here = user_folder("init")
    proc = inst.run("init", "helseregion", cwd=here)
    assert proc.returncode == 0, proc.stderr
    repo = here / "helseregion"
    written = {p.relative_to(repo).as_posix() for p in repo.rglob("*") if p.is_file()}
    seed = {f"model/{p.name}" for p in (REPO / "model").iterdir() if p.is_file()}
    assert written == seed | RECIPES
    # installed from a wheel file, which CI cannot reach: the requirement is the version
    version = subprocess.run([str(inst.bin / "python"), "-c",
                              "import importlib.metadata as m; print(m.version('samhandling'))"],
                             capture_output=True, text=True, check=True).stdout.strip()
    assert (repo / "requirements.txt").read_text("utf-8") == f"samhandling=={version}\n"
    assert f'"samhandling=={version}"' in (repo / ".pre-commit-config.yaml").read_text("utf-8")
    assert "# helseregion" in (repo / "README.md").read_text("utf-8")

    check = inst.run("validate", "model/", "--lang", "en", cwd=repo)
    assert check.returncode == 0, check.stdout + check.stderr
    assert re.search(r"\b0 violations\b", check.stdout)


def test_init_empty_writes_one_file_per_kind_with_examples_that_validate_without_findings(
) -> None:
    inst = installed("wheel")
    here = user_folder("init-empty")
    proc = inst.run("init", "ny", "--empty", "--package", "samhandling @ git+https://example.org/"
                    "samhandling@main", cwd=here)
    assert proc.returncode == 0, proc.stderr
    model = here / "ny" / "model"
    assert sorted(p.name for p in model.iterdir()) == sorted(f"{k.name}.yaml" for k in KINDS)
    for kind in KINDS:
        records = yaml.safe_load((model / f"{kind.name}.yaml").read_text("utf-8"))
        assert records and all("id" in r for r in records), kind.name
    assert (here / "ny" / "requirements.txt").read_text("utf-8") == (
        "samhandling @ git+https://example.org/samhandling@main\n")

    check = inst.run("validate", "model/", "--lang", "en", cwd=here / "ny")
    assert check.returncode == 0, check.stdout + check.stderr
    assert re.search(r"\b0 violations, 0 warnings, 0 infos\b", check.stdout), check.stdout
    stats = inst.run("stats", "--model", "model/", "--lang", "en", cwd=here / "ny")
    assert re.search(r"^Information service\s+2\s", stats.stdout, flags=re.MULTILINE), \
        stats.stdout


def test_skeleton_covers_every_kind_of_the_schema() -> None:
    assert set(skeleton_records()) == {k.name for k in KINDS}


def test_init_refuses_a_non_empty_folder_and_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.mkdir()
    (target / "notes.txt").write_text("mine", "utf-8")
    proc = subprocess.run([sys.executable, "-m", "samhandling", "init", str(target)],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith(f"error: {target}: ")
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]  # no staging folder left


def test_init_into_an_empty_folder_and_a_failure_leaves_no_staging(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    written = init_repository(empty, empty=True, requirement="samhandling==0")
    assert Path("model/tjenester.yaml") in written

    import samhandling.scaffold as scaffold

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(scaffold, "_write_model", broken)
    with pytest.raises(OutputError, match="disk full"):  # one line, not a raw OSError
        init_repository(tmp_path / "second", requirement="samhandling==0")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty"]
