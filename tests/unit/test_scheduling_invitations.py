"""Reassigning a referral's case worker moves the staff meeting's invitation (issue 15, item 3)."""

from __future__ import annotations

import uuid

from services.kit.auth import Caller
from services.scheduling.application import SchedulingApplication
from services.scheduling.commands import NewMeeting, NewStaffMember
from services.scheduling.domain.meeting import Meeting
from services.scheduling.domain.person_day import PersonDay
from tests.unit.test_scheduling_roster_use import MONDAY_MORNING, scheduling

COORDINATOR = Caller("coordinator-1", "0380", frozenset({"coordinator"}))


def convene(app: SchedulingApplication, case_worker_id: str = "unassigned") -> str:
    referral_id = str(uuid.uuid4())
    app.convene_staff_meeting(
        referral_id, "network_centre", "0380-77", "0380", "placed", case_worker_id, MONDAY_MORNING
    )
    return referral_id


def meeting_of(app: SchedulingApplication, referral_id: str) -> Meeting:
    return app.repository.get(Meeting.id_for_referral(referral_id))


def booked_on_their_day(app: SchedulingApplication, staff_id: str, meeting: Meeting) -> bool:
    day = app._get(PersonDay.id_for("0380", staff_id, meeting.start.date()))
    return isinstance(day, PersonDay) and str(meeting.id) in day.booked


def test_a_case_worker_assigned_later_is_invited_in_place_of_the_role() -> None:
    app = scheduling()
    referral_id = convene(app)
    app.move_case_worker_invitation(referral_id, "0380", "handlaggare-7")
    meeting = meeting_of(app, referral_id)
    assert "handlaggare-7" in meeting.staff_ids and "case_worker" not in meeting.other_participants
    assert booked_on_their_day(app, "handlaggare-7", meeting)


def test_a_new_case_worker_takes_the_old_ones_place_and_the_old_ones_time_is_freed() -> None:
    app = scheduling()
    referral_id = convene(app, "handlaggare-7")
    before = meeting_of(app, referral_id)
    app.move_case_worker_invitation(referral_id, "0380", "handlaggare-9")
    meeting = meeting_of(app, referral_id)
    assert "handlaggare-9" in meeting.staff_ids and "handlaggare-7" not in meeting.staff_ids
    assert booked_on_their_day(app, "handlaggare-9", meeting)
    assert not booked_on_their_day(app, "handlaggare-7", meeting)
    assert meeting.start == before.start  # the same time for everyone else
    assert set(meeting.staff_ids) - {"handlaggare-9"} == set(before.staff_ids) - {"handlaggare-7"}


def test_a_new_case_worker_busy_then_leaves_the_time_and_names_the_case_worker_by_role() -> None:
    app = scheduling()
    referral_id = convene(app, "handlaggare-7")
    before = meeting_of(app, referral_id)
    app.register_staff(COORDINATOR, NewStaffMember(staff_id="handlaggare-9", role="case_worker"))
    app.book_meetings(
        COORDINATOR,
        NewMeeting(
            case_id="0380-79",
            kind="network_meeting",
            start=before.starts_at,
            end=before.ends_at,
            staff_ids=["handlaggare-9"],
        ),
    )
    app.move_case_worker_invitation(referral_id, "0380", "handlaggare-9")
    meeting = meeting_of(app, referral_id)
    assert meeting.start == before.start
    assert "handlaggare-9" not in meeting.staff_ids and "handlaggare-7" not in meeting.staff_ids
    assert "case_worker" in meeting.other_participants
    assert not booked_on_their_day(app, "handlaggare-7", meeting)


def test_the_same_assignment_delivered_again_changes_nothing() -> None:
    app = scheduling()
    referral_id = convene(app)
    app.move_case_worker_invitation(referral_id, "0380", "handlaggare-7")
    version = meeting_of(app, referral_id).version
    app.move_case_worker_invitation(referral_id, "0380", "handlaggare-7")
    assert meeting_of(app, referral_id).version == version


def test_a_held_or_cancelled_staff_meeting_keeps_its_invitees() -> None:
    app = scheduling()
    referral_id = convene(app, "handlaggare-7")
    app.cancel_staff_meeting(referral_id, "0380", "referral declined")
    app.move_case_worker_invitation(referral_id, "0380", "handlaggare-9")
    assert "handlaggare-7" in meeting_of(app, referral_id).staff_ids


def test_an_assignment_naming_another_municipality_changes_nothing() -> None:
    app = scheduling()
    referral_id = convene(app, "handlaggare-7")
    before = meeting_of(app, referral_id)
    app.move_case_worker_invitation(referral_id, "1980", "handlaggare-9")
    meeting = meeting_of(app, referral_id)
    assert meeting.version == before.version and meeting.staff_ids == before.staff_ids
    assert booked_on_their_day(app, "handlaggare-7", meeting)
