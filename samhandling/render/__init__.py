"""Pictures and exports of a view, one module per output format, behind one registry.

======== ============ ======= ==================================================
format   module       binary  what
======== ============ ======= ==================================================
svg      dot          no      Graphviz drawing, vector, for the web and README
png      dot          yes     Graphviz drawing, 1920 × 1080 at slide size
pdf      dot          yes     Graphviz drawing, vector, for print
dot      dot          no      the Graphviz source (draw it yourself)
graphml  graphml      no      yEd, Gephi
mermaid  mermaid      no      GitHub Markdown
pptx     powerpoint   yes     one 16:9 slide: title, native diagram, legend
json     nodelink     no      node-link JSON for D3 and other web tools
======== ============ ======= ==================================================

Text formats may go to stdout; binary ones need a file.

Every writer gets the view with characters XML cannot hold (control characters from a label)
replaced by U+FFFD (:func:`samhandling.safetext.xml_safe`): GraphML and SVG must parse
whatever the model's labels contain, and DOT, Mermaid and the slide are no place for them
either.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from ..errors import UsageError
from ..safetext import xml_safe

__all__ = ["ALIASES", "FORMATS", "OutputFormat", "format_from_path", "output_format", "render"]


@dataclass(frozen=True)
class OutputFormat:
    name: str
    extension: str
    binary: bool
    #: "module:function" under samhandling.render, imported when used
    writer: str
    #: a picture for a slide (too large a view is aggregated to main groups for it)
    picture: bool = False

    def write(self, view: nx.DiGraph, lang: str, **options: Any) -> bytes:
        """The file's bytes; ``options`` go to the writer (``picture=True`` for pptx)."""
        import importlib

        module_name, function = self.writer.split(":")
        module = importlib.import_module(f"{__name__}.{module_name}")
        result: bytes = getattr(module, function)(_xml_safe_view(view), lang, **options)
        return result


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, list | tuple):
        return type(value)(_clean(v) for v in value)
    return value


def _xml_safe_view(view: nx.DiGraph) -> nx.DiGraph:
    """``view`` itself when all its text is XML-safe (the usual case), else a cleaned copy."""
    def dirty(value: Any) -> bool:
        return _clean(value) != value

    if not (any(dirty(v) for v in view.graph.values())
            or any(dirty(n) or any(dirty(v) for v in d.values()) for n, d in view.nodes(data=True))
            or any(any(dirty(v) for v in d.values()) for _, _, d in view.edges(data=True))):
        return view
    clean: nx.DiGraph[str] = nx.DiGraph()
    clean.graph.update({k: _clean(v) for k, v in view.graph.items()})
    clean.add_nodes_from((_clean(n), {k: _clean(v) for k, v in d.items()})
                         for n, d in view.nodes(data=True))
    clean.add_edges_from((_clean(a), _clean(b), {k: _clean(v) for k, v in d.items()})
                         for a, b, d in view.edges(data=True))
    return clean


def _dot_writer(fmt: str) -> Callable[[nx.DiGraph, str], bytes]:
    def write(view: nx.DiGraph, lang: str) -> bytes:
        from . import dot

        options = dot.DotOptions(lang=lang)
        if view.graph.get("aggregated"):
            # few boxes, many weighted arrows with numbers: give them room
            options = dot.DotOptions(lang=lang, nodesep=0.6, ranksep=0.8)
        if fmt == "dot":
            return dot.to_dot(view, options).encode("utf-8")
        functions = {"svg": dot.to_svg, "png": dot.to_png, "pdf": dot.to_pdf}
        return functions[fmt](view, options)

    return write


FORMATS: dict[str, OutputFormat] = {f.name: f for f in (
    OutputFormat("svg", ".svg", False, "__init__:_svg", picture=True),
    OutputFormat("png", ".png", True, "__init__:_png", picture=True),
    OutputFormat("pdf", ".pdf", True, "__init__:_pdf", picture=True),
    OutputFormat("dot", ".dot", False, "__init__:_dot"),
    OutputFormat("graphml", ".graphml", False, "graphml:to_graphml"),
    OutputFormat("mermaid", ".mmd", False, "mermaid:to_mermaid"),
    OutputFormat("pptx", ".pptx", True, "powerpoint:to_pptx", picture=True),
    OutputFormat("json", ".json", False, "nodelink:to_node_link"),
)}
ALIASES = {"gv": "dot", "mmd": "mermaid", "md": "mermaid", "node-link": "json"}
_svg, _png, _pdf, _dot = (_dot_writer(f) for f in ("svg", "png", "pdf", "dot"))


def output_format(name: str) -> OutputFormat:
    """The format called ``name`` (or an alias); :class:`UsageError` lists the valid ones."""
    key = ALIASES.get(name.lower(), name.lower())
    if key not in FORMATS:
        raise UsageError(f"unknown format '{name}'; valid formats: {', '.join(FORMATS)}")
    return FORMATS[key]


def format_from_path(path: Path) -> OutputFormat | None:
    """The format a file name's extension implies (``slide.pptx`` -> pptx), if any."""
    suffix = path.suffix.lower().lstrip(".")
    if not suffix:
        return None
    for fmt in FORMATS.values():
        if fmt.extension == path.suffix.lower():
            return fmt
    key = ALIASES.get(suffix, suffix)
    return FORMATS.get(key)


def render(view: nx.DiGraph, fmt: str, lang: str = "nb") -> bytes:
    """Write ``view`` in format ``fmt`` with labels in ``lang``; the bytes of the file."""
    return output_format(fmt).write(view, lang)
