"""Inbound handlers: a typed contract in, one application call out (STYLE §4)."""

from __future__ import annotations

from typing import cast

from eventsourcing.persistence import Tracking

from contracts.placements import PlacementEndedV1, PlacementStartedV1
from contracts.referrals import ReferralAcceptedV1
from contracts.topics import PLACEMENTS, REFERRALS
from services.kit.consumer import ConsumerSpec
from services.kit.inbound import InboundEvent
from services.network_support.application import NetworkSupportApplication


def consumers(app: NetworkSupportApplication) -> list[ConsumerSpec]:
    def referral_accepted(event: InboundEvent, tracking: Tracking | None) -> None:
        data = cast(ReferralAcceptedV1, event.data)
        app.referral_accepted(data.referral_id, data.case_id, data.municipality, data.target, tracking)

    def placement_started(event: InboundEvent, tracking: Tracking | None) -> None:
        data = cast(PlacementStartedV1, event.data)
        app.placement_started(data.municipality, data.case_id, data.placement_id, data.placement_type,
                              data.start_date, data.school_change, tracking)

    def placement_ended(event: InboundEvent, tracking: Tracking | None) -> None:
        data = cast(PlacementEndedV1, event.data)
        app.placement_ended(data.municipality, data.case_id, data.end_reason, data.end_date, tracking)

    return [
        ConsumerSpec(REFERRALS, {"se.natverk.referral.accepted.v1": referral_accepted}),
        # referrals owns ext.placements.v1's dead-letter queue
        ConsumerSpec(
            PLACEMENTS,
            {"se.placement.started.v1": placement_started, "se.placement.ended.v1": placement_ended},
            dead_letters=False,
        ),
    ]
