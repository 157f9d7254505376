"""How likely the chosen set stays inside the frame, when estimates are triangular.

Design-to-cost allows no contingency reserve, so the board needs to know how sure the frame
is. Each triangular item's cost is drawn from its triangle (low, likely, high), point
estimates are fixed, and the share of draws whose total is within the frame is the
probability. Seeded (NumPy's PCG64): the same seed gives the same figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from .estimates import Estimate

DEFAULT_SAMPLES = 10_000
DEFAULT_SEED = 0


def probability_within(estimates: Sequence[Estimate], frame: Decimal,
                       samples: int = DEFAULT_SAMPLES, seed: int = DEFAULT_SEED,
                       ) -> float | None:
    """The share of ``samples`` draws of the total cost of ``estimates`` that is at most
    ``frame`` MNOK; None when no estimate is triangular (the total is then certain)."""
    if not any(e.triangular for e in estimates):
        return None
    import numpy as np  # only here: the CLI's --help need not load it

    rng = np.random.default_rng(seed)
    total = np.zeros(samples)
    for estimate in estimates:
        if not estimate.triangular:
            total += float(estimate.planning_cost)
            continue
        low, likely, high = (float(v) for v in (estimate.low, estimate.likely, estimate.high)
                             if v is not None)
        if low == high:
            total += low
        else:
            total += rng.triangular(low, likely, high, samples)
    return float(np.count_nonzero(total <= float(frame) + 1e-9)) / samples


__all__ = ["DEFAULT_SAMPLES", "DEFAULT_SEED", "probability_within"]
