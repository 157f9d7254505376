"""``samhandling docs``: gather the model, its checks and its pictures, render every page and
write the folder as a whole.

The folder is written through :func:`samhandling.atomic.new_folder` (a temp folder swapped
in), so a reader never sees half a site. A site carries :data:`MARKER`; an existing ``-o``
folder that holds anything else is refused unless ``--force`` (it could be someone's work),
while a previous site is simply replaced.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..atomic import OutputError, new_folder
from ..build import load_model
from ..built import BuiltModel
from ..errors import SamhandlingError, ToolMissingError, UsageError
from .background import Background
from .data import Places, SiteData, read_site_data
from .reference import QueryPage
from .render import SiteContent, assets, pages
from .search import index_script
from .text import LANGS, text
from .vocab import read_vocabulary

if TYPE_CHECKING:
    import click

    from ..analysis.graphs import ModelGraphs
    from ..render.layout import Layout

#: File that marks a folder as a site written by ``samhandling docs``.
MARKER = ".samhandling-site"
MARKER_TEXT = b"samhandling docs: this folder is generated; it is replaced as a whole\n"
#: Services above which the overview is not drawn as one picture (Graphviz takes seconds
#: per thousand; the main-group pages list the services instead).
OVERVIEW_LIMIT = 3000
#: Resources from which the pages are rendered by several processes.
PARALLEL_FROM = 2000


@dataclass(frozen=True)
class SiteSummary:
    """What was written, for the one line the command prints."""

    folder: Path
    files: int
    entities: int
    seconds: float


def check_output(folder: Path, force: bool) -> bool:
    """Whether ``folder`` may be replaced; raises when it holds something that is not a site.

    Returns True when the folder exists with content (a previous site, or anything with
    ``force``), False when it is absent or empty."""
    folder = Path(folder)
    if folder.is_symlink():
        raise OutputError(f"{folder}: is a symbolic link; write the site elsewhere")
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: exists and is not a folder")
    if not folder.parent.is_dir():  # refused before any work, not after it
        raise UsageError(f"{folder}: parent folder {folder.parent} does not exist")
    if not folder.is_dir() or not any(folder.iterdir()):
        return False
    if (folder / MARKER).is_file() or force:
        return True
    raise OutputError(f"{folder}: folder exists and is not a site written by samhandling "
                      "docs; use --force to replace it as a whole")


def gather(model_dir: Path | str, model: BuiltModel | None = None, *,
           parallel: bool = True, manual: bool = True,
           commands: click.Group | None = None) -> SiteContent:
    """Everything the pages show: entities, ontology, rules, queries, validation, pictures,
    and (``manual``) the manual, with the command-line reference of ``commands`` (the
    ``samhandling`` group, handed down by the ``docs`` command) when given.

    ``parallel`` lets the query library and the overview's layout run in forked children
    meanwhile (see :mod:`.background`); ``--serve`` turns it off for its rebuilds, as its
    server thread is running then."""
    from ..analysis.graphs import model_graphs
    from .manual import cli_reference
    from .reference import run_queries

    model = model if model is not None else load_model(model_dir)
    places = Places(model_dir)
    data = read_site_data(model, places)
    graphs = model_graphs(model)
    # Forked children, while this process validates: the query library; and the overview's
    # layouts (Graphviz, with a grid search in Python before it) with the CLI reference
    # (asking every command for its help imports every command's module: the solver,
    # PowerPoint ...).
    library = Background(lambda: run_queries(model), parallel=parallel)
    drawing = Background(lambda: (*_overviews(graphs, data),
                                  cli_reference(commands) if manual and commands is not None
                                  else None), parallel=parallel)
    try:
        content = _gather(model_dir, data, graphs, library, drawing, places, manual)
    except BaseException:
        library.cancel()
        drawing.cancel()
        raise
    return content


def _gather(model_dir: Path | str, data: SiteData, graphs: ModelGraphs,
            library: Background[list[QueryPage]],
            drawing: Background[tuple[dict[str, Layout | None], dict[str, str], str | None]],
            places: Places, manual: bool) -> SiteContent:
    from ..resources import shape_files
    from ..validation.load import load_for_validation
    from ..validation.shacl import load_shapes, validate_model
    from .manual import manual_pages
    from .reference import read_rules
    from .reference import shape_files as shape_lines

    vocab = read_vocabulary()
    shapes = load_shapes(None)
    report = validate_model(load_for_validation(model_dir), shapes)

    def label(iri: str, lang: str) -> str:
        return vocab.label(iri, lang) if iri in vocab.terms else data.label(iri, lang)

    rules = read_rules(shapes, report, label, shape_lines(shape_files()))
    queries = library.result()
    overview, notes, cli_html = drawing.result()
    reuse = {node: (sorted(graphs.reuse.predecessors(node), key=lambda n: data.label(n, "nb")),
                    sorted(graphs.reuse.successors(node), key=lambda n: data.label(n, "nb")))
             for node in graphs.reuse}
    node_attrs: dict[str, dict[str, object]] = {
        node: {"group": attrs.get("group", 0), "maturity": attrs.get("maturity", "")}
        for node, attrs in graphs.reuse.nodes(data=True)}
    content = SiteContent(data, vocab, rules, queries, report, overview, notes, reuse,
                          node_attrs, places=places)
    if manual:
        content.manual = manual_pages(cli_html)
    return content


def _overviews(graphs: ModelGraphs,
               data: SiteData) -> tuple[dict[str, Layout | None], dict[str, str]]:
    """The services picture per language, laid out by Graphviz as ``graph services`` does."""
    from ..analysis.views import view_graph
    from ..render.layout import layout
    from ..render.options import DotOptions

    services = len(data.by_kind.get("service", []))
    if not services:
        return {}, {}
    if services > OVERVIEW_LIMIT:
        return {}, {lang: text("diagram_too_big", lang) for lang in LANGS}
    view = view_graph(graphs, "services")
    try:
        drawn: dict[str, Layout | None] = {
            lang: layout(view, DotOptions(lang=lang, legend=False)) for lang in LANGS}
        return drawn, {}
    except ToolMissingError:
        return {}, {lang: text("diagram_missing", lang) for lang in LANGS}


def build_site(model_dir: Path | str, output: Path, *, force: bool = False,
               manual: bool = True, parallel: bool = True,
               commands: click.Group | None = None) -> SiteSummary:
    """Write the site of the model in ``model_dir`` to ``output`` (see the module docstring).

    Raises
    ------
    ModelLoadError
        The model does not load (nothing is written).
    OutputError
        ``output`` holds something that is not a site and ``force`` is not given, or cannot
        be written.
    """
    started = time.perf_counter()
    replace = check_output(output, force)
    content = gather(model_dir, parallel=parallel, manual=manual, commands=commands)
    with new_folder(output, force=replace) as tmp:
        count = _write(content, tmp, parallel)
    return SiteSummary(Path(output), count, len(content.data.entities),
                       time.perf_counter() - started)


def _workers(content: SiteContent, parallel: bool) -> int:
    """Processes to render with: one per CPU this process may use (at most 4), for a site
    big enough to gain from it (a fork costs milliseconds; a small site renders in less)."""
    if not parallel or not hasattr(os, "fork") or len(content.data.entities) < PARALLEL_FROM:
        return 1
    return max(1, min(4, len(os.sched_getaffinity(0))))


def _write(content: SiteContent, folder: Path, parallel: bool = True) -> int:
    """Write every file of the site into ``folder``; the number of files.

    Rendering is most of a big site's time and pure Python, so the resource pages are
    shared among forked processes (copies of this one: the gathered content is not sent
    anywhere). Each writes its own files; a child that fails makes the whole write fail."""
    parts = _workers(content, parallel)
    children: list[int] = []
    for part in range(1, parts):
        pid = os.fork()
        if pid == 0:  # the child: render its share and leave without cleanup of ours
            status = 1
            try:
                _write_part(content, folder, part, parts)
                status = 0
            finally:
                os._exit(status)
        children.append(pid)
    try:
        count = _write_part(content, folder, 0, parts)
    finally:
        failed = [pid for pid in children if os.waitpid(pid, 0)[1] != 0]
    if failed:
        raise SamhandlingError(f"{len(failed)} of {parts} rendering processes failed")
    return sum(1 for path in folder.rglob("*") if path.is_file()) if parts > 1 else count


def _write_part(content: SiteContent, folder: Path, part: int, parts: int) -> int:
    count = 0
    for rel, body in _files(content, part, parts):
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
        count += 1
    return count


def _files(content: SiteContent, part: int = 0,
           parts: int = 1) -> Iterator[tuple[str, bytes]]:
    if part == 0:
        yield MARKER, MARKER_TEXT
        yield from assets()
        yield "assets/search-index.js", index_script(content.data)
    yield from pages(content, part, parts)
    if content.manual and part == 0:
        from .manual import manual_files

        yield from manual_files(content)


__all__ = ["MARKER", "SiteSummary", "build_site", "check_output", "gather"]
