"""Draw the README's pictures of the model into docs/img/ (needs Graphviz's ``dot``).

Run from the repository root after the model changes::

    .venv/bin/python docs/make_pictures.py            # every view, Norwegian, plus English
    .venv/bin/python docs/make_pictures.py --check    # exit 1 if a picture is missing

Writes ``docs/img/<view>.png`` (1920 × 1080, labels in Bokmål) for every view,
``docs/img/services-en.png`` and ``docs/img/services.svg``, and the Mermaid text of the
README's small example (``docs/img/plan-focus.mmd``). The same pictures come from the CLI,
e.g. ``samhandling graph services --format png -o docs/img/services.png``.
"""

from __future__ import annotations

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
REPO = DOCS.parent
sys.path.insert(0, str(REPO))

from samhandling.analysis import VIEWS, model_graphs, view_graph  # noqa: E402
from samhandling.atomic import write_bytes  # noqa: E402
from samhandling.build import load_model  # noqa: E402
from samhandling.render import render  # noqa: E402

IMG = DOCS / "img"


def pictures() -> dict[Path, bytes]:
    """Every picture file and its bytes, drawn from model/."""
    graphs = model_graphs(load_model(REPO / "model"))
    files: dict[Path, bytes] = {}
    for name in VIEWS:
        files[IMG / f"{name}.png"] = render(view_graph(graphs, name), "png", "nb")
    services = view_graph(graphs, "services")
    files[IMG / "services-en.png"] = render(services, "png", "en")
    files[IMG / "services.svg"] = render(services, "svg", "nb")
    focus = view_graph(graphs, "services", focus="Plan", depth=1)
    files[IMG / "plan-focus.mmd"] = render(focus, "mermaid", "en")
    return files


def main(argv: list[str]) -> int:
    if "--check" in argv:
        expected = [IMG / f"{name}.png" for name in VIEWS]
        missing = [str(p.relative_to(REPO)) for p in expected if not p.exists()]
        if missing:
            print("missing: " + ", ".join(missing), file=sys.stderr)
        return 1 if missing else 0
    IMG.mkdir(exist_ok=True)
    for path, data in pictures().items():
        write_bytes(path, data)
        print(path.relative_to(REPO))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
