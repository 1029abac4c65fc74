"""Inbound subscriptions: a typed contract event in, one application call out (STYLE §4)."""

from __future__ import annotations

from contracts.placements import PlacementChangedV1, PlacementEndedV1, PlacementStartedV1
from contracts.topics import PLACEMENTS
from services.kit.consumer import ConsumerSpec, on
from services.referrals.application import ReferralsApplication


def placement_consumer(app: ReferralsApplication) -> ConsumerSpec:
    # referrals owns the inbound topic's dead-letter queue: it alone dead-letters bad records.
    # A change or an end makes no referral; referrals notes the child's case from every record
    # (the registerutdrag starts from it: ADR 0018).
    return ConsumerSpec(
        PLACEMENTS,
        [
            on(PlacementStartedV1, app.refer_placed_child),
            on(PlacementChangedV1, app.note_placement_record),
            on(PlacementEndedV1, app.note_placement_record),
        ],
        dead_letters=True,
    )
