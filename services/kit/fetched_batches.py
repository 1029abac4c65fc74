"""How the records of one fetch are split into units of work (``services/kit/consumer.py``).

A fetch holds records of several topics and partitions.  Records carrying a relay position
(from another service of the system) are tracked per partition, so each partition's records share
one transaction with that partition's position.  Records from outside carry none: they are kept
from repeats by what they store themselves (a timeline entry's source key, a ``ReceivedEvent``
marker), so all of a topic's partitions share one transaction.  A fetch of 500 placements over
four partitions was four commits and four catch-ups of every index; it is one
(docs/performance.md, 2026-12-04 night).
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby
from typing import Any

from services.kit.applying import RecordWork


def by_partition(records: Iterable[Any]) -> list[list[Any]]:
    """The records of each (topic, partition), in offset order."""
    ordered = sorted(records, key=lambda r: (r.topic, r.partition, r.offset))
    return [list(group) for _, group in groupby(ordered, key=lambda r: (r.topic, r.partition))]


def by_topic(partitions: list[list[Any]]) -> list[list[list[Any]]]:
    """``by_partition``'s lists, grouped by topic."""
    return [list(group) for _, group in groupby(partitions, key=lambda records: records[0].topic)]


def units_of_work(prepared: list[list[RecordWork]]) -> list[list[RecordWork]]:
    """One topic's work, a list per partition, as the transactions that take it."""
    if any(item.tracking is not None for work in prepared for item in work):
        return prepared
    return [[item for work in prepared for item in work]]
