"""The planner's options as data, parsed and checked: every problem one line, all at once.

Options are named in messages as the user wrote them (``--frame``, ``--per-year``), so a bad
value reads ``error: --frame: '0' is not a positive number (MNOK)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from samhandling.errors import Problem

from .instance import SCOPES
from .lists import DEFAULT_STEPS
from .montecarlo import DEFAULT_SAMPLES, DEFAULT_SEED
from .solver import DEFAULT_TIME_LIMIT


@dataclass(frozen=True)
class PlanRequest:
    """What the user asked for: the frame in MNOK and everything the plan must honour."""

    frame: Decimal
    musts: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    per_year: dict[int, Decimal] = field(default_factory=dict)
    capacity: dict[int, Decimal] = field(default_factory=dict)
    #: scope -> the most its items may take of the chosen cost (a fraction 0..1)
    shares: dict[str, Decimal] = field(default_factory=dict)
    steps: int = DEFAULT_STEPS
    samples: int = DEFAULT_SAMPLES
    seed: int = DEFAULT_SEED
    time_limit: float = DEFAULT_TIME_LIMIT


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def parse_frame(text: str, problems: list[Problem]) -> Decimal:
    value = _decimal(text)
    if value is None or value <= 0:
        problems.append(Problem("--frame", None,
                                f"'{text}' is not a positive number (MNOK, decimal point)"))
        return Decimal(0)
    return value


def parse_years(text: str | None, option: str, unit: str,
                problems: list[Problem]) -> dict[int, Decimal]:
    """``2022=40,2023=60`` -> {2022: 40, 2023: 60}."""
    result: dict[int, Decimal] = {}
    if not text:
        return result
    for part in text.split(","):
        year_text, sep, amount_text = part.partition("=")
        year_text = year_text.strip()
        amount = _decimal(amount_text) if sep else None
        if not sep or not year_text.isdigit() or not 1900 <= int(year_text) <= 2200:
            problems.append(Problem(option, None,
                                    f"'{part.strip()}' is not YEAR={unit} (e.g. 2023=40)"))
            continue
        if amount is None or amount < 0:
            problems.append(Problem(option, None, f"'{part.strip()}': '{amount_text.strip()}' "
                                                  f"is not a non-negative number ({unit})"))
            continue
        if int(year_text) in result:
            problems.append(Problem(option, None, f"year {year_text} given twice"))
            continue
        result[int(year_text)] = amount
    if result and max(result) - min(result) > 100:
        problems.append(Problem(option, None, "the years span more than 100 years"))
    return dict(sorted(result.items()))


def parse_shares(texts: Sequence[str], problems: list[Problem]) -> dict[str, Decimal]:
    """``national=60%`` or ``national=0.6`` (repeatable) -> {"national": 0.6}."""
    result: dict[str, Decimal] = {}
    for text in texts:
        scope, sep, value_text = text.partition("=")
        scope = scope.strip().lower()
        percent = value_text.strip().endswith("%")
        value = _decimal(value_text.strip().rstrip("%")) if sep else None
        if scope not in SCOPES:
            problems.append(Problem("--max-share", None, f"'{text}': scope '{scope}' is not "
                                                         f"one of {', '.join(SCOPES)}"))
            continue
        if value is not None and percent:
            value = value / 100
        if value is None or not 0 <= value <= 1:
            problems.append(Problem("--max-share", None, f"'{text}' is not SCOPE=SHARE with "
                                                         "a share from 0 to 1 (or 0% to 100%)"))
            continue
        result[scope] = value
    return dict(sorted(result.items()))


__all__ = ["PlanRequest", "parse_frame", "parse_shares", "parse_years"]
