"""Which event types exist, what their ``data`` looks like, and where they travel.

Event types are forever: a change of meaning is a new versioned type.
"""

from __future__ import annotations

from dataclasses import dataclass

from contracts import access, audit, collaboration, network_support, placements, referrals, scheduling, topics
from contracts.common import MUNICIPALITIES, ContractModel

EVENT_TYPES: dict[str, type[ContractModel]] = {
    "se.placement.started.v1": placements.PlacementStartedV1,
    "se.placement.changed.v1": placements.PlacementChangedV1,
    "se.placement.ended.v1": placements.PlacementEndedV1,
    "se.natverk.referral.received.v1": referrals.ReferralReceivedV1,
    "se.natverk.referral.accepted.v1": referrals.ReferralAcceptedV1,
    "se.natverk.referral.declined.v1": referrals.ReferralDeclinedV1,
    "se.natverk.referral.closed.v1": referrals.ReferralClosedV1,
    "se.natverk.referral.revoked.v1": referrals.ReferralRevokedV1,
    "se.natverk.referral.case_worker_assigned.v1": referrals.ReferralCaseWorkerAssignedV1,
    "se.natverk.referral.response_overdue.v1": referrals.ReferralResponseOverdueV1,
    "se.natverk.referral.child_placed.v1": referrals.ReferralChildPlacedV1,
    "se.natverk.referral.safety_planning_examined.v1": referrals.SafetyPlanningExaminedV1,
    "se.natverk.referral.case_worker_assignment_overdue.v1": referrals.ReferralCaseWorkerAssignmentOverdueV1,
    "se.natverk.referral.declined_follow_up_overdue.v1": referrals.ReferralDeclinedFollowUpOverdueV1,
    "se.natverk.referral.safety_planning_examination_overdue.v1": referrals.SafetyPlanningExaminationOverdueV1,
    "se.natverk.case.accessed.v1": access.CaseAccessedV1,
    "se.natverk.audit.checkpoint_issued.v1": audit.AuditCheckpointIssuedV1,
    "se.natverk.meeting.booked.v1": scheduling.MeetingBookedV1,
    "se.natverk.meeting.rescheduled.v1": scheduling.MeetingRescheduledV1,
    "se.natverk.meeting.cancelled.v1": scheduling.MeetingCancelledV1,
    "se.natverk.meeting.held.v1": scheduling.MeetingHeldV1,
    "se.natverk.meeting.invitees_changed.v1": scheduling.MeetingInviteesChangedV1,
    "se.natverk.meeting.staff_meeting_deadline_missed.v1": scheduling.StaffMeetingDeadlineMissedV1,
    "se.natverk.meeting.staff_meeting_overdue.v1": scheduling.StaffMeetingOverdueV1,
    "se.natverk.meeting.staff_meeting_unbooked.v1": scheduling.StaffMeetingUnbookedV1,
    "se.natverk.meeting.staff_meeting_unbooked_overdue.v1": scheduling.StaffMeetingUnbookedOverdueV1,
    "se.natverk.support_plan.changed.v1": network_support.SupportPlanChangedV1,
    "se.natverk.network_map.changed.v1": network_support.NetworkMapChangedV1,
    "se.natverk.safety_plan.changed.v1": network_support.SafetyPlanChangedV1,
    "se.natverk.safety_plan.scale_recorded.v1": network_support.SafetyScaleRecordedV1,
    "se.natverk.network_placement_inquiry.changed.v1": network_support.NetworkPlacementInquiryV1,
    "se.natverk.network_placement_inquiry.outcome_overdue.v1": network_support.NetworkPlacementInquiryOverdueV1,
    "se.natverk.home_return.phase_changed.v1": network_support.HomeReturnPhaseChangedV1,
    "se.natverk.home_return.follow_up_overdue.v1": network_support.HomeReturnFollowUpOverdueV1,
    "se.natverk.placement_follow_up.recorded.v1": network_support.PlacementFollowUpRecordedV1,
    "se.natverk.placement_follow_up.deadline_passed.v1": network_support.PlacementDeadlinePassedV1,
    "se.natverk.safety_plan.follow_up_overdue.v1": network_support.SafetyPlanFollowUpOverdueV1,
    "se.natverk.family_home.occupancy_changed.v1": collaboration.FamilyHomeOccupancyChangedV1,
    "se.natverk.matching_request.changed.v1": collaboration.MatchingRequestChangedV1,
    **collaboration.PARTNER_EVENT_TYPES,
}

PLACEMENT_EVENT_TYPES = ("se.placement.started.v1", "se.placement.changed.v1", "se.placement.ended.v1")
REFERRAL_EVENT_TYPES = tuple(t for t in EVENT_TYPES if t.startswith("se.natverk.referral."))
MEETING_EVENT_TYPES = tuple(t for t in EVENT_TYPES if t.startswith("se.natverk.meeting."))
NETWORK_SUPPORT_EVENT_TYPES = tuple(
    t
    for t in EVENT_TYPES
    if t.split(".")[2]
    in (
        "support_plan",
        "network_map",
        "safety_plan",
        "network_placement_inquiry",
        "home_return",
        "placement_follow_up",
    )
)


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
        "Referral lifecycle, safety planning examined, deadlines missed (a response, a case worker, a "
        "declined referral's follow-up, safety planning examined), and case-access events of the referrals service.",
        "referrals",
        (*REFERRAL_EVENT_TYPES, "se.natverk.case.accessed.v1"),
    ),
    TopicSpec(
        topics.SCHEDULING,
        "Meetings booked, moved, cancelled and held, staff meetings late, overdue, not bookable or not booked "
        "by their deadline, and case-access events.",
        "scheduling",
        (*MEETING_EVENT_TYPES, "se.natverk.case.accessed.v1"),
    ),
    TopicSpec(
        topics.NETWORK_SUPPORT,
        "Support plans, network maps, safety plans, network-placement inquiries, home returns and "
        "placement follow-up (parent support, school start, examinations), and case-access events.",
        "network_support",
        (*NETWORK_SUPPORT_EVENT_TYPES, "se.natverk.case.accessed.v1"),
    ),
    TopicSpec(
        topics.COLLABORATION,
        "A municipality's own side of the collaboration: its homes occupied or freed by its placements, "
        "its matching requests, and case-access events.",
        "collaboration",
        (
            "se.natverk.family_home.occupancy_changed.v1",
            "se.natverk.matching_request.changed.v1",
            "se.natverk.case.accessed.v1",
        ),
    ),
    TopicSpec(
        topics.AUDIT_CHECKPOINTS,
        "The case store's signed checkpoints of every audit chain head (Merkle root and Ed25519 signature): "
        "an outside copy an insider with access to the store cannot rewrite.",
        "case_store",
        ("se.natverk.audit.checkpoint_issued.v1",),
    ),
    *(
        TopicSpec(
            topics.partner_topic(code),
            f"Everything partner municipality {code} is entitled to, and nothing else: homes shared with it, "
            "requests addressed to it, offers to its requests and the fate of its offers, activities open to it, "
            "bookings of its own activities.  Never a case id, personal identity number, name or address.",
            "collaboration",
            tuple(collaboration.PARTNER_EVENT_TYPES),
        )
        for code in MUNICIPALITIES
    ),
)


def data_model(event_type: str) -> type[ContractModel]:
    """The payload model of ``event_type``; KeyError for an unknown type."""
    return EVENT_TYPES[event_type]
