"""CLI command that scaffolds a model repository: init."""

from __future__ import annotations

from pathlib import Path

import click

from ..scaffold import init_repository


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--empty", is_flag=True,
              help="Start from the skeleton of every kind (one example record each) instead "
                   "of the seed model.")
@click.option("--package", "requirement", metavar="REQUIREMENT",
              help="The pip requirement CI and pre-commit install samhandling from (default: "
                   "where this samhandling was installed from, else samhandling==VERSION).")
def init(directory: Path, empty: bool, requirement: str | None) -> None:
    """Create a model repository in DIRECTORY: model/, CI workflow, pre-commit hook, README.

    DIRECTORY must not exist or be empty. The model validates clean as written.

    Example:

        samhandling init helseregion-model --empty
    """
    written = init_repository(directory, empty=empty, requirement=requirement)
    click.echo(f"wrote {len(written)} files into {directory}; next: cd {directory} && "
               "git init && samhandling validate model/", err=True)
