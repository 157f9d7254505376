"""samhandling as users install it: a wheel or an sdist built from this checkout, installed with
its dependencies into a fresh virtual environment outside the checkout.

Builds and venvs are made once per test run (they take seconds each, mostly pip) and shared by
the packaging, init and CI-recipe tests. Dependencies come from the package index as for any
user (pip's cache makes repeated runs fast); nothing of the checkout is on ``sys.path`` of the
installed commands, and they always run with a working directory outside the checkout.
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .support import REPO

_WORK = Path(tempfile.mkdtemp(prefix="samhandling-installed-"))
atexit.register(shutil.rmtree, _WORK, True)

#: Python versions the package supports; those found on this machine are tested.
SUPPORTED_PYTHONS = ("3.11", "3.12", "3.13")


@dataclass(frozen=True)
class Installed:
    """One installation: a venv whose ``bin/`` holds the ``samhandling`` console script."""

    venv: Path
    python_version: str

    @property
    def bin(self) -> Path:
        return self.venv / "bin"

    def env(self) -> dict[str, str]:
        """The environment a user of this venv has: its bin first on PATH, nothing of the
        checkout importable, no inherited venv or PYTHONPATH."""
        env = {k: v for k, v in os.environ.items()
               if k not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"}}
        env["PATH"] = f"{self.bin}{os.pathsep}{env.get('PATH', '')}"
        env["VIRTUAL_ENV"] = str(self.venv)
        return env

    def run(self, *args: str, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
        """``samhandling ARGS`` from this venv, in ``cwd``."""
        return subprocess.run([str(self.bin / "samhandling"), *args], capture_output=True,
                              text=True, cwd=cwd, env=self.env(), timeout=timeout)


_PRINT_VERSION = "import sys; print('%d.%d' % sys.version_info[:2])"


@functools.cache
def python_for(version: str) -> str | None:
    """An interpreter of ``version`` on this machine: the running one, ``pythonX.Y`` on PATH,
    or a pyenv installation. Each candidate must really run and report that version (a pyenv
    shim is on PATH even when its version is not selected)."""
    if f"{sys.version_info.major}.{sys.version_info.minor}" == version:
        return sys.executable
    candidates = [shutil.which(f"python{version}")]
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    candidates += [str(p) for p in
                   sorted(pyenv_root.glob(f"versions/{version}*/bin/python{version}"))]
    for candidate in filter(None, candidates):
        try:
            proc = subprocess.run([candidate, "-c", _PRINT_VERSION], capture_output=True,
                                  text=True, timeout=30)
        except OSError:
            continue
        if proc.returncode == 0 and proc.stdout.strip() == version:
            return candidate
    return None


def _checked(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess:
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900, **kwargs)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n"
                           f"{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")
    return proc


@functools.cache
def built(kind: str) -> Path:
    """The wheel (``kind="wheel"``) or sdist (``"sdist"``) of this checkout, built once.

    Built from a copy of the checkout without its ``build/``, ``*.egg-info`` or ``.venv`` so a
    stale build folder cannot leak files into the archive.
    """
    out = _WORK / f"dist-{kind}"
    source = _WORK / f"src-{kind}"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(
        ".venv", ".git", "build", "*.egg-info", "__pycache__", ".pytest_cache", "out",
        ".ruff_cache", ".mypy_cache"))
    _checked([sys.executable, "-m", "build", f"--{kind}", "--no-isolation", "--outdir",
              str(out), str(source)], cwd=_WORK)
    pattern = "samhandling-*.whl" if kind == "wheel" else "samhandling-*.tar.gz"
    found = sorted(out.glob(pattern))
    if len(found) != 1:
        raise RuntimeError(f"expected one {pattern} in {out}, found {found}")
    return found[0]


@functools.cache
def installed(kind: str = "wheel", version: str | None = None) -> Installed:
    """A fresh venv of Python ``version`` (default: the running one) with the ``kind`` archive
    installed as a user would: ``pip install ARCHIVE``, dependencies from the index."""
    version = version or f"{sys.version_info.major}.{sys.version_info.minor}"
    python = python_for(version)
    if python is None:
        raise LookupError(f"python{version} is not on this machine")
    venv = _WORK / f"venv-{kind}-{version}"
    _checked([python, "-m", "venv", str(venv)])
    _checked([str(venv / "bin" / "python"), "-m", "pip", "install", "-q",
              "--disable-pip-version-check", str(built(kind))], cwd=_WORK)
    return Installed(venv, version)


def user_folder(name: str) -> Path:
    """A fresh folder outside the checkout for a test to work in."""
    folder = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=_WORK))
    assert REPO not in folder.parents
    return folder
