"""Shared fixtures; plain helpers live in :mod:`tests.support`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .support import MINI, MODEL_DIR, run_cli


@pytest.fixture()
def cli():
    return run_cli


@pytest.fixture()
def model_copy(tmp_path: Path) -> Path:
    """A private copy of the seed model that a test may break."""
    target = tmp_path / "model"
    shutil.copytree(MODEL_DIR, target)
    return target


@pytest.fixture()
def mini_copy(tmp_path: Path) -> Path:
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target
