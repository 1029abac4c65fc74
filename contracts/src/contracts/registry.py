"""Which event types exist, what their ``data`` looks like, and where they travel.

Event types are forever: a change of meaning is a new versioned type.
"""

from __future__ import annotations

from dataclasses import dataclass

from contracts import access, placements, referrals, scheduling, topics
from contracts.common import ContractModel

EVENT_TYPES: dict[str, type[ContractModel]] = {
    "se.placement.started.v1": placements.PlacementStartedV1,
    "se.placement.changed.v1": placements.PlacementChangedV1,
    "se.placement.ended.v1": placements.PlacementEndedV1,
    "se.natverk.referral.received.v1": referrals.ReferralReceivedV1,
    "se.natverk.referral.accepted.v1": referrals.ReferralAcceptedV1,
    "se.natverk.referral.declined.v1": referrals.ReferralDeclinedV1,
    "se.natverk.referral.closed.v1": referrals.ReferralClosedV1,
    "se.natverk.referral.revoked.v1": referrals.ReferralRevokedV1,
    "se.natverk.case.accessed.v1": access.CaseAccessedV1,
    "se.natverk.meeting.booked.v1": scheduling.MeetingBookedV1,
    "se.natverk.meeting.rescheduled.v1": scheduling.MeetingRescheduledV1,
    "se.natverk.meeting.cancelled.v1": scheduling.MeetingCancelledV1,
    "se.natverk.meeting.held.v1": scheduling.MeetingHeldV1,
    "se.natverk.meeting.staff_meeting_deadline_missed.v1": scheduling.StaffMeetingDeadlineMissedV1,
}

PLACEMENT_EVENT_TYPES = ("se.placement.started.v1", "se.placement.changed.v1", "se.placement.ended.v1")
REFERRAL_EVENT_TYPES = tuple(t for t in EVENT_TYPES if t.startswith("se.natverk.referral."))
MEETING_EVENT_TYPES = tuple(t for t in EVENT_TYPES if t.startswith("se.natverk.meeting."))


@dataclass(frozen=True)
class TopicSpec:
    name: str
    description: str
    publisher: str
    event_types: tuple[str, ...]


TOPIC_SPECS: tuple[TopicSpec, ...] = (
    TopicSpec(
        topics.PLACEMENTS,
        "Placement events published by the municipalities' case-management systems.",
        "municipal case-management systems",
        PLACEMENT_EVENT_TYPES,
    ),
    TopicSpec(
        topics.PLACEMENTS_DLQ,
        "Inbound placement records that could not be processed, unchanged, with an 'error' header.",
        "every consumer of ext.placements.v1",
        (),
    ),
    TopicSpec(
        topics.REFERRALS,
        "Referral lifecycle and case-access events of the referrals service.",
        "referrals",
        REFERRAL_EVENT_TYPES + ("se.natverk.case.accessed.v1",),
    ),
    TopicSpec(
        topics.SCHEDULING,
        "Meetings booked, moved, cancelled and held, staff-meeting deadlines missed, and case-access events.",
        "scheduling",
        MEETING_EVENT_TYPES + ("se.natverk.case.accessed.v1",),
    ),
)


def data_model(event_type: str) -> type[ContractModel]:
    """The payload model of ``event_type``; KeyError for an unknown type."""
    return EVENT_TYPES[event_type]
