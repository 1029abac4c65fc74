"""Inbound subscriptions: placement events make family homes occupied, moved and free (STYLE §4)."""

from __future__ import annotations

from contracts.placements import PlacementChangedV1, PlacementEndedV1, PlacementStartedV1
from contracts.topics import PLACEMENTS
from services.collaboration.application import CollaborationApplication
from services.kit.consumer import ConsumerSpec, on


def consumers(app: CollaborationApplication) -> list[ConsumerSpec]:
    # referrals owns ext.placements.v1's dead-letter queue
    return [
        ConsumerSpec(
            PLACEMENTS,
            [
                on(PlacementStartedV1, app.placement_started),
                on(PlacementChangedV1, app.placement_changed),
                on(PlacementEndedV1, app.placement_ended),
            ],
            dead_letters=False,
        )
    ]
