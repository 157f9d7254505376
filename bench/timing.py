"""Timing helpers shared by the bench scripts (run as ``python bench/NAME.py``, so this module
is importable as ``timing``)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def timed(func: Callable[[], T]) -> tuple[float, T]:
    """Seconds ``func`` took, and what it returned."""
    started = time.perf_counter()
    value = func()
    return time.perf_counter() - started, value


def best_of(repeat: int, func: Callable[[], T]) -> tuple[float, T]:
    """The fastest of ``repeat`` runs (at least one), and the last run's value."""
    best, value = timed(func)
    for _ in range(repeat - 1):
        seconds, value = timed(func)
        best = min(best, seconds)
    return best, value
