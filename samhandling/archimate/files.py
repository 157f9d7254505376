"""The three things the CLI does with ArchiMate files, each one call: export a model folder,
import a file into a model folder, and load a file as a built model (for ``diff``).

Outputs are whole or absent (:mod:`samhandling.atomic`); an import is built in its staging
folder before it is swapped in, so a file whose records do not build leaves nothing behind.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..atomic import new_folder, write_bytes
from ..build import load_model
from ..built import BuiltModel
from ..errors import ModelLoadError, Problem, ToolMissingError
from .exchange import read, write
from .export import to_exchange
from .importer import Imported, import_exchange, write_sources


def export_archimate(model_dir: Path | str, output: Path, *, views: bool = True) -> tuple[int,
                                                                                          int, int]:
    """Write the model in ``model_dir`` to ``output``; return (elements, relationships,
    views) written. Views need Graphviz ``dot`` (:class:`ToolMissingError` without it)."""
    model = load_model(model_dir)
    graph = model.graph  # made on each access: once here
    make = None
    if views:
        from .views import view_maker

        make = view_maker(model, graph)
    try:
        exchange = to_exchange(graph, make)
    except ToolMissingError as exc:
        raise ToolMissingError(f"{exc}; the views are laid out by it: install it, or export "
                               "without views (--no-views)") from None
    write_bytes(output, write(exchange))
    return len(exchange.elements), len(exchange.relationships), len(exchange.views)


def read_archimate(path: Path) -> Imported:
    """Read and map one exchange file; :class:`ModelLoadError` lists every problem."""
    exchange, problems = read(path, str(path))
    if problems or exchange is None:
        raise ModelLoadError(problems)
    imported = import_exchange(exchange, str(path))
    if imported.problems:
        raise ModelLoadError(imported.problems)
    return imported


def import_archimate(path: Path, out_dir: Path, *, force: bool = False) -> list[Path]:
    """Write model sources for the exchange file ``path`` into ``out_dir``; return the files."""
    imported = read_archimate(path)
    with new_folder(out_dir, force=force) as folder:
        written = write_sources(imported, folder)
        _build(folder, path)  # what does not build is not written
    return [out_dir / p.name for p in written]


def load_archimate(path: Path) -> BuiltModel:
    """The model an exchange file imports to, built (for ``diff`` across tools)."""
    imported = read_archimate(path)
    with tempfile.TemporaryDirectory(prefix="samhandling-archimate-") as tmp:
        write_sources(imported, Path(tmp))
        return _build(Path(tmp), path)


def _build(folder: Path, path: Path) -> BuiltModel:
    """Build the sources an import wrote into ``folder``; a problem names the exchange file
    (the staging folder is gone by the time the user reads it) and the source it became."""
    try:
        return load_model(folder)
    except ModelLoadError as exc:
        prefix = len(str(folder)) + 1
        raise ModelLoadError([Problem(str(path), None,
                                      f"imported as {p.location()[prefix:]}: {p.message}")
                              for p in exc.problems]) from None


__all__ = ["export_archimate", "import_archimate", "load_archimate", "read_archimate"]
