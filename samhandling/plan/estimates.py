"""Cost estimates as data: records of the model's kind ``estimater``, one per item.

Estimates are a kind like every other (:data:`samhandling.schema.KINDS`): its columns are
declared once there, and a model folder may hold ``estimater.yaml`` (or ``.csv``, or a sheet
``estimater``) with real, sourced figures. The seed states no costs, so the live model has
none; illustrative figures stay outside it, in a file of the same kind given with
``--estimates`` (see ``examples/design-to-cost/``). Both are read by the model's own readers
and checked here with the planner's rules (a complete triangle, low <= likely <= high, no
negative figures, a known scope), with the same error contract: every problem is one
``file:line: message``, all of them reported at once.

A file given with ``--estimates`` is a planning input, not part of the model: its ``id``
defaults to the item and its ``source`` is not resolved (the shapes demand both once the file
is put into a model).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from samhandling.build import FALSE_WORDS, TRUE_WORDS, source_files
from samhandling.errors import ModelLoadError, Problem
from samhandling.loaders import Cell, Record, reader_for
from samhandling.schema import KINDS_BY_NAME

from .instance import SCOPES

KIND = KINDS_BY_NAME["estimater"]
#: The columns a record may have: the kind's, declared once in the schema.
COLUMN_NAMES = tuple(KIND.column_names)
_MULTI_SEPARATOR = ";"


@dataclass(frozen=True)
class Place:
    """Where a value was read: for ``file:line:`` messages."""

    file: str
    line: int | None
    sheet: str | None = None

    def problem(self, message: str) -> Problem:
        return Problem(self.file, self.line, message, self.sheet)


@dataclass(frozen=True)
class Estimate:
    """One item's estimate, checked: numbers are Decimals, MNOK and person-years."""

    item: str
    place: Place
    cost: Decimal | None = None
    low: Decimal | None = None
    likely: Decimal | None = None
    high: Decimal | None = None
    benefit: Decimal | None = None
    requires: tuple[tuple[str, Place], ...] = ()
    capacity: Decimal = Decimal(0)
    scope: str = "national"
    earliest_year: int | None = None
    duration: int = 1
    source: tuple[str, ...] = ()
    interpretation: bool = False
    note: str = ""

    @property
    def triangular(self) -> bool:
        return self.cost is None

    @property
    def planning_cost(self) -> Decimal:
        """The cost the plan uses: the point estimate, or the triangular mean
        ``(low + likely + high) / 3`` (the expected cost; the Monte Carlo run tells how likely
        the frame holds)."""
        if self.cost is not None:
            return self.cost
        assert self.low is not None and self.likely is not None and self.high is not None
        return (self.low + self.likely + self.high) / 3


def read_estimates(path: Path) -> list[Estimate]:
    """Read and check a file of the kind ``estimater`` given with ``--estimates`` (YAML, CSV
    or XLSX; in a workbook of several sheets, the sheet ``estimater``).

    Raises
    ------
    ModelLoadError
        Every problem of the file, one ``file:line: message`` each.
    """
    display = str(path)
    if not path.is_file():
        raise ModelLoadError([Problem(display, None, "estimates file not found")])
    read = reader_for(path)
    if read is None or path.suffix.lower() not in (".yaml", ".yml", ".csv", ".xlsx"):
        raise ModelLoadError([Problem(display, None, "estimates must be a .yaml, .csv or "
                                                     ".xlsx file")])
    result = read(path, display)
    problems = list(result.problems)
    records = result.records
    sheets = {r.sheet for r in records if r.sheet is not None}
    if sheets and len(sheets) > 1:
        records = [r for r in records if r.sheet == KIND.name]
        if not records:
            problems.append(Problem(display, None, f"no sheet named '{KIND.name}' among "
                                                   f"{', '.join(sorted(sheets))}"))
    estimates = _checked(records, problems)
    if not estimates and not problems:
        problems.append(Problem(display, None, "no estimates in the file"))
    if problems:
        raise ModelLoadError(problems)
    return estimates


def model_estimates(model_dir: Path) -> list[Estimate]:
    """The model's own records of the kind ``estimater``, checked with the planner's rules.

    Raises
    ------
    ModelLoadError
        Every problem, one ``file:line: message`` each; or, for a model without estimates,
        one line saying where to put them.
    """
    problems: list[Problem] = []
    records: list[Record] = []
    for path in source_files(model_dir):
        read = reader_for(path)
        if read is None or path.suffix.lower() == ".ttl":
            continue
        result = read(path, str(model_dir / path.relative_to(model_dir)))
        found = [r for r in result.records if r.kind == KIND.name]
        if found:
            problems.extend(result.problems)
            records.extend(found)
    if not records and not problems:
        raise ModelLoadError([Problem(str(model_dir), None, "the model has no estimates: add "
                                      f"{KIND.name}.yaml (one record per item, with sourced "
                                      "figures) to the model, or give --estimates FILE")])
    estimates = _checked(records, problems)
    if problems:
        raise ModelLoadError(problems)
    return estimates


def _checked(records: Iterable[Record], problems: list[Problem]) -> list[Estimate]:
    estimates: list[Estimate] = []
    seen: dict[str, Place] = {}
    for record in records:
        estimate = _estimate(record, problems)
        if estimate is None:
            continue
        if estimate.item in seen:
            problems.append(estimate.place.problem(
                f"item '{estimate.item}' already estimated at line {seen[estimate.item].line}"))
            continue
        seen[estimate.item] = estimate.place
        estimates.append(estimate)
    return estimates


