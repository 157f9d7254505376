"""Where the ontology, shapes, queries and seed model live: inside the installed package, or in
the checkout.

The wheel maps the top-level ``ontology/``, ``shapes/``, ``queries/`` and ``model/`` folders into
the ``samhandling`` package (``samhandling.ontology`` and so on; see ``pyproject.toml``). They
hold no ``__init__.py``, so :func:`importlib.resources.files` may return a ``MultiplexedPath``
(an editable install or a namespace package) rather than a :class:`~pathlib.Path`; its
``str()`` is not a path. We therefore never turn a traversable into a string: we walk it with
``iterdir()``, whose children are real paths for every file-system install (wheel, sdist,
editable, checkout), and fall back to the checkout's folders when the package data is absent
(running from a source tree without installing).

No module of the engine may be named like a data folder (``ontology``, ``shapes``, ``queries``,
``model``): it would shadow the data package. ``tests/test_packaging.py`` checks both.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

CHECKOUT_ROOT = Path(__file__).resolve().parent.parent

#: The data folders bundled into the package, by the name of their data package.
BUNDLED_FOLDERS = ("ontology", "shapes", "queries", "model")


def _as_paths(folder: Traversable) -> list[Path]:
    """The files directly inside ``folder``, as real paths (a MultiplexedPath merges several
    folders; its children are paths of one of them)."""
    found: list[Path] = []
    for child in folder.iterdir():
        if child.is_file() and isinstance(child, Path):
            found.append(child)
    return found


def resource_files(name: str, suffix: str) -> list[Path]:
    """The bundled files of kind ``name`` (``ontology``, ``shapes``, ``queries`` or ``model``)
    whose name ends in ``suffix``, sorted by file name so every install reads them in one order.
    """
    files: list[Path] = []
    try:
        files = _as_paths(resources.files(f"samhandling.{name}"))
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError, TypeError):
        files = []
    if not any(f.name.endswith(suffix) for f in files):
        checkout = CHECKOUT_ROOT / name
        files = [p for p in checkout.iterdir() if p.is_file()] if checkout.is_dir() else []
    return sorted((f for f in files if f.name.endswith(suffix)), key=lambda p: p.name)


def resource_dir(name: str, suffix: str) -> Path:
    """The folder that holds the bundled files of kind ``name`` (for messages and for copying)."""
    files = resource_files(name, suffix)
    return files[0].parent if files else CHECKOUT_ROOT / name


def ontology_files() -> list[Path]:
    return resource_files("ontology", ".ttl")


def shape_files() -> list[Path]:
    return resource_files("shapes", ".ttl")


def query_files() -> list[Path]:
    return resource_files("queries", ".rq")


def query_dir() -> Path:
    return resource_dir("queries", ".rq")


def seed_model_files() -> list[Path]:
    """The seed model that ``samhandling init`` copies into a new model repository."""
    return [p for p in resource_files("model", "") if not p.name.startswith(".")]
