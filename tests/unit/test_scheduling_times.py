"""Scheduling's times: one instant per accepted time, old wall-clock-only events still load,
and the automatic staff meeting is never in the past nor earlier than the next working day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from services.scheduling.application import SchedulingApplication
from services.scheduling.commands import NewMeeting, Reschedule
from services.scheduling.domain.local_time import UnclearLocalTime, instant_of, is_repeated
from services.scheduling.domain.meeting import InvalidTimes, Meeting
from services.scheduling.domain.working_days import next_working_day
from services.scheduling.staff_meeting import earliest_staff_meeting


@pytest.mark.parametrize(
    ("given", "instant"),
    [
        (datetime(2027, 1, 12, 9), datetime(2027, 1, 12, 8, tzinfo=UTC)),
        (datetime(2027, 7, 12, 9), datetime(2027, 7, 12, 7, tzinfo=UTC)),
        (datetime(2027, 3, 28, 1, 59), datetime(2027, 3, 28, 0, 59, tzinfo=UTC)),
        (datetime(2027, 3, 28, 3, 0), datetime(2027, 3, 28, 1, 0, tzinfo=UTC)),
        (datetime(2027, 10, 31, 1, 59), datetime(2027, 10, 30, 23, 59, tzinfo=UTC)),
        (datetime(2027, 10, 31, 3, 0), datetime(2027, 10, 31, 2, 0, tzinfo=UTC)),
        (datetime.fromisoformat("2027-10-31T02:30:00+01:00"), datetime(2027, 10, 31, 1, 30, tzinfo=UTC)),
        (datetime.fromisoformat("2027-03-28T02:30:00+01:00"), datetime(2027, 3, 28, 1, 30, tzinfo=UTC)),
    ],
)
def test_a_local_time_or_a_time_with_an_offset_names_one_instant(given: datetime, instant: datetime) -> None:
    assert instant_of(given) == instant


@pytest.mark.parametrize("local", [datetime(2027, 3, 28, 2, 0), datetime(2027, 3, 28, 2, 59)])
def test_a_local_time_skipped_in_spring_is_refused(local: datetime) -> None:
    with pytest.raises(UnclearLocalTime, match="does not exist"):
        instant_of(local)
    assert not is_repeated(local)


@pytest.mark.parametrize("local", [datetime(2027, 10, 31, 2, 0), datetime(2027, 10, 31, 2, 59)])
def test_a_local_time_repeated_in_autumn_is_refused(local: datetime) -> None:
    with pytest.raises(UnclearLocalTime, match="occurs twice"):
        instant_of(local)
    assert is_repeated(local)


def test_the_commands_convert_once_and_name_the_field_never_the_value() -> None:
    new = NewMeeting(
        case_id="0380-1",
        kind="visitation",
        start="2027-01-12T09:00:00",
        end="2027-01-12T09:00:00Z",
        staff_ids=["a"],
    )
    assert (new.start, new.end) == (
        datetime(2027, 1, 12, 8, tzinfo=UTC),
        datetime(2027, 1, 12, 9, tzinfo=UTC),
    )
    with pytest.raises(ValidationError) as refused:
        Reschedule(start="2027-03-28T02:30:00", end="2027-03-28T04:00:00")
    [error] = refused.value.errors()
    assert error["loc"] == ("start",) and "02:30" not in error["msg"]


def _meeting(**times: datetime) -> Meeting:
    return Meeting(
        municipality="0380",
        case_id="0380-1",
        kind="network_meeting",
        staff_ids=("a",),
        other_participants=(),
        referral_id=None,
        deadline=None,
        series_id=None,
        **times,
    )


def test_a_meeting_stores_its_instants_beside_its_wall_clock_times_and_counts_its_changes() -> None:
    meeting = _meeting(
        **Meeting.times(datetime(2027, 10, 31, 1, 30, tzinfo=UTC), datetime(2027, 10, 31, 2, 30, tzinfo=UTC))
    )
    assert (meeting.start, meeting.sequence) == (datetime(2027, 10, 31, 2, 30), 0)
    meeting.reschedule(datetime(2027, 11, 2, 9), datetime(2027, 11, 2, 10))
    meeting.cancel("family ill")
    assert meeting.sequence == 2
    mapper = SchedulingApplication().mapper  # in memory
    replayed = None
    for stored in [mapper.to_domain_event(mapper.to_stored_event(e)) for e in meeting.collect_events()]:
        replayed = stored.mutate(replayed)
    assert replayed.starts_at == datetime(2027, 11, 2, 8, tzinfo=UTC)
    assert (replayed.status, replayed.sequence) == ("cancelled", 2)


def test_a_meeting_stored_with_wall_clock_times_only_still_loads_as_stockholm_time() -> None:
    meeting = _meeting(start=datetime(2026, 7, 1, 9), end=datetime(2026, 7, 1, 10))
    meeting.reschedule(datetime(2026, 7, 2, 9), datetime(2026, 7, 2, 10))
    old_events = meeting.collect_events()
    for old in old_events:  # as stored before the instants were
        vars(old).pop("starts_at", None)
        vars(old).pop("ends_at", None)
    mapper = SchedulingApplication().mapper
    replayed = None
    for stored in [mapper.to_domain_event(mapper.to_stored_event(e)) for e in old_events]:
        assert "starts_at" not in mapper.to_stored_event(stored).state.decode()
        replayed = stored.mutate(replayed)
    assert (replayed.start, replayed.starts_at) == (
        datetime(2026, 7, 2, 9),
        datetime(2026, 7, 2, 7, tzinfo=UTC),
    )
    assert replayed.sequence == 1


def test_the_domain_refuses_an_unclear_local_time_as_invalid_times() -> None:
    with pytest.raises(InvalidTimes):
        _meeting(**Meeting.times(datetime(2027, 1, 4, 9), datetime(2027, 1, 4, 10))).reschedule(
            datetime(2027, 10, 31, 2, 30), datetime(2027, 10, 31, 3, 30)
        )


@pytest.mark.parametrize(
    ("referred", "now", "earliest"),
    [
        (datetime(2027, 1, 11, 14), datetime(2027, 1, 11, 14, 5), datetime(2027, 1, 12)),  # Mon → Tue
        (datetime(2027, 1, 15, 9), datetime(2027, 1, 15, 9), datetime(2027, 1, 18)),  # Fri → Mon
        (datetime(2027, 1, 4, 9), datetime(2027, 1, 13, 8), datetime(2027, 1, 14)),  # handled late
        (datetime(2026, 12, 23, 9), datetime(2026, 12, 23, 9), datetime(2026, 12, 28)),  # Christmas
    ],
)
def test_the_staff_meeting_is_at_the_earliest_on_the_next_working_day(
    referred: datetime, now: datetime, earliest: datetime
) -> None:
    assert earliest_staff_meeting(referred, now) == earliest
    assert next_working_day(earliest.date() - timedelta(days=1)) == earliest.date()


def test_a_convened_staff_meeting_is_never_today_nor_in_the_past() -> None:
    """Before: a referral handled at 08:00 on a working day was booked at 08:00 that very day,
    and one handled a week late was booked for the time it arrived, now past."""
    app = SchedulingApplication()
    app.seed_default_roster()
    app.clock = lambda: datetime(2027, 1, 13, 8, 0)  # a Wednesday
    for referral, referred in (("r-today", "2027-01-13T07:00:00Z"), ("r-late", "2027-01-04T09:00:00Z")):
        app.convene_staff_meeting(
            referral,
            "network_centre",
            f"0380-{referral}",
            "0380",
            "placed",
            "unassigned",
            datetime.fromisoformat(referred),
        )
        meeting = app.repository.get(Meeting.id_for_referral(referral))
        assert meeting.start >= datetime(2027, 1, 14, 8, 0)
