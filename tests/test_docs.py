"""The README is assembled from its parts and documents every command and every kind."""

from __future__ import annotations

import subprocess
import sys

from samhandling.cli import COMMANDS, cli
from samhandling.schema import KINDS

from .support import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_readme_is_assembled_from_docs_manual_parts() -> None:
    proc = subprocess.run([sys.executable, str(REPO / "docs" / "assemble_readme.py"), "--check"])
    assert proc.returncode == 0, "run: python docs/assemble_readme.py"


def test_readme_starts_with_the_two_commands() -> None:
    head = README[:1500]
    assert "make demo" in head and "make test" in head


def test_every_kind_is_documented_with_an_example() -> None:
    for kind in KINDS:
        assert f"### `{kind.name}`" in README, kind.name
        assert f"model/{kind.name}.yaml" in README, kind.name


def test_every_command_has_help_with_an_example_and_is_in_the_readme() -> None:
    import click

    ctx = click.Context(cli)
    for name in COMMANDS:
        command = cli.get_command(ctx, name)
        if command is None:
            continue  # planned, not built yet
        assert command.help and "Example:" in command.help, name
        assert f"samhandling {name}" in README, name
