"""Inbound subscriptions: referral events and placement records in, one call out each (STYLE §4)."""

from __future__ import annotations

from contracts.placements import PlacementChangedV1, PlacementData, PlacementEndedV1, PlacementStartedV1
from contracts.referrals import (
    ReferralCaseWorkerAssignedV1,
    ReferralChildPlacedV1,
    ReferralClosedV1,
    ReferralDeclinedV1,
    ReferralFacts,
    ReferralReceivedV1,
    ReferralRevokedV1,
)
from contracts.topics import PLACEMENTS, REFERRALS
from services.kit.consumer import ConsumerSpec, on
from services.kit.domain.case_protection import PROTECTED_HOUSING
from services.kit.inbound import InboundEvent
from services.scheduling.application import SchedulingApplication


def referral_consumer(app: SchedulingApplication) -> ConsumerSpec:
    def received(event: InboundEvent[ReferralReceivedV1]) -> None:
        data = event.data
        app.convene_staff_meeting(
            data.referral_id,
            data.target,
            data.case_id,
            data.municipality,
            data.child_status,
            data.case_worker_id,
            event.envelope.time,
            data.protected_identity,
        )

    def case_worker_assigned(event: InboundEvent[ReferralCaseWorkerAssignedV1]) -> None:
        data = event.data
        app.assign_case_worker(data.referral_id, data.target, data.municipality, data.case_worker_id)

    def child_placed(event: InboundEvent[ReferralChildPlacedV1]) -> None:
        data = event.data
        app.record_child_placed(
            data.referral_id,
            data.target,
            data.case_id,
            data.municipality,
            data.placement_id,
            data.protected_identity,
        )

    def withdrawn(event: InboundEvent[ReferralFacts]) -> None:
        data = event.data
        reason = f"referral {event.envelope.type.split('.')[-2]}"
        app.cancel_staff_meeting(data.referral_id, data.municipality, reason, data.target)

    def closed(event: InboundEvent[ReferralClosedV1]) -> None:
        app.close_staff_meeting(event.data.referral_id, event.data.municipality, event.data.target)

    return ConsumerSpec(
        REFERRALS,
        [
            on(ReferralReceivedV1, received),
            on(ReferralDeclinedV1, withdrawn),
            on(ReferralRevokedV1, withdrawn),
            on(ReferralClosedV1, closed),
            on(ReferralCaseWorkerAssignedV1, case_worker_assigned),
            on(ReferralChildPlacedV1, child_placed),
        ],
    )


def placement_consumer(app: SchedulingApplication) -> ConsumerSpec:
    """Any placement record saying the child has a protected identity or lives in protected housing
    protects the case's meetings (ADR 0032), whether or not a referral carried it: a case system's
    ``changed`` or ``ended`` reaches no referral, and a case may have no referral at all."""

    def any_record(event: InboundEvent[PlacementData]) -> None:
        placement = event.data
        if placement.child.protected_identity or placement.placement_type == PROTECTED_HOUSING:
            app.note_protected_case(placement.municipality, placement.case_id)

    # referrals owns ext.placements.v1's dead-letter queue.  No (source, id) marker per record: the
    # handler is a no-op on a repeat (a case is noted protected once), and most records note
    # nothing, so a marker would be a write per placement for nothing.
    return ConsumerSpec(
        PLACEMENTS,
        [
            on(PlacementStartedV1, any_record),
            on(PlacementChangedV1, any_record),
            on(PlacementEndedV1, any_record),
        ],
        dead_letters=False,
        dedupe_by_event_id=False,
    )
