"""Every output format parsed back: SVG as XML with every label, GraphML and node-link JSON as
isomorphic graphs, Mermaid lines as the same edges, PPTX with one picture and the title, and
the full services view readable at slide size (text at 14 pt or more on a 16:9 slide)."""

from __future__ import annotations

import io
import re
import subprocess
from functools import cache

import defusedxml.ElementTree as ET
import networkx as nx
import pytest
from PIL import Image
from pptx import Presentation

from samhandling.analysis import model_graphs, view_graph
from samhandling.build import load_model
from samhandling.errors import ToolMissingError, UsageError
from samhandling.render import FORMATS, format_from_path, output_format, render
from samhandling.render.dot import DotOptions, run_dot, to_dot, to_svg
from samhandling.render.layout import Layout, Rect, layout
from samhandling.render.style import node_text

from .support import FIXTURES, MODEL_DIR

SVG = "{http://www.w3.org/2000/svg}"


@cache
def fixture_view(name: str = "services") -> nx.DiGraph:
    return view_graph(model_graphs(load_model(FIXTURES / "analysis")), name)


@cache
def seed_view(name: str = "services") -> nx.DiGraph:
    return view_graph(model_graphs(load_model(MODEL_DIR)), name)


def node_texts(svg: bytes) -> dict[str, str]:
    """Graphviz node id (n0, n1 ...) -> its text lines joined with spaces."""
    root = ET.fromstring(svg)
    texts = {}
    for group in root.iter(f"{SVG}g"):
        if group.get("class") != "node":
            continue
        title = group.find(f"{SVG}title")
        lines = [t.text or "" for t in group.iter(f"{SVG}text")]
        if title is not None and lines:
            texts[title.text or ""] = " ".join(lines)
    return texts


def effective_points(svg: bytes) -> float:
    """Size of node text on a 13.33 × 7.5 in slide when the SVG is placed at its own size,
    which fits the slide (dot shrinks it with a scale transform if it had to)."""
    root = ET.fromstring(svg)
    width = float(root.get("width", "0").removesuffix("pt"))
    height = float(root.get("height", "0").removesuffix("pt"))
    assert width <= 960.5 and height <= 540.5, "drawing larger than the slide"
    scale = float(re.search(r"scale\(([0-9.]+)", svg.decode()).group(1))
    sizes = {float(t.get("font-size")) for g in root.iter(f"{SVG}g") if g.get("class") == "node"
             for t in g.iter(f"{SVG}text")}
    return min(sizes) * scale


# -- Graphviz ----------------------------------------------------------------------------------

@pytest.mark.needs_dot
@pytest.mark.parametrize("lang", ["nb", "en"])
def test_svg_text_holds_every_service_label_of_the_view(lang: str) -> None:
    view = seed_view("coverage")
    svg = render(view, "svg", lang)
    shown = set(node_texts(svg).values())
    services = {node_text(view, n, lang) for n, d in view.nodes(data=True)
                if d["kind"] == "service"}
    assert len(services) == 26
    assert services <= shown


@pytest.mark.needs_dot
def test_full_services_view_is_readable_on_a_slide() -> None:
    view = seed_view("services")
    svg = to_svg(view, DotOptions(lang="nb"))
    # Group frame titles take at most two lines (issue 16), which widens the frame of a long
    # group name a little: labels stay at 13.5 pt or more in both languages.
    assert effective_points(svg) >= 13.5
    assert effective_points(to_svg(view, DotOptions(lang="en"))) >= 13.5
    assert {node_text(view, n, "nb") for n in view} <= set(node_texts(svg).values())


@pytest.mark.needs_dot
def test_png_is_a_1920_by_1080_slide_picture() -> None:
    png = render(fixture_view(), "png", "nb")
    with Image.open(io.BytesIO(png)) as image:
        assert image.size == (1920, 1080)


@pytest.mark.needs_dot
def test_pdf_is_a_pdf() -> None:
    assert render(fixture_view(), "pdf", "en").startswith(b"%PDF-")


@pytest.mark.needs_dot
def test_dot_text_is_deterministic_and_styles_maturity_as_border() -> None:
    view = fixture_view()
    text = to_dot(view, DotOptions(lang="nb"))
    assert text == to_dot(view, DotOptions(lang="nb"))
    gamma = next(line for line in text.splitlines() if 'label="Gamma"' in line)
    assert "dotted" in gamma and 'fillcolor="#b2df8a"' in gamma  # R, group 2
    assert "cluster_group1" in text and "Første gruppe" in text
    # Graphviz reads it back without a warning.
    proc = subprocess.run(["dot", "-Tcanon"], input=text.encode(), capture_output=True,
                          check=False)
    assert (proc.returncode, proc.stderr) == (0, b"")


