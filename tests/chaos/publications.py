"""Every event the upstream services published for the case store reached it exactly once.

The ledger's commands (``checks.py``) cover five kinds of effect; this covers every record the
four upstream services' relays publish onto a topic the case store records: each must be in
exactly one timeline entry, or access-log record for ``se.natverk.case.accessed.v1``, found by
its ``source|id`` (the case store's ``source_key``).  Nothing is guessed: what was published is
computed as the relay computes it, from each service's own wiring
(``build_runtime(settings)``: its store, publication table and relay's parking lot) and the
kit's ``records_of``; what the case store records, from its own consumers' subscriptions.

The stores are only read (SQLite readers are safe beside the running services; the one write
the wiring could make, seeding scheduling's default roster, was made when the service started).
Only notifications stored before ``take_stock`` are judged: sweeps store more meanwhile.  A
record its relay parked is legitimately unpublished: excluded, and counted.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from eventsourcing.utils import get_topic

from services.case_store.application import CaseStoreApplication
from services.case_store.domain.access_log import CaseAccessLog
from services.case_store.domain.timeline import CaseTimeline
from services.case_store.inbound import ACCESS_TYPE, consumers
from services.kit.outbox import records_of
from services.kit.pages import PageRequest
from services.kit.runtime import ServiceRuntime
from services.kit.settings import ServiceSettings
from services.kit.store import ServiceApplication, open_store

UPSTREAM = ("referrals", "scheduling", "network_support", "collaboration")
TIMELINE, ACCESS_LOG = "timeline", "access log"
PAGE = 500
# Where the case store keeps each source key (ADR 0037: a timeline opens with its first entry).
KEPT_IN = {
    CaseTimeline.OpenedWithEntry: TIMELINE,
    CaseTimeline.EntryAppended: TIMELINE,
    CaseAccessLog.AccessRecorded: ACCESS_LOG,
}


@dataclass(frozen=True)
class Published:
    """One record a relay publishes for the case store: the entry it must make, once."""

    service: str
    notification: int
    key: str  # CloudEvent source|id
    kind: str  # TIMELINE or ACCESS_LOG
    event_type: str
    subject: str


class Publications:
    """The upstream services' published records and the case store's entries, read from their stores."""

    def __init__(self, settings: ServiceSettings) -> None:
        self._runtimes: dict[str, ServiceRuntime] = {
            name: import_module(f"services.{name}.app").build_runtime(settings) for name in UPSTREAM
        }
        self._case_store = open_store(CaseStoreApplication, settings, "case_store")
        self._recorded = {
            (spec.topic, s.event_type) for spec in consumers(self._case_store) for s in spec.subscriptions
        }
        self._topics = tuple(sorted(get_topic(event) for event in KEPT_IN))
        self._entries: Counter[tuple[str, str]] = Counter()  # (kind, source key) -> entries
        self._read_up_to = 0
        self.expected: list[Published] = []
        self.unbuildable: dict[str, list[int]] = {}

    def take_stock(self) -> None:
        """What each service's relay must have published of what it has stored by now."""
        self.expected, self.unbuildable = [], defaultdict(list)
        for name, runtime in self._runtimes.items():
            app, table = runtime.app, runtime.publication
            assert table is not None, f"{name} publishes nothing"
            for notification in _notifications(app, table.stored_topics(), 0, app.max_notification_id()):
                try:
                    records = records_of(app, table, notification, notification.id, 0)
                except Exception:  # its relay cannot publish it either: parked (see ``violations``)
                    self.unbuildable[name].append(notification.id)
                    continue
                self.expected += [p for r in records if (p := self._for_case_store(name, notification.id, r))]

    def _for_case_store(self, service: str, notification: int, record: Any) -> Published | None:
        event = json.loads(record.value)
        if (record.topic, event["type"]) not in self._recorded:
            return None
        kind = ACCESS_LOG if event["type"] == ACCESS_TYPE else TIMELINE
        key = f"{event['source']}|{event['id']}"
        return Published(service, notification, key, kind, event["type"], event["subject"])

    def parked(self) -> dict[str, set[int]]:
        """The notification ids each relay has parked and ops have not released."""
        waiting: dict[str, set[int]] = {}
        for name, runtime in self._runtimes.items():
            assert runtime.relay is not None
            waiting[name], page = set(), PageRequest(limit=PAGE)
            while True:
                found = runtime.relay.parking.waiting(page)
                waiting[name] |= {parked.notification_id for parked in found.items}
                if found.next_key is None:
                    break
                page = PageRequest(limit=PAGE, after=found.next_key)
        return waiting

    def entries(self) -> Counter[tuple[str, str]]:
        """(kind, source key) -> how many timeline entries or access records the case store holds.

        Read on from where the last call stopped: SQLite gives notification ids in commit order.
        """
        store = self._case_store
        newest = store.max_notification_id()
        for notification in _notifications(store, self._topics, self._read_up_to, newest):
            event = store.mapper.to_domain_event(notification)
            self._entries[(KEPT_IN[type(event)], event.source_key)] += 1
        self._read_up_to = newest
        return self._entries

    def unrecorded(self) -> int:
        """How many records judged are not yet in the case store (the check waits for none)."""
        parked, entries = self.parked(), self.entries()
        return sum(
            entries[(p.kind, p.key)] == 0 for p in self.expected if p.notification not in parked[p.service]
        )

    def violations(self) -> tuple[list[str], str]:
        """Every record lost or recorded more than once or in the wrong place, and a summary."""
        parked, entries = self.parked(), self.entries()
        judged = [p for p in self.expected if p.notification not in parked[p.service]]
        problems = [problem for p in judged if (problem := _wrong(p, entries))]
        problems += [
            f"{service} notification {n} cannot become a record, yet its relay has not parked it"
            for service, ids in self.unbuildable.items()
            for n in ids
            if n not in parked[service]
        ]
        excluded = sum(len(ids) for ids in parked.values())
        return problems, f"{len(judged)} published records judged ({excluded} parked notifications excluded)"

    def close(self) -> None:
        for runtime in self._runtimes.values():
            runtime.app.close()
        self._case_store.close()


def _notifications(app: ServiceApplication, topics: tuple[str, ...], after: int, up_to: int) -> Iterator[Any]:
    """The stored notifications of ``topics`` after ``after`` up to ``up_to``, a page at a time."""
    while after < up_to:
        found = app.recorder.select_notifications(after + 1, PAGE, stop=up_to, topics=topics)
        yield from found
        after = found[-1].id if len(found) == PAGE else up_to


def _wrong(published: Published, entries: Counter[tuple[str, str]]) -> str | None:
    here = entries[(published.kind, published.key)]
    elsewhere = entries[(ACCESS_LOG if published.kind == TIMELINE else TIMELINE, published.key)]
    if here == 1 and elsewhere == 0:
        return None
    found = f"{here} {published.kind} entries" + (f" and {elsewhere} elsewhere" if elsewhere else "")
    problem = "lost" if here + elsewhere == 0 else "not recorded exactly once"
    return (
        f"{problem}: {published.service} notification {published.notification} "
        f"{published.event_type} of case {published.subject} ({published.key}): {found}"
    )
