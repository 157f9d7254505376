"""YAML sources: a file is a list of records, each a mapping of column -> value or list.

Scalars are kept as the text written (no YAML type guessing), so a need code such as
``05.20`` never turns into the float 5.2.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from samhandling.errors import Problem

from .base import Cell, Record, SourceReader, SourceResult, decode_utf8, kind_of, register

#: libyaml's composer is ~10x faster and keeps the same marks; fall back when it is missing.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@register
class YamlReader(SourceReader):
    extensions = (".yaml", ".yml")

    def read(self, path: Path, display: str) -> SourceResult:
        result = SourceResult()
        text, problem = decode_utf8(path.read_bytes(), display)
        if problem:
            result.problems.append(problem)
            return result
        assert text is not None
        try:
            root = yaml.compose(text, Loader=_LOADER)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else None
            reason = getattr(exc, "problem", None) or str(exc)
            result.problems.append(Problem(display, line, f"malformed YAML: {reason}"))
            return result
        if root is None:
            return result
        if not isinstance(root, yaml.SequenceNode):
            result.problems.append(Problem(
                display, root.start_mark.line + 1,
                "expected a list of records (each starting with '- id: ...')"))
            return result
        kind = kind_of(path)
        for item in root.value:
            line = item.start_mark.line + 1
            record = Record(kind=kind, file=display, line=line)
            if not isinstance(item, yaml.MappingNode):
                result.problems.append(record.problem("a record must be a mapping of columns"))
                continue
            for key_node, value_node in item.value:
                key = str(key_node.value)
                key_line = key_node.start_mark.line + 1
                if key in record.cells:
                    result.problems.append(record.problem(f"column '{key}' given twice", key_line))
                    continue
                cells = _cells(value_node)
                if cells is None:
                    result.problems.append(record.problem(
                        f"column '{key}': expected a value or a list of values", key_line))
                    continue
                record.cells[key] = cells
            result.records.append(record)
        return result


def _cells(node: yaml.Node) -> list[Cell] | None:
    if isinstance(node, yaml.ScalarNode):
        if node.tag == "tag:yaml.org,2002:null" and node.value in ("", "~", "null"):
            return []
        return [Cell(str(node.value), node.start_mark.line + 1)]
    if isinstance(node, yaml.SequenceNode):
        cells = []
        for item in node.value:
            if not isinstance(item, yaml.ScalarNode):
                return None
            cells.append(Cell(str(item.value), item.start_mark.line + 1))
        return cells
    return None
