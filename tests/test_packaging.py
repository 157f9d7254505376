"""The package works where users install it: a wheel or an sdist in a fresh venv, run from a
folder outside the checkout, on every supported Python found on this machine.

Each check asserts on what a user reads (labels, the 26 services, the library's queries), and
the installed command's output is compared with the editable install's, so a resource that is
found in the checkout but not in the wheel fails here.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml

from samhandling.resources import BUNDLED_FOLDERS

from .installed import SUPPORTED_PYTHONS, Installed, built, installed, python_for, user_folder
from .support import MODEL_DIR, REPO

#: The seed's services, read from the frozen fixture (not from the live model/).
SERVICE_LABELS = sorted(r["label_nb"] for r in
                        yaml.safe_load((MODEL_DIR / "tjenester.yaml").read_text("utf-8")))
SVG = "{http://www.w3.org/2000/svg}"
#: One xdist worker runs every test of the installed package, so the wheel is built once.
pytestmark = pytest.mark.xdist_group("installed")
QUERY_NAMES = sorted(p.stem for p in (REPO / "queries").glob("*.rq"))


def _model_in(folder: Path) -> Path:
    target = folder / "model"
    shutil.copytree(MODEL_DIR, target)
    return target


def _editable(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The same command from the editable install the test suite runs in."""
    return subprocess.run([sys.executable, "-m", "samhandling", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=600)


def test_no_module_shadows_a_bundled_data_folder() -> None:
    for name in BUNDLED_FOLDERS:
        assert not (REPO / "samhandling" / f"{name}.py").exists(), name
        assert not (REPO / "samhandling" / name).exists(), name


def test_wheel_holds_one_top_level_package_the_resources_and_every_subpackage() -> None:
    names = set(zipfile.ZipFile(built("wheel")).namelist())
    top = {n.split("/", 1)[0] for n in names if not n.split("/", 1)[0].endswith(".dist-info")}
    assert top == {"samhandling"}
    assert "samhandling/loaders/yaml_loader.py" in names
    for folder, pattern in (("ontology", "*.ttl"), ("shapes", "*.ttl"), ("queries", "*.rq"),
                            ("model", "*.yaml")):
        expected = {f"samhandling/{folder}/{p.name}" for p in (REPO / folder).glob(pattern)}
        assert expected and expected <= names, folder
    templates = {f"samhandling/templates/{p.name}"
                 for p in (REPO / "samhandling" / "templates").iterdir()}
    assert templates <= names
    for init in sorted((REPO / "samhandling").rglob("__init__.py")):
        relative = init.relative_to(REPO).as_posix()
        assert relative in names, f"{relative} missing: add it to pyproject packages"


def test_sdist_holds_the_data_folders() -> None:
    with tarfile.open(built("sdist")) as archive:
        names = {n.split("/", 1)[1] for n in archive.getnames() if "/" in n}
    for folder in ("ontology", "shapes", "queries", "model", "loaders", "samhandling/templates"):
        assert any(n.startswith(f"{folder}/") for n in names), folder


def _check_installed(inst: Installed) -> Path:
    """The checks every installation passes; returns the folder they ran in."""
    here = user_folder(f"user-{inst.python_version}")
    _model_in(here)

    proc = inst.run("validate", "model/", cwd=here)
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"\b0 brudd\b", proc.stdout), proc.stdout  # shapes were found and ran
    assert "[InformationService-" in proc.stdout

    proc = inst.run("query", "--list", cwd=here)
    assert proc.returncode == 0, proc.stderr
    listed = set(re.findall(r"^([a-z0-9-]+)\s", proc.stdout, flags=re.MULTILINE))
    assert listed == set(QUERY_NAMES)

    proc = inst.run("query", "services", cwd=here)
    assert proc.returncode == 0, proc.stderr
    missing = [label for label in SERVICE_LABELS if label not in proc.stdout]
    assert not missing and len(SERVICE_LABELS) == 26

    proc = inst.run("stats", "--model", "model/", cwd=here)
    assert proc.returncode == 0, proc.stderr
    # Class labels come from the bundled ontology; without it they fall back to IRI segments.
    assert re.search(r"^Informasjonstjeneste\s+26\s+sam:InformationService$", proc.stdout,
                     flags=re.MULTILINE), proc.stdout
    return here


def test_installed_wheel_runs_the_readme_commands_from_another_folder() -> None:
    inst = installed("wheel")
    here = _check_installed(inst)
    # the installed package is the wheel's, not the checkout's
    proc = subprocess.run([str(inst.bin / "python"), "-c",
                           "import samhandling.resources as r; print(r.ontology_files()[0])"],
                          capture_output=True, text=True, cwd=here, env=inst.env(), check=True)
    assert proc.stdout.strip().startswith(str(inst.venv))

    proc = inst.run("build", "model/", "-o", "out", cwd=here)
    assert proc.returncode == 0, proc.stderr
    assert (here / "out" / "samhandling.ttl").stat().st_size > 10_000

    proc = inst.run("analyze", "--model", "model/", "--format", "md", cwd=here)
    assert proc.returncode == 0, proc.stderr
    assert "Klinisk oppsummering" in proc.stdout


@pytest.mark.needs_dot
def test_installed_wheel_draws_the_services_picture() -> None:
    inst = installed("wheel")
    here = user_folder("graph")
    _model_in(here)
    proc = inst.run("graph", "services", "model", "-o", "services.svg", cwd=here)
    assert proc.returncode == 0, proc.stderr
    root = ElementTree.parse(here / "services.svg").getroot()
    # a node's label may wrap over several <text> lines: compare without the breaks
    shown = {"".join("".join(t.text or "" for t in node.iter(f"{SVG}text")).split())
             for node in root.iter(f"{SVG}g") if node.get("class") == "node"}
    missing = [label for label in SERVICE_LABELS if "".join(label.split()) not in shown]
    assert not missing


def test_installed_wheel_prints_what_the_editable_install_prints() -> None:
    inst = installed("wheel")
    here = user_folder("same-output")
    _model_in(here)
    for args in (["stats", "model/", "--lang", "en"], ["query", "services"],
                 ["validate", "model/"], ["analyze", "model/", "--format", "md"],
                 ["query", "--list"], ["query", "reuse-of-service", "model/", "-p",
                                       "service=plan"],
                 ["impact", "plan", "model/", "--format", "json"],
                 ["graph", "services", "model/", "--format", "mermaid"],
                 ["graph", "coverage", "model/", "--format", "graphml", "--lang", "en"],
                 ["diff", "model/", "model/"]):
        wheel = inst.run(*args, cwd=here)
        editable = _editable(*args, cwd=here)
        assert (wheel.returncode, wheel.stdout) == (editable.returncode, editable.stdout), args


@pytest.mark.parametrize("version", [v for v in SUPPORTED_PYTHONS
                                     if f"{sys.version_info.major}.{sys.version_info.minor}"
                                     != v])
def test_installed_wheel_works_on_every_supported_python(version: str) -> None:
    if python_for(version) is None:
        pytest.skip(f"python{version} is not on this machine")
    _check_installed(installed("wheel", version))


def test_installed_sdist_finds_its_resources() -> None:
    _check_installed(installed("sdist"))
