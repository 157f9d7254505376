"""``samhandling slides`` (issue 16): the deck read back with python-pptx, rendered once with
LibreOffice (every slide renders, no text leaves its slide), a template's layouts used, bad
input refused in one line with nothing written, and the command run from the installed wheel.
"""

from __future__ import annotations

import io
import math
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml
from pptx import Presentation
from pptx.util import Emu

from samhandling.render.fonts import text_width
from samhandling.slides import SLIDES

from .installed import installed, user_folder
from .support import MODEL_DIR, run_cli

pytestmark = pytest.mark.needs_dot
SERVICES = {lang: sorted(r[f"label_{lang}"] for r in
                         yaml.safe_load((MODEL_DIR / "tjenester.yaml").read_text("utf-8")))
            for lang in ("nb", "en")}
GROUPS = yaml.safe_load((MODEL_DIR / "hovedgrupper.yaml").read_text("utf-8"))
QUESTIONS = [r for r in yaml.safe_load((MODEL_DIR / "prosjektpunkter.yaml").read_text("utf-8"))
             if r["type"] == "apent-sporsmal"]
SOFFICE_TIMEOUT = 180


@pytest.fixture(scope="module")
def decks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The deck in both languages, as the CLI writes it (English with two impact slides)."""
    folder = tmp_path_factory.mktemp("decks")
    made = {}
    for lang, extra in (("en", ["--impact", "Clinical summary", "--impact", "plan"]),
                        ("nb", [])):
        out = folder / f"deck-{lang}.pptx"
        result = run_cli("slides", str(MODEL_DIR), "-o", str(out), "--lang", lang, *extra)
        assert result.exit_code == 0, result.stderr
        assert result.stderr == f"wrote {out}\n"
        made[lang] = out
    return made


def texts(slide) -> list[str]:
    found = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            found.append(" ".join(shape.text_frame.text.split()))
        if shape.has_table:
            found += [" ".join(c.text.split()) for row in shape.table.rows for c in row.cells]
    return found


def titles(deck: Path) -> list[str]:
    return [s.shapes.title.text for s in Presentation(str(deck)).slides]


def test_the_deck_has_every_slide_of_the_table_in_order(decks: dict[str, Path]) -> None:
    shown = titles(decks["en"])
    assert shown[0] == "Target picture for holistic collaboration"
    # a diagram's title says what an arrow means after the title
    assert shown[1].startswith("The target picture: reuse between the information services")
    assert "(A → B: A reuses B)" in shown[1]
    groups = [t.split("   (")[0] for t in shown if t.startswith("Main group ")]
    assert groups == [f"Main group {g['number']} {g['label_en']}" for g in GROUPS]
    expected_order = ["Coverage of information needs", "Actors and scenarios",
                      "Collaboration forms", "The programme and the step-2 packages",
                      "Impact if “Clinical summary” is delayed", "Impact if “Plan” is delayed",
                      "Maturity 2023", "Open questions"]
    positions = [next(i for i, t in enumerate(shown) if t.startswith(e)) for e in expected_order]
    assert positions == sorted(positions)
    assert len(SLIDES) == 10


def test_norwegian_deck_is_norwegian_and_picks_an_impact(decks: dict[str, Path]) -> None:
    shown = titles(decks["nb"])
    assert shown[0] == "Målbilde for helhetlig samhandling"
    assert "Dekning av informasjonsbehov" in shown and "Åpne spørsmål" in shown
    impacts = [t for t in shown if t.startswith("Konsekvens om")]
    assert len(impacts) == 1  # no --impact: the service most others depend on
    notes = [s.notes_slide.notes_text_frame.text for s in Presentation(str(decks["nb"])).slides]
    assert all("Kilder: " in n for n in notes)


def test_the_overview_is_native_shapes_holding_all_26_services(decks: dict[str, Path]) -> None:
    for lang, deck in decks.items():
        overview = Presentation(str(deck)).slides[1]
        nodes = [s for s in overview.shapes if s.name.startswith("node ")]
        assert sorted(" ".join(s.text_frame.text.split()) for s in nodes) == SERVICES[lang]
        assert not [s for slide in Presentation(str(deck)).slides for s in slide.shapes
                    if s.shape_type == 13]  # no picture anywhere
        ids = {s.shape_id for s in nodes}
        connectors = [s for s in overview.shapes if s.name.startswith("edge ")]
        assert connectors
        for connector in connectors:
            xml = connector._element.xml
            start = re.search(r'<a:stCxn id="(\d+)"', xml)
            end = re.search(r'<a:endCxn id="(\d+)"', xml)
            assert start and end and {int(start[1]), int(end[1])} <= ids


def test_speaker_notes_name_the_source_pages(decks: dict[str, Path]) -> None:
    slides = Presentation(str(decks["en"])).slides
    notes = {s.shapes.title.text: s.notes_slide.notes_text_frame.text for s in slides}
    overview = next(v for k, v in notes.items() if k.startswith("The target picture"))
    assert "Sources: " in overview and "SEED page 32" in overview
    questions = next(v for k, v in notes.items() if k.startswith("Open questions"))
    assert "SEED page 23" in questions


def test_content_comes_from_the_model(decks: dict[str, Path]) -> None:
    slides = list(Presentation(str(decks["en"])).slides)
    everything = " ".join(t for s in slides for t in texts(s))
    for question in QUESTIONS:
        assert " ".join(question["label_en"].split()) in everything
    impact = next(s for s in slides if s.shapes.title.text.startswith("Impact if “Plan”"))
    rows = [t for t in texts(impact)]
    assert "Services that reuse it" in rows and "Clinical summary" in " ".join(rows)


def _lines(text: str, size: float, width: float) -> int:
    return sum(max(1, math.ceil(text_width(part, size) * 1.05 / max(width, 0.1)))
               for part in text.split("\n"))


def test_no_shape_leaves_its_slide_and_text_fits_its_box(decks: dict[str, Path]) -> None:
    for deck in decks.values():
        presentation = Presentation(str(deck))
        width, height = presentation.slide_width, presentation.slide_height
        for number, slide in enumerate(presentation.slides, start=1):
            for shape in slide.shapes:
                where = f"slide {number}: {shape.name}"
                assert shape.left >= 0 and shape.top >= 0, where
                assert shape.left + shape.width <= width, where
                if not shape.has_table:
                    assert shape.top + shape.height <= height, where
                    continue
                # A table grows with its text: estimate each row from its widest cell.
                columns = [Emu(c.width).inches for c in shape.table.columns]
                total = 0.0
                for row in shape.table.rows:
                    tallest = 0.0
                    for cell, w in zip(row.cells, columns, strict=True):
                        runs = [r for p in cell.text_frame.paragraphs for r in p.runs]
                        size = runs[0].font.size.pt if runs else 12.0
                        assert size >= 12.0, where
                        bold = bool(runs and runs[0].font.bold)
                        for word in cell.text.split():  # no word broken inside
                            assert text_width(word, size, bold=bold) <= w - 0.2 + 0.01, word
                        tallest = max(tallest, _lines(cell.text, size, w - 0.2) * size * 1.2
                                      / 72 + 0.1)
                    total += tallest
                assert Emu(shape.top).inches + total <= Emu(height).inches, where


def test_the_same_model_gives_the_same_deck(tmp_path: Path, decks: dict[str, Path]) -> None:
    again = tmp_path / "again.pptx"
    result = run_cli("slides", str(MODEL_DIR), "-o", str(again), "--lang", "nb")
    assert result.exit_code == 0, result.stderr
    assert again.read_bytes() == decks["nb"].read_bytes()
    with zipfile.ZipFile(again) as package:
        assert {i.date_time for i in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}


# -- LibreOffice: one render of the English deck ----------------------------------------------

@pytest.fixture(scope="module")
def rendered(decks: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The English deck as PDF and one PNG per page, by LibreOffice (private profile, time
    limit) and pdftoppm."""
    folder = tmp_path_factory.mktemp("rendered")
    profile = folder / "profile"
    subprocess.run([shutil.which("soffice") or "soffice", f"-env:UserInstallation=file://"
                    f"{profile}", "--headless", "--convert-to", "pdf", "--outdir", str(folder),
                    str(decks["en"])], capture_output=True, timeout=SOFFICE_TIMEOUT, check=True,
                   env={**os.environ, "HOME": str(folder)})
    pdf = folder / "deck-en.pdf"
    assert pdf.is_file()
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(folder / "page")],
                   capture_output=True, timeout=120, check=True)
    return pdf


