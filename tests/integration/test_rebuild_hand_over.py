"""A case store started on a rebuilt store: in its usual consumer group it reads again what the
group had not read and applies none of it twice; after a hand-over (the rebuild's positions
committed as its group's offsets) it reads nothing again.  On a real broker, SQLite and PostgreSQL.
"""

from __future__ import annotations

import uuid

import pytest

from services.case_store.app import create_app
from services.kit.settings import ServiceSettings
from services.ops import GroupStillActive, hand_over, rebuild_case_store
from tests.support.apps import eventually, serving
from tests.support.broker import produce_records
from tests.support.case_store_runs import (
    ENTRIES_PER_CASE,
    cases_in_two_municipalities,
    consumed,
    empty_store,
    live_store_consumes,
    serve_and_consume,
)
from tests.support.case_story import Relays, stories

pytestmark = [pytest.mark.integration, pytest.mark.one_backend]
__all__ = ["empty_store"]  # the fixture, shared with the other rebuild tests


async def test_the_case_store_started_on_a_rebuilt_store_in_its_usual_group_reapplies_nothing(
    settings: ServiceSettings, empty_store: ServiceSettings
) -> None:
    relays, cases = Relays(), cases_in_two_municipalities(3)
    await live_store_consumes(settings, stories(cases[:2], relays))
    # Published after the live store stopped: the rebuild reads them, its group has not.
    unseen = stories(cases[2:4], relays)
    await produce_records(settings.kafka_bootstrap, unseen)
    await rebuild_case_store(empty_store)

    later = stories(cases[4:], relays)
    duplicates, timelines = await serve_and_consume(empty_store, later, len(unseen) + len(later))

    # Read again from where the group stood: relayed records found tracked, placement events
    # found in their timelines by source key; every timeline has each entry once.
    assert duplicates == 16
    assert len(timelines) == 6 and all(len(entries) == ENTRIES_PER_CASE for entries in timelines.values())


async def test_the_case_store_carries_on_from_where_a_handed_over_rebuild_stopped(
    settings: ServiceSettings, empty_store: ServiceSettings
) -> None:
    relays, cases = Relays(), cases_in_two_municipalities(2)
    await produce_records(settings.kafka_bootstrap, stories(cases[:2], relays))
    # A group no member has joined yet: the local broker keeps members that left (see hand_over).
    taking_over = empty_store.model_copy(update={"consumer_group_prefix": f"h{uuid.uuid4().hex[:8]}-"})

    rebuilt = await rebuild_case_store(taking_over, hand_over_positions=True)
    assert rebuilt["handed_over_to"] == taking_over.consumer_group_prefix + "case_store"

    later = stories(cases[2:], relays)
    duplicates, timelines = await serve_and_consume(taking_over, later, len(later))
    assert duplicates == 0  # nothing the rebuild applied was read again
    assert len(timelines) == 4 and all(len(entries) == ENTRIES_PER_CASE for entries in timelines.values())


async def test_a_rebuild_is_not_handed_over_while_the_case_store_runs(
    settings: ServiceSettings, empty_store: ServiceSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hand_over, "MEMBERS_LEAVE_SECONDS", 1.0)
    records = stories(cases_in_two_municipalities(1))
    app = create_app(settings)
    async with serving(app):
        await produce_records(settings.kafka_bootstrap, records)
        await eventually(lambda: consumed(app, "processed") == len(records), timeout=30)
        with pytest.raises(GroupStillActive):
            await rebuild_case_store(empty_store, hand_over_positions=True)
