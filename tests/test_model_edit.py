"""Issue 10, item 5: a legitimate edit of the live model leaves the test suite green.

The test does what an architect does every day, on a copy of the checkout: add a 27th
information service (with a new information need and a new actor), raise
``declared_service_count`` to 27, check that ``samhandling validate model/`` accepts it, then run
the copy's own tests against the copy's code and content and require them to pass.

Which tests can see the edit: every test runs from an empty folder (``tests/conftest.py``), so
a test reaches ``model/`` only by naming it (``LIVE_MODEL_NAMES``: ``LIVE_MODEL_DIR``,
``REPO / "model"``, or working in the checkout). The nested run runs every test file that
holds one of those names (:func:`files_that_can_see_the_live_model`); the others read fixtures
and paths they are given, so an edit of ``model/`` cannot reach them. Inside the nested run,
the wheel, browser and LibreOffice tests are left out (``NESTED_LEAVES_OUT``), and this file
skips itself (``SAMHANDLING_NESTED_SUITE``).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import LIVE_MODEL_NAMES, NESTED
from .support import LIVE_MODEL_DIR, REPO

#: Test files the nested run leaves out although they name the checkout: they build wheels
#: and venvs from copies of the fixture model (minutes each).
SLOW = ("tests/test_packaging.py", "tests/test_ci_recipes.py", "tests/test_init.py")

pytestmark = pytest.mark.skipif(bool(os.environ.get(NESTED)),
                                reason="already inside the nested model-edit run")

NEW_SERVICE = """
- id: deling-av-hjelpemiddelbehov
  group: rapportere-egen-aktivitet
  label_nb: Deling av hjelpemiddelbehov
  label_en: Sharing of assistive-aid needs
  code: IT99
  maturity_2023: r
  preferred_form: [sla-opp]
  preferred_form_source: [dho]
  definition_nb: En ny informasjonstjeneste lagt til i en redigering av modellen.
  definition_en: A new information service added in an edit of the model.
  source: [vg, dho]
"""

NEW_NEED = """
- id: "95.10"
  code: "95.10"
  label_nb: Behov for hjelpemidler i hjemmet
  label_en: Need for assistive aids at home
  services: [deling-av-hjelpemiddelbehov]
  source: [vg]
"""

NEW_ACTOR = """
- id: hjelpemiddelsentral
  type: aktor
  label_nb: Hjelpemiddelsentral
  label_en: Assistive technology centre
  part_of: kommunal-helse-og-omsorgstjeneste
  source: [vg]
"""


def _copy_checkout(target: Path) -> None:
    """Copy what git tracks, plus untracked files not ignored (other work in progress), as the
    working tree has them now; never .venv, build output or caches."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=REPO, capture_output=True, check=True).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if not source.is_file():  # tracked but deleted in the working tree
            continue
        dest = target / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, dest)


def files_that_can_see_the_live_model() -> list[str]:
    """The test files that name the live model or work in the checkout (the nested run's
    selection), as paths relative to the checkout."""
    return [f"tests/{path.name}" for path in sorted((REPO / "tests").glob("test_*.py"))
            if f"tests/{path.name}" not in SLOW
            and any(name in path.read_text(encoding="utf-8") for name in LIVE_MODEL_NAMES)]


def test_tests_run_from_an_empty_folder_so_only_named_reads_reach_the_model() -> None:
    here = Path.cwd().resolve()
    assert not here.is_relative_to(REPO.resolve()) and not (here / "model").exists()
    selected = files_that_can_see_the_live_model()
    assert "tests/test_live_model.py" in selected and "tests/test_model_edit.py" in selected
    assert "tests/test_fast_validation.py" not in selected  # reads fixtures only


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + text,
                    encoding="utf-8")


def _edit_model(model: Path) -> None:
    _append(model / "tjenester.yaml", NEW_SERVICE)
    _append(model / "behov.yaml", NEW_NEED)
    _append(model / "aktorer.yaml", NEW_ACTOR)
    malbilde = model / "malbilde.yaml"
    text = malbilde.read_text(encoding="utf-8")
    assert text.count("declared_service_count: 26\n") == 1
    malbilde.write_text(text.replace("declared_service_count: 26\n",
                                     "declared_service_count: 27\n"), encoding="utf-8")


