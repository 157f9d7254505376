"""The ``samhandling`` command: parses arguments and calls library functions, nothing more.

Exit-code contract (every command): 0 success / conforms / equal; 1 the operation found a
problem (does not conform, graphs differ, inconsistent) and nothing else; 2 usage error or
input that could not be loaded; 3 an internal error (a bug: please report it); 130 interrupted
(Ctrl-C). Errors are one ``error: …`` line each on stderr, never a traceback unless the global
``--debug`` flag asks for it. A reader that closes the pipe early (``| head -1``) is not an
error: the command stops quietly with 0.

Commands are imported lazily so ``samhandling --help`` and light commands start fast.
"""

from __future__ import annotations

import importlib
import os
import select
import sys
import traceback
from dataclasses import dataclass
from typing import Any, NoReturn

import click

from ..errors import ModelLoadError, SamhandlingError

#: command name -> "module:function" under samhandling.cli
COMMANDS: dict[str, str] = {
    "build": "model_commands:build",
    "export-tables": "model_commands:export_tables_command",
    "export": "archimate_commands:export",
    "import": "archimate_commands:import_group",
    "stats": "model_commands:stats",
    "validate": "validate_commands:validate",
    "reason": "validate_commands:reason",
    "diff": "validate_commands:diff",
    "query": "query_commands:query",
    "push": "query_commands:push",
    "analyze": "analysis_commands:analyze",
    "impact": "analysis_commands:impact",
    "graph": "analysis_commands:graph",
    "plan": "plan_commands:plan",
    "slides": "slides_commands:slides",
    "synth": "scale_commands:synth",
    "init": "init_commands:init",
    "docs": "docs_commands:docs",
}

#: Exit codes beyond click's own (0 done, 1 found a problem, 2 usage or input error).
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130


class _StdoutClosed(Exception):
    """The reader of standard output went away (``| head``): stop quietly.

    A separate type so click's own ``main`` does not catch it as an ``OSError`` and exit 1.
    """


class _Interrupted(Exception):
    """Ctrl-C inside a command; carried past click, which would turn it into exit 1."""


@dataclass
class RunState:
    """What ``main`` needs to know about the parsed global options after a failure."""

    debug: bool = False


def _stdout_broken() -> bool:
    """True when standard output is a pipe whose reader has closed it.

    A ``BrokenPipeError`` may also come from a socket (an endpoint hung up); only a closed
    stdout is the quiet ``| head`` case. ``poll`` reports POLLERR on such a pipe.
    """
    try:
        fd = sys.__stdout__.fileno() if sys.__stdout__ is not None else 1
        poller = select.poll()
        poller.register(fd, select.POLLOUT)
        return any(event & (select.POLLERR | select.POLLHUP) for _, event in poller.poll(0))
    except (OSError, ValueError, AttributeError):
        return False


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

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; a closed stdout and Ctrl-C leave as our own exception types.

        click's ``main`` turns EPIPE and KeyboardInterrupt into exit 1, the code that means
        "the check found a problem"; carrying them past it lets :func:`main` give 0 and 130.
        """
        try:
            return super().invoke(ctx)
        except BrokenPipeError as exc:
            if _stdout_broken():
                raise _StdoutClosed() from exc
            raise
        except KeyboardInterrupt as exc:
            raise _Interrupted() from exc


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, envvar="SAMHANDLING_DEBUG",
              help="On an internal error, print the traceback (also $SAMHANDLING_DEBUG=1).")
@click.version_option(package_name="samhandling")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """samhandling: the target picture for holistic collaboration as a knowledge graph.

    Exit codes: 0 done, 1 a check found a problem, 2 usage or input error, 3 internal error,
    130 interrupted. Shell completion: eval "$(_SAMHANDLING_COMPLETE=bash_source samhandling)".

    Example:

        samhandling build model/ -o out/
    """
    if isinstance(ctx.obj, RunState):
        ctx.obj.debug = debug


def usage_line(exc: click.ClickException) -> str:
    """click's (multi-line) usage error as one line, its "did you mean" hint kept.

    click prints ``Usage: …``, ``Try '… -h' for help.`` and ``Error: …`` on three lines; the
    contract is one ``error:`` line, so the hint to --help is folded into it.
    """
    message = " ".join(exc.format_message().split())
    if isinstance(exc, click.NoSuchOption) and exc.possibilities:
        # Suggest only spellings --help shows, not hidden aliases such as --out or --model.
        shown = [p for p in exc.possibilities if p not in _hidden_names(exc.ctx)]
        message = f"No such option '{exc.option_name}'."
        if shown:
            message += f" (did you mean {' or '.join(repr(p) for p in sorted(shown))}?)"
    if message[1:2].islower():  # "Invalid value" -> "invalid value", "SERVICE …" unchanged
        message = message[0].lower() + message[1:]
    ctx = getattr(exc, "ctx", None)
    if ctx is not None and isinstance(exc, click.UsageError):
        message += f" (see '{ctx.command_path} --help')"
    return f"error: {message}"


def _one_line(text: str) -> str:
    return " ".join(text.splitlines()) if "\n" in text or "\r" in text else text


def _hidden_names(ctx: click.Context | None) -> set[str]:
    """Option spellings of ``ctx``'s command that --help does not show."""
    if ctx is None:
        return set()
    names: set[str] = set()
    for param in ctx.command.params:
        if getattr(param, "hidden", False):
            names.update(param.opts)
        names.update(getattr(param, "hidden_aliases", ()))
    return names


