"""The planning problem as plain integers: what the solver, the lists and the tests share.

Money and benefit are scaled integers (:data:`SCALE` units per MNOK or benefit point), so the
solver works exactly (CP-SAT takes integers only) and a brute-force check in the tests
compares equal numbers, never floats within a tolerance.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

from samhandling.schema import SCOPE_CHOICES

#: Integer units per MNOK (and per benefit point): 1 unit = 1 kNOK.
SCALE = 1000
#: Shares (``--max-share``) are whole per-mille.
PER_MILLE = 1000
#: The scopes of the kind estimater's column ``scope``, declared once in the schema.
SCOPES = tuple(value for value, _concept in SCOPE_CHOICES)


def scaled(value: Decimal | int | float) -> int:
    """``value`` (MNOK, points, person-years) as integer units, halves to even."""
    return int((Decimal(str(value)) * SCALE).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def unscaled(units: int) -> float:
    """Integer units back to MNOK (or points) for reports."""
    return units / SCALE


@dataclass(frozen=True)
class Item:
    """One thing that can be chosen: its cost, benefit, prerequisites and time needs.

    ``groups`` are the prerequisites: each group is a tuple of item ids of which at least
    one must be chosen (and, with years, finished) before this item. An explicit ``requires``
    is a group of one; a service that several items deliver gives a group of alternatives.
    """

    id: str
    cost: int
    benefit: int
    groups: tuple[tuple[str, ...], ...] = ()
    scope: str = "national"
    earliest: int | None = None
    duration: int = 1
    capacity: int = 0


@dataclass(frozen=True)
class Instance:
    """Everything the solver honours besides the frame."""

    items: tuple[Item, ...]
    musts: frozenset[str] = frozenset()
    excluded: frozenset[str] = frozenset()
    #: year -> budget in units; with any entry, every chosen item is done inside these years
    budgets: dict[int, int] = field(default_factory=dict)
    #: year -> sector capacity in units of person-years
    capacity: dict[int, int] = field(default_factory=dict)
    #: scope -> the most its items may take of the chosen cost, in per-mille
    shares: dict[str, int] = field(default_factory=dict)

    @property
    def by_id(self) -> dict[str, Item]:
        return {item.id: item for item in self.items}

    @property
    def timed(self) -> bool:
        """Whether years bind the choice (per-year budgets or capacity were given)."""
        return bool(self.budgets or self.capacity)

    def horizon(self) -> tuple[int, int] | None:
        """The first and last year of the plan when years bind, else None."""
        years = [*self.budgets, *self.capacity]
        return (min(years), max(years)) if years else None


def spread(total: int, years: int) -> list[int]:
    """``total`` units over ``years`` years, as even as integers allow (the remainder goes to
    the first years), so the parts add up to the total exactly."""
    base, rest = divmod(total, years)
    return [base + (1 if k < rest else 0) for k in range(years)]


__all__ = ["PER_MILLE", "SCALE", "SCOPES", "Instance", "Item", "scaled", "spread", "unscaled"]
