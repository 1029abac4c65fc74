"""A served process collects garbage less often and never re-scans what start-up made."""

from __future__ import annotations

import gc

from services.kit.gc_tuning import YOUNG_GENERATION_THRESHOLD, tune_garbage_collection


def test_tuning_freezes_the_start_up_heap_and_raises_only_the_young_threshold() -> None:
    before = gc.get_threshold()
    try:
        tune_garbage_collection()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (YOUNG_GENERATION_THRESHOLD, before[1], before[2])
        assert gc.isenabled()  # cycles are still collected, only less often
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
