"""Shared fixtures and markers; plain helpers live in :mod:`tests.support`.

``@pytest.mark.needs_dot`` marks a test that runs Graphviz ``dot``: without ``dot`` on PATH it is
skipped with a named reason (``-ra`` lists it at the end of ``make test``), the way the Java
tests skip without ``java``. ``.ci/run`` installs Graphviz, so nothing is skipped there; with
``SAMHANDLING_REQUIRE_TOOLS=1`` a missing ``dot`` stops the run instead.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from .support import MINI, MODEL_DIR, run_cli

#: The reason every Graphviz test gives when it is skipped.
NO_DOT = "needs Graphviz 'dot' on PATH (apt-get install graphviz)"
#: Set (to anything) where every tool is installed, as in ``.ci/run``: a missing tool is then an
#: error of the whole run instead of a skip.
REQUIRE_TOOLS = "SAMHANDLING_REQUIRE_TOOLS"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"needs_dot: the test runs Graphviz 'dot'; skipped if it "
                                       f"is missing ({NO_DOT})")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if shutil.which("dot") is not None:
        return
    needing = [item for item in items if item.get_closest_marker("needs_dot") is not None]
    if needing and os.environ.get(REQUIRE_TOOLS):
        raise pytest.UsageError(
            f"{REQUIRE_TOOLS} is set, but Graphviz 'dot' is not on PATH "
            f"({len(needing)} selected tests need it; apt-get install graphviz)")
    for item in needing:
        item.add_marker(pytest.mark.skip(reason=NO_DOT))


@pytest.fixture()
def cli():
    return run_cli


@pytest.fixture()
def model_copy(tmp_path: Path) -> Path:
    """A private copy of the frozen seed model that a test may break."""
    target = tmp_path / "model"
    shutil.copytree(MODEL_DIR, target)
    return target


@pytest.fixture()
def mini_copy(tmp_path: Path) -> Path:
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target
