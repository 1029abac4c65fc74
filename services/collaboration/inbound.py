"""Inbound handlers: placement events make family homes occupied and free (STYLE §4)."""

from __future__ import annotations

from typing import cast

from eventsourcing.persistence import Tracking

from contracts.placements import PlacementEndedV1, PlacementStartedV1
from contracts.topics import PLACEMENTS
from services.collaboration.application import CollaborationApplication
from services.kit.consumer import ConsumerSpec
from services.kit.inbound import InboundEvent


def consumers(app: CollaborationApplication) -> list[ConsumerSpec]:
    def placement_started(event: InboundEvent, tracking: Tracking | None) -> None:
        data = cast(PlacementStartedV1, event.data)
        app.placement_started(
            data.municipality,
            data.case_id,
            data.placement_id,
            data.family_home_id,
            data.child.protected_identity,
            tracking,
        )

    def placement_ended(event: InboundEvent, tracking: Tracking | None) -> None:
        data = cast(PlacementEndedV1, event.data)
        app.placement_ended(data.municipality, data.placement_id, data.family_home_id, tracking)

    return [
        # referrals owns ext.placements.v1's dead-letter queue
        ConsumerSpec(
            PLACEMENTS,
            {"se.placement.started.v1": placement_started, "se.placement.ended.v1": placement_ended},
            dead_letters=False,
        ),
    ]
