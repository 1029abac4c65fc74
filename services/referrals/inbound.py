"""Inbound handlers: a typed contract in, one application call out (STYLE §4)."""

from __future__ import annotations

from typing import cast

from eventsourcing.persistence import Tracking

from contracts.placements import PlacementStartedV1
from contracts.topics import PLACEMENTS
from services.kit.consumer import ConsumerSpec
from services.kit.inbound import InboundEvent
from services.referrals.application import ReferralsApplication


def placement_consumer(app: ReferralsApplication) -> ConsumerSpec:
    def placement_started(event: InboundEvent, _: Tracking | None) -> None:
        data = cast(PlacementStartedV1, event.data)
        app.refer_placed_child(
            case_id=data.case_id,
            municipality=data.municipality,
            child_pin=data.child.pin,
            protected_identity=data.child.protected_identity,
            placement_id=data.placement_id,
        )

    # referrals owns the inbound topic's dead-letter queue: it alone dead-letters bad records.
    return ConsumerSpec(PLACEMENTS, {"se.placement.started.v1": placement_started}, dead_letters=True)