def _place(record: Record, cell: Cell | None = None) -> Place:
    line = cell.line if cell is not None and cell.line is not None else record.line
    return Place(record.file, line, record.sheet)


def _values(record: Record, name: str) -> list[Cell]:
    cells = record.cells.get(name, [])
    column = KIND.column(name)
    if column is not None and column.multi:  # CSV and XLSX write lists as "a; b"
        return [Cell(part.strip(), cell.line) for cell in cells
                for part in cell.value.split(_MULTI_SEPARATOR) if part.strip()]
    return [c for c in cells if c.value.strip()]


def _one(record: Record, name: str, problems: list[Problem]) -> Cell | None:
    cells = _values(record, name)
    if len(cells) > 1:
        problems.append(_place(record, cells[1]).problem(f"column '{name}' takes one value"))
    return cells[0] if cells else None


def _number(record: Record, name: str, problems: list[Problem],
            unit: str = "MNOK") -> Decimal | None:
    cell = _one(record, name, problems)
    if cell is None:
        return None
    text = cell.value.strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        problems.append(_place(record, cell).problem(
            f"column '{name}': '{text}' is not a number ({unit}; use a decimal point)"))
        return None
    if value < 0:
        problems.append(_place(record, cell).problem(
            f"column '{name}': {text} is negative; {unit} cannot be"))
        return None
    return value


def _integer(record: Record, name: str, problems: list[Problem],
             check: Callable[[int], str | None]) -> int | None:
    cell = _one(record, name, problems)
    if cell is None:
        return None
    text = cell.value.strip()
    if not text.lstrip("-").isdigit():
        problems.append(_place(record, cell).problem(
            f"column '{name}': '{text}' is not a whole number"))
        return None
    value = int(text)
    message = check(value)
    if message:
        problems.append(_place(record, cell).problem(f"column '{name}': {message}"))
        return None
    return value


def _estimate(record: Record, problems: list[Problem]) -> Estimate | None:
    before = len(problems)
    for name in sorted(record.cells):
        if name not in COLUMN_NAMES:
            close = difflib.get_close_matches(name, COLUMN_NAMES, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else \
                f"; columns are {', '.join(COLUMN_NAMES)}"
            problems.append(_place(record, record.cells[name][0] if record.cells[name] else None)
                            .problem(f"unknown column '{name}'{hint}"))
    item_cell = _one(record, "item", problems)
    if item_cell is None:
        problems.append(_place(record).problem("column 'item' is required"))
    cost = _number(record, "cost", problems)
    low = _number(record, "cost_low", problems)
    likely = _number(record, "cost_likely", problems)
    high = _number(record, "cost_high", problems)
    triangle = [v for v in (low, likely, high) if v is not None]
    given = [n for n in ("cost_low", "cost_likely", "cost_high") if record.cells.get(n)]
    if cost is not None and given:
        problems.append(_place(record).problem(
            "give either 'cost' or 'cost_low'/'cost_likely'/'cost_high', not both"))
    elif cost is None and not given and not _values(record, "cost"):
        problems.append(_place(record).problem(
            "no cost: give 'cost' or 'cost_low', 'cost_likely' and 'cost_high' (MNOK)"))
    elif given and len(given) < 3:
        missing = sorted({"cost_low", "cost_likely", "cost_high"} - set(given))
        problems.append(_place(record).problem(
            f"a triangular estimate needs all three values; missing {', '.join(missing)}"))
    elif len(triangle) == 3:
        assert low is not None and likely is not None and high is not None
        if low > likely:
            problems.append(_place(record).problem(
                f"cost_low {low} is greater than cost_likely {likely}"))
        if likely > high:
            problems.append(_place(record).problem(
                f"cost_likely {likely} is greater than cost_high {high}"))
    benefit = _number(record, "benefit", problems, unit="benefit points")
    capacity = _number(record, "capacity", problems, unit="person-years")
    scope_cell = _one(record, "scope", problems)
    scope = "national"
    if scope_cell is not None:
        scope = scope_cell.value.strip().lower()
        if scope not in SCOPES:
            close = difflib.get_close_matches(scope, SCOPES, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(_place(record, scope_cell).problem(
                f"column 'scope': '{scope_cell.value}' is not one of {', '.join(SCOPES)}{hint}"))
    earliest = _integer(record, "earliest_year", problems,
                        lambda v: None if 1900 <= v <= 2200 else f"{v} is not a year")
    duration = _integer(record, "duration_years", problems,
                        lambda v: None if 1 <= v <= 50 else f"{v} is not 1 to 50 years")
    flag = _one(record, "interpretation", problems)
    interpretation = False
    if flag is not None:
        text = flag.value.strip().lower()
        if text not in TRUE_WORDS | FALSE_WORDS:
            problems.append(_place(record, flag).problem(
                f"column 'interpretation': '{flag.value}' is not true or false"))
        interpretation = text in TRUE_WORDS
    notes = [c.value.strip() for n in ("note_en", "note_nb")
             for c in _values(record, n)]
    if len(problems) > before or item_cell is None:
        return None
    return Estimate(
        item=item_cell.value.strip(), place=_place(record, item_cell), cost=cost, low=low,
        likely=likely, high=high, benefit=benefit,
        requires=tuple((c.value, _place(record, c)) for c in _values(record, "requires")),
        capacity=capacity or Decimal(0), scope=scope, earliest_year=earliest,
        duration=duration or 1, source=tuple(c.value for c in _values(record, "source")),
        interpretation=interpretation, note=notes[0] if notes else "")


__all__ = ["COLUMN_NAMES", "KIND", "SCOPES", "Estimate", "Place", "model_estimates",
           "read_estimates"]