def test_missing_dot_is_one_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ToolMissingError, match="Graphviz 'dot' is not on PATH"):
        run_dot("digraph {}", "svg")


# -- other formats -----------------------------------------------------------------------------

def test_graphml_loads_back_into_an_isomorphic_graph_with_labels() -> None:
    view = seed_view("actors")
    back = nx.read_graphml(io.BytesIO(render(view, "graphml", "en")))
    assert nx.is_isomorphic(back, view, node_match=lambda a, b: a["kind"] == b["kind"]
                            and a["label_nb"] == b["label_nb"] and a["group"] == b["group"])
    assert set(back) == set(view)
    node = "https://w3id.org/samhandling/tjeneste/plan"
    assert back.nodes[node]["label"] == "Plan" and back.nodes[node]["maturity"] == "R"


def test_node_link_json_loads_back_into_the_same_graph() -> None:
    import json

    view = fixture_view("coverage")
    data = json.loads(render(view, "json", "nb"))
    back = nx.node_link_graph(data, edges="links")
    assert set(back.edges()) == set(view.edges())
    assert back.nodes["https://w3id.org/samhandling/behov/10.10"]["label"] == "10.10 Behov en"


MERMAID_NODE = re.compile(r'^\s*(n\d+)(?:\[\[|\[\(|\(\[|\{\{|\[)"(.*)"(?:\]\]|\)\]|\]\)|\}\}|\])$')
MERMAID_EDGE = re.compile(r"^\s*(n\d+) --> (n\d+)$")


def parse_mermaid(text: str) -> tuple[dict[str, str], set[tuple[str, str]]]:
    labels: dict[str, str] = {}
    edges: set[tuple[str, str]] = set()
    for line in text.splitlines():
        if match := MERMAID_NODE.match(line):
            labels[match.group(1)] = match.group(2).replace("#quot;", '"')
        elif match := MERMAID_EDGE.match(line):
            edges.add((match.group(1), match.group(2)))
    return labels, edges


@pytest.mark.parametrize("name", ["services", "forms", "programme"])
def test_mermaid_lines_parse_to_the_same_edges(name: str) -> None:
    view = seed_view(name)
    text = render(view, "mermaid", "nb").decode()
    assert text.splitlines()[3] == "flowchart TB"
    labels, edges = parse_mermaid(text)
    assert len(labels) == len(view)
    assert {(labels[a], labels[b]) for a, b in edges} == {
        (node_text(view, a, "nb"), node_text(view, b, "nb")) for a, b in view.edges()}


@pytest.mark.needs_dot
def test_labels_with_quotes_and_brackets_survive_every_text_format() -> None:
    view = nx.DiGraph(view="services", title_nb="T", title_en="T")
    strange = 'Plan "A" <b> & {c}'
    for node, label, group in (("x", strange, 1), ("y", "Other", 2)):
        view.add_node(node, kind="service", id=node, label_nb=label, label_en=label,
                      group=group, group_label_nb="G", group_label_en="G", maturity="G",
                      iri=node, cls="", code="", maturity_label_nb="", maturity_label_en="",
                      context=False)
    view.add_edge("x", "y", relation="reuses")
    assert strange in node_texts(render(view, "svg", "nb")).values()
    labels, edges = parse_mermaid(render(view, "mermaid", "nb").decode())
    assert strange.replace("&", "#amp;").replace("<", "#lt;").replace(">", "#gt;") in \
        labels.values()
    assert len(edges) == 1
    assert nx.read_graphml(io.BytesIO(render(view, "graphml", "nb"))).nodes["x"]["label"] == \
        strange


@pytest.mark.needs_dot
def test_pptx_picture_is_one_slide_with_one_picture_the_title_and_the_legend() -> None:
    """``--pptx-picture``: the Graphviz PNG (native shapes are tests/test_pptx_diagram.py)."""
    presentation = Presentation(io.BytesIO(
        output_format("pptx").write(seed_view("services"), "en", picture=True)))
    assert (presentation.slide_width, presentation.slide_height) == (12192000, 6858000)  # 16:9
    slides = presentation.slides
    assert len(slides) == 1
    slide = slides[0]
    pictures = [s for s in slide.shapes if s.shape_type == 13]
    assert len(pictures) == 1
    assert slide.shapes.title.text.startswith("Reuse between the information services")
    texts = {s.text_frame.text for s in slide.shapes if s.has_text_frame}
    assert {"Main group", "Maturity 2023:", "red: new, after 2023"} <= texts



