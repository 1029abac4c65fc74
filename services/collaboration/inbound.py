"""Inbound subscriptions: placement events make family homes occupied, moved and free; a referral
ticked "protected identity" protects its case as a placement record saying so would (STYLE §4)."""

from __future__ import annotations

from contracts.placements import PlacementChangedV1, PlacementEndedV1, PlacementStartedV1
from contracts.referrals import ReferralChildPlacedV1, ReferralReceivedV1
from contracts.topics import PLACEMENTS, REFERRALS
from services.collaboration.application import CollaborationApplication
from services.kit.consumer import ConsumerSpec, on
from services.kit.inbound import InboundEvent


def consumers(app: CollaborationApplication) -> list[ConsumerSpec]:
    # A case worker may tick the box on a referral before, or without, the case system marking a
    # placement (ADR 0032): both referral events that carry it are read.
    def referral(event: InboundEvent[ReferralReceivedV1] | InboundEvent[ReferralChildPlacedV1]) -> None:
        data = event.data
        app.referral_protection(data.municipality, data.case_id, data.protected_identity)

    return [
        ConsumerSpec(
            REFERRALS,
            [on(ReferralReceivedV1, referral), on(ReferralChildPlacedV1, referral)],
        ),
        # referrals owns ext.placements.v1's dead-letter queue
        ConsumerSpec(
            PLACEMENTS,
            [
                on(PlacementStartedV1, app.placement_started),
                on(PlacementChangedV1, app.placement_changed),
                on(PlacementEndedV1, app.placement_ended),
            ],
            dead_letters=False,
        ),
    ]
