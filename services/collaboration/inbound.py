"""Inbound subscriptions: placement events make family homes occupied and free (STYLE §4)."""

from __future__ import annotations

from contracts.placements import PlacementEndedV1, PlacementStartedV1
from contracts.topics import PLACEMENTS
from services.collaboration.application import CollaborationApplication
from services.kit.consumer import ConsumerSpec, on
from services.kit.inbound import InboundEvent


def consumers(app: CollaborationApplication) -> list[ConsumerSpec]:
    def placement_started(event: InboundEvent[PlacementStartedV1]) -> None:
        data = event.data
        app.placement_started(
            data.municipality,
            data.case_id,
            data.placement_id,
            data.family_home_id,
            data.child.protected_identity,
        )

    def placement_ended(event: InboundEvent[PlacementEndedV1]) -> None:
        data = event.data
        app.placement_ended(data.municipality, data.placement_id, data.family_home_id)

    # referrals owns ext.placements.v1's dead-letter queue
    return [
        ConsumerSpec(
            PLACEMENTS,
            [on(PlacementStartedV1, placement_started), on(PlacementEndedV1, placement_ended)],
            dead_letters=False,
        )
    ]
