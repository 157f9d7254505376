"""The live ``model/``, the content architects edit: it loads and it conforms to the shapes.

Nothing here pins what the model says (how many services, which warnings): those facts are
tested on the frozen copy in ``tests/fixtures/seed-model``, so a legitimate edit of ``model/``
never turns the suite red. ``.ci/run`` runs the same ``samhandling validate model/``.
"""

from __future__ import annotations

from samhandling.build import load_model

from .support import LIVE_MODEL_DIR, REPO, run_cli


def test_the_live_model_loads() -> None:
    assert len(load_model(LIVE_MODEL_DIR).graph) > 0


def test_the_live_model_conforms() -> None:
    result = run_cli("validate", "model/", "--lang", "en", cwd=REPO)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].endswith("the model conforms"), result.stdout
