"""``graph VIEW --format pptx`` draws native PowerPoint shapes (issue 16), read back with
python-pptx: every service is a shape holding its label, every edge a connector whose ends
are glued (``stCxn``/``endCxn``) to the shapes of its two services, with an arrowhead; no
picture unless ``--pptx-picture``; labels at 12 pt or more; the same bytes every run; a view
too large for a slide is aggregated to main groups with one note on stderr."""

from __future__ import annotations

import io
import zipfile
from functools import cache
from pathlib import Path

import pytest
import yaml
from pptx import Presentation
from pptx.util import Emu

from samhandling.render.layout import Rect
from samhandling.render.pptx_diagram import MIN_LABEL_PT, diagram_layout

from .support import MODEL_DIR, run_cli

pytestmark = pytest.mark.needs_dot
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
#: The seed's services, read from the frozen fixture.
SERVICES = {lang: sorted(r[f"label_{lang}"] for r in
                         yaml.safe_load((MODEL_DIR / "tjenester.yaml").read_text("utf-8")))
            for lang in ("nb", "en")}
REUSE = yaml.safe_load((MODEL_DIR / "gjenbruk.yaml").read_text("utf-8"))


@cache
def slide_file(*args: str) -> bytes:
    """What ``samhandling graph ARGS -o slide.pptx`` writes (one run per argument list)."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "slide.pptx"
        result = run_cli("graph", *args, str(MODEL_DIR), "-o", str(out))
        assert result.exit_code == 0, result.stderr
        return out.read_bytes()


def shapes_of(data: bytes):
    presentation = Presentation(io.BytesIO(data))
    assert len(presentation.slides) == 1
    return presentation, list(presentation.slides[0].shapes)


def node_shapes(shapes) -> dict[int, object]:
    return {s.shape_id: s for s in shapes if s.name.startswith("node ")}


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_every_service_is_a_shape_with_its_label_and_nothing_is_a_picture(lang: str) -> None:
    presentation, shapes = shapes_of(slide_file("services", "--lang", lang))
    assert (presentation.slide_width, presentation.slide_height) == (12192000, 6858000)
    nodes = node_shapes(shapes)
    labels = sorted(" ".join(s.text_frame.text.split()) for s in nodes.values())
    assert labels == SERVICES[lang]
    assert all(s.shape_type == 1 for s in nodes.values())  # auto-shapes
    assert not [s for s in shapes if s.shape_type == 13]  # no picture
    texts = {s.text_frame.text for s in shapes if s.has_text_frame}
    assert {"Hovedgruppe" if lang == "nb" else "Main group"} <= texts  # the legend


def test_connectors_are_glued_to_the_shapes_of_the_services_they_join() -> None:
    _, shapes = shapes_of(slide_file("services", "--lang", "en"))
    nodes = node_shapes(shapes)
    label_of = {i: " ".join(s.text_frame.text.split()) for i, s in nodes.items()}
    connectors = [s for s in shapes if s.shape_type == 23 or s.name.startswith("edge ")]
    joined = set()
    for connector in connectors:
        xml = connector._element
        start = xml.find(f".//{A}stCxn")
        end = xml.find(f".//{A}endCxn")
        assert start is not None and end is not None, connector.name
        assert int(start.get("id")) in nodes and int(end.get("id")) in nodes
        tail = xml.find(f".//{A}ln/{A}tailEnd")
        assert tail is not None and tail.get("type") == "triangle"
        joined.add((label_of[int(start.get("id"))], label_of[int(end.get("id"))]))
    # The fixture's reuse table, by label: who reuses whom.
    services = {r["id"]: r["label_en"] for r in
                yaml.safe_load((MODEL_DIR / "tjenester.yaml").read_text("utf-8"))}
    expected = {(services[r["service"]], services[r["reuses"]]) for r in REUSE}
    assert joined == expected


def test_labels_are_readable_and_arrows_have_room_between_boxes() -> None:
    _, shapes = shapes_of(slide_file("services", "--lang", "nb"))
    for shape in node_shapes(shapes).values():
        for paragraph in shape.text_frame.paragraphs:
            for run in paragraph.runs:
                assert run.font.size.pt >= MIN_LABEL_PT, shape.name
    for connector in (s for s in shapes if s.name.startswith("edge ")):
        length = Emu(int((connector.width ** 2 + connector.height ** 2) ** 0.5)).inches
        assert length >= 0.15, connector.name  # room for the arrowhead, at least


def test_the_drawing_stays_on_the_slide() -> None:
    presentation, shapes = shapes_of(slide_file("services", "--focus", "Plan"))
    for shape in shapes:
        assert shape.left >= 0 and shape.top >= 0, shape.name
        assert shape.left + shape.width <= presentation.slide_width, shape.name
        assert shape.top + shape.height <= presentation.slide_height, shape.name


def test_a_focus_view_fills_the_slide_area() -> None:
    """Two boxes once filled 40 % of the slide: the native drawing is scaled to the area."""
    _, shapes = shapes_of(slide_file("services", "--focus", "Plan", "--depth", "2"))
    parts = [s for s in shapes if s.name.startswith(("node ", "frame "))]
    left = min(s.left for s in parts)
    right = max(s.left + s.width for s in parts)
    top = min(s.top for s in parts)
    bottom = max(s.top + s.height for s in parts)
    width, height = Emu(right - left).inches, Emu(bottom - top).inches
    assert width >= 0.9 * 13.0 or height >= 0.9 * 6.0 or \
        all(s.text_frame.paragraphs[0].runs[0].font.size.pt >= 27 for s in parts
            if s.name.startswith("node "))


def test_group_frame_titles_take_at_most_two_lines() -> None:
    from samhandling.analysis import model_graphs, view_graph
    from samhandling.build import load_model

    graphs = model_graphs(load_model(MODEL_DIR))
    for focus in ("Plan", "Bestilling og svar (lab)"):
        view = view_graph(graphs, "services", focus=focus, depth=1)
        placed = diagram_layout(view, "nb", (13.0, 6.0))
        assert placed.frames
        for frame in placed.frames:
            assert 1 <= len(frame.lines) <= 2, frame.lines


def test_the_same_view_gives_the_same_bytes_with_fixed_dates() -> None:
    first = slide_file("services", "--lang", "en")
    slide_file.cache_clear()
    assert slide_file("services", "--lang", "en") == first
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = package.read("docProps/core.xml").decode()
    assert "2000-01-01T00:00:00Z" in core


def test_pptx_picture_places_the_png_instead() -> None:
    _, shapes = shapes_of(slide_file("services", "--pptx-picture"))
    assert len([s for s in shapes if s.shape_type == 13]) == 1
    assert not node_shapes(shapes)


@pytest.fixture(scope="module")
def large_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    model = tmp_path_factory.mktemp("large") / "model"
    result = run_cli("synth", "--services", "160", "--needs", "160", "--actors", "10", "-o",
                     str(model))
    assert result.exit_code == 0, result.stderr
    return model


def test_a_view_too_large_for_a_slide_is_aggregated_and_says_so(large_model: Path,
                                                                 tmp_path: Path) -> None:
    out = tmp_path / "large.pptx"
    result = run_cli("graph", "services", str(large_model), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    notes = [line for line in result.stderr.splitlines() if line.startswith("note:")]
    assert len(notes) == 1 and "160 nodes" in notes[0] and "--no-aggregate" in notes[0]
    _, shapes = shapes_of(out.read_bytes())
    nodes = node_shapes(shapes)
    assert 1 < len(nodes) <= 8  # main groups (and at most one box without a group)
    assert all("(" in s.text_frame.text for s in nodes.values())  # "... (23 tjenester)"
    weights = [int(s.text_frame.text) for s in shapes if s.name.startswith("weight ")]
    assert weights and all(w > 1 for w in weights)
    full = tmp_path / "full.pptx"
    result = run_cli("graph", "services", str(large_model), "-o", str(full), "--no-aggregate")
    assert result.exit_code == 0, result.stderr
    # forced whole: every node drawn, and the one line now only says the labels are small
    assert "drawn as" not in result.stderr and "below 12 pt" in result.stderr
    assert len(node_shapes(shapes_of(full.read_bytes())[1])) == 160


def test_rect_centre_is_the_middle() -> None:
    assert Rect(1, 2, 4, 2).centre == (3, 3)


@pytest.mark.needs_dot
def test_a_zoomable_picture_merges_only_past_the_node_limit(tmp_path: Path) -> None:
    """The 12 pt rule is the slide's: 60 services fit no slide at 12 pt, yet an SVG of them
    (which a reader zooms) keeps every service; the same view as pptx is merged."""
    model = tmp_path / "model"
    made = run_cli("synth", "--services", "60", "--needs", "60", "--actors", "10", "-o",
                   str(model))
    assert made.exit_code == 0, made.stderr
    svg = run_cli("graph", "services", str(model), "-o", str(tmp_path / "s.svg"))
    assert svg.exit_code == 0 and "note:" not in svg.stderr, svg.stderr
    assert "(svg, 60 nodes" in svg.stderr
    slide = run_cli("graph", "services", str(model), "-o", str(tmp_path / "s.pptx"))
    assert slide.exit_code == 0 and "note:" in slide.stderr, slide.stderr


@pytest.mark.needs_dot
def test_a_view_that_must_stay_whole_says_its_labels_are_small_and_how_to_narrow_it(
        tmp_path: Path) -> None:
    """Only the services view merges into main groups (the others would lose the chain they
    show): a whole actors slide below 12 pt says so in one line, and --group gives a part
    that fits without the line; a zoomable SVG needs no such line."""
    whole = run_cli("graph", "actors", str(MODEL_DIR), "-o", str(tmp_path / "a.pptx"))
    assert whole.exit_code == 0, whole.stderr
    notes = [line for line in whole.stderr.splitlines() if line.startswith("note:")]
    assert len(notes) == 1 and "below 12 pt" in notes[0] and "--group" in notes[0], notes
    drawn = len(node_shapes(shapes_of((tmp_path / "a.pptx").read_bytes())[1]))
    svg = run_cli("graph", "actors", str(MODEL_DIR), "-o", str(tmp_path / "a.svg"))
    assert svg.exit_code == 0 and "note:" not in svg.stderr
    assert f"(svg, {drawn} nodes" in svg.stderr  # kept whole: every node a shape
    part = run_cli("graph", "actors", str(MODEL_DIR), "--group", "1", "-o",
                   str(tmp_path / "a1.pptx"))
    assert part.exit_code == 0 and "note:" not in part.stderr, part.stderr
