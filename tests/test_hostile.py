"""The hostile corpus (``tests/hostile/``) through every command that reads a model.

For each case: exit code 2 from every command, error lines that name the file (and line, where
there is one), no traceback, nothing left in the output folder, and all commands within the
case's time bound. Add cases to :data:`tests.hostile.CASES`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile import CASES, EX, Case
from tests.support import MINI, REPO


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Every case's folder made, then every command run on each in one process."""
    root = tmp_path_factory.mktemp("hostile")
    spec = []
    for case in CASES:
        model = root / case.name / "model"
        shutil.copytree(MINI, model)
        case.make(model / case.file)
        out = root / case.name / "out"
        out.mkdir()
        spec.append({"name": case.name, "model": str(model), "out": str(out),
                     "env": case.env})
    (root / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "tests.hostile.driver",
                           str(root / "spec.json")], capture_output=True, text=True, cwd=REPO,
                          env=os.environ.copy(), timeout=sum(c.seconds for c in CASES))
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    return {"root": root, **json.loads(proc.stdout)}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input_is_refused_cleanly(case: Case, results: dict[str, object]) -> None:
    root = results["root"]
    assert isinstance(root, Path)
    where = str(root / case.name / "model" / case.file)
    runs = results[case.name]
    assert isinstance(runs, list)
    for run in runs:
        command, stderr = run["argv"][0], run["stderr"]
        assert "Traceback" not in stderr, f"{command}: {stderr}"
        assert run["code"] == 2, f"{command} exited {run['code']}: {stderr}"
        errors = [line for line in stderr.splitlines() if line.startswith("error:")]
        assert 1 <= len(errors) <= case.max_errors, f"{command}: {stderr}"
        mine = [line for line in errors if where in line]
        assert mine, f"{command}: no error names {where}: {stderr}"
        for line in mine:
            assert case.message in line, f"{command}: {line}"
            if case.line is not None:
                assert (f"{where}:{case.line}:" in line or f"]:{case.line}:" in line), \
                    f"{command}: expected line {case.line}: {line}"
    assert sum(run["seconds"] for run in runs) < case.seconds, runs
    out = root / case.name / "out"
    assert not any(out.rglob("*")), f"left behind: {sorted(out.rglob('*'))}"


def test_the_corpus_covers_every_class() -> None:
    """The classes of issue 12's input side, each with at least one case."""
    assert {c.cls for c in CASES} >= {"huge", "xlsx", "rdf"}
    assert len({c.name for c in CASES}) == len(CASES)


# -- hangs: inputs that once took minutes, each with a time bound --------------------------------
def _model_with(tmp_path: Path, name: str, content: str) -> Path:
    model = tmp_path / "model"
    shutil.copytree(MINI, model)
    (model / name).write_text(content, encoding="utf-8")
    return model


def _timed_ntriples(model: Path) -> tuple[bytes, float]:
    import time

    from samhandling.build import load_model
    from samhandling.export.rdf import to_ntriples

    start = time.monotonic()
    data = to_ntriples(load_model(model))
    return data, time.monotonic() - start


def test_many_subjects_in_a_turtle_file_load_in_linear_time(tmp_path: Path) -> None:
    """10,000 subjects: 192 s when each subject's line was searched for line by line."""
    from samhandling.build import load_model

    body = "".join(f"ex:s{i} ex:p ex:o{i} .\n" for i in range(10_000))
    model = _model_with(tmp_path, "many.ttl", f"@prefix ex: <{EX}> .\n{body}")
    _data, seconds = _timed_ntriples(model)
    assert seconds < 20
    assert load_model(model).subjects[f"{EX}s9999"].line == 10_001


def test_long_lists_and_nested_blank_nodes_build_in_linear_time(tmp_path: Path) -> None:
    """A 4,000-item list and 2,000 nested blank nodes: over 30 minutes in rdflib's
    canonicalisation."""
    items = " ".join(f'"i{i}"' for i in range(4000))
    nested = "".join(f'[] ex:p "v{i}" ; ex:q [ ex:r ( {i} [ ex:s {i} ] ) ] .\n'
                     for i in range(2000))
    model = _model_with(tmp_path, "lists.ttl", f"@prefix ex: <{EX}> .\nex:a ex:l ( {items} ) .\n"
                        + nested)
    data, seconds = _timed_ntriples(model)
    assert seconds < 20
    assert data.count(b"\n") > 4000 * 2 + 2000 * 6


