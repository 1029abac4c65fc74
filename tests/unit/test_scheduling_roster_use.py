"""The roster used as people would: meetings shared out by load, weekly capacity respected, the
case worker and the resource team invited (issue 15, items 2 and 3)."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, datetime, time, timedelta

import pytest

from services.kit.auth import Caller
from services.scheduling.application import SchedulingApplication
from services.scheduling.commands import NewStaffMember
from services.scheduling.domain.meeting import Meeting
from services.scheduling.domain.slot_finder import WorkingHours, find_slot
from services.scheduling.domain.staff_member import StaffMember, StillOnRoster
from services.scheduling.read_models import fold_staff

OFFICE = WorkingHours(time(8), time(16, 30))
HOUR = timedelta(hours=1)
MONDAY = datetime(2026, 11, 23, 8, 0)
MONDAY_MORNING = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
FRIDAY_MORNING = MONDAY_MORNING + timedelta(days=4)  # due by the next Friday: a full week is late


def test_the_free_member_with_fewer_booked_hours_that_week_is_chosen() -> None:
    busy = {"a": [(MONDAY + timedelta(days=1, hours=4), MONDAY + timedelta(days=1, hours=5))]}
    slot = find_slot([["a", "b"]], {"a": OFFICE, "b": OFFICE}, busy, MONDAY, MONDAY + 7 * 24 * HOUR, HOUR)
    assert slot.start == MONDAY and slot.attendees == ("b",)


def test_with_equal_hours_that_week_the_one_with_fewer_overall_is_chosen() -> None:
    next_week = MONDAY + timedelta(days=7)
    busy = {"a": [(next_week, next_week + HOUR), (next_week + 2 * HOUR, next_week + 3 * HOUR)]}
    busy["b"] = [(next_week + 4 * HOUR, next_week + 5 * HOUR)]
    slot = find_slot([["a", "b"]], {"a": OFFICE, "b": OFFICE}, busy, MONDAY, MONDAY + 7 * 24 * HOUR, HOUR)
    assert slot.attendees == ("b",)


def test_a_member_whose_week_is_full_is_not_booked_that_week() -> None:
    full = [(MONDAY + timedelta(days=d), MONDAY + timedelta(days=d) + HOUR) for d in (1, 2)]
    slot = find_slot([["a"]], {"a": OFFICE}, {"a": full}, MONDAY, MONDAY + 7 * 24 * HOUR, HOUR, {"a": 2})
    assert slot.start == MONDAY + timedelta(days=7)  # the next ISO week's Monday
    assert slot.within_deadline  # the deadline's own day: due then, overdue the day after (ADR 0025)


def scheduling() -> SchedulingApplication:
    app = SchedulingApplication()  # in memory
    app.clock = lambda: datetime(2026, 11, 23, 8, 0)
    app.seed_default_roster()
    return app


def convene(
    app: SchedulingApplication,
    case_worker_id: str = "unassigned",
    status: str = "placed",
    municipality: str = "0380",
    referred_at: datetime = MONDAY_MORNING,
) -> Meeting:
    referral_id = str(uuid.uuid4())
    case_id = f"{municipality}-{referral_id[:6]}"
    app.convene_staff_meeting(
        referral_id, "network_centre", case_id, municipality, status, case_worker_id, referred_at
    )
    return app.repository.get(Meeting.id_for_referral(referral_id))


def test_staff_meetings_are_shared_out_among_both_therapists_pedagogues_and_parent_supporters() -> None:
    app = scheduling()
    with app.unit_of_work():  # as a consumer batch
        meetings = [convene(app) for _ in range(12)]
    booked = Counter(staff_id for meeting in meetings for staff_id in meeting.staff_ids)
    for role in ("family-therapist", "family-pedagogue", "parent-supporter"):
        assert booked[f"0380-{role}-1"] == booked[f"0380-{role}-2"] == 6


def test_a_staff_meeting_books_a_family_therapist_and_a_family_pedagogue() -> None:
    meeting = convene(scheduling(), status="placement_near")
    roles = {staff_id.rsplit("-", 1)[0] for staff_id in meeting.staff_ids}
    assert {"0380-family-therapist", "0380-family-pedagogue"} <= roles
    assert "0380-parent-supporter" not in roles


def test_the_case_worker_and_the_resource_team_are_added_on_first_use_and_invited() -> None:
    app = scheduling()
    meeting = convene(app, case_worker_id="handlaggare-7")
    assert {"handlaggare-7", "0380-resource-team-1"} <= set(meeting.staff_ids)
    assert "case_worker" not in meeting.other_participants
    member = app.repository.get(StaffMember.id_for("0380", "handlaggare-7"))
    assert (member.role, member.work_starts, member.weekly_capacity_hours) == ("case_worker", "08:00", 40)


def test_an_unassigned_case_worker_is_named_by_role_and_added_to_nobodys_roster() -> None:
    app = scheduling()
    meeting = convene(app)
    assert meeting.other_participants == ("case_worker",)
    assert app._get(StaffMember.id_for("0380", "unassigned")) is None


def small_roster(app: SchedulingApplication, hours_a_week: int) -> None:
    coordinator = Caller("coordinator-1", "1980", frozenset({"coordinator"}))
    for staff_id, role in (("c", "coordinator"), ("t", "family_therapist"), ("p", "parent_supporter")):
        new = NewStaffMember(staff_id=staff_id, role=role, weekly_capacity_hours=hours_a_week)
        app.register_staff(coordinator, new)


def test_a_booking_made_earlier_in_the_batch_on_another_day_of_the_week_counts_towards_capacity() -> None:
    app = scheduling()
    small_roster(app, hours_a_week=1)
    with app.unit_of_work():  # as a consumer batch: a Wednesday referral, then an older Monday one
        thursday = convene(app, municipality="1980", referred_at=MONDAY_MORNING + timedelta(days=2))
        monday = convene(app, municipality="1980")
    assert thursday.start.date().isoformat() == "2026-11-26"
    assert monday.start.date().isoformat() == "2026-11-30"  # the next week: its deadline's day


def test_weekly_capacity_holds_within_one_batch_and_the_meeting_after_it_misses_its_deadline() -> None:
    app = scheduling()
    small_roster(app, hours_a_week=3)
    with app.unit_of_work():  # as a consumer batch
        meetings = [convene(app, municipality="1980", referred_at=FRIDAY_MORNING) for _ in range(4)]
    assert Counter(meeting.start.isocalendar()[1] for meeting in meetings) == {49: 3, 50: 1}
    assert [meeting.deadline_missed for meeting in meetings] == [False, False, False, True]


def test_a_reinstated_member_is_on_the_roster_index_with_the_capacity_given_again() -> None:
    member = StaffMember("0380", "t", "family_therapist", "08:00", "16:30", 40)
    member.remove()
    member.reinstate("family_pedagogue", "09:00", "15:00", 2)
    rows: dict = {}
    for e in member.collect_events():
        fold_staff(rows, e)
    [row] = rows.values()
    assert (row.active, row.role, row.hours, row.weekly_capacity_hours) == (
        True,
        "family_pedagogue",
        WorkingHours(time(9), time(15)),
        2,
    )


def test_a_member_still_on_the_roster_cannot_be_reinstated() -> None:
    member = StaffMember("0380", "t", "family_therapist", "08:00", "16:30", 40)
    with pytest.raises(StillOnRoster):
        member.reinstate("family_therapist", "08:00", "16:30", 40)
