"""Property-based fuzzing of the YAML, CSV and XLSX readers (Hypothesis).

Two kinds of property, for each reader:

- **never crash**: whatever bytes a file holds, the reader returns records and problems
  (never raises), and every problem names the file and a line that exists;
- **round trip**: values written by the format's usual writer (PyYAML, :mod:`csv`, openpyxl)
  come back exactly as the text they were (modulo the documented strip of outer spaces).

The suite runs the ``brief`` profile (a few dozen examples each, a few seconds in all). For
a long run select another profile by environment variable::

    SAMHANDLING_FUZZ=long .venv/bin/python -m pytest tests/test_fuzz_readers.py

(``long``: 2,000 examples a test, several minutes.) The profiles are applied per test, not
loaded globally, so other test modules keep Hypothesis' defaults.
"""

from __future__ import annotations

import csv
import functools
import io
import math
import os
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samhandling.loaders import SourceResult
from samhandling.loaders.csv_loader import CsvReader
from samhandling.loaders.xlsx_loader import XlsxReader
from samhandling.loaders.yaml_loader import YamlReader
from samhandling.spreadsheet import escape_cell

settings.register_profile(
    "brief", max_examples=25, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "long", max_examples=2000, deadline=None,
    suppress_health_check=[HealthCheck.too_slow])
#: The profile in force: ``SAMHANDLING_FUZZ=long`` for a long run.
FUZZ = settings.get_profile(os.environ.get("SAMHANDLING_FUZZ", "brief"))

#: Text a cell may hold: any character but surrogates and C0/C1 controls other than tab
#: and line breaks (XML, and so XLSX, cannot hold those at all).
CELL_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters=(
    "".join(chr(c) for c in range(32) if c not in (9, 10, 13))
    + "".join(chr(c) for c in range(0x7f, 0xa0)) + "\ufffe\uffff")), max_size=40)
IDS = st.from_regex(r"[a-z0-9][a-z0-9._-]{0,12}", fullmatch=True)


@contextmanager
def written(name: str, content: bytes) -> Iterator[tuple[Path, str]]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        yield path, str(path)


def assert_sane(result: SourceResult, display: str, content: bytes) -> None:
    """Problems name the file and, when they give a line, one within the file."""
    lines = len(content.splitlines()) + 1  # \r is a line break to the CSV reader too
    for problem in result.problems:
        assert problem.file == display
        assert problem.line is None or 1 <= problem.line <= lines, problem


# -- YAML -------------------------------------------------------------------------------------
YAML_ATOMS = st.sampled_from([
    "- ", "  ", "id: ", "label_nb: ", "[", "]", ", ", "'", '"', "|", ">-", "#", ":", "\n",
    "&a ", "*a", "!!str ", "{", "}", "? ", "\t", "\\", "x", "ø", "null", "~", "--- ", "...",
])


@FUZZ
@given(st.one_of(st.binary(max_size=300),
                 st.lists(YAML_ATOMS, max_size=60).map(lambda a: "".join(a).encode())))
def test_yaml_reader_never_raises(content: bytes) -> None:
    with written("tjenester.yaml", content) as (path, display):
        result = YamlReader().read(path, display)
    assert_sane(result, display, content)


@FUZZ
@given(st.lists(st.tuples(IDS, CELL_TEXT, st.lists(CELL_TEXT, max_size=3)), max_size=6))
def test_yaml_values_come_back_as_written(rows: list[tuple[str, str, list[str]]]) -> None:
    records = [{"id": i, "label_nb": label, "alt_label_nb": alts} for i, label, alts in rows]
    content = yaml.safe_dump(records, allow_unicode=True, sort_keys=False).encode()
    with written("tjenester.yaml", content) as (path, display):
        result = YamlReader().read(path, display)
    assert not result.problems, result.problems
    assert [(r.id, [c.value for c in r.cells["label_nb"]],
             [c.value for c in r.cells["alt_label_nb"]]) for r in result.records] == \
        [(i, [label], alts) for i, label, alts in rows]


# -- CSV --------------------------------------------------------------------------------------
@FUZZ
@given(st.one_of(st.binary(max_size=300),
                 st.lists(st.sampled_from(['"', ",", "\n", "\r", "a", "ø", "'", "=", ";", " ",
                                           "id", "label_nb"]), max_size=60)
                 .map(lambda a: "".join(a).encode())))
def test_csv_reader_never_raises(content: bytes) -> None:
    with written("samhandlingsformer.csv", content) as (path, display):
        result = CsvReader().read(path, display)
    assert_sane(result, display, content)


@FUZZ
@given(st.lists(st.tuples(IDS, CELL_TEXT, CELL_TEXT), min_size=1, max_size=6))
def test_csv_values_come_back_as_written(rows: list[tuple[str, str, str]]) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["id", "label_nb", "label_en"])
    writer.writerows([escape_cell(v) for v in row] for row in rows)
    content = buffer.getvalue().encode()
    with written("samhandlingsformer.csv", content) as (path, display):
        result = CsvReader().read(path, display)
    assert not result.problems, result.problems
    expected = [{"id": [i], "label_nb": [a.strip()] if a.strip() else [],
                 "label_en": [b.strip()] if b.strip() else []} for i, a, b in rows]
    assert [{k: [c.value for c in v] for k, v in r.cells.items()} for r in result.records] == \
        expected


