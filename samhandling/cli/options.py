"""Options shared by many commands, each one decorator so names, defaults and help never drift.

The CLI contract (README, "The command line"): one spelling per option on every command.

- ``MODEL_DIR`` is positional wherever a command reads the model; ``--model DIR`` stays as a
  hidden alias so scripts written before the contract keep working.
- ``-o/--output FILE|DIR`` names what a command writes; ``--out`` stays as a hidden alias.
- ``--format`` exists where a command has more than one output form; with ``-o`` the format
  follows the file's extension, and an extension that matches no format is a usage error
  (``graph services -o x.gif`` once wrote SVG into ``x.gif``).
- ``--lang`` defaults to ``$SAMHANDLING_LANG``, then ``lang`` in ``./samhandling.toml``, then nb.
- ``-q/--quiet`` silences progress on the commands that show it.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from ..errors import UsageError

F = TypeVar("F", bound=Callable[..., Any])

LANGS = ("nb", "en")
DEFAULT_LANG = "nb"
LANG_ENV = "SAMHANDLING_LANG"
#: Project settings beside ``model/`` (the working directory), read for the default language.
CONFIG_FILE = "samhandling.toml"
DEFAULT_MODEL = "model"


class AliasOption(click.Option):
    """An option whose old spellings (``hidden_aliases``) still parse but are not in --help.

    One visible spelling keeps the help uniform across commands; the hidden ones keep existing
    scripts and CI jobs working.
    """

    def __init__(self, *args: Any, hidden_aliases: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hidden_aliases = tuple(hidden_aliases)

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        saved = self.opts
        self.opts = [o for o in saved if o not in self.hidden_aliases]
        try:
            return super().get_help_record(ctx)
        finally:
            self.opts = saved


# -- language ---------------------------------------------------------------------------------

def config_lang(folder: Path | None = None) -> str | None:
    """``lang`` from ``samhandling.toml`` in ``folder`` (default: the working directory).

    Raises
    ------
    UsageError
        The file is not TOML or names a language the CLI does not have.
    """
    import tomllib

    path = (folder or Path.cwd()) / CONFIG_FILE
    if not path.is_file():
        return None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"{path}: cannot read settings ({exc})") from None
    section = data.get("samhandling", data)
    value = section.get("lang") if isinstance(section, dict) else None
    if value is None:
        return None
    if value not in LANGS:
        raise UsageError(f"{path}: lang = {value!r} is not one of {', '.join(LANGS)}")
    return str(value)


def default_lang() -> str:
    """The language when ``--lang`` is not given: env var, then samhandling.toml, then nb.

    click reads ``$SAMHANDLING_LANG`` itself (``envvar``); this covers the other two, and is
    called only when neither the option nor the variable is set.
    """
    return config_lang() or DEFAULT_LANG


def lang_option(func: F) -> F:
    return click.option(
        "--lang", type=click.Choice(LANGS), default=default_lang, envvar=LANG_ENV,
        show_envvar=True, show_default=f"lang in {CONFIG_FILE}, else nb",
        help="Language of labels and messages in the output.")(func)


# -- the model --------------------------------------------------------------------------------

def model_dir_argument(*, files_ok: bool = False) -> Callable[[F], F]:
    """Positional ``[MODEL_DIR]`` (default ``model``) plus the hidden alias ``--model DIR``.

    The command receives one ``model_dir: str``. ``files_ok`` lets MODEL_DIR be a built graph
    file (validate, reason).
    """
    path_type = click.Path(path_type=str) if files_ok else click.Path(file_okay=False,
                                                                       path_type=str)

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, model_dir: str | None = None, model_alias: str | None = None,
                    **kwargs: Any) -> Any:
            if model_dir is not None and model_alias is not None and model_dir != model_alias:
                raise UsageError(f"MODEL_DIR '{model_dir}' and --model '{model_alias}' differ; "
                                 "give one")
            chosen = model_dir if model_dir is not None else model_alias
            return func(*args, model_dir=chosen if chosen is not None else DEFAULT_MODEL,
                        **kwargs)

        # click lists parameters in source order: the argument first, then the hidden alias.
        decorated = click.option("--model", "model_alias", default=None, hidden=True,
                                 type=path_type, help="Alias of MODEL_DIR.")(wrapper)
        decorated = click.argument("model_dir", required=False, default=None,
                                   type=path_type)(decorated)
        return decorated  # type: ignore[return-value]

    return decorate


#: For commands that read the model folder only.
model_argument = model_dir_argument()


# -- outputs ----------------------------------------------------------------------------------

def output_option(*, folder: bool = False, required: bool = False, default: Any = None,
                  help: str | None = None, dest: str = "output",
                  old_spelling: bool = True) -> Callable[[F], F]:
    """``-o/--output FILE`` (or ``DIR`` with ``folder``); ``--out`` parses as a hidden alias."""
    path_type = (click.Path(file_okay=False, path_type=Path) if folder
                 else click.Path(dir_okay=False, path_type=Path))
    names = ["-o", "--output"] + (["--out"] if old_spelling else [])
    text = help or ("Folder to write." if folder else
                    "Write to FILE (whole or not at all) instead of standard output.")

    # click >= 8.3 takes an explicit default=None as a value, which would satisfy required=True.
    extra: dict[str, Any] = {} if default is None else {"default": default, "show_default": True}

    def decorate(func: F) -> F:
        return click.option(*names, dest, cls=AliasOption, hidden_aliases=("--out",),
                            type=path_type, required=required,
                            metavar="DIR" if folder else "FILE", help=text, **extra)(func)

    return decorate


def format_option(choices: Sequence[str], *, default: str | None, help: str = "Output format.",
                  from_output: bool = True) -> Callable[[F], F]:
    """``--format`` with a fixed choice; ``from_output`` says -o's extension may pick it.

    The option's default is None so a command can tell "not given" from the default and take
    the format from ``-o``'s extension (see :func:`resolve_format`).
    """
    shown = default if not from_output else f"from -o's extension, else {default}"

    def decorate(func: F) -> F:
        return click.option("--format", "fmt", type=click.Choice(list(choices)), default=None,
                            show_default=shown, help=help)(func)

    return decorate


def quiet_option(func: F) -> F:
    return click.option("-q", "--quiet", is_flag=True,
                        help="Show no progress on standard error.")(func)


def resolve_format(fmt: str | None, output: Path | None,
                   extensions: Mapping[str, Sequence[str]], default: str) -> str:
    """The format to write: ``--format`` if given, else from ``output``'s extension, else default.

    ``extensions`` maps each format to the file extensions that mean it (``".md"``). An
    output whose extension no format claims, or one that claims another format than
    ``--format``, is refused before any work is done.

    Raises
    ------
    UsageError
        The extension matches no format, or a different one than ``--format``.
    """
    if output is None:
        return fmt or default
    suffix = output.suffix.lower()
    if not suffix:
        return fmt or default
    owners = [name for name, exts in extensions.items() if suffix in exts]
    if not owners:
        known = ", ".join(f"{name} ({'/'.join(exts)})" for name, exts in extensions.items())
        raise UsageError(f"{output}: extension '{suffix}' matches no output format; "
                         f"use one of: {known}")
    if fmt is None:
        return owners[0]
    if fmt not in owners:
        raise UsageError(f"{output}: extension '{suffix}' is for {' or '.join(owners)}, "
                         f"not --format {fmt}; rename the file or change --format")
    return fmt


#: Extensions of the text report formats shared by analyze, impact and stats.
REPORT_EXTENSIONS: dict[str, tuple[str, ...]] = {
    "text": (".txt", ".text", ".log"),
    "json": (".json",),
    "md": (".md", ".markdown"),
    "csv": (".csv",),
}


def report_extensions(formats: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """The entries of :data:`REPORT_EXTENSIONS` for ``formats``, in that order."""
    return {name: REPORT_EXTENSIONS[name] for name in formats}


def env_flag(name: str) -> bool:
    """True when the environment variable ``name`` is set to something other than 0/false."""
    return os.environ.get(name, "").strip().lower() not in ("", "0", "false", "no")