@pytest.mark.needs_soffice
def test_libreoffice_renders_every_slide(rendered: Path, decks: dict[str, Path]) -> None:
    from PIL import Image

    count = len(Presentation(str(decks["en"])).slides)
    pages = sorted(rendered.parent.glob("page-*.png"))
    assert len(pages) == count
    for page in pages:
        with Image.open(page) as image:
            colours = image.convert("L").getextrema()
            assert colours[0] < 128, page.name  # something dark drawn: not a blank page


@pytest.mark.needs_soffice
def test_no_rendered_text_falls_off_a_slide(rendered: Path) -> None:
    proc = subprocess.run(["pdftotext", "-bbox", str(rendered), "-"], capture_output=True,
                          text=True, timeout=120, check=True)
    pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', proc.stdout,
                       re.S)
    assert pages
    words = 0
    for width, height, body in pages:
        for box in re.finditer(r'xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" '
                               r'yMax="([-\d.]+)"', body):
            x0, y0, x1, y1 = map(float, box.groups())
            words += 1
            assert x0 >= 0 and y0 >= 0, box.group(0)
            assert x1 <= float(width) + 0.5 and y1 <= float(height) + 0.5, box.group(0)
    assert words > 500


# -- templates ----------------------------------------------------------------------------------

def _template(path: Path) -> Path:
    """A 4:3 .potx whose title-only layout has a name of its own and which holds one slide."""
    presentation = Presentation()
    layout = presentation.slide_layouts[5]
    layout._element.cSld.set("name", "Org title only")
    slide = presentation.slides.add_slide(presentation.slide_layouts[1])
    slide.shapes.title.text = "TEMPLATE SLIDE"
    buffer = io.BytesIO()
    presentation.save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            blob = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                blob = blob.replace(b"presentationml.presentation.main+xml",
                                    b"presentationml.template.main+xml")
            target.writestr(info, blob)
    return path


