"""A referral's child placed after (or before) its staff meeting is convened: a parent supporter is
invited, chosen by load as the slot finder chooses (DOMAIN: crisis support at placement; ADR 0026)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from services.kit.auth import Caller
from services.scheduling.application import SchedulingApplication
from services.scheduling.commands import NewMeeting
from services.scheduling.domain.meeting import Meeting
from services.scheduling.domain.person_day import PersonDay
from services.scheduling.publication import build_publication_table
from tests.unit.test_scheduling_roster_use import MONDAY_MORNING, scheduling

COORDINATOR = Caller("coordinator-1", "0380", frozenset({"coordinator"}))
SUPPORTERS = ("0380-parent-supporter-1", "0380-parent-supporter-2")


def convene(app: SchedulingApplication, child_status: str = "placement_near", referral_id: str = "") -> str:
    referral_id = referral_id or str(uuid.uuid4())
    app.convene_staff_meeting(
        referral_id, "network_centre", "0380-77", "0380", child_status, "handlaggare-7", MONDAY_MORNING
    )
    return referral_id


def placed(app: SchedulingApplication, referral_id: str, municipality: str = "0380") -> None:
    app.invite_parent_supporter(referral_id, "network_centre", municipality, "P-1")


def meeting_of(app: SchedulingApplication, referral_id: str) -> Meeting:
    return app.repository.get(Meeting.id_for_referral(referral_id))


def supporters_of(meeting: Meeting) -> list[str]:
    return [staff_id for staff_id in meeting.staff_ids if staff_id in SUPPORTERS]


def booked_on_their_day(app: SchedulingApplication, staff_id: str, meeting: Meeting) -> bool:
    day = app._get(PersonDay.id_for("0380", staff_id, meeting.start.date()))
    return isinstance(day, PersonDay) and str(meeting.id) in day.booked


def book(app: SchedulingApplication, staff_id: str, start: datetime, end: datetime) -> None:
    app.book_meetings(
        COORDINATOR,
        NewMeeting(case_id="0380-99", kind="network_meeting", start=start, end=end, staff_ids=[staff_id]),
    )


def test_a_child_placed_after_convening_gets_the_least_loaded_free_parent_supporter_invited() -> None:
    app = scheduling()
    referral_id = convene(app)
    before = meeting_of(app, referral_id)
    book(app, SUPPORTERS[0], before.end + timedelta(hours=1), before.end + timedelta(hours=2))  # same week
    placed(app, referral_id)
    meeting = meeting_of(app, referral_id)
    assert supporters_of(before) == [] and supporters_of(meeting) == [SUPPORTERS[1]]
    assert (meeting.start, meeting.staff_ids[:-1]) == (before.start, before.staff_ids)
    assert booked_on_their_day(app, SUPPORTERS[1], meeting)


def test_with_no_parent_supporter_free_then_the_meeting_keeps_its_time_and_names_the_role() -> None:
    app = scheduling()
    referral_id = convene(app)
    before = meeting_of(app, referral_id)
    for supporter in SUPPORTERS:
        book(app, supporter, before.start, before.end)
    placed(app, referral_id)
    meeting = meeting_of(app, referral_id)
    assert (meeting.start, meeting.staff_ids) == (before.start, before.staff_ids)
    assert "parent_supporter" in meeting.other_participants


def test_the_same_placement_delivered_again_changes_nothing() -> None:
    app = scheduling()
    referral_id = convene(app)
    placed(app, referral_id)
    version = meeting_of(app, referral_id).version
    placed(app, referral_id)
    assert meeting_of(app, referral_id).version == version
    assert len(supporters_of(meeting_of(app, referral_id))) == 1


def test_a_meeting_convened_for_a_placed_child_keeps_its_one_parent_supporter() -> None:
    app = scheduling()
    referral_id = convene(app, "placed")
    before = meeting_of(app, referral_id)
    placed(app, referral_id)
    assert meeting_of(app, referral_id).version == before.version and len(supporters_of(before)) == 1


def test_a_cancelled_staff_meeting_gets_no_parent_supporter() -> None:
    app = scheduling()
    referral_id = convene(app)
    app.cancel_staff_meeting(referral_id, "0380", "referral declined")
    placed(app, referral_id)
    assert supporters_of(meeting_of(app, referral_id)) == []


def test_a_staff_meeting_already_begun_gets_no_parent_supporter() -> None:
    app = scheduling()
    referral_id = convene(app)
    app.clock = lambda: meeting_of(app, referral_id).start + timedelta(minutes=1)
    placed(app, referral_id)
    assert supporters_of(meeting_of(app, referral_id)) == []


def test_a_placement_naming_another_municipality_changes_nothing() -> None:
    app = scheduling()
    referral_id = convene(app)
    version = meeting_of(app, referral_id).version
    placed(app, referral_id, municipality="1980")
    assert meeting_of(app, referral_id).version == version


def test_a_placement_before_convening_makes_convening_invite_a_parent_supporter() -> None:
    app = scheduling()
    referral_id = str(uuid.uuid4())
    placed(app, referral_id)
    placed(app, referral_id)  # delivered again: noted once
    convene(app, "placement_near", referral_id)
    assert len(supporters_of(meeting_of(app, referral_id))) == 1


def test_the_invitation_is_published_as_invitees_changed_for_the_case_timeline() -> None:
    app = scheduling()
    referral_id = convene(app)
    placed(app, referral_id)
    table = build_publication_table(
        lambda meeting_id, version: app.repository.get(meeting_id, version=version)
    )
    notifications = app.recorder.select_notifications(1, 10_000)
    invited = next(
        e for e in map(app.mapper.to_domain_event, notifications) if isinstance(e, Meeting.Invited)
    )
    [(_, envelope)] = table.cloud_events(invited, 1)
    assert envelope.type == "se.natverk.meeting.invitees_changed.v1"
    assert envelope.subject == "0380-77" and SUPPORTERS[0] in envelope.data["staff_ids"]
