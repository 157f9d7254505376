"""Explicit bounds on what one source file may hold, so a huge or hostile file is refused with
one line instead of exhausting memory (a ``MemoryError`` traceback) or time.

Each limit has a default well above the national model (``synth --size 1m``: 20 MB of YAML
for a million triples, the largest file 12 MB with 57,000 records, no cell longer than a few
KB) and below what a 2 GB address space can build (a 50 MB file of 375,000 records is ~1.9M
triples), and is overridden by an environment variable, read at every file so a test or a CI
job can set it for one run:

==================================  ==========  =======================================
variable                            default     bounds
==================================  ==========  =======================================
``SAMHANDLING_MAX_FILE_SIZE``       32M         bytes of one source file
``SAMHANDLING_MAX_CELL_SIZE``       1M          characters of one cell, value or literal
``SAMHANDLING_MAX_RECORDS``         200000      records (rows, list items) of one file
``SAMHANDLING_MAX_XLSX_MEMBERS``    1000        parts in one workbook archive
``SAMHANDLING_MAX_XLSX_SIZE``       256M        uncompressed bytes of one workbook
``SAMHANDLING_MAX_XLSX_RATIO``      200         uncompressed/compressed size of a part
==================================  ==========  =======================================

Sizes take a ``K``, ``M`` or ``G`` suffix (powers of 1024); ``0`` means no limit.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from samhandling.errors import UsageError

_DEFAULTS = {
    "SAMHANDLING_MAX_FILE_SIZE": "32M",
    "SAMHANDLING_MAX_CELL_SIZE": "1M",
    "SAMHANDLING_MAX_RECORDS": "200000",
    "SAMHANDLING_MAX_XLSX_MEMBERS": "1000",
    "SAMHANDLING_MAX_XLSX_SIZE": "256M",
    "SAMHANDLING_MAX_XLSX_RATIO": "200",
}
_SIZE = re.compile(r"\s*([0-9]+)\s*([KMG]?)i?B?\s*", re.IGNORECASE)
_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
#: What "no limit" (``0``) becomes: larger than anything a machine can hold.
UNLIMITED = 1 << 62


@dataclass(frozen=True)
class Limits:
    """The bounds in force for one file (see the module docstring)."""

    file_size: int
    cell_size: int
    records: int
    xlsx_members: int
    xlsx_size: int
    xlsx_ratio: int


def _value(name: str) -> int:
    raw = os.environ.get(name, "") or _DEFAULTS[name]
    match = _SIZE.fullmatch(raw)
    if match is None:
        raise UsageError(f"{name}={raw!r}: expected a number, optionally with K, M or G")
    number = int(match.group(1)) * _UNITS[match.group(2).upper()]
    return number or UNLIMITED


def current() -> Limits:
    """The limits as the environment sets them now (raises :class:`UsageError` on a bad
    value: a typo in a limit must not quietly mean "no limit")."""
    return Limits(*(_value(name) for name in _DEFAULTS))


def human(size: int) -> str:
    """A byte count as the README and the env vars write it (``64 MiB``)."""
    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    return f"{size} bytes"


def too_large(what: str, size: int, limit: int, variable: str, unit: str = "bytes") -> str:
    """The one message every limit breach uses: what, how big, the limit, how to raise it."""
    return (f"{what} is {size:,} {unit}, over the limit of {limit:,} {unit} "
            f"(set {variable} to raise it)")
