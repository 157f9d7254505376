"""CSV sources: a header row of column names, one record per row; ``;`` separates values.

A value of a relation or value column may carry its own qualifiers in braces after it, the
tabular spelling of YAML's per-value form: ``endre-og-dele {source: lag, interpretation: true}``
(``,`` between qualifiers; repeat a key for several values: ``{source: lag, source: vg}``). In
a free-text column only braces whose every key is a qualifier count; other text stays text.
XLSX cells are read by the same rules (:func:`rows_to_records`).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from samhandling.errors import Problem
from samhandling.schema import KINDS_BY_NAME, QUALIFIABLE_TYPES, QUALIFIERS_BY_NAME
from samhandling.spreadsheet import unescape_cell

from .base import (
    Cell,
    Record,
    SourceReader,
    SourceResult,
    check_records,
    kind_of,
    lift_qualifiers,
    qualified,
    read_text,
    register,
)
from .limits import current as current_limits

MULTI_SEPARATOR = ";"
QUALIFIER_NAMES = frozenset(QUALIFIERS_BY_NAME)


def split_cell(value: str, line: int | None) -> list[Cell]:
    """Split a tabular cell on ``;`` into cells, dropping empties."""
    return [Cell(part.strip(), line) for part in value.split(MULTI_SEPARATOR) if part.strip()]


def _cells(kind: str, column: str, value: str, line: int | None) -> list[Cell]:
    """Only multi-valued columns are split on ``;`` (free text may contain one); only values
    of columns that make statements (not free text) are read for ``{...}`` qualifiers."""
    spec = KINDS_BY_NAME.get(kind)
    col = spec.column(column) if spec else None
    if col is not None and col.multi:
        cells = split_cell(value, line)
    else:
        cells = [Cell(value.strip(), line)] if value.strip() else []
    if col is not None and col.type in QUALIFIABLE_TYPES:
        strict = col.type != "text"
        cells = [_qualified(cell, strict) if cell.value.endswith("}") else cell
                 for cell in cells]
    return cells


def _qualified(cell: Cell, strict: bool = True) -> Cell:
    """``value {key: v, key: v}`` as a cell with qualifiers; a malformed brace part becomes
    the qualifier ``""`` holding the text, which the build reports. In a free-text column
    (``strict`` False) a text that merely ends in braces stays text unless every key is a
    qualifier's name."""
    text, line = cell
    start = text.find("{")
    value, inner = text[:start].strip(), text[start + 1:-1]
    qualifiers: dict[str, list[Cell]] = {}
    if start <= 0 or not value or "{" in inner or "}" in inner:
        if not strict:
            return cell
        return qualified(text if start <= 0 else value, line, {"": [Cell(text, line)]})
    for part in inner.split(","):
        key, colon, item = part.partition(":")
        if not part.strip():
            continue
        if not colon or not key.strip() or not item.strip():
            qualifiers.setdefault("", []).append(Cell(part.strip(), line))
            continue
        qualifiers.setdefault(key.strip(), []).append(Cell(item.strip(), line))
    if not strict and (not qualifiers or not set(qualifiers) <= QUALIFIER_NAMES):
        return cell
    return qualified(value, line, qualifiers)


def rows_to_records(kind: str, display: str, header: list[str],
                    rows: list[tuple[int, list[str]]], sheet: str | None = None,
                    ) -> tuple[list[Record], list[Problem]]:
    """Shared by CSV and XLSX: turn a header and numbered rows into records."""
    records: list[Record] = []
    problems: list[Problem] = []
    names = [h.strip() for h in header]
    while names and not names[-1]:
        names.pop()
    seen: set[str] = set()
    for name in names:
        if name and name in seen:
            problems.append(Problem(display, rows[0][0] - 1 if rows else 1,
                                    f"column '{name}' appears twice in the header", sheet))
        seen.add(name)
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        record = Record(kind=kind, file=display, line=line, sheet=sheet)
        row = list(row)
        while len(row) > len(names) and not row[-1].strip():
            row.pop()
        if len(row) > len(names):
            problems.append(record.problem(
                f"row has {len(row)} cells but the header has {len(names)} columns"))
            continue
        for name, value in zip(names, row, strict=False):
            if not name:
                if value.strip():
                    problems.append(record.problem("value in a column without a header"))
                continue
            record.cells[name] = _cells(kind, name, value, line)
        if any("}" in value for value in row):  # a qualified value: rare, checked cheaply
            lift_qualifiers(record)
        records.append(record)
    return records, problems


@register
class CsvReader(SourceReader):
    extensions = (".csv",)

    def read(self, path: Path, display: str) -> SourceResult:
        result = SourceResult()
        text = read_text(path, display, result)
        if text is None:
            return result
        limits = current_limits()
        # The csv module's own bound (128 KiB a field by default) is process-wide: set it to
        # ours, so a long cell is refused by the same rule, and with the same words, as in
        # YAML and XLSX.
        csv.field_size_limit(min(limits.cell_size, 2**31 - 1))
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        numbered: list[tuple[int, list[str]]] = []
        try:
            while True:
                start = reader.line_num + 1
                try:
                    row = next(reader)
                except StopIteration:
                    break
                # Undo the export's formula escape ('=... -> =...), see samhandling.spreadsheet.
                numbered.append((start, [unescape_cell(cell) for cell in row]))
                if len(numbered) > limits.records + 1:  # stop reading: the header is no record
                    result.problems.append(Problem(
                        display, None, f"the file has more than {limits.records:,} records "
                        "(set SAMHANDLING_MAX_RECORDS to raise it)"))
                    return result
        except csv.Error as exc:
            message = f"malformed CSV: {exc}"
            if "field limit" in str(exc):
                message = (f"a cell is over the limit of {limits.cell_size:,} characters "
                           "(set SAMHANDLING_MAX_CELL_SIZE to raise it)")
            result.problems.append(Problem(display, reader.line_num, message))
            return result
        if not numbered:
            return result
        header = numbered[0][1]
        records, problems = rows_to_records(kind_of(path), display, header, numbered[1:])
        result.records.extend(records)
        result.problems.extend(problems)
        check_records(result, display, len(text), limits)
        return result
