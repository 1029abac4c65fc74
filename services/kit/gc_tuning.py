"""The garbage collector tuned for a long-running service (docs/performance.md, 2026-12-04).

A service's heap grows with its indexes (a row per case, chain, meeting...), and with the
default thresholds (a young-generation pass every 700 net allocations) the cyclic collector
kept re-scanning it: in a burst of placements the case store spent about a fifth of its CPU
there, more the larger its store.  Stored events and records are plain data without cycles,
so collecting less often frees the same memory a little later.
"""

from __future__ import annotations

import gc

YOUNG_GENERATION_THRESHOLD = 50_000  # net allocations between young-generation passes (default 700)


def tune_garbage_collection() -> None:
    """Call once, after start-up: what start-up made (modules, classes, the app) is never garbage."""
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, middle, old)
