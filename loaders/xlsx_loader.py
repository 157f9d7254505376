"""XLSX sources: one workbook, one sheet per kind (sheet name = kind), same columns as CSV.

Read with the standard library's ``zipfile`` and ``defusedxml``, not openpyxl, because a
workbook is an archive of XML written by whoever sent it, and openpyxl trusted it in ways a
model build must not:

- the **archive** is checked before any part is read: number of parts, total uncompressed
  size and each part's compression ratio (a zip bomb in ``sharedStrings.xml``), see
  :mod:`.limits`;
- **every XML part** is parsed with DTDs refused (billion laughs, ``file://`` and
  ``http://`` external entities in ``workbook.xml``, ``docProps/core.xml`` or
  ``[Content_Types].xml``), whether this reader needs the part or not;
- **nothing is dropped quietly**: rows and columns beyond the sheet's declared
  ``<dimension>`` are read (openpyxl's read-only mode stopped at it, so a row with a bad id
  was accepted unseen); a sheet whose worksheet part is missing, a formula cell without a
  cached value, an error cell (``#REF!``), a bad cell reference, a number cell that is not a
  number and a shared-string index out of range are each refused with the sheet and row.

Cells read as their text: numbers as written by a spreadsheet (``1.0`` -> ``1``), booleans
as ``true``/``false``, date-formatted numbers as ISO dates.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring, iterparse

from samhandling.errors import Problem

from .base import SourceReader, SourceResult, check_records, register
from .csv_loader import rows_to_records
from .limits import Limits, too_large
from .limits import current as current_limits

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CELL_REF = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,6})")
#: Excel's limits: 16,384 columns (XFD), 1,048,576 rows.
_MAX_COLUMN = 16_384
_MAX_ROW = 1_048_576
_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
#: Built-in number formats that show a date (ECMA-376 18.8.30).
_DATE_FORMATS = frozenset({14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47})
_DATE_CODE = re.compile(r"[dmyhs]", re.IGNORECASE)
_XML_PARTS = (".xml", ".rels", ".vml")


class _Refused(Exception):
    """The workbook cannot be read; ``problem`` says where and why."""

    def __init__(self, message: str, sheet: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.sheet = sheet
        self.line = line


@register
class XlsxReader(SourceReader):
    extensions = (".xlsx",)

    def read(self, path: Path, display: str) -> SourceResult:
        result = SourceResult()
        limits = current_limits()
        try:
            size = path.stat().st_size
        except OSError as exc:
            result.problems.append(Problem(display, None, f"cannot read: {exc.strerror or exc}"))
            return result
        if size > limits.file_size:
            result.problems.append(Problem(display, None, too_large(
                "the file", size, limits.file_size, "SAMHANDLING_MAX_FILE_SIZE")))
            return result
        try:
            with zipfile.ZipFile(path) as archive:
                _Workbook(archive, display, limits, result).read()
        except _Refused as exc:
            if exc.line is None and exc.sheet is not None:  # no row to point at: say the sheet
                result.problems.append(Problem(display, None,
                                               f"sheet '{exc.sheet}': {exc.message}"))
            else:
                result.problems.append(Problem(display, exc.line, exc.message, exc.sheet))
            result.records = []
        except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError,
                RuntimeError, NotImplementedError) as exc:
            # zlib.error: a damaged deflate stream; RuntimeError: an encrypted part;
            # NotImplementedError: an unknown compression method
            result.problems.append(Problem(display, None, f"malformed XLSX: {exc}"))
            result.records = []
        # cells were checked against the size limit as they were read: only count records
        check_records(result, display, 0, limits)
        return result


class _Workbook:
    def __init__(self, archive: zipfile.ZipFile, display: str, limits: Limits,
                 result: SourceResult) -> None:
        self.archive = archive
        self.display = display
        self.limits = limits
        self.result = result
        self.strings: list[str] = []
        self.date_styles: set[int] = set()
        self.date1904 = False

    # -- the archive ---------------------------------------------------------------------
    def _check_archive(self) -> dict[str, zipfile.ZipInfo]:
        """Refuse a workbook whose archive could exhaust memory, before reading any part."""
        infos = self.archive.infolist()
        limits = self.limits
        if len(infos) > limits.xlsx_members:
            raise _Refused(too_large("the workbook archive", len(infos), limits.xlsx_members,
                                     "SAMHANDLING_MAX_XLSX_MEMBERS", unit="parts"))
        total = sum(info.file_size for info in infos)
        if total > limits.xlsx_size:
            raise _Refused(too_large("the workbook, uncompressed,", total, limits.xlsx_size,
                                     "SAMHANDLING_MAX_XLSX_SIZE"))
        for info in infos:
            # small parts may compress well (a sheet of empty rows); judge the big ones
            if info.file_size > (1 << 20) and \
                    info.file_size > limits.xlsx_ratio * max(info.compress_size, 1):
                raise _Refused(f"part {info.filename} expands {info.file_size:,} bytes from "
                               f"{info.compress_size:,} (a ratio over "
                               f"{limits.xlsx_ratio}; set SAMHANDLING_MAX_XLSX_RATIO to "
                               "raise it): refused as a possible zip bomb")
        return {info.filename: info for info in infos}

    def _open(self, name: str) -> IO[bytes]:
        """A part, reading at most the size its header declares (zipfile enforces that and
        the CRC), so a header that lies about the size cannot make it read more."""
        return self.archive.open(name)

    def _parse(self, name: str) -> Element:
        """A small part (workbook, relationships, styles) as a tree."""
        try:
            with self._open(name) as handle:
                return fromstring(handle.read(), forbid_dtd=True)
        except DefusedXmlException as exc:
            raise _Refused(f"part {name}: refused: {type(exc).__name__} (DTDs and entities "
                           "are not allowed in a workbook)") from None
        except ParseError as exc:
            raise _Refused(f"part {name}: malformed XML: {exc}") from None

    def _stream(self, name: str, tag: str | None = None) -> Iterator[Element]:
        """The ``tag`` elements of a part (none for a plain check), parsed incrementally with
        DTDs refused; each element is dropped once handled, so a part of any size takes
        memory only for what is kept from it."""
        try:
            with self._open(name) as handle:
                depth = 0
                root: Element | None = None
                for event, element in iterparse(handle, events=("start", "end"),
                                                forbid_dtd=True):
                    if event == "start":
                        if root is None:
                            root = element
                        depth += 1
                        continue
                    depth -= 1
                    if tag is None:
                        element.clear()
                    elif element.tag == tag:  # its children (<t> runs) are read with it
                        yield element
                        element.clear()
                    if depth == 1 and root is not None:
                        root.clear()
        except DefusedXmlException as exc:
            raise _Refused(f"part {name}: refused: {type(exc).__name__} (DTDs and entities "
                           "are not allowed in a workbook)") from None
        except ParseError as exc:
            raise _Refused(f"part {name}: malformed XML: {exc}") from None

    # -- the workbook ------------------------------------------------------------------
    def read(self) -> None:
        parts = self._check_archive()
        for name in parts:
            # Every XML part is parsed with DTDs refused, even parts this reader needs
            # nothing from (docProps/core.xml, [Content_Types].xml, themes): an entity
            # attack anywhere in the file refuses it the same way. Worksheets are parsed
            # (incrementally) when read.
            if name.lower().endswith(_XML_PARTS) and not name.startswith("xl/worksheets/") \
                    and name != "xl/sharedStrings.xml":
                for _element in self._stream(name):
                    pass
        if "xl/workbook.xml" not in parts:
            raise _Refused("malformed XLSX: no xl/workbook.xml part")
        workbook = self._parse("xl/workbook.xml")
        properties = workbook.find(f"{_MAIN}workbookPr")
        self.date1904 = properties is not None and \
            properties.get("date1904", "0").lower() in ("1", "true")
        targets = self._relationships("xl/_rels/workbook.xml.rels", parts)
        if "xl/sharedStrings.xml" in parts:
            self.strings = self._shared_strings("xl/sharedStrings.xml")
        if "xl/styles.xml" in parts:
            self.date_styles = _date_styles(self._parse("xl/styles.xml"))
        for sheet in workbook.iter(f"{_MAIN}sheet"):
            title = sheet.get("name") or ""
            target = targets.get(sheet.get(f"{_REL}id") or "")
            if target is None or target not in parts:
                raise _Refused(f"its worksheet part {target or '(no relationship)'} is "
                               "missing from the workbook", sheet=title)
            self._read_sheet(title, target)

    def _relationships(self, name: str, parts: dict[str, zipfile.ZipInfo]) -> dict[str, str]:
        """Relationship id -> the part it points at, as a name in the archive."""
        if name not in parts:
            raise _Refused(f"malformed XLSX: no {name} part")
        targets = {}
        for rel in self._parse(name).iter(f"{_PKG_REL}Relationship"):
            target = rel.get("Target") or ""
            if target.startswith("/"):
                path = target.lstrip("/")
            else:
                path = posixpath.normpath(posixpath.join("xl", target))
            targets[rel.get("Id") or ""] = path
        return targets

    def _shared_strings(self, part: str) -> list[str]:
        strings: list[str] = []
        limit = self.limits.cell_size
        for item in self._stream(part, f"{_MAIN}si"):
            text = _inline_text(item)
            if len(text) > limit:
                raise _Refused(too_large(f"shared string {len(strings)}", len(text), limit,
                                         "SAMHANDLING_MAX_CELL_SIZE", unit="characters"))
            strings.append(text)
        return strings

    # -- a sheet -----------------------------------------------------------------------
    def _read_sheet(self, title: str, part: str) -> None:
        rows: list[tuple[int, list[str]]] = []
        problems: list[Problem] = []
        try:
            for number, row in self._rows(title, part, problems):
                rows.append((number, row))
                if len(rows) > self.limits.records + 1:
                    raise _Refused(f"more than {self.limits.records:,} records (set "
                                   "SAMHANDLING_MAX_RECORDS to raise it)", sheet=title)
        except DefusedXmlException as exc:
            raise _Refused(f"part {part}: refused: {type(exc).__name__} (DTDs and entities "
                           "are not allowed in a workbook)", sheet=title) from None
        except ParseError as exc:
            raise _Refused(f"part {part}: malformed XML: {exc}", sheet=title) from None
        self.result.problems.extend(problems)
        rows = [(n, r) for n, r in rows if any(cell.strip() for cell in r)]
        if not rows or problems:
            return
        records, found = rows_to_records(title, self.display, rows[0][1], rows[1:],
                                         sheet=title)
        self.result.records.extend(records)
        self.result.problems.extend(found)

    def _rows(self, title: str, part: str,
              problems: list[Problem]) -> Iterator[tuple[int, list[str]]]:
        """(row number, cell texts) of each ``<row>``, every cell read whatever the sheet's
        ``<dimension>`` says."""
        with self._open(part) as handle:
            last_row = 0
            for _event, element in iterparse(handle, events=("end",), forbid_dtd=True):
                if element.tag != f"{_MAIN}row":
                    continue
                number = last_row + 1
                declared = element.get("r")
                if declared is not None:
                    if not declared.isdigit() or not 0 < int(declared) <= _MAX_ROW:
                        raise _Refused(f"bad row number r=\"{_short(declared)}\"", title,
                                       last_row + 1)
                    number = int(declared)
                last_row = number
                yield number, self._cells(element, title, number, problems)
                element.clear()

    def _cells(self, row: Element, title: str, number: int,
               problems: list[Problem]) -> list[str]:
        values: dict[int, str] = {}
        column = 0
        for cell in row.iter(f"{_MAIN}c"):
            ref = cell.get("r")
            if ref is None:
                column += 1
            else:
                match = _CELL_REF.fullmatch(ref)
                if match is None or int(match.group(2)) != number:
                    problems.append(Problem(self.display, number,
                                            f"bad cell reference '{_short(ref)}' in row {number}",
                                            title))
                    continue
                column = _column_number(match.group(1))
                if column > _MAX_COLUMN:
                    problems.append(Problem(self.display, number,
                                            f"bad cell reference '{ref}': beyond column XFD",
                                            title))
                    continue
            text = self._value(cell, title, number, ref or f"column {column}", problems)
            if text is not None:
                values[column] = text
        if not values:
            return []
        width = max(values)
        return [values.get(i, "") for i in range(1, width + 1)]

    def _value(self, cell: Element, title: str, number: int, ref: str,
               problems: list[Problem]) -> str | None:
        kind = cell.get("t", "n")
        value = cell.find(f"{_MAIN}v")
        raw = value.text if value is not None else None
        formula = cell.find(f"{_MAIN}f")

        def bad(message: str) -> None:
            problems.append(Problem(self.display, number, f"cell {ref}: {message}", title))

        if kind == "inlineStr":
            inline = cell.find(f"{_MAIN}is")
            text = _inline_text(inline) if inline is not None else ""
        elif raw is None or (raw == "" and kind != "str"):
            if formula is not None:
                bad("a formula without a cached value: open the workbook in a spreadsheet "
                    "program and save it, or type the value")
            return None
        elif kind == "s":
            if not raw.strip().isdigit() or int(raw) >= len(self.strings):
                bad(f"shared string index {_short(raw)} is out of range (the workbook has "
                    f"{len(self.strings)})")
                return None
            text = self.strings[int(raw)]
        elif kind == "str":
            text = raw
        elif kind == "b":
            if raw.strip() not in ("0", "1"):
                bad(f"'{_short(raw)}' is not a boolean (0 or 1)")
                return None
            text = "true" if raw.strip() == "1" else "false"
        elif kind == "e":
            bad(f"an error value ({_short(raw)})")
            return None
        elif kind == "n":
            if not _NUMBER.fullmatch(raw.strip()):
                bad(f"'{_short(raw)}' is not a number")
                return None
            style = cell.get("s")
            if style and style.isdigit() and int(style) in self.date_styles:
                date = self._date(raw.strip())
                if date is None:
                    bad(f"'{_short(raw)}' is not a date")
                    return None
                text = date
            else:
                text = _number_text(raw.strip())
        elif kind == "d":
            text = raw.strip()
        else:
            bad(f"unknown cell type t=\"{_short(kind)}\"")
            return None
        if len(text) > self.limits.cell_size:
            bad(too_large("the value", len(text), self.limits.cell_size,
                          "SAMHANDLING_MAX_CELL_SIZE", unit="characters"))
            return None
        return text

    def _date(self, raw: str) -> str | None:
        """An Excel serial date as ISO text (a time of day only when there is one)."""
        try:
            serial = float(raw)
            epoch = dt.datetime(1904, 1, 1) if self.date1904 else dt.datetime(1899, 12, 30)
            moment = epoch + dt.timedelta(days=serial)
        except (ValueError, OverflowError):
            return None
        if moment.time() == dt.time():
            return moment.date().isoformat()
        return moment.isoformat(timespec="seconds")


def _inline_text(element: Element) -> str:
    """The text of a string item: its ``<t>``, or the ``<t>`` of each rich-text run
    (``<r>``); phonetic runs (``<rPh>``) are not part of the value."""
    runs = element.findall(f"{_MAIN}t") + element.findall(f"{_MAIN}r/{_MAIN}t")
    return "".join(t.text or "" for t in runs)


def _date_styles(styles: Element) -> set[int]:
    """Indexes of the cell formats (``cellXfs``) that show a number as a date."""
    custom = {}
    for fmt in styles.iter(f"{_MAIN}numFmt"):
        code = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", fmt.get("formatCode") or "")
        if (fmt.get("numFmtId") or "").isdigit():
            custom[int(fmt.get("numFmtId") or 0)] = bool(_DATE_CODE.search(code))
    found = set()
    xfs = styles.find(f"{_MAIN}cellXfs")
    for index, xf in enumerate(xfs.iter(f"{_MAIN}xf") if xfs is not None else ()):
        fmt_id = xf.get("numFmtId") or "0"
        if fmt_id.isdigit() and (int(fmt_id) in _DATE_FORMATS or custom.get(int(fmt_id))):
            found.add(index)
    return found


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _number_text(raw: str) -> str:
    """A number cell as a spreadsheet shows it: whole numbers without ``.0``."""
    if re.fullmatch(r"[+-]?[0-9]+", raw):
        return str(int(raw))
    number = float(raw)
    if number.is_integer() and abs(number) < 1e16:
        return str(int(number))
    return str(number)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit - 3] + "..."
