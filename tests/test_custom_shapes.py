"""Hostile custom ``--shapes``: one ``error:`` line naming the file (and line), exit 2, no
traceback, no hang, on both validation engines.

The classes (issue 12, "Custom shapes"): an undeclared prefix, a syntax error, ``sh:node``
recursion (self and mutual), ``sh:not`` recursion, recursion through ``sh:property`` and
``sh:or``, an invalid regular expression or flag in ``sh:pattern``, a pattern too large to
compile; and a catastrophic-backtracking ``sh:pattern`` on a long label, which must finish
(sh:pattern runs as SPARQL REGEX on a linear-time engine, :mod:`samhandling.validation.patterns`)
and give the right answer.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from .support import CliResult, run_cli

HEAD = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""
ENGINES = ("fast", "reference")

def _chain(shapes: int) -> str:
    """A chain of ``shapes`` node shapes, each ``sh:node`` the next (no cycle)."""
    lines = ["ex:S0 a sh:NodeShape ; sh:targetSubjectsOf rdfs:label ; sh:node ex:S1 ."]
    lines += [f"ex:S{i} a sh:NodeShape ; sh:node ex:S{i + 1} ." for i in range(1, shapes - 1)]
    lines.append(f"ex:S{shapes - 1} a sh:NodeShape ; sh:nodeKind sh:IRI .")
    return HEAD + "\n".join(lines) + "\n"


#: (case id, shapes file text, expected line of the error or None, words the message has)
HOSTILE: list[tuple[str, str, int | None, str]] = [
    ("undeclared-prefix",
     "@prefix sh: <http://www.w3.org/ns/shacl#> .\nex:S a sh:NodeShape .\n", 2, "prefix"),
    ("syntax-error", HEAD + "ex:S a sh:NodeShape ;\n  sh:property [ sh:path ex:p\n", 6,
     "malformed"),
    ("node-self", HEAD + "ex:S a sh:NodeShape ;\n  sh:targetNode ex:x ;\n  sh:node ex:S .\n",
     4, "recursive"),
    ("node-mutual", HEAD + "ex:A a sh:NodeShape ;\n  sh:targetNode ex:x ;\n  sh:node ex:B .\n"
     "ex:B a sh:NodeShape ;\n  sh:node ex:A .\n", 4, "recursive"),
    ("not-self", HEAD + "ex:N a sh:NodeShape ;\n  sh:targetNode ex:x ;\n  sh:not ex:N .\n",
     4, "recursive"),
    ("property-node-cycle", HEAD + "ex:P a sh:NodeShape ;\n  sh:targetNode ex:x ;\n"
     "  sh:property [ sh:path ex:knows ; sh:node ex:P ] .\n", 4, "recursive"),
    ("or-cycle", HEAD + "ex:O a sh:NodeShape ;\n  sh:targetNode ex:x ;\n"
     "  sh:or ( ex:O [ sh:nodeKind sh:IRI ] ) .\n", 4, "recursive"),
    ("pattern-invalid", HEAD + "ex:R a sh:NodeShape ;\n  sh:targetSubjectsOf rdfs:label ;\n"
     "  sh:property [ sh:path rdfs:label ;\n    sh:pattern \"([a-z\" ] .\n", 7,
     "regular expression"),
    ("pattern-bad-flag", HEAD + "ex:R a sh:NodeShape ;\n  sh:targetSubjectsOf rdfs:label ;\n"
     "  sh:property [ sh:path rdfs:label ;\n    sh:pattern \"^a\" ; sh:flags \"z\" ] .\n", 7,
     "flag"),
    ("pattern-too-large", HEAD + "ex:R a sh:NodeShape ;\n  sh:targetSubjectsOf rdfs:label ;\n"
     "  sh:property [ sh:path rdfs:label ;\n    sh:pattern \"(a{1000}){1000}\" ] .\n", 7,
     "regular expression"),
    ("minCount-not-integer", HEAD + "ex:M a sh:NodeShape ;\n  sh:targetSubjectsOf rdfs:label ;\n"
     "  sh:property [ sh:path rdfs:label ; sh:minCount \"abc\" ] .\n", 4, "sh:minCount"),
    ("node-chain-2000-deep", _chain(2000), 4, "nested 2000 deep"),
    ("node-chain-16-deep", _chain(16), 4, "nested 16 deep"),
    ("pattern-lookahead", HEAD + "ex:R a sh:NodeShape ;\n  sh:targetSubjectsOf rdfs:label ;\n"
     "  sh:property [ sh:path rdfs:label ;\n    sh:pattern \"^(?=a)\" ] .\n", 7,
     "regular expression"),
]


def _check_one_error(result: CliResult, shapes: Path, line: int | None, words: str,
                     seconds: float) -> None:
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    lines = [x for x in result.stderr.splitlines() if x.strip()]
    errors = [x for x in lines if x.startswith("error:")]
    assert len(errors) == 1 and len(lines) == 1, result.stderr
    where = f"{shapes}:{line}" if line is not None else str(shapes)
    assert where in errors[0], errors[0]
    assert words in errors[0], errors[0]
    assert seconds < 60


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("text", "line", "words"), [c[1:] for c in HOSTILE],
                         ids=[c[0] for c in HOSTILE])
def test_hostile_shapes_are_one_error_line(tmp_path: Path, engine: str, text: str,
                                           line: int | None, words: str) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(text, encoding="utf-8")
    data = tmp_path / "data.ttl"
    data.write_text(HEAD + 'ex:x rdfs:label "a" .\n', encoding="utf-8")
    started = time.monotonic()
    result = run_cli("validate", str(data), "--shapes", str(shapes), "--engine", engine)
    _check_one_error(result, shapes, line, words, time.monotonic() - started)


@pytest.mark.parametrize("engine", ENGINES)
def test_catastrophic_pattern_on_a_long_label_finishes(tmp_path: Path, engine: str) -> None:
    """``^(a+)+$`` against 100,000 ``a`` and a ``!``: Python's ``re`` would backtrack for
    longer than the universe lasts; SPARQL REGEX on a linear-time engine answers at once.
    The matching label and the failing one both get the specification's answer."""
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(HEAD + "ex:R a sh:NodeShape ;\n  sh:targetSubjectsOf rdfs:label ;\n"
                      "  sh:property [ sh:path rdfs:label ;\n    sh:pattern \"^(a+)+$\" ] .\n",
                      encoding="utf-8")
    data = tmp_path / "data.ttl"
    data.write_text(HEAD + f'ex:bad rdfs:label "{"a" * 100_000}!" .\n'
                    f'ex:good rdfs:label "{"a" * 100_000}" .\n', encoding="utf-8")
    started = time.monotonic()
    result = run_cli("validate", str(data), "--shapes", str(shapes), "--engine", engine,
                     "--format", "json")
    assert time.monotonic() - started < 60
    assert result.exit_code == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.count("PatternConstraintComponent") == 1
    assert "example.org/bad>" in result.stdout
    assert "example.org/good>" not in result.stdout