ISOMORPHIC = (
    """ex:a ex:p [ ex:q "1" ; ex:r ( 1 2 [ ex:s "x" ] ) ] ,
    [ ex:q "1" ; ex:r ( 1 2 [ ex:s "x" ] ) ] , [ ex:q "2" ] .
_:s1 ex:link _:s2 . _:s2 ex:link _:s1 . _:s1 ex:v "a" .
[] ex:top "t" .
""",
    """_:z ex:top "t" .
_:k2 ex:link _:k1 . _:k1 ex:v "a" . _:k1 ex:link _:k2 .
ex:a ex:p [ ex:q "2" ] , [ ex:r ( 1 2 [ ex:s "x" ] ) ; ex:q "1" ] .
ex:a ex:p [ ex:q "1" ; ex:r ( 1 2 [ ex:s "x" ] ) ] .
""")


def test_the_same_graph_written_otherwise_gives_the_same_bytes(tmp_path: Path) -> None:
    """Blank-node labels depend on the graph only: statement order, labels and twin
    subtrees (two identical blank descriptions of one subject) change nothing; the cycle
    goes through the exact algorithm."""
    outputs = []
    for number, body in enumerate(ISOMORPHIC):
        model = _model_with(tmp_path / str(number), "n.ttl", f"@prefix ex: <{EX}> .\n{body}")
        outputs.append(_timed_ntriples(model)[0])
    assert outputs[0] == outputs[1]
    assert outputs[0].count(b"_:c") > 10


def test_shared_blank_nodes_that_differ_are_labelled_without_the_exact_algorithm(
        tmp_path: Path) -> None:
    """2,000 blank nodes each the object of two triples (not a tree): colour refinement tells
    them apart, the same graph written in another order gives the same bytes, in bounded
    time (rdflib's algorithm takes minutes at this size)."""
    lines = [f'ex:s{i} ex:p _:n{i} . ex:t{i % 7} ex:q _:n{i} . _:n{i} ex:v "{i}" .\n'
             for i in range(2000)]
    outputs = []
    for number, body in enumerate(("".join(lines), "".join(reversed(lines)))):
        model = _model_with(tmp_path / str(number), "shared.ttl", f"@prefix ex: <{EX}> .\n{body}")
        data, seconds = _timed_ntriples(model)
        assert seconds < 20
        outputs.append(data)
    assert outputs[0] == outputs[1]
    assert outputs[0].count(b"_:r") >= 2000 * 3


# -- the limits themselves ------------------------------------------------------------------------
def test_a_limit_of_zero_means_none_and_a_typo_is_refused(monkeypatch: pytest.MonkeyPatch,
                                                          tmp_path: Path) -> None:
    """``0`` lifts a limit (the file is read whole, not into a buffer of the limit's size);
    a value that is no size is a usage error, never silently "no limit"."""
    from samhandling.errors import UsageError
    from samhandling.loaders.limits import UNLIMITED, current
    from samhandling.loaders.yaml_loader import YamlReader

    path = tmp_path / "tjenester.yaml"
    path.write_text("- id: a\n  label_nb: x\n", encoding="utf-8")
    for name in ("SAMHANDLING_MAX_FILE_SIZE", "SAMHANDLING_MAX_CELL_SIZE",
                 "SAMHANDLING_MAX_RECORDS"):
        monkeypatch.setenv(name, "0")
    assert current().file_size == UNLIMITED
    result = YamlReader().read(path, str(path))
    assert not result.problems and [r.id for r in result.records] == ["a"]
    monkeypatch.setenv("SAMHANDLING_MAX_FILE_SIZE", "12 MiB")
    assert current().file_size == 12 << 20
    monkeypatch.setenv("SAMHANDLING_MAX_FILE_SIZE", "twelve")
    with pytest.raises(UsageError, match="SAMHANDLING_MAX_FILE_SIZE"):
        current()