# -- XLSX -------------------------------------------------------------------------------------
XLSX_VALUES = st.one_of(CELL_TEXT, st.booleans(), st.integers(-10**12, 10**12),
                        st.floats(allow_nan=False, allow_infinity=False, width=32))


def _expected_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return str(value)


def _workbook(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "samhandlingsformer"
    sheet.append(["id", "label_nb", "label_en"])
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # a text starting with '=' stays text (as the export)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@FUZZ
@given(st.lists(st.tuples(IDS, XLSX_VALUES, XLSX_VALUES), min_size=1, max_size=5))
def test_xlsx_values_come_back_as_written(rows: list[tuple[str, object, object]]) -> None:
    content = _workbook([list(row) for row in rows])
    with written("former.xlsx", content) as (path, display):
        result = XlsxReader().read(path, display)
    assert not result.problems, result.problems
    got = [[c.value for name in ("id", "label_nb", "label_en") for c in r.cells.get(name, [])]
           for r in result.records]
    want = [[t for t in (_expected_text(v).strip() for v in row) if t]
            for row in rows if any(_expected_text(v).strip() for v in row)]
    for g, w, row in zip(got, want, rows, strict=True):
        assert len(g) == len(w)
        for value, text, original in zip(g, w, [v for v in row if _expected_text(v).strip()],
                                         strict=True):
            if isinstance(original, float) and not isinstance(original, bool):
                # openpyxl writes 16 significant digits: compare to that precision
                assert math.isclose(float(value), original, rel_tol=1e-15, abs_tol=1e-300)
            else:
                assert value == text


@functools.cache
def _base_workbook() -> bytes:
    """Made once: openpyxl stamps the time into each workbook, and Hypothesis needs the same
    bytes (so the same draws) every time it replays an example."""
    return _workbook([["a", "Navn", "Name"], ["b", 1.5, True]])


@FUZZ
@given(st.data())
def test_xlsx_reader_never_raises_on_damaged_workbooks(data: st.DataObject) -> None:
    """A valid workbook with bytes flipped, cut short, or one part replaced by noise."""
    content = bytearray(_base_workbook())
    how = data.draw(st.sampled_from(["flip", "cut", "part"]))
    if how == "flip":
        for _ in range(data.draw(st.integers(1, 8))):
            content[data.draw(st.integers(0, len(content) - 1))] ^= data.draw(st.integers(1, 255))
    elif how == "cut":
        content = content[:data.draw(st.integers(0, len(content)))]
    else:
        source = zipfile.ZipFile(io.BytesIO(bytes(content)))
        names = source.namelist()
        victim = data.draw(st.sampled_from(names))
        noise = data.draw(st.one_of(
            st.binary(max_size=200),
            st.lists(st.sampled_from(["<", ">", "/", "row", "c", " r=", '"A1"', ' t="s"', "v",
                                      "1", "<!DOCTYPE x>", "&a;", "<?xml?>"]), max_size=40)
            .map(lambda a: "".join(a).encode())))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for name in names:
                archive.writestr(name, noise if name == victim else source.read(name))
        content = bytearray(buffer.getvalue())
    with written("former.xlsx", bytes(content)) as (path, display):
        result = XlsxReader().read(path, display)
    for problem in result.problems:
        assert problem.file == display


@FUZZ
@given(st.lists(st.tuples(IDS, CELL_TEXT, st.booleans()), min_size=1, max_size=5))
def test_xlsx_shared_strings_come_back_as_written(rows: list[tuple[str, str, bool]]) -> None:
    """Excel writes text as indexes into ``sharedStrings.xml`` (openpyxl writes inline
    strings, so the test above never meets one); some as rich-text runs."""
    from xml.sax.saxutils import escape

    from tests.hostile import _SHEET_NS, sheet_xml, workbook

    strings, cells = [], []
    for number, (record_id, label, rich) in enumerate(rows, start=2):
        def escape_xml(value: str) -> str:  # a bare CR would be read as LF (XML 2.11)
            return escape(value, {"\r": "&#13;"})

        half = len(label) // 2
        item = (f'<r><t xml:space="preserve">{escape_xml(label[:half])}</t></r>'
                f'<r><rPr><b/></rPr><t xml:space="preserve">{escape_xml(label[half:])}</t></r>'
                "<rPh><t>phonetic</t></rPh>" if rich else
                f'<t xml:space="preserve">{escape_xml(label)}</t>')
        strings.append(f"<si>{item}</si>")
        cells.append(f'<row r="{number}"><c r="A{number}" t="inlineStr"><is><t>{record_id}</t>'
                     f'</is></c><c r="C{number}" t="s"><v>{len(strings) - 1}</v></c></row>')
    shared = f'<?xml version="1.0"?><sst xmlns="{_SHEET_NS}">{"".join(strings)}</sst>'
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "former.xlsx"
        workbook(sheet_xml(cells), parts={"xl/sharedStrings.xml": shared})(path)
        result = XlsxReader().read(path, str(path))
    assert not result.problems, result.problems
    got = [(r.id, [c.value for c in r.cells.get("label_nb", [])]) for r in result.records]
    assert got == [(i, [label.strip()] if label.strip() else []) for i, label, _ in rows]
