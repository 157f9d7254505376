"""Shared fixtures and markers; plain helpers live in :mod:`tests.support`.

``@pytest.mark.needs_dot`` marks a test that runs Graphviz ``dot``: without ``dot`` on PATH it is
skipped with a named reason (``-ra`` lists it at the end of ``make test``), the way the Java
tests skip without ``java``. ``.ci/run`` installs Graphviz, so nothing is skipped there; with
``SAMHANDLING_REQUIRE_TOOLS=1`` a missing ``dot`` stops the run instead.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from .support import MINI, MODEL_DIR, run_cli

#: The reason every Graphviz test gives when it is skipped.
NO_DOT = "needs Graphviz 'dot' on PATH (apt-get install graphviz)"
#: Set (to anything) where every tool is installed, as in ``.ci/run``: a missing tool is then an
#: error of the whole run instead of a skip.
REQUIRE_TOOLS = "SAMHANDLING_REQUIRE_TOOLS"


#: The reason every LibreOffice rendering test gives when it is skipped.
NO_SOFFICE = ("needs LibreOffice 'soffice' and poppler's 'pdftoppm' on PATH "
              "(apt-get install libreoffice-impress poppler-utils)")
#: The reason every browser test gives when it is skipped (Playwright drives the system
#: Chromium; it never downloads a browser of its own).
NO_CHROMIUM = "needs Chromium 'chromium' on PATH (apt-get install chromium)"
#: marker -> (programs it needs, their name in messages, skip reason, what to install)
TOOL_MARKERS: dict[str, tuple[tuple[str, ...], str, str, str]] = {
    "needs_dot": (("dot",), "Graphviz 'dot'", NO_DOT, "apt-get install graphviz"),
    "needs_soffice": (("soffice", "pdftoppm"), "LibreOffice 'soffice' or poppler's 'pdftoppm'",
                      NO_SOFFICE, "apt-get install libreoffice-impress poppler-utils"),
    "needs_chromium": (("chromium",), "Chromium 'chromium'", NO_CHROMIUM,
                       "apt-get install chromium"),
}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"needs_dot: the test runs Graphviz 'dot'; skipped if it "
                                       f"is missing ({NO_DOT})")
    config.addinivalue_line("markers", "needs_soffice: the test renders slides with LibreOffice; "
                                       f"skipped if it is missing ({NO_SOFFICE})")
    config.addinivalue_line("markers", "needs_chromium: the test drives headless Chromium; "
                                       f"skipped if it is missing ({NO_CHROMIUM})")


#: Set by tests/test_model_edit.py in the copy's nested run (a model edit must leave it green).
NESTED = "SAMHANDLING_NESTED_SUITE"
#: What the nested run leaves out, as xdist groups and markers: wheel and venv builds, the
#: Chromium crawl and LibreOffice renders (minutes together). They read the fixture model and
#: the paths they are given, never ``model/`` (``test_the_left_out_tests_never_name_the_live_model``
#: in tests/test_model_edit.py holds them to it), and the outer run has just run them.
NESTED_LEAVES_OUT = {"installed", "browser"}
NESTED_LEAVES_OUT_MARKERS = ("needs_soffice",)


def _group(item: pytest.Item) -> str | None:
    marker = item.get_closest_marker("xdist_group")
    return str(marker.args[0]) if marker is not None and marker.args else None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get(NESTED):
        for item in items:
            if _group(item) in NESTED_LEAVES_OUT or any(
                    item.get_closest_marker(m) for m in NESTED_LEAVES_OUT_MARKERS):
                item.add_marker(pytest.mark.skip(
                    reason="left out of the nested model-edit run (wheel, browser or office)"))
    for marker, (programs, name, reason, install) in TOOL_MARKERS.items():
        if all(shutil.which(p) is not None for p in programs):
            continue
        needing = [item for item in items if item.get_closest_marker(marker) is not None]
        if needing and os.environ.get(REQUIRE_TOOLS):
            raise pytest.UsageError(
                f"{REQUIRE_TOOLS} is set, but {name} is not on PATH "
                f"({len(needing)} selected tests need it; {install})")
        for item in needing:
            item.add_marker(pytest.mark.skip(reason=reason))


#: How a test file reaches the live ``model/``: by naming it or by working in the checkout.
#: Tests run from an empty folder (below), so there is no other way; the nested model-edit run
#: (tests/test_model_edit.py) runs exactly the files that hold one of these.
LIVE_MODEL_NAMES = ("LIVE_MODEL_DIR", 'REPO / "model"', "cwd=REPO", "cwd=str(REPO)")


@pytest.fixture(scope="session", autouse=True)
def _work_in_an_empty_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Run every test from an empty folder, not from the checkout: a command run without a
    MODEL_DIR, or a relative ``model/``, then finds nothing instead of the live model, which
    architects change every day (engine tests read fixtures)."""
    before = os.getcwd()
    os.chdir(tmp_path_factory.mktemp("cwd"))
    yield
    os.chdir(before)


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
