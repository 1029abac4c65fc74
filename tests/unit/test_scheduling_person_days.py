"""Nobody in two places at once: each person's day refuses a second booking of the same time."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from services.scheduling.application import SchedulingApplication
from services.scheduling.domain.person_day import PersonBusy, PersonDay
from tests.support.bookings import double_bookings

MONDAY_MORNING = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
NINE = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def scheduling() -> SchedulingApplication:
    app = SchedulingApplication()  # in memory
    app.clock = lambda: datetime(2026, 11, 23, 8, 0)
    app.seed_default_roster()
    return app


def convene_in_one_unit_of_work(app: SchedulingApplication, statuses: list[str]) -> None:
    """As the kit applies a partition's fetched records: every handler in one unit of work."""
    with app.unit_of_work():
        for status in statuses:
            referral_id = str(uuid.uuid4())
            app.convene_staff_meeting(
                referral_id,
                "network_centre",
                f"0380-{referral_id[:6]}",
                "0380",
                status,
                "unassigned",
                MONDAY_MORNING,
            )


def test_a_person_day_refuses_a_second_booking_of_an_overlapping_time() -> None:
    day = PersonDay(municipality="0380", staff_id="a", day=date(2026, 11, 24))
    day.book("m1", NINE, NINE + HOUR)
    with pytest.raises(PersonBusy):
        day.book("m2", NINE + HOUR / 2, NINE + 2 * HOUR)


def test_a_freed_time_can_be_booked_again() -> None:
    day = PersonDay(municipality="0380", staff_id="a", day=date(2026, 11, 24))
    day.book("m1", NINE, NINE + HOUR)
    day.free("m1")
    day.book("m2", NINE, NINE + HOUR)
    assert day.intervals() == [(NINE, NINE + HOUR)]


def test_staff_meetings_convened_in_one_batch_book_nobody_twice() -> None:
    app = scheduling()
    convene_in_one_unit_of_work(app, ["placed"] * 20)
    assert len(app._open_meetings("0380")) == 20
    assert double_bookings(app) == []
