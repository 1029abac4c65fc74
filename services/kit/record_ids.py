"""CloudEvent ids of relayed records: the same on every republish, and no count of the log.

A consumer drops a repeat by (source, id) (the case store keys timeline entries by it), so a
record's id must come from what is stored.  ``<originator>.<version>`` did, but it counted every
event stored on the aggregate: a shared home's version moves with a protected child's move-in and
move-out, and a municipality's own timeline showed it (ADR 0009 addendum, "internal records").
Every event the kit stores now carries a random ``record_key`` of its own; its records' ids are
``<originator>.<record key>[.<index>]``.  Events stored before it have none and keep the ids they
went out with, so a republish of one is still a repeat.  Both shapes keep the dots
``is_later_record`` counts.
"""

from __future__ import annotations

import secrets
from typing import Any
from uuid import NAMESPACE_URL, uuid5

RECORD_KEY = "record_key"


def stamp_record_key(domain_event: Any) -> None:
    """Give a new event its key, once; 64 random bits name it among its aggregate's events."""
    vars(domain_event).setdefault(RECORD_KEY, secrets.token_hex(8))


def record_key_of(domain_event: Any) -> str | None:
    """The event's record key; None for one stored before record keys (its ids stay as they were)."""
    key = vars(domain_event).get(RECORD_KEY)
    return key if isinstance(key, str) and key else None


def record_id(domain_event: Any, index: int) -> str:
    """The CloudEvent id of a stored event's ``index``-th record on an internal topic."""
    # Stored before record keys: the id it was first published with, or a republish is no repeat.
    position = record_key_of(domain_event) or domain_event.originator_version
    base_id = f"{domain_event.originator_id}.{position}"
    return base_id if index == 0 else f"{base_id}.{index}"


def partner_record_id(source: str, domain_event: Any, index: int) -> str:
    """The CloudEvent id of a record on a partner topic: the same on every republish, yet opaque.

    ``<originator>.<version>`` would count every event stored on the aggregate, told to partners
    or not (a protected child's move-in and move-out on a shared home), and a hash of it could be
    matched by trying versions.  Derived from the event's random record key (or, for an event
    stored before record keys, its own time, already the record's ``time``), the aggregate and the
    record's index, an id tells a partner nothing more.
    """
    # The stored event's time alone was shared by two of an aggregate's events stored in the same
    # microsecond: the second's message had the first's id and partners dropped it as a repeat.
    # Its random record key, where it has one, is its own; events stored before keep their ids.
    named_by = record_key_of(domain_event) or domain_event.timestamp.isoformat()
    return str(uuid5(NAMESPACE_URL, f"{source}|{domain_event.originator_id}|{named_by}|{index}"))


def is_later_record(event_id: str) -> bool:
    """Whether a relayed record is the second or later one its stored event published.

    All records of one stored event carry its notification id as their ``sequence``; only
    the first may stand for that position (``subscriptions.tracking_for``).
    """
    return event_id.count(".") >= 2