@pytest.mark.needs_dot
def test_layout_is_the_drawing_as_a_value_for_other_writers() -> None:
    """Slides and ArchiMate views draw from the layout: every node of the view with its box
    and label lines, every edge with its route, every main group's frame round its members."""
    view = seed_view("services")
    placed = layout(view, DotOptions(lang="en"))
    assert [p.node for p in placed.nodes] == sorted(view)
    assert {(e.source, e.target) for e in placed.edges} == set(view.edges())
    assert 0 < placed.scale <= 1.0 and placed.title is not None and placed.legend is not None
    for node in placed.nodes:
        box = node.box
        assert box.left >= 0 and box.left + box.width <= placed.width + 1e-6
        assert box.top >= 0 and box.top + box.height <= placed.height + 1e-6
        assert " ".join(node.lines) == node_text(view, node.node, "en")
    groups = {int(d["group"]) for _, d in view.nodes(data=True)}
    assert {f.key for f in placed.frames} == {f"group{g}" for g in groups}
    for frame in placed.frames:
        assert frame.members and frame.lines[0].startswith(frame.key.removeprefix("group"))
        for member in frame.members:
            x, y = placed.node(member).box.centre
            assert frame.box.left < x < frame.box.left + frame.box.width
            assert frame.box.top < y < frame.box.top + frame.box.height
    for edge in placed.edges:
        assert len(edge.points) % 3 == 1 and edge.arrow is not None



def test_layout_reads_graphviz_json_in_inches_from_the_top_left() -> None:
    """Points with y up become inches with y down; anchors and invisible edges are left out."""
    data = {
        "bb": "0,0,216,108", "size": "1.5,1.5",
        "objects": [
            {"_gvid": 0, "name": "cluster_group1", "bb": "0,18,144,108", "nodes": [1],
             "_ldraw_": [{"op": "F", "size": 14.0}, {"op": "T", "text": "1 Group"}]},
            {"_gvid": 1, "name": "n0", "pos": "72,54", "width": "1", "height": "0.5",
             "_ldraw_": [{"op": "F", "size": 14.0}, {"op": "T", "text": "Plan"}]},
            {"_gvid": 2, "name": "n1", "pos": "180,54", "width": "0.5", "height": "0.5"},
            {"_gvid": 3, "name": "anchor0", "pos": "0,0", "width": "0.01", "height": "0.01"},
        ],
        "edges": [{"tail": 1, "head": 2, "pos": "e,162,54 108,54 126,54 144,54 155,54"},
                  {"tail": 1, "head": 2, "style": "invis", "pos": "108,54 126,54 144,54 155,54"}],
    }
    placed = Layout.from_graphviz_json(data, {"a": "n0", "b": "n1"})
    assert (placed.width, placed.height, placed.scale) == (3.0, 1.5, 0.5)
    assert placed.node("a").box == Rect(0.5, 0.5, 1.0, 0.5)
    assert placed.node("a").lines == ("Plan",) and placed.node("a").fontsize == 14.0
    assert [n.node for n in placed.nodes] == ["a", "b"]
    (edge,) = placed.edges
    assert (edge.source, edge.target, edge.arrow) == ("a", "b", (2.25, 0.75))
    assert edge.points[0] == (1.5, 0.75)
    (frame,) = placed.frames
    assert (frame.key, frame.box, frame.lines, frame.members) == \
        ("group1", Rect(0.0, 0.0, 2.0, 1.25), ("1 Group",), ("a",))
    assert placed.title is None and placed.legend is None


# -- registry ------------------------------------------------------------------------------------

def test_format_registry_names_aliases_and_extensions() -> None:
    assert list(FORMATS) == ["svg", "png", "pdf", "dot", "graphml", "mermaid", "pptx", "json"]
    assert output_format("mmd").name == "mermaid"
    assert format_from_path(__import__("pathlib").Path("slide.PPTX")).name == "pptx"
    with pytest.raises(UsageError, match="unknown format 'gif'; valid formats: svg, png"):
        output_format("gif")
