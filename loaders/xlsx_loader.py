"""XLSX sources: one workbook, one sheet per kind (sheet name = kind), same columns as CSV."""

from __future__ import annotations

import zipfile
from pathlib import Path

from samhandling.errors import Problem

from .base import SourceReader, SourceResult, register
from .csv_loader import rows_to_records


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@register
class XlsxReader(SourceReader):
    extensions = (".xlsx",)

    def read(self, path: Path, display: str) -> SourceResult:
        from openpyxl import load_workbook  # heavy: imported only when a workbook is read

        result = SourceResult()
        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            result.problems.append(Problem(display, None, f"malformed XLSX: {exc}"))
            return result
        try:
            for sheet in workbook.worksheets:
                rows = [(index, [_text(v) for v in row])
                        for index, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
                if not rows:
                    continue
                records, problems = rows_to_records(sheet.title, display, rows[0][1], rows[1:],
                                                    sheet=sheet.title)
                # Trailing empty header cells are common in spreadsheets; drop them quietly.
                result.records.extend(records)
                result.problems.extend(problems)
        finally:
            workbook.close()
        return result
