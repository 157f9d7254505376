"""The ``samhandling`` command: parses arguments and calls library functions, nothing more.

Exit-code contract (every command): 0 success / conforms / equal; 1 the operation found a
problem (does not conform, graphs differ, inconsistent); 2 usage error or input that could not
be loaded. Errors are one line each on stderr, never a traceback.

Commands are imported lazily so ``samhandling --help`` and light commands start fast.
"""

from __future__ import annotations

import importlib
import sys

import click

from ..errors import ModelLoadError, SamhandlingError

#: command name -> "module:function" under samhandling.cli
COMMANDS: dict[str, str] = {
    "build": "model_commands:build",
    "export-tables": "model_commands:export_tables_command",
    "stats": "model_commands:stats",
    "validate": "validate_commands:validate",
    "reason": "validate_commands:reason",
    "diff": "validate_commands:diff",
    "query": "query_commands:query",
    "push": "query_commands:push",
    "analyze": "analysis_commands:analyze",
    "impact": "analysis_commands:impact",
    "graph": "analysis_commands:graph",
    "synth": "scale_commands:synth",
    "init": "init_commands:init",
}


class LazyGroup(click.Group):
    """A group whose commands are imported only when invoked (or listed in help)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        try:
            module = importlib.import_module(f"{__name__}.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{__name__}.{module_name}":
                return None  # command planned but not built yet
            raise
        return getattr(module, attr, None)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="samhandling")
def cli() -> None:
    """samhandling: the target picture for holistic collaboration as a knowledge graph.

    Example:

        samhandling build model/ -o out/
    """


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI and turn library errors into one line each and an exit code."""
    try:
        # Without standalone mode click returns the code given to ctx.exit() instead of exiting.
        code = cli.main(args=argv, prog_name="samhandling", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(1)
    except ModelLoadError as exc:
        for problem in exc.problems:
            click.echo(f"error: {problem}", err=True)
        sys.exit(2)
    except SamhandlingError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)
