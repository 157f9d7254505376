"""Hold the cyclic garbage collector while a stage allocates millions of small objects.

The build, the analysis index and big query results make no reference cycles worth
collecting, yet CPython's collector would walk all they made, again and again: see
:func:`no_gc_pauses`.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: Net new container objects (the collector's youngest-generation count) above which
#: :func:`no_gc_pauses` freezes what the pause made: a 100k-triple build makes ~115,000.
FREEZE_AFTER = 100_000


@contextmanager
def no_gc_pauses(freeze_after: int = FREEZE_AFTER) -> Iterator[None]:
    """Hold the cyclic garbage collector while a build allocates millions of small objects.

    A build makes no reference cycles worth collecting, but CPython's collector runs every
    ~700 allocations and walks ever more live objects: at a million triples it took half of
    the build's time (10 s of 20). Reference counting still frees everything as usual.

    When the pause made more than ``freeze_after`` objects, they are moved to the
    collector's permanent generation (:func:`gc.freeze`) as it ends: otherwise the next
    collections walk them all again (at a million triples, rendering the ``analyze`` report
    spent ~1 s of its 1.1 s in such passes over the model). Frozen objects are still freed
    by reference counting; only cyclic garbage among them would stay, and a model holds no
    cycles. Small pauses (tests, the seed model) end as they began.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if gc.get_count()[0] > freeze_after:
                gc.freeze()
            gc.enable()


__all__ = ["FREEZE_AFTER", "no_gc_pauses"]
