"""`samhandling diff`: graph files, model folders and git revisions of a throw-away repo."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from samhandling.validation.diff import diff_models, load_side, render_diff

from .support import FIXTURES, MINI, run_cli

DIFF = FIXTURES / "diff"


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=Test", "-c",
                    "user.email=test@example.org", *args], check=True, capture_output=True)


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """A git repository whose model/ (the mini fixture) changed in the second commit: Journal's
    maturity r -> g, and a new service Video."""
    if shutil.which("git") is None:
        pytest.skip("needs git")
    root = tmp_path / "repo"
    shutil.copytree(MINI, root / "model")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "first")
    services = root / "model" / "tjenester.yaml"
    text = services.read_text(encoding="utf-8")
    journal = text.index("- id: journal")
    text = text[:journal] + text[journal:].replace("maturity_2023: r", "maturity_2023: g", 1)
    services.write_text(text + "- id: video\n  group: oppslag\n  label_nb: Video\n"
                        "  label_en: Video\n  maturity_2023: g\n  source: [seed:32]\n",
                        encoding="utf-8")
    git(root, "commit", "-q", "-am", "second")
    return root


def test_two_revisions_show_exactly_the_change_made(repo: Path):
    result = run_cli("diff", "HEAD~1", "HEAD", "--lang", "en", cwd=repo)
    assert result.exit_code == 1, result.stderr
    assert result.stdout == (
        "HEAD~1 -> HEAD\n"
        "+ added: Video [Information service] <tjeneste/video>\n"
        "~ changed: Journal [Information service] <tjeneste/journal>\n"
        "    sam:maturity2023: Red (modenhet/r) -> Green (modenhet/g)\n"
        "1 added, 0 removed, 1 changed\n")


def test_same_revision_and_working_tree_are_equal(repo: Path):
    result = run_cli("diff", "HEAD", cwd=repo)  # NEW defaults to the model folder
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "HEAD -> model\ningen endringer\n"


def test_markdown_for_a_pull_request_comment(repo: Path):
    old = load_side("HEAD~1", cwd=repo)
    new = load_side("model", cwd=repo)
    text = render_diff(diff_models(old, new, "nb", "main", "model"), "md", "nb")
    assert text.splitlines()[0] == "### Endringer i modellen: 1 lagt til, 0 fjernet, 1 endret"
    assert "| Video | Informasjonstjeneste | `tjeneste/video` |" in text
    assert "| `sam:maturity2023` | Rød (modenhet/r) | Grønn (modenhet/g) |" in text


def test_unknown_revision_is_one_line_exit_2(repo: Path):
    result = run_cli("diff", "no-such-branch", cwd=repo)
    assert result.exit_code == 2
    assert result.stderr == ("error: 'no-such-branch' is not a model folder, a graph file or a "
                             "git revision\n")
    result = run_cli("diff", "--", "--upload-pack=evil", cwd=repo)
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1


def test_blank_nodes_and_ordering_never_show():
    old, new = load_side(str(DIFF / "a.ttl")), load_side(str(DIFF / "b.ttl"))
    assert diff_models(old, new).equal


def test_graph_files_changed_entities_by_label_and_class():
    result = run_cli("diff", str(DIFF / "a.ttl"), str(DIFF / "c.ttl"), "--lang", "en")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1:] == [
        "+ added: Video [Information service] <tjeneste/video>",
        "- removed: Journal [Information service] <tjeneste/journal>",
        "~ changed: Plans [Information service] <tjeneste/plan>",
        '    dcterms:source: [ dcterms:isPartOf kilde/seed ; rdfs:label "Notat" ] -> '
        '[ dcterms:isPartOf kilde/seed ; rdfs:label "Notat 2" ]',
        '    rdfs:label@en: "Plan" -> "Plans"',
        "    sam:maturity2023: Red (modenhet/r) -> Green (modenhet/g)",
        "1 added, 1 removed, 1 changed",
    ]


def test_a_side_that_does_not_load_exits_2(tmp_path: Path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    result = run_cli("diff", str(DIFF / "a.ttl"), str(bad))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {bad}:1: malformed RDF")
    assert len(result.stderr.splitlines()) == 1
