"""CLI command that writes the website of the model: docs (and its --serve preview)."""

from __future__ import annotations

from pathlib import Path

import click

from .options import model_argument, output_option, quiet_option

DEFAULT_PORT = 8000


@click.command()
@model_argument
@output_option(folder=True, default=Path("site"), help="Folder to write the site to.")
@click.option("--force", is_flag=True,
              help="Replace an existing -o folder that is not a previous site (default: "
                   "refuse).")
@click.option("--serve", is_flag=True,
              help="Preview on http://127.0.0.1:PORT and rebuild when MODEL_DIR changes "
                   "(Ctrl-C stops).")
@click.option("--port", type=click.IntRange(0, 65535), default=DEFAULT_PORT, show_default=True,
              help="Port for --serve (0: any free port).")
@quiet_option
def docs(model_dir: str, output: Path, force: bool, serve: bool, port: int,
         quiet: bool) -> None:
    """Write a bilingual static website of MODEL_DIR: a page per service, need, actor, form,
    scenario, package, project, solution and source (relations both ways, every fact's
    source), the services diagram, the ontology, the rules, the query library with today's
    answers, the validation report, search, and the manual.

    The site works from file:// and any static host (no CDN, no server); the same model
    gives the same bytes. An existing -o folder that is not a previous site is refused
    unless --force.

    Example:

        samhandling docs model/ -o site/

        samhandling docs model/ -o site/ --serve --port 8000
    """
    from ..site import build_site

    # the site's command-line reference documents this very group: hand it down
    commands = click.get_current_context().find_root().command
    assert isinstance(commands, click.Group)
    if serve:
        from ..site.serve import serve as run_server

        run_server(model_dir, output, port=port, force=force, quiet=quiet, commands=commands)
        return
    summary = build_site(model_dir, output, force=force, commands=commands)
    if not quiet:
        click.echo(f"wrote {summary.folder} ({summary.files} files, {summary.entities} "
                   f"pages per language) in {summary.seconds:.2f} s; open "
                   f"{summary.folder}/index.html", err=True)