def _exit(code: int) -> NoReturn:
    sys.exit(code)


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's last flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI and turn every failure into one line and an exit code."""
    state = RunState(debug=os.environ.get("SAMHANDLING_DEBUG", "") not in ("", "0"))
    try:
        # Without standalone mode click returns the code given to ctx.exit() instead of exiting.
        code = cli.main(args=argv, prog_name="samhandling", standalone_mode=False, obj=state)
    except click.exceptions.Exit as exc:
        _exit(exc.exit_code)
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.ctx.get_help() if exc.ctx else exc.format_message(), err=True)
        _exit(EXIT_USAGE)
    except click.ClickException as exc:
        click.echo(usage_line(exc), err=True)
        _exit(EXIT_USAGE)
    except (click.exceptions.Abort, _Interrupted, KeyboardInterrupt):
        _exit(EXIT_INTERRUPTED)
    except _StdoutClosed:
        _quiet_stdout()
        _exit(0)
    except ModelLoadError as exc:
        for problem in exc.problems:
            click.echo(f"error: {_one_line(str(problem))}", err=True)
        _exit(EXIT_USAGE)
    except SamhandlingError as exc:
        # One line, whatever the message holds: a line break (from a label, a server's
        # answer) must not start a second "error:" line or a CI workflow command.
        click.echo(f"error: {_one_line(str(exc))}", err=True)
        _exit(EXIT_USAGE)
    except OSError as exc:
        if exc.filename is None or state.debug:
            _internal(exc, state)
        # A file the system would not let us read or write: the user's to fix, not a bug.
        click.echo(f"error: {exc.filename}: {exc.strerror or exc}", err=True)
        _exit(EXIT_USAGE)
    except Exception as exc:
        _internal(exc, state)
    _exit(code if isinstance(code, int) else 0)


def _internal(exc: BaseException, state: RunState) -> NoReturn:
    """An exception no code path expected: one line and exit 3 (never 1, "found a problem")."""
    if state.debug:
        traceback.print_exception(exc)
    detail = " ".join(str(exc).split()) or "no message"
    click.echo(f"error: internal error: {type(exc).__name__}: {detail} "
               "(run with --debug for the traceback)", err=True)
    _exit(EXIT_INTERNAL)
