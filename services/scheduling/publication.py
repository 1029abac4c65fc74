"""The one table from stored scheduling events to public CloudEvents (STYLE §5).

Each CloudEvent's ``actor`` is the kit's stamp on the stored event (older events: their own field).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from contracts import scheduling as public
from contracts.topics import SCHEDULING
from services.kit.publication import Outgoing, PublicationTable, case_access_rule
from services.scheduling import SERVICE
from services.scheduling.domain.deadline_day import ends_in_time
from services.scheduling.domain.meeting import Meeting
from services.scheduling.domain.overdue_staff_meeting import OverdueStaffMeeting
from services.scheduling.domain.overdue_unbooked_staff_meeting import OverdueUnbookedStaffMeeting
from services.scheduling.domain.unbooked_staff_meeting import UnbookedStaffMeeting
from services.scheduling.staff_meeting_rules import staff_meeting_deadline

SOURCE = f"/natverk/{SERVICE}"


def _facts(meeting: Any) -> dict[str, Any]:
    return {
        "meeting_id": str(meeting.id),
        "case_id": meeting.case_id,
        "municipality": meeting.municipality,
        "kind": meeting.kind,
    }


def _booked(event: Meeting.Booked) -> list[Outgoing]:
    facts = {
        "meeting_id": str(event.originator_id),
        "case_id": event.case_id,
        "municipality": event.municipality,
        "kind": event.kind,
    }
    missed = event.deadline is not None and not ends_in_time(event.end, event.deadline)
    booked = public.MeetingBookedV1(
        **facts,
        start=event.start,
        end=event.end,
        staff_ids=list(event.staff_ids),
        referral_id=event.referral_id,
        deadline=event.deadline,
        deadline_missed=missed,
    )
    outgoing = [Outgoing(SCHEDULING, "se.natverk.meeting.booked.v1", event.case_id, booked)]
    if missed:
        outgoing.append(_deadline_missed(facts, event.deadline, event.start))
    return outgoing


def _deadline_missed(facts: dict[str, Any], deadline: datetime, start: datetime) -> Outgoing:
    late = public.StaffMeetingDeadlineMissedV1(**facts, deadline=deadline, start=start)
    return Outgoing(SCHEDULING, "se.natverk.meeting.staff_meeting_deadline_missed.v1", facts["case_id"], late)


def _rescheduled(meeting_at: Callable[[Any, int], Any]) -> Callable[[Meeting.Rescheduled], list[Outgoing]]:
    """The new times; and the missed deadline of a staff meeting whose time is after it for the
    first time (booked in time), once: moving it back and past again tells nothing new."""

    def rule(event: Meeting.Rescheduled) -> list[Outgoing]:
        meeting = meeting_at(event.originator_id, event.originator_version)
        moved = public.MeetingRescheduledV1(**_facts(meeting), start=event.start, end=event.end)
        outgoing = [Outgoing(SCHEDULING, "se.natverk.meeting.rescheduled.v1", meeting.case_id, moved)]
        if (
            meeting.deadline_ever_missed
            and not meeting_at(meeting.id, meeting.version - 1).deadline_ever_missed
        ):
            outgoing.append(_deadline_missed(_facts(meeting), meeting.deadline, meeting.start))
        return outgoing

    return rule


def _overdue(event: OverdueStaffMeeting.Noted) -> Outgoing:
    facts = {"meeting_id": event.meeting_id, "case_id": event.case_id, "municipality": event.municipality}
    data = public.StaffMeetingOverdueV1(**facts, kind="staff_meeting", due=event.due)
    return Outgoing(SCHEDULING, "se.natverk.meeting.staff_meeting_overdue.v1", event.case_id, data)


def _unbooked(event: UnbookedStaffMeeting.Noted) -> Outgoing:
    data = public.StaffMeetingUnbookedV1(
        case_id=event.case_id,
        municipality=event.municipality,
        referral_id=event.referral_id,
        deadline=staff_meeting_deadline(event.referred_at),
    )
    return Outgoing(SCHEDULING, "se.natverk.meeting.staff_meeting_unbooked.v1", event.case_id, data)


def _unbooked_overdue(event: OverdueUnbookedStaffMeeting.Noted) -> Outgoing:
    data = public.StaffMeetingUnbookedOverdueV1(
        case_id=event.case_id,
        municipality=event.municipality,
        referral_id=event.referral_id,
        deadline=event.deadline,
    )
    return Outgoing(SCHEDULING, "se.natverk.meeting.staff_meeting_unbooked_overdue.v1", event.case_id, data)


def build_publication_table(meeting_at: Callable[[Any, int], Any]) -> PublicationTable:
    """``meeting_at(id, version)`` gives the meeting as it was after that event."""

    def change(event_type: str, make: Callable[[Any, Any], Any]) -> Callable[[Any], Outgoing]:
        def rule(event: Any) -> Outgoing:
            meeting = meeting_at(event.originator_id, event.originator_version)
            return Outgoing(SCHEDULING, event_type, meeting.case_id, make(meeting, event))

        return rule

    invitees_changed = change(
        "se.natverk.meeting.invitees_changed.v1",
        lambda m, e: public.MeetingInviteesChangedV1(**_facts(m), staff_ids=list(e.staff_ids)),
    )
    return PublicationTable(
        SOURCE,
        {
            Meeting.Booked: _booked,
            Meeting.Rescheduled: _rescheduled(meeting_at),
            Meeting.Cancelled: change(
                "se.natverk.meeting.cancelled.v1", lambda m, e: public.MeetingCancelledV1(**_facts(m))
            ),
            Meeting.Held: change(
                "se.natverk.meeting.held.v1",
                lambda m, e: public.MeetingHeldV1(
                    **_facts(m), attended_staff=len(e.attended), start=m.start, end=m.end
                ),
            ),
            Meeting.CaseWorkerChanged: invitees_changed,
            Meeting.Invited: invitees_changed,
            OverdueStaffMeeting.Noted: _overdue,
            UnbookedStaffMeeting.Noted: _unbooked,
            OverdueUnbookedStaffMeeting.Noted: _unbooked_overdue,
            **case_access_rule(SCHEDULING, SERVICE),
        },
    )