@pytest.mark.parametrize("engine", ENGINES)
def test_pattern_flags_follow_sparql(tmp_path: Path, engine: str) -> None:
    """``sh:flags "i"`` and ``"x"`` (SPARQL REGEX flags; pySHACL alone knows only i and m)."""
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(HEAD + "ex:R a sh:NodeShape ;\n  sh:targetSubjectsOf rdfs:label ;\n"
                      "  sh:property [ sh:path rdfs:label ;\n"
                      "    sh:pattern \"^ A B C $\" ; sh:flags \"ix\" ] .\n", encoding="utf-8")
    data = tmp_path / "data.ttl"
    data.write_text(HEAD + 'ex:ok rdfs:label "abc" .\nex:no rdfs:label "a b c" .\n',
                    encoding="utf-8")
    result = run_cli("validate", str(data), "--shapes", str(shapes), "--engine", engine,
                     "--format", "json")
    assert result.exit_code == 1, result.stderr
    assert result.stdout.count("PatternConstraintComponent") == 1
    assert "example.org/no>" in result.stdout
    assert "example.org/ok>" not in result.stdout


@pytest.mark.parametrize("engine", ENGINES)
def test_fifteen_nested_shapes_still_validate(tmp_path: Path, engine: str) -> None:
    """The nesting limit is pySHACL's own (15 shapes in a chain); up to it, both engines
    validate."""
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(_chain(15), encoding="utf-8")
    data = tmp_path / "data.ttl"
    data.write_text(HEAD + 'ex:x rdfs:label "a" .\n', encoding="utf-8")
    result = run_cli("validate", str(data), "--shapes", str(shapes), "--engine", engine)
    assert result.exit_code == 0, result.stderr
