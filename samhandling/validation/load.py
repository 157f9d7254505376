"""Load what validate, reason and diff take: a model folder or a built graph file.

``samhandling build`` refuses a model with a missing required column, an id that points at
nothing or a malformed need code: it cannot write a graph it knows is wrong. ``samhandling
validate`` must instead *report* those (exit 1, every problem at its file and line, in one run),
and SHACL is where the rules live. So validation builds leniently: such facts are written as
they stand (a reference to a missing id becomes an IRI of the kind the column points at, which
then has no type) and the shapes flag them. What the build cannot represent at all (YAML that
does not parse, unknown columns, bad or duplicate ids, values that are not numbers or dates)
still fails the load, exit 2.

A built graph file (``out/samhandling.ttl``, ``.nt``, ``.jsonld``) loads as it is; when the
``sourcemap.json`` that ``samhandling build`` writes sits beside it, results point at the model's
source lines rather than at lines of the built file.
"""

from __future__ import annotations

import json
from pathlib import Path

from samhandling.loaders import reader_for

from ..build import BuildPolicy, load_model
from ..built import BuiltModel, SourceLocation
from ..errors import ModelLoadError, Problem
from .literals import as_written

GRAPH_SUFFIXES = (".ttl", ".nt", ".jsonld")
SOURCEMAP = "sourcemap.json"


#: The build as validation runs it: the content rules SHACL checks are left to SHACL.
#: Relaxed: required columns (every one is covered by a shape, ``tests/test_shapes.py`` checks
#: that), references to ids that do not exist, need codes that break the pattern.
LENIENT = BuildPolicy(required_columns=False, known_references=False, need_code_pattern=False)


def load_for_validation(path: Path | str) -> BuiltModel:
    """A model folder built leniently (see the module docstring), or a built graph file;
    literals as written (:func:`.literals.as_written`: SHACL judges the lexical forms)."""
    path = Path(path)
    with as_written():
        if path.is_file():
            return load_graph_file(path)
        if not path.is_dir():
            raise ModelLoadError([Problem(str(path), None, "model folder not found")])
        return load_model(path, LENIENT)


def load_input(path: Path | str) -> BuiltModel:
    """A model folder built strictly (as ``samhandling build`` does), or a built graph file;
    literals as written."""
    path = Path(path)
    with as_written():
        return load_graph_file(path) if path.is_file() else load_model(path)


def load_graph_file(path: Path) -> BuiltModel:
    """A Turtle, N-Triples or JSON-LD file, with the source map beside it when there is one.

    Read with rdflib's literal normalisation off, so ``"+5"^^xsd:integer`` stays ``"+5"``
    (pyoxigraph's parser keeps lexical forms; only rdflib would rewrite them)."""
    with as_written():
        return _load_graph_file(path)


def _load_graph_file(path: Path) -> BuiltModel:
    if path.suffix.lower() not in GRAPH_SUFFIXES:
        raise ModelLoadError([Problem(str(path), None, "not a model folder or a graph file "
                                      f"({', '.join(GRAPH_SUFFIXES)})")])
    read = reader_for(path)
    assert read is not None
    result = read(path, str(path))
    if result.problems or result.graph is None:
        raise ModelLoadError(result.problems)
    model = BuiltModel(result.graph)
    for iri, line in result.subject_lines.items():
        model.subjects[iri] = SourceLocation(str(path), line)
    sourcemap = path.with_name(SOURCEMAP)
    if sourcemap.is_file():
        model.subjects.update(_read_sourcemap(sourcemap))
    return model


def _read_sourcemap(path: Path) -> dict[str, SourceLocation]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelLoadError([Problem(str(path), None, f"unreadable source map: {exc}")]) from exc
    if not isinstance(data, dict):
        raise ModelLoadError([Problem(str(path), None, "source map is not a JSON object")])
    locations = {}
    for iri, where in data.items():
        file, _, line = str(where).rpartition(":")
        if file and line.isdigit():
            locations[str(iri)] = SourceLocation(file, int(line))
        else:
            locations[str(iri)] = SourceLocation(str(where))
    return locations


__all__ = ["GRAPH_SUFFIXES", "LENIENT", "load_for_validation", "load_graph_file", "load_input"]