def test_a_template_gives_its_size_and_layouts_and_none_of_its_slides(tmp_path: Path) -> None:
    template = _template(tmp_path / "org.potx")
    out = tmp_path / "deck.pptx"
    result = run_cli("slides", str(MODEL_DIR), "-o", str(out), "--template", str(template))
    assert result.exit_code == 0, result.stderr
    deck = Presentation(str(out))
    assert (deck.slide_width, deck.slide_height) == (9144000, 6858000)  # the template's 4:3
    assert "Org title only" in {s.slide_layout.name for s in deck.slides}
    assert "TEMPLATE SLIDE" not in [s.shapes.title.text for s in deck.slides]
    for slide in deck.slides:
        for shape in slide.shapes:
            assert shape.left + shape.width <= deck.slide_width, shape.name


# -- bad input ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "message"), [
    (["--impact", "Klinsk oppsumering"],
     "error: unknown service 'Klinsk oppsumering' (did you mean 'Klinisk oppsummering'?)\n"),
    (["--template", "{bad}"],
     "error: {bad}: not a PowerPoint presentation or template (.pptx, .potx)\n"),
])
def test_bad_input_is_one_line_exit_2_and_nothing_written(tmp_path: Path, args: list[str],
                                                         message: str) -> None:
    bad = tmp_path / "notes.potx"
    bad.write_text("just text", encoding="utf-8")
    out = tmp_path / "deck.pptx"
    args = [a.replace("{bad}", str(bad)) for a in args]
    result = run_cli("slides", str(MODEL_DIR), "-o", str(out), *args)
    assert (result.exit_code, result.stderr, result.stdout) == \
        (2, message.replace("{bad}", str(bad)), "")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.potx"]


def test_output_in_a_missing_folder_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "missing" / "deck.pptx"
    result = run_cli("slides", str(MODEL_DIR), "-o", str(out))
    assert (result.exit_code, result.stderr) == \
        (2, f"error: {out}: output folder {out.parent} does not exist\n")
    assert not out.parent.exists()


# -- the installed wheel --------------------------------------------------------------------------

@pytest.mark.xdist_group("installed")
def test_installed_wheel_writes_the_deck_and_a_native_slide() -> None:
    inst = installed("wheel")
    here = user_folder("slides")
    shutil.copytree(MODEL_DIR, here / "model")
    proc = inst.run("slides", "model", "-o", "deck.pptx", "--lang", "en", cwd=here)
    assert proc.returncode == 0, proc.stderr
    deck = Presentation(str(here / "deck.pptx"))
    assert deck.slides[0].shapes.title.text == "Target picture for holistic collaboration"
    proc = inst.run("graph", "services", "model", "--format", "pptx", "-o", "services.pptx",
                    cwd=here)
    assert proc.returncode == 0, proc.stderr
    slide = Presentation(str(here / "services.pptx")).slides[0]
    labels = sorted(" ".join(s.text_frame.text.split()) for s in slide.shapes
                    if s.name.startswith("node "))
    assert labels == SERVICES["nb"]
