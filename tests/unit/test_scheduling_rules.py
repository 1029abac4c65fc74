from __future__ import annotations

from datetime import date, datetime, time, timedelta
from itertools import product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.kit.attribution import Attribution
from services.scheduling.application import SchedulingApplication
from services.scheduling.domain.busy_times import overlaps
from services.scheduling.domain.meeting import InvalidTimes, Meeting, MeetingClosed
from services.scheduling.domain.slot_finder import NoSlotFound, WorkingHours, find_slot
from services.scheduling.domain.working_days import easter_sunday, is_working_day, swedish_holidays

OFFICE = WorkingHours(time(8), time(16, 30))
HOUR = timedelta(hours=1)


@pytest.mark.parametrize(
    ("year", "easter"), [(2024, date(2024, 3, 31)), (2025, date(2025, 4, 20)), (2026, date(2026, 4, 5))]
)
def test_easter_sunday_is_computed(year: int, easter: date) -> None:
    assert easter_sunday(year) == easter


def test_swedish_holidays_of_2026_include_the_moving_ones() -> None:
    holidays = swedish_holidays(2026)
    for day in (
        date(2026, 4, 3),
        date(2026, 4, 6),
        date(2026, 5, 14),
        date(2026, 6, 19),
        date(2026, 10, 31),
        date(2026, 12, 24),
    ):
        assert day in holidays


def test_weekends_and_holidays_are_not_working_days() -> None:
    assert is_working_day(date(2026, 11, 23))  # a Monday
    assert not is_working_day(date(2026, 11, 22))  # a Sunday
    assert not is_working_day(date(2026, 12, 25))  # Christmas Day, a Friday


def test_the_earliest_slot_skips_the_weekend() -> None:
    friday_evening = datetime(2026, 11, 20, 17, 0)
    slot = find_slot([["a"]], {"a": OFFICE}, {}, friday_evening, friday_evening + timedelta(days=7), HOUR)
    assert slot.start == datetime(2026, 11, 23, 8, 0)
    assert slot.within_deadline


def test_the_slot_skips_christmas_and_new_year() -> None:
    before_christmas = datetime(2026, 12, 23, 16, 0)
    slot = find_slot([["a"]], {"a": OFFICE}, {}, before_christmas, before_christmas + timedelta(days=7), HOUR)
    assert slot.start == datetime(2026, 12, 28, 8, 0)


def test_a_member_wanted_by_two_groups_goes_where_only_they_fit() -> None:
    monday = datetime(2026, 11, 23, 8)
    slot = find_slot(
        [["a", "b"], ["a"]], {"a": OFFICE, "b": OFFICE}, {}, monday, monday + timedelta(days=7), HOUR
    )
    assert slot.attendees == ("b", "a")


def test_one_free_member_of_each_group_is_chosen() -> None:
    monday = datetime(2026, 11, 23, 8)
    busy = {"therapist-1": [(monday, monday + timedelta(hours=8))]}
    slot = find_slot(
        [["coordinator"], ["therapist-1", "pedagogue-1"]],
        dict.fromkeys(("coordinator", "therapist-1", "pedagogue-1"), OFFICE),
        busy,
        monday,
        monday + timedelta(days=7),
        HOUR,
    )
    assert (slot.start, slot.attendees) == (monday, ("coordinator", "pedagogue-1"))


def test_a_fully_booked_week_yields_a_slot_after_the_deadline() -> None:
    monday = datetime(2026, 11, 23, 8)
    busy = {"a": [(monday, monday + timedelta(days=8))]}
    slot = find_slot([["a"]], {"a": OFFICE}, busy, monday, monday + timedelta(days=7), HOUR)
    assert not slot.within_deadline
    assert slot.start >= monday + timedelta(days=8)


staff = st.sampled_from(["a", "b", "c", "d"])
intervals = st.tuples(
    st.datetimes(min_value=datetime(2026, 11, 23), max_value=datetime(2026, 12, 20)), st.integers(30, 600)
).map(
    lambda t: (
        t[0].replace(second=0, microsecond=0),
        t[0].replace(second=0, microsecond=0) + timedelta(minutes=t[1]),
    )
)


