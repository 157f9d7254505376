"""One exception hierarchy for samhandling; the CLI maps each branch to an exit code.

::

    SamhandlingError                 any failure the user can act on (exit 2 unless noted)
    ├── ModelLoadError               sources did not load; carries *all* problems found
    ├── UsageError                   unknown query, parameter, view, format ...
    ├── EndpointError                a SPARQL endpoint or graph store failed
    └── ToolMissingError             an external program (dot, java) is not on PATH

Library code raises these and never prints or exits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one place of a source file."""

    file: str
    line: int | None
    message: str
    #: Sheet name for XLSX sources (``line`` is then the row).
    sheet: str | None = None

    def location(self) -> str:
        if self.sheet is not None:
            return f"{self.file}[{self.sheet}]:{self.line}"
        if self.line is None:
            return self.file
        return f"{self.file}:{self.line}"

    def __str__(self) -> str:
        return f"{self.location()}: {self.message}"


class SamhandlingError(Exception):
    """Base of every error samhandling reports to a user."""


#: How the loaders begin the message of a file they could not read at all.
UNREADABLE = ("malformed ", "not UTF-8", "cannot read")
_EXPECTED_KINDS = re.compile(r"unknown id '.*' \(expected an id of ([\w -]+?)\)")


def _unreadable(problem: Problem) -> bool:
    return problem.message.startswith(UNREADABLE)


def _kind_of(problem: Problem) -> str:
    """The kind a source holds: the sheet of a workbook, else the file's stem (tjenester)."""
    return problem.sheet or PurePath(problem.file).stem


def root_causes_first(problems: list[Problem]) -> list[Problem]:
    """Problems in the order a person should fix them.

    A file that cannot be parsed comes first. Then the ordinary problems. Last the "unknown id"
    problems whose ids belong to a kind whose file did not load: they exist only because that
    file is missing (a YAML indentation error in tjenester.yaml once came out as line 68 of 68,
    after 67 unknown service ids). Within each group: by file, sheet, line, message.
    """
    broken = {_kind_of(p) for p in problems if _unreadable(p)}

    def rank(problem: Problem) -> int:
        if _unreadable(problem):
            return 0
        match = _EXPECTED_KINDS.search(problem.message)
        if match and broken and set(match.group(1).split(" or ")) & broken:
            return 2
        return 1

    return sorted(problems, key=lambda p: (rank(p), p.file, p.sheet or "", p.line or 0,
                                           p.message))


class ModelLoadError(SamhandlingError):
    """The model's sources could not be loaded; ``problems`` lists every one found, root
    causes first (see :func:`root_causes_first`)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = root_causes_first(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(SamhandlingError):
    """The user asked for something that does not exist or does not fit."""


class EndpointError(SamhandlingError):
    """A remote SPARQL endpoint or graph store could not be used."""


class ToolMissingError(SamhandlingError):
    """An external program the command needs is not installed."""


__all__ = [
    "EndpointError",
    "ModelLoadError",
    "Problem",
    "SamhandlingError",
    "ToolMissingError",
    "UsageError",
]
