"""The host hears of a partner's cancelled booking: the booking that municipality cancelled, also
when another municipality's booking has the same id, or the event was stored before ids were scoped."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from contracts.topics import partner_topic
from services.collaboration.application import CollaborationApplication
from services.collaboration.domain.activity import SharedActivity
from services.collaboration.publication import build_publication_table

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
HOST, VASTERAS, GAVLE = "0380", "1980", "2180"


def told_to_the_host(events: list[Any]) -> list[Any]:
    """The seat-booking records the last of ``events`` tells the host, after a stored round trip."""
    mapper = CollaborationApplication().mapper
    stored = [mapper.to_domain_event(mapper.to_stored_event(e)) for e in events]

    def load(_: object, version: int) -> SharedActivity:
        activity = None
        for event in stored[:version]:
            activity = event.mutate(activity)
        assert isinstance(activity, SharedActivity)
        return activity

    table = build_publication_table(load, lambda _: None)
    return [out.data for out in table.translate(stored[-1]) if out.topic == partner_topic(HOST)]


def booked_twice_as_b1() -> SharedActivity:
    activity = SharedActivity.announce(HOST, "training", "Training", NOW, 5, (VASTERAS, GAVLE))
    activity.book("b1", VASTERAS, 1)
    activity.book("b1", GAVLE, 2)
    return activity


def test_a_cancelled_booking_is_told_as_the_cancelling_municipalitys_beside_another_of_the_same_id() -> None:
    activity = booked_twice_as_b1()
    activity.cancel_booking("b1", GAVLE)
    [told] = told_to_the_host(activity.collect_events())
    assert (told.booking_municipality, told.seats, told.change) == (GAVLE, 2, "cancelled")


def test_a_cancellation_stored_before_booking_ids_were_scoped_is_told_as_the_one_booking_of_that_id() -> None:
    activity = SharedActivity.announce(HOST, "training", "Training", NOW, 5, (VASTERAS, GAVLE))
    activity.book("b1", VASTERAS, 1)
    activity.book("b2", GAVLE, 2)
    activity.cancel_booking("b2", GAVLE)
    events = activity.collect_events()
    vars(events[-1]).pop("municipality")  # as stored before: the id alone
    [told] = told_to_the_host(events)
    assert (told.booking_municipality, told.seats, told.change) == (GAVLE, 2, "cancelled")
