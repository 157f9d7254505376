"""The README is one screen that starts with the two commands; the manual (``docs/manual/``,
published by ``samhandling docs``) documents every command and every kind, and the CLI
reference generated from the commands' ``--help`` holds every command with an example."""

from __future__ import annotations

import html
import re

import click

from samhandling.cli import COMMANDS, cli
from samhandling.schema import KINDS
from samhandling.site.manual import cli_reference, manual_pages, slug, source_files

from .support import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
MANUAL = {path.name: path.read_text(encoding="utf-8") for path in source_files()}


def _commands() -> dict[str, click.Command]:
    ctx = click.Context(cli)
    found = {}
    for name in COMMANDS:
        command = cli.get_command(ctx, name)
        if command is not None:  # planned, not built yet
            found[name] = command
    return found


def test_readme_starts_with_the_two_commands_and_fits_one_screen() -> None:
    head = README[:600]
    assert "make demo" in head and "make test" in head
    assert len(README.splitlines()) <= 45, "README.md is one screen: move text to docs/manual/"


def test_readme_links_and_picture_exist() -> None:
    targets = re.findall(r"\]\(([^)#]+)\)", README)
    assert any(t.endswith((".png", ".svg")) for t in targets), "the README shows a picture"
    for target in targets:
        if not target.startswith(("http://", "https://")):
            assert (REPO / target).exists(), target


def test_the_manual_is_read_from_docs_manual() -> None:
    names = sorted(p.name for p in (REPO / "docs" / "manual").glob("*.md"))
    assert sorted(MANUAL) == names


def test_every_kind_is_documented_with_an_example() -> None:
    reference = MANUAL["90-format-reference.md"]
    for kind in KINDS:
        assert f"### `{kind.name}`" in reference, kind.name
        # from model/, or for a kind the seed has no facts of (estimates), from examples/
        assert re.search(rf"Example \(`(model|examples/[a-z-]+)/{kind.name}\.yaml`\)",
                         reference), kind.name


def test_every_command_has_help_with_an_example_and_is_in_the_manual() -> None:
    manual = "\n".join(MANUAL.values())
    for name, command in _commands().items():
        assert command.help and "Example:" in command.help, name
        assert f"samhandling {name}" in manual, f"name `samhandling {name}` in docs/manual/"


def test_the_cli_reference_holds_every_commands_help() -> None:
    reference = cli_reference(cli)
    for name, command in _commands().items():
        assert f'<h2 id="{slug("samhandling " + name)}">' in reference, name
        section = reference.split(f'id="{slug("samhandling " + name)}"', 1)[1]
        section = html.unescape(section.split("<h2", 1)[0])
        assert f"Usage: samhandling {name}" in section, name
        assert "Example:" in section, name
        first = (command.help or "").strip().splitlines()[0]
        assert " ".join(first.split()[:4]) in " ".join(section.split()), name
        if isinstance(command, click.Group):  # and each subcommand, with its example
            for sub in command.list_commands(click.Context(command)):
                path = f"samhandling {name} {sub}"
                part = reference.split(f'id="{slug(path)}"', 1)[1].split("<h2", 1)[0]
                assert f"Usage: {path}" in part and "Example:" in part, path


def test_links_between_manual_pages_land_on_a_heading() -> None:
    pages = manual_pages(cli_html="")
    ids = {name: set(re.findall(r' id="([^"]+)"', body)) for name, (_, body) in pages.items()}
    for name, (_, body) in pages.items():
        for page, anchor in re.findall(r'href="(?:([\w.-]+)\.html)?#([^"]+)"', body):
            assert anchor in ids[page or name], f"{name}: #{anchor} (in {page or name})"
        assert 'href="docs/' not in body and 'src="docs/' not in body, name
