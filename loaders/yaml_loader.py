"""YAML sources: a file is a list of records, each a mapping of column -> value or list.

Scalars are kept as the text written (no YAML type guessing), so a need code such as
``05.20`` never turns into the float 5.2.

A value may also be written in the per-value form, a mapping of the value (``id`` or
``value``) and what it says about itself: ``preferred_form: [{id: endre-og-dele, source:
lag}]`` or ``built_by: {id: norsk-helsenett, status: planlagt}``. The reader keeps the value
as a cell and hands the rest to the build as the record's qualifiers (which keys are allowed
is the build's business: :data:`samhandling.schema.QUALIFIERS`). Only libyaml reads this form
(the fast path gives up at the ``{``), so plain files keep their speed.

Two parsers give the same records. A line-based fast path reads the plain subset every model
file is written in (``- key: value`` records, flow lists ``[a, b]``, block lists, quoted
scalars, ``>-``/``|`` block scalars of uniformly indented lines, comments), about 10x faster
than libyaml's composer, which matters for a national-size model (a 1M-triple model is 20 MB
of YAML: ~18 s to compose, ~1.5 s here). Anything outside that subset, including every
malformed file, makes the fast path give up and the whole file goes through libyaml, so
error messages and edge cases are libyaml's. ``tests/test_yaml_fast.py`` checks both parsers
agree wherever the fast path answers.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from samhandling.errors import Problem
from samhandling.schema import VALUE_KEYS

from .base import (
    Cell,
    QualifiedCell,
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
from .limits import too_large

#: libyaml's composer is ~10x faster and keeps the same marks; fall back when it is missing.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: One parsed record: its line and its (key, key line, cells or None for a bad value) pairs;
#: ``None`` instead of the pairs when the item is not a mapping.
Item = tuple[int, list[tuple[str, int, list[Cell] | None]] | None]


@register
class YamlReader(SourceReader):
    extensions = (".yaml", ".yml")

    def read(self, path: Path, display: str) -> SourceResult:
        result = SourceResult()
        text = read_text(path, display, result)
        if text is None:
            return result
        items = fast_items(text)
        composed = items is None
        if items is None:
            items = _composed_items(text, display, result)
            if items is None:
                return result
        limits = current_limits()
        if len(items) > limits.records:  # before a Record is made for each
            result.problems.append(Problem(display, None, too_large(
                "the file", len(items), limits.records, "SAMHANDLING_MAX_RECORDS",
                unit="records")))
            return result
        kind = kind_of(path)
        records = result.records
        for line, pairs in items:
            record = Record(kind=kind, file=display, line=line)
            if pairs is None:
                result.problems.append(record.problem("a record must be a mapping of columns"))
                continue
            read = {key: cells for key, _line, cells in pairs if cells is not None}
            if len(read) == len(pairs):  # the usual case: no column twice, every value read
                record.cells = read
                if composed:
                    lift_qualifiers(record)
                records.append(record)
                continue
            for key, key_line, cells in pairs:
                if key in record.cells:
                    result.problems.append(record.problem(f"column '{key}' given twice", key_line))
                    continue
                if cells is None:
                    result.problems.append(record.problem(
                        f"column '{key}': expected a value or a list of values, each plain or "
                        "in the per-value form {id: ..., source: ...}", key_line))
                    continue
                record.cells[key] = cells
            if composed:
                lift_qualifiers(record)
            result.records.append(record)
        check_records(result, display, len(text), limits)
        return result


# -- libyaml ------------------------------------------------------------------------------------
def composed_items(text: str) -> list[Item]:
    """The items of a well-formed file through libyaml (raises :class:`yaml.YAMLError`)."""
    root = yaml.compose(text, Loader=_LOADER)
    if root is None:
        return []
    if not isinstance(root, yaml.SequenceNode):
        raise _NotAList(root.start_mark.line + 1)
    items: list[Item] = []
    for item in root.value:
        line = item.start_mark.line + 1
        if not isinstance(item, yaml.MappingNode):
            items.append((line, None))
            continue
        items.append((line, [(str(key.value), key.start_mark.line + 1, _cells(value))
                             for key, value in item.value]))
    return items


class _NotAList(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


def _composed_items(text: str, display: str, result: SourceResult) -> list[Item] | None:
    try:
        return composed_items(text)
    except yaml.reader.ReaderError as exc:
        # a character YAML does not allow (NUL, other controls): no mark, only a position
        line = text.count("\n", 0, exc.position) + 1
        character = exc.character if isinstance(exc.character, int) else ord(exc.character)
        result.problems.append(Problem(display, line, f"malformed YAML: character "
                                       f"U+{character:04X} is not allowed ({exc.reason})"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at: int | None = None
        if mark is not None:  # libyaml may mark the end of a stream one line past the last
            at = max(1, min(mark.line + 1, text.count("\n") + 1))
        reason = getattr(exc, "problem", None) or str(exc)
        result.problems.append(Problem(display, at, f"malformed YAML: {reason}"))
    except RecursionError:
        result.problems.append(Problem(display, None, "malformed YAML: nested too deeply"))
    except _NotAList as exc:
        result.problems.append(Problem(
            display, exc.line, "expected a list of records (each starting with '- id: ...')"))
    return None


def _cells(node: yaml.Node) -> list[Cell] | None:
    if isinstance(node, yaml.ScalarNode):
        if node.tag == "tag:yaml.org,2002:null" and node.value in ("", "~", "null"):
            return []
        return [Cell(str(node.value), node.start_mark.line + 1)]
    if isinstance(node, yaml.MappingNode):
        one = _qualified_cell(node)
        return None if one is None else [one]
    if isinstance(node, yaml.SequenceNode):
        cells = []
        for item in node.value:
            if isinstance(item, yaml.MappingNode):
                cell = _qualified_cell(item)
                if cell is None:
                    return None
                cells.append(cell)
                continue
            if not isinstance(item, yaml.ScalarNode):
                return None
            cells.append(Cell(str(item.value), item.start_mark.line + 1))
        return cells
    return None


def _qualified_cell(node: yaml.MappingNode) -> Cell | None:
    """One value in the per-value form: the ``id`` (or ``value``) key is the value, the other
    keys its qualifiers (a scalar or a list of scalars each); None when it has no value, two,
    or a nested value."""
    value: Cell | None = None
    qualifiers: dict[str, list[Cell]] = {}
    for key, item in node.value:
        name = str(key.value)
        if name in VALUE_KEYS:
            if value is not None or not isinstance(item, yaml.ScalarNode):
                return None
            value = Cell(str(item.value), item.start_mark.line + 1)
            continue
        if name in qualifiers or isinstance(item, yaml.MappingNode):
            return None
        cells = _cells(item)
        if cells is None or any(isinstance(cell, QualifiedCell) for cell in cells):
            return None
        qualifiers[name] = cells
    if value is None:
        return None
    return qualified(value.value, value.line, qualifiers)


# -- fast path ----------------------------------------------------------------------------------
#: Characters that end the fast path at once: tabs, CR, YAML's extra line breaks, BOMs and
#: anything libyaml refuses as non-printable.
_UNSAFE = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd"
                     "\U00010000-\U0010ffff]")
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*):(?: +|$)")
_DOUBLE = re.compile(r'"((?:[^"\\]|\\[\\"nt])*)"')
_SINGLE = re.compile(r"'((?:[^']|'')*)'")
_ESCAPES = {"\\\\": "\\", '\\"': '"', "\\n": "\n", "\\t": "\t"}
_ESCAPE = re.compile(r'\\[\\"nt]')
#: Block scalar headers the fast path reads: folded or literal, clipped or stripped.
_BLOCK_HEADER = re.compile(r"([>|])(-?)(?: +#.*)?$")
_START_INDICATORS = frozenset("[]{},#&*!|>'\"%@`?:")
#: The line nearly every line of a model file is: ``- key: plain`` or ``  key: [a, b]`` with
#: plain scalars that need no rule beyond this pattern (a first character that is no
#: indicator, no ``: `` or `` #`` inside, no trailing space). One C-level match instead of the
#: general path's dozen string operations; lines it does not take go the general way.
#: Each written "unrolled" (``a*(?:b a*)*`` for ``(?:a|b)*``): the same strings match, but the
#: common characters run in one tight character-class loop, twice as fast as an alternation a
#: character.
_PLAIN = r"[^\s\-?:,\[\]{}#&*!|>'\"%@`][^:# ]*(?:(?::(?=[^ ])| +(?=[^ #]))[^:# ]*)*"
_FLOW_ITEM = (r"[^\s\-?:,\[\]{}#&*!|>'\"%@`][^:#, \[\]{}]*"
              r"(?:(?::(?=[^ ,\]])| +(?=[^ #,\]]))[^:#, \[\]{}]*)*")
_SIMPLE_LINE = re.compile(
    rf"(- |  )([A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*): +"
    rf"(?:({_PLAIN})|\"([^\"\\]*)\"|\[((?:{_FLOW_ITEM}|\"[^\"\\,]*\")"
    rf"(?:, (?:{_FLOW_ITEM}|\"[^\"\\,]*\"))*)\])")


class _GiveUp(Exception):
    """The text leaves the subset the fast path reads; libyaml takes the whole file."""


def fast_items(text: str) -> list[Item] | None:
    """The items of ``text`` when it keeps to the plain subset, else None (use libyaml)."""
    if _UNSAFE.search(text):
        return None
    try:
        return _FastParser(text.split("\n")).items()
    except _GiveUp:
        return None


class _FastParser:
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.i = 0

    def items(self) -> list[Item]:
        lines = self.lines
        end = len(lines)
        items: list[Item] = []
        pairs: list[tuple[str, int, list[Cell] | None]] | None = None
        simple = _SIMPLE_LINE.fullmatch
        cell = tuple.__new__  # Cell(value, line) without its Python-level __new__
        i = 0  # a local for speed; self.i only while a block value reads on
        while i < end:
            raw = lines[i]
            i += 1
            match = simple(raw)
            if match is not None:
                lead, key, plain, quoted, flow = match.groups()
                if lead == "- ":
                    pairs = []
                    items.append((i, pairs))
                elif pairs is None:
                    raise _GiveUp
                if plain is not None:
                    cells = [] if plain in ("~", "null") else [cell(Cell, (plain, i))]
                elif quoted is not None:
                    cells = [cell(Cell, (quoted, i))]
                else:
                    cells = [cell(Cell, (v[1:-1] if v[0] == '"' else v, i))
                             for v in flow.split(", ")]
                pairs.append((key, i, cells))
                continue
            stripped = raw.lstrip(" ")
            if not stripped or stripped[0] == "#":
                continue
            if raw.startswith("- "):
                pairs = []
                items.append((i, pairs))
                rest = raw[2:]
            elif pairs is not None and raw.startswith("  ") and raw[2] != " ":
                rest = raw[2:]
            else:
                raise _GiveUp
            match = _KEY.match(rest)
            if match is None:
                raise _GiveUp
            self.i = i
            pairs.append((match.group(1), i, self._value(rest[match.end():], i)))
            i = self.i
        return items

    def _value(self, text: str, number: int) -> list[Cell]:
        if not text or text[0] == "#":
            return self._block_list()
        first = text[0]
        if first == "[":
            return _flow_list(text, number)
        if first in "|>":
            return self._block_scalar(text, number)
        value, rest = _scalar(text, in_flow=False)
        if rest:
            raise _GiveUp
        if value is None:
            return []
        return [Cell(value, number)]

    def _block_list(self) -> list[Cell]:
        """An empty value: a null, or a block list on the following lines."""
        cells: list[Cell] = []
        indent: int | None = None
        lines = self.lines
        while self.i < len(lines):
            raw = lines[self.i]
            stripped = raw.lstrip(" ")
            if not stripped or stripped[0] == "#":
                self.i += 1
                continue
            depth = len(raw) - len(stripped)
            if not stripped.startswith("- ") or depth < 2:
                break
            if indent is None:
                indent = depth
            elif depth != indent:
                raise _GiveUp
            if stripped[2:3] in ("", " ", "[", "|", ">", "-"):
                raise _GiveUp
            value, rest = _scalar(stripped[2:], in_flow=False)
            if rest or value is None:
                raise _GiveUp
            cells.append(Cell(value, self.i + 1))
            self.i += 1
        return cells

    def _block_scalar(self, text: str, number: int) -> list[Cell]:
        header = _BLOCK_HEADER.match(text)
        if header is None:
            raise _GiveUp
        style, chomp = header.groups()
        lines = self.lines
        content: list[str] = []
        indent = 0
        while self.i < len(lines):
            raw = lines[self.i]
            stripped = raw.lstrip(" ")
            depth = len(raw) - len(stripped)
            if not stripped:
                break
            if not content:
                if depth <= 2:
                    raise _GiveUp  # empty block scalar
                indent = depth
            elif depth != indent:
                if depth > 2:
                    raise _GiveUp  # more-indented line: folding rules we do not copy
                break
            if raw.endswith(" "):
                raise _GiveUp
            content.append(stripped)
            self.i += 1
        if not content or self.i >= len(lines):
            raise _GiveUp  # content running into the end of the file without a line break
        # blank lines after the content end it only if a less-indented line follows
        ahead = self.i
        while ahead < len(lines) and not lines[ahead].strip(" "):
            ahead += 1
        if ahead < len(lines) and len(lines[ahead]) - len(lines[ahead].lstrip(" ")) > 2:
            raise _GiveUp
        value = (" " if style == ">" else "\n").join(content)
        if chomp != "-":
            value += "\n"
        return [Cell(value, number)]


def _scalar(text: str, in_flow: bool) -> tuple[str | None, str]:
    """One plain or quoted scalar at the start of ``text``: (value or None for null, rest).

    ``rest`` is what follows the scalar with spaces and any comment removed (in flow context
    it starts at the ``,`` or ``]``).
    """
    first = text[0]
    if first == '"':
        match = _DOUBLE.match(text)
        if match is None:
            raise _GiveUp
        value = match.group(1)
        if "\\" in value:
            value = _ESCAPE.sub(lambda m: _ESCAPES[m.group(0)], value)
        return value, _after(text[match.end():], in_flow)
    if first == "'":
        match = _SINGLE.match(text)
        if match is None:
            raise _GiveUp
        return match.group(1).replace("''", "'"), _after(text[match.end():], in_flow)
    if first in _START_INDICATORS or (first == "-" and text[1:2] in ("", " ")):
        raise _GiveUp
    if in_flow:
        end = len(text)
        for stop in (",", "]"):
            found = text.find(stop)
            if found != -1 and found < end:
                end = found
        value, rest = text[:end], text[end:]
        if not rest:
            raise _GiveUp  # no closing bracket on this line
        if any(c in value for c in "[]{}") or " #" in value:
            raise _GiveUp
    else:
        comment = text.find(" #")
        value, rest = (text, "") if comment == -1 else (text[:comment], "")
    value = value.rstrip(" ")
    if ": " in value or value.endswith(":") or not value:
        raise _GiveUp
    if not in_flow and value in ("~", "null"):
        return None, rest
    return value, rest


def _after(text: str, in_flow: bool) -> str:
    """What follows a quoted scalar: nothing, a comment, or (in flow) the next , or ]."""
    rest = text.lstrip(" ")
    if in_flow:
        if rest[:1] in (",", "]"):
            return rest
        raise _GiveUp
    if not rest or (rest[0] == "#" and len(rest) < len(text)):
        return ""
    raise _GiveUp


def _flow_list(text: str, number: int) -> list[Cell]:
    """``[a, "b", 'c']`` on one line; anything richer (nesting, maps, line breaks) gives up."""
    cells: list[Cell] = []
    rest = text[1:].lstrip(" ")
    if rest.startswith("]"):
        rest = rest[1:]
    else:
        while True:
            if not rest:
                raise _GiveUp
            value, rest = _scalar(rest, in_flow=True)
            assert value is not None
            cells.append(Cell(value, number))
            if rest[0] == "]":
                rest = rest[1:]
                break
            rest = rest[1:].lstrip(" ")  # past the comma
            if rest[:1] in ("]", ","):
                raise _GiveUp  # trailing or doubled comma
    tail = rest.lstrip(" ")
    if tail and not (tail[0] == "#" and len(tail) < len(rest)):
        raise _GiveUp
    return cells
