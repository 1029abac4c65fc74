"""Inbound subscriptions: a typed contract event in, one application call out (STYLE §4)."""

from __future__ import annotations

from contracts.placements import PlacementChangedV1, PlacementData, PlacementEndedV1, PlacementStartedV1
from contracts.referrals import (
    ReferralAcceptedV1,
    ReferralChildPlacedV1,
    ReferralClosedV1,
    ReferralReceivedV1,
    ReferralRevokedV1,
)
from contracts.scheduling import MeetingBookedV1, MeetingCancelledV1, MeetingHeldV1, MeetingRescheduledV1
from contracts.topics import PLACEMENTS, REFERRALS, SCHEDULING
from services.kit.consumer import ConsumerSpec, on
from services.kit.domain.swedish_time import swedish_day
from services.kit.inbound import InboundEvent
from services.network_support.application import NetworkSupportApplication
from services.network_support.use_cases.from_events import PlacementFacts

# Safety-scale readings come from these, and one held is the safety plan's follow-up (DOMAIN.md:
# a plan is followed up through network meetings); other kinds of meeting do not matter here.
NETWORK_MEETING = "network_meeting"


def _facts(data: PlacementData) -> PlacementFacts:
    return PlacementFacts(
        data.municipality, data.case_id, data.placement_id, data.placement_type, data.start_date
    )


def consumers(app: NetworkSupportApplication) -> list[ConsumerSpec]:
    def referral_accepted(event: InboundEvent[ReferralAcceptedV1]) -> None:
        data = event.data
        accepted_on = swedish_day(event.envelope.time)  # not the day it was heard: lag, a redrive
        app.referral_accepted(data.referral_id, data.case_id, data.municipality, data.target, accepted_on)

    def referral_protection(event: InboundEvent[ReferralReceivedV1 | ReferralChildPlacedV1]) -> None:
        data = event.data
        app.referral_said_protection(data.municipality, data.case_id, data.protected_identity)

    def referral_closed(event: InboundEvent[ReferralClosedV1]) -> None:
        app.referral_ended(event.data.referral_id, event.data.municipality, "referral_closed")

    def referral_revoked(event: InboundEvent[ReferralRevokedV1]) -> None:
        app.referral_ended(event.data.referral_id, event.data.municipality, "referral_revoked")

    def placement_started(event: InboundEvent[PlacementStartedV1]) -> None:
        data = event.data
        app.placement_started(
            data.municipality,
            data.case_id,
            data.placement_id,
            data.placement_type,
            data.start_date,
            data.school_change,
            data.case_worker_id,
            data.child.protected_identity,
        )

    def placement_changed(event: InboundEvent[PlacementChangedV1]) -> None:
        data = event.data
        app.placement_changed(
            _facts(data),
            data.school_change,
            event.envelope.time,
            data.case_worker_id,
            data.child.protected_identity,
        )

    def placement_ended(event: InboundEvent[PlacementEndedV1]) -> None:
        data = event.data
        app.placement_ended(_facts(data), data.end_reason, data.end_date, data.child.protected_identity)

    def meeting_booked(event: InboundEvent[MeetingBookedV1]) -> None:
        data = event.data
        if data.kind == NETWORK_MEETING:
            app.network_meeting_booked(
                data.municipality, data.case_id, data.meeting_id, swedish_day(data.start)
            )

    def meeting_rescheduled(event: InboundEvent[MeetingRescheduledV1]) -> None:
        data = event.data
        if data.kind == NETWORK_MEETING:
            app.network_meeting_moved(
                data.municipality, data.case_id, data.meeting_id, swedish_day(data.start)
            )

    def meeting_cancelled(event: InboundEvent[MeetingCancelledV1]) -> None:
        data = event.data
        if data.kind == NETWORK_MEETING:
            app.network_meeting_cancelled(data.municipality, data.case_id, data.meeting_id)

    def meeting_held(event: InboundEvent[MeetingHeldV1]) -> None:
        data = event.data
        if data.kind == NETWORK_MEETING:
            held_on = swedish_day(data.start) if data.start else None  # None: published before it said
            app.network_meeting_held(data.municipality, data.case_id, data.meeting_id, held_on)

    return [
        ConsumerSpec(
            SCHEDULING,
            [
                on(MeetingBookedV1, meeting_booked),
                on(MeetingRescheduledV1, meeting_rescheduled),
                on(MeetingCancelledV1, meeting_cancelled),
                on(MeetingHeldV1, meeting_held),
            ],
        ),
        ConsumerSpec(
            REFERRALS,
            [
                # a case worker may tick "protected identity" before any placement record says it
                on(ReferralReceivedV1, referral_protection),
                on(ReferralChildPlacedV1, referral_protection),
                on(ReferralAcceptedV1, referral_accepted),
                on(ReferralClosedV1, referral_closed),
                on(ReferralRevokedV1, referral_revoked),
            ],
        ),
        # referrals owns ext.placements.v1's dead-letter queue
        ConsumerSpec(
            PLACEMENTS,
            [
                on(PlacementStartedV1, placement_started),
                on(PlacementChangedV1, placement_changed),
                on(PlacementEndedV1, placement_ended),
            ],
            dead_letters=False,
        ),
    ]