@settings(max_examples=200, deadline=None)
@given(
    busy=st.dictionaries(staff, st.lists(intervals, max_size=8), max_size=4),
    groups=st.lists(st.lists(staff, min_size=1, max_size=3, unique=True), min_size=1, max_size=3),
    earliest=st.datetimes(min_value=datetime(2026, 11, 20), max_value=datetime(2026, 12, 10)),
    hours=st.sampled_from(
        [
            WorkingHours(time(8), time(16, 30)),
            WorkingHours(time(9), time(15)),
            WorkingHours(time(7, 30), time(12)),
        ]
    ),
)
def test_a_found_slot_never_double_books_and_respects_working_hours(busy, groups, earliest, hours) -> None:
    members = {m for g in groups for m in g}
    if not any(len(set(choice)) == len(groups) for choice in product(*groups)):
        with pytest.raises(NoSlotFound):  # no way to pick a different person for every group
            find_slot(
                groups, dict.fromkeys(members, hours), busy, earliest, earliest + timedelta(days=7), HOUR
            )
        return
    slot = find_slot(
        groups, dict.fromkeys(members, hours), busy, earliest, earliest + timedelta(days=7), HOUR
    )
    assert len(set(slot.attendees)) == len(slot.attendees) == len(groups)
    for group, attendee in zip(groups, slot.attendees, strict=False):
        assert attendee in group
        assert hours.contains(slot.start, slot.end)
        assert not any(overlaps(slot.start, slot.end, s, e) for s, e in busy.get(attendee, []))
    assert is_working_day(slot.start.date()) and slot.start >= earliest


def _meeting() -> Meeting:
    start = datetime(2026, 11, 24, 9)
    return Meeting(
        municipality="0380",
        case_id="0380-1",
        kind="network_meeting",
        start=start,
        end=start + HOUR,
        staff_ids=("a",),
        other_participants=("parent",),
        referral_id=None,
        deadline=None,
        series_id=None,
    )


def test_a_cancelled_meeting_cannot_be_rescheduled() -> None:
    meeting = _meeting()
    meeting.cancel("family ill")
    with pytest.raises(MeetingClosed):
        meeting.reschedule(datetime(2026, 11, 25, 9), datetime(2026, 11, 25, 10))


def test_a_meeting_must_end_after_it_starts() -> None:
    with pytest.raises(InvalidTimes):
        _meeting().reschedule(datetime(2026, 11, 25, 10), datetime(2026, 11, 25, 9))


def test_the_staff_meeting_of_a_referral_has_one_id() -> None:
    assert Meeting.id_for_referral("r-1") == Meeting.id_for_referral("r-1") != Meeting.id_for_referral("r-2")


def test_meeting_events_stored_with_an_actor_field_still_load_and_name_their_actor() -> None:
    """Events stored before the kit's stamp carry ``actor``: replay ignores it, attribution reads it."""
    meeting = _meeting()
    meeting.reschedule(datetime(2026, 11, 25, 9), datetime(2026, 11, 25, 10))
    meeting.record_attendance(("a",), "calm")
    old_events = meeting.collect_events()
    for old_event in old_events:
        vars(old_event)["actor"] = "cw-1"
    mapper = SchedulingApplication().mapper  # in memory
    loaded = [mapper.to_domain_event(mapper.to_stored_event(e)) for e in old_events]
    replayed = None
    for loaded_event in loaded:
        replayed = loaded_event.mutate(replayed)
    assert (replayed.status, replayed.start, replayed.attended) == ("held", datetime(2026, 11, 25, 9), ("a",))
    assert {Attribution.of(e, "?").actor for e in loaded} == {"cw-1"}


def test_a_placed_childs_staff_meeting_is_convened_where_the_roster_has_no_parent_supporter() -> None:
    from services.scheduling.read_models import StaffRow
    from services.scheduling.staff_meeting_rules import staff_meeting_groups

    roster = [
        StaffRow("1980", "1980-coordinator-1", "coordinator", OFFICE, True),
        StaffRow("1980", "1980-family-therapist-1", "family_therapist", OFFICE, True),
    ]
    groups = staff_meeting_groups(roster, "placed", "unassigned")
    assert groups == [["1980-coordinator-1"], ["1980-family-therapist-1"]]  # no empty group to fill
    monday = datetime(2026, 11, 23, 8)
    hours = {row.staff_id: OFFICE for row in roster}
    slot = find_slot(groups, hours, {}, monday, monday + timedelta(days=7), HOUR)
    assert slot.start == monday
