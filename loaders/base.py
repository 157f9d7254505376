"""The small shared base of every loader: records, cells and the reader registry.

A reader turns one file into :class:`Record` objects (tabular formats) or triples
(RDF passthrough), and reports problems instead of raising, so a build can list every problem
of every file in one run.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from rdflib import Graph

from samhandling.errors import Problem

from .limits import UNLIMITED, Limits, too_large
from .limits import current as current_limits


class Cell(NamedTuple):
    """One raw value with the place it was read from.

    A named tuple rather than a frozen dataclass: a national-size model has a million cells,
    and a tuple is made in a fifth of the time (readers on a hot path make it with
    ``tuple.__new__(Cell, (value, line))``, which skips even the Python-level ``__new__``).
    """

    value: str
    line: int | None


class QualifiedCell(Cell):
    """A value written in the per-value form (``{id: lag, source: seed:32}``), carrying its
    qualifiers while a reader collects it; :func:`lift_qualifiers` moves them to the record and
    leaves a plain :class:`Cell`, so nothing after the reader sees this class."""

    qualifiers: dict[str, list[Cell]]


#: column name -> index of a value in ``Record.cells[column]`` -> qualifier name -> its cells
Qualifiers = dict[str, dict[int, dict[str, list[Cell]]]]


@dataclass
class Record:
    """One row/mapping of a tabular source: kind, id, raw cells, and where it stands.

    ``qualifiers`` holds what single values say about themselves in the per-value form
    (their own source, interpretation flag or status); None for the usual record, which has
    none, so the build checks one attribute per record, not one per cell."""

    kind: str
    file: str
    line: int | None
    cells: dict[str, list[Cell]] = field(default_factory=dict)
    sheet: str | None = None
    qualifiers: Qualifiers | None = None

    @property
    def id(self) -> str | None:
        cells = self.cells.get("id")
        return cells[0].value if cells else None

    def problem(self, message: str, line: int | None = None) -> Problem:
        return Problem(self.file, line if line is not None else self.line, message, self.sheet)


@dataclass
class SourceResult:
    """What a reader got from one file: records or triples, and the problems it met."""

    records: list[Record] = field(default_factory=list)
    graph: Graph | None = None
    #: For passthrough RDF: subject IRI -> line where it first appears.
    subject_lines: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


class SourceReader:
    """Base of every reader. Subclasses set ``extensions`` and implement :meth:`read`."""

    extensions: tuple[str, ...] = ()

    def read(self, path: Path, display: str) -> SourceResult:  # pragma: no cover - abstract
        raise NotImplementedError


def qualified(value: str, line: int | None, qualifiers: dict[str, list[Cell]]) -> Cell:
    """A cell that carries qualifiers until :func:`lift_qualifiers` moves them."""
    cell = QualifiedCell(value, line)
    cell.qualifiers = qualifiers
    return cell


def lift_qualifiers(record: Record) -> None:
    """Move the qualifiers of any :class:`QualifiedCell` of ``record`` to
    ``record.qualifiers``, leaving plain cells in their place."""
    for name, cells in record.cells.items():
        for index, cell in enumerate(cells):
            if isinstance(cell, QualifiedCell):
                if record.qualifiers is None:
                    record.qualifiers = {}
                record.qualifiers.setdefault(name, {})[index] = cell.qualifiers
                cells[index] = Cell(cell.value, cell.line)


def decode_utf8(data: bytes, display: str) -> tuple[str | None, Problem | None]:
    """Decode strictly as UTF-8; on failure name the line of the first bad byte."""
    try:
        text = codecs.decode(data, "utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, Problem(display, line,
                             f"not UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded; "
                             "save the file as UTF-8")
    return text, None


def kind_of(path: Path) -> str:
    """The kind a tabular file holds: its name up to the first dot (``tjenester.2.csv``)."""
    return path.name.split(".", 1)[0]


LOADERS: dict[str, type[SourceReader]] = {}


def read_bytes(path: Path, display: str, result: SourceResult,
               limits: Limits | None = None) -> bytes | None:
    """The file's bytes; None, with the problem added to ``result``, when it is larger than
    the file-size limit (checked before reading: a 200 MB file is never loaded whole) or
    cannot be read."""
    limits = limits or current_limits()
    try:
        size = path.stat().st_size
        if size > limits.file_size:
            result.problems.append(Problem(display, None, too_large(
                "the file", size, limits.file_size, "SAMHANDLING_MAX_FILE_SIZE")))
            return None
        with path.open("rb") as handle:
            # at most one byte over the limit: the file may grow while we read
            data = handle.read() if limits.file_size >= UNLIMITED else \
                handle.read(limits.file_size + 1)
    except OSError as exc:
        result.problems.append(Problem(display, None, f"cannot read: {exc.strerror or exc}"))
        return None
    if len(data) > limits.file_size:
        result.problems.append(Problem(display, None, too_large(
            "the file", len(data), limits.file_size, "SAMHANDLING_MAX_FILE_SIZE")))
        return None
    return data


def read_text(path: Path, display: str, result: SourceResult) -> str | None:
    """The file as text; None, with the problem added to ``result``, when it is too large or
    not UTF-8."""
    data = read_bytes(path, display, result)
    if data is None:
        return None
    text, problem = decode_utf8(data, display)
    if problem:
        result.problems.append(problem)
    return text


def check_records(result: SourceResult, display: str, size: int,
                  limits: Limits | None = None) -> None:
    """Enforce the record-count and cell-size limits on what a tabular reader read.

    A breach drops every record of the file (a file is taken whole or not at all) and adds
    one problem for the count, or one per oversized cell. Cells are only walked when the
    file (``size`` characters or bytes) is larger than the cell limit: a smaller file
    cannot hold a larger cell, so the usual model file pays nothing."""
    limits = limits or current_limits()
    if len(result.records) > limits.records:
        result.problems.append(Problem(display, None, too_large(
            "the file", len(result.records), limits.records, "SAMHANDLING_MAX_RECORDS",
            unit="records")))
        result.records = []
        return
    if size <= limits.cell_size:
        return
    bad = [record.problem(too_large(f"the value of column '{name}'", len(cell.value),
                                    limits.cell_size, "SAMHANDLING_MAX_CELL_SIZE",
                                    unit="characters"), cell.line)
           for record in result.records for name, cells in record.cells.items()
           for cell in cells if len(cell.value) > limits.cell_size]
    if bad:
        result.problems.extend(bad)
        result.records = []


def register(cls: type[SourceReader]) -> type[SourceReader]:
    for ext in cls.extensions:
        LOADERS[ext] = cls
    return cls


def reader_for(path: Path) -> Callable[[Path, str], SourceResult] | None:
    """The read function for a file by its extension, or None when no loader takes it."""
    # Import the format modules so they register themselves.
    from . import csv_loader, rdf_loader, xlsx_loader, yaml_loader  # noqa: F401

    cls = LOADERS.get(path.suffix.lower())
    return cls().read if cls else None