#: Run before everything else in every Python process of the nested run (PYTHONPATH puts it
#: first): this checkout's editable install maps ``samhandling.loaders``, ``.shapes`` and the
#: other package-dir entries to /work/main; this finder maps them to the copy instead.
SITECUSTOMIZE = '''\
import sys
import tomllib
from importlib.machinery import PathFinder
from pathlib import Path

_ROOT = Path({root!r})
_DIRS = tomllib.loads((_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
_DIRS = _DIRS["tool"]["setuptools"].get("package-dir", {{}})


class _CopyFinder:
    @classmethod
    def find_spec(cls, fullname, path=None, target=None):
        if fullname not in _DIRS:
            return None
        folder = _ROOT / _DIRS[fullname]
        if folder.name != fullname.rpartition(".")[2]:
            return None
        return PathFinder.find_spec(fullname, [str(folder.parent)])


sys.meta_path.insert(0, _CopyFinder)
'''


def _nested_env(copy: Path, shim: Path) -> dict[str, str]:
    shim.mkdir()
    (shim / "sitecustomize.py").write_text(SITECUSTOMIZE.format(root=str(copy)),
                                           encoding="utf-8")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTEST_", "COV_")) and k != "PYTHONPATH"}
    env["PYTHONPATH"] = os.pathsep.join([str(shim), str(copy)])
    env[NESTED] = "1"
    return env


def test_a_new_service_need_and_actor_leave_the_suite_green(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if shutil.which("git") is None:
        pytest.skip("needs git")
    copy = tmp_path / "checkout"
    _copy_checkout(copy)
    assert (copy / "model" / "tjenester.yaml").read_text(encoding="utf-8") == \
        (LIVE_MODEL_DIR / "tjenester.yaml").read_text(encoding="utf-8")
    assert not (copy / ".venv").exists()
    _edit_model(copy / "model")
    env = _nested_env(copy, tmp_path / "shim")

    # the copy's engine and data, not this checkout's, are what the nested run imports
    probe = subprocess.run(
        [sys.executable, "-c",
         "import samhandling, samhandling.loaders, samhandling.resources as r\n"
         "print(samhandling.__file__); print(samhandling.loaders.__file__)\n"
         "print(r.shape_files()[0]); print(r.query_files()[0]); print(r.ontology_files()[0])"],
        cwd=copy, env=env, capture_output=True, text=True, timeout=120)
    assert probe.returncode == 0, probe.stderr
    for line in probe.stdout.splitlines():
        assert Path(line).resolve().is_relative_to(copy.resolve()), probe.stdout

    validate = subprocess.run([sys.executable, "-m", "samhandling", "validate", "model/",
                               "--lang", "en"], cwd=copy, env=env, capture_output=True,
                              text=True, timeout=600)
    assert validate.returncode == 0, validate.stdout + validate.stderr
    assert validate.stdout.splitlines()[-1].startswith("0 violations, ")
    assert "Sharing of assistive-aid needs" not in validate.stdout, \
        "the new service is complete: it should draw no warning"

    # the edit is real: the count check sees 27 services and fails on the old declaration
    undeclared = copy / "undeclared"
    shutil.copytree(copy / "model", undeclared)
    malbilde = undeclared / "malbilde.yaml"
    malbilde.write_text(malbilde.read_text(encoding="utf-8").replace(
        "declared_service_count: 27", "declared_service_count: 26"), encoding="utf-8")
    refused = subprocess.run([sys.executable, "-m", "samhandling", "validate", str(undeclared),
                              "--lang", "en"], cwd=copy, env=env, capture_output=True,
                             text=True, timeout=600)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    shutil.rmtree(undeclared)

    selected = files_that_can_see_the_live_model()
    started = time.monotonic()
    # the outer run waits for this one: let it use both cores (as make test does)
    parallel = ["-n", "2"] if importlib.util.find_spec("xdist") else []
    suite = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
                            *parallel, *selected], cwd=copy, env=env, capture_output=True,
                           text=True, timeout=3600)
    seconds = time.monotonic() - started
    tail = "\n".join((suite.stdout + suite.stderr).splitlines()[-40:])
    assert suite.returncode == 0, tail
    summary = suite.stdout.strip().splitlines()[-1]
    assert " passed" in summary and "failed" not in summary and "error" not in summary, tail
    with capsys.disabled():  # shown in `make test`: how long the nested run took
        print(f"\n[model edit] the copy's suite with a 27th service: {summary} "
              f"({seconds:.0f} s)")
