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

from dataclasses import dataclass


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


class ModelLoadError(SamhandlingError):
    """The model's sources could not be loaded; ``problems`` lists every one found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.sheet or "", p.line or 0,
                                                         p.message))
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
