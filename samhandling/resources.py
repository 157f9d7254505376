"""Where the ontology, shapes and queries live: inside the installed wheel, or in the checkout.

The wheel maps the top-level ``ontology/``, ``shapes/`` and ``queries/`` folders into the
``samhandling`` package; in a source checkout (editable install, tests) they are read in place.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

CHECKOUT_ROOT = Path(__file__).resolve().parent.parent


def resource_dir(name: str) -> Path:
    """The folder of a bundled resource kind: ``ontology``, ``shapes`` or ``queries``."""
    try:
        packaged = Path(str(resources.files(f"samhandling.{name}")))
        if packaged.is_dir() and any(packaged.iterdir()):
            return packaged
    except (ModuleNotFoundError, TypeError):
        pass
    return CHECKOUT_ROOT / name


def ontology_files() -> list[Path]:
    return sorted(resource_dir("ontology").glob("*.ttl"))


def shape_files() -> list[Path]:
    return sorted(resource_dir("shapes").glob("*.ttl"))


def query_dir() -> Path:
    return resource_dir("queries")
