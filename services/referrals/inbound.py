"""Inbound subscriptions: a typed contract event in, one application call out (STYLE §4)."""

from __future__ import annotations

from contracts.placements import PlacementStartedV1
from contracts.topics import PLACEMENTS
from services.kit.consumer import ConsumerSpec, on
from services.referrals.application import ReferralsApplication


def placement_consumer(app: ReferralsApplication) -> ConsumerSpec:
    # referrals owns the inbound topic's dead-letter queue: it alone dead-letters bad records.
    return ConsumerSpec(PLACEMENTS, [on(PlacementStartedV1, app.refer_placed_child)], dead_letters=True)
