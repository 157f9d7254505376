"""The wheel carries the ontology and installs no generic top-level import name."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .support import MODEL_DIR, REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                           "--no-build-isolation", "-q", "-w", str(out), str(REPO)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    wheels = list(out.glob("samhandling-*.whl"))
    assert len(wheels) == 1
    return wheels[0]


def test_wheel_has_one_top_level_package_and_the_resources(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/", 1)[0] for n in names if not n.split("/", 1)[0].endswith(".dist-info")}
    assert top == {"samhandling"}
    assert "samhandling/loaders/yaml_loader.py" in names
    assert any(n.startswith("samhandling/ontology/") and n.endswith(".ttl") for n in names)


def test_installed_wheel_builds_the_model_from_another_directory(wheel: Path,
                                                                 tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(target), str(wheel)], check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    proc = subprocess.run(
        [sys.executable, "-c",
         "import samhandling, samhandling.resources as r, sys; "
         "print(samhandling.__file__); print(r.resource_dir('ontology'))"],
        capture_output=True, text=True, cwd=elsewhere, env=env, check=True)
    module_file, ontology_dir = proc.stdout.split()
    assert module_file.startswith(str(target))
    assert ontology_dir.startswith(str(target))
    proc = subprocess.run([sys.executable, "-m", "samhandling", "build", str(MODEL_DIR), "-o",
                           "out"], capture_output=True, text=True, cwd=elsewhere, env=env)
    assert proc.returncode == 0, proc.stderr
    assert (elsewhere / "out" / "samhandling.ttl").stat().st_size > 10_000


def test_wheel_holds_every_subpackage_of_the_source_tree(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for init in sorted((REPO / "samhandling").rglob("__init__.py")):
        relative = init.relative_to(REPO).as_posix()
        assert relative in names, f"{relative} missing: add it to pyproject packages"
