"""Whether a consumed record is keyed by its case id, as the public contract says (ADR 0017 addendum).

The key only places a record: the kit reads the case from the CloudEvent (``subject``, which
``parse_record`` holds to ``data.case_id``).  A publisher that keys otherwise (no key, bytes that
are not UTF-8, another value) spreads one case's records over partitions, where they may be
handled out of order and by two replicas at once.  Such a record is applied as usual, since a
child's placement must not wait on a transport detail, and counted and logged so that ops can
tell its publisher: never with the key or the case id (either may name another case).
"""

from __future__ import annotations

from contracts.common import MUNICIPALITIES
from services.kit.applying import RecordWork
from services.kit.logs import get_logger
from services.kit.metrics import ServiceMetrics

log = get_logger(__name__)

MISSING, NOT_UTF8, NOT_CASE_ID = "missing", "not_utf8", "not_case_id"


def key_problem(key: bytes | None, case_id: str) -> str | None:
    """How ``key`` fails to be ``case_id`` in UTF-8, from a closed set; None if it is it."""
    if key == case_id.encode():  # the one comparison every well-keyed record pays
        return None
    if not key:
        return MISSING
    try:
        key.decode("utf-8")
    except UnicodeDecodeError:
        return NOT_UTF8
    return NOT_CASE_ID


class RecordKeyCheck:
    """Counts and logs the records a consumer applies whose key is not their case id."""

    def __init__(self, metrics: ServiceMetrics) -> None:
        self._counter = metrics.inbound_key_mismatches

    def check(self, work: RecordWork) -> None:
        record, event = work.record, work.event
        problem = key_problem(record.key, event.envelope.subject)
        if problem is None:
            return
        # Which municipality's publisher to tell; a closed set, whatever a model may say.
        named = getattr(event.data, "municipality", None)
        municipality = named if named in MUNICIPALITIES else "none"
        self._counter.labels(topic=record.topic, problem=problem, municipality=municipality).inc()
        log.warning(
            "record key is not its case id; applied as usual",
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            problem=problem,
            municipality=municipality,
            event_type=event.envelope.type,
        )
