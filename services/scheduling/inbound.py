"""Inbound handlers: referral events in, one application call out (STYLE §4)."""

from __future__ import annotations

from typing import cast

from eventsourcing.persistence import Tracking

from contracts.referrals import ReferralFacts, ReferralReceivedV1
from contracts.topics import REFERRALS
from services.kit.consumer import ConsumerSpec
from services.kit.inbound import InboundEvent
from services.scheduling.application import SchedulingApplication


def referral_consumer(app: SchedulingApplication) -> ConsumerSpec:
    def received(event: InboundEvent, tracking: Tracking | None) -> None:
        data = cast(ReferralReceivedV1, event.data)
        app.convene_staff_meeting(
            data.referral_id,
            data.target,
            data.case_id,
            data.municipality,
            data.child_status,
            data.case_worker_id,
            event.envelope.time,
            tracking,
        )

    def withdrawn(event: InboundEvent, tracking: Tracking | None) -> None:
        data = cast(ReferralFacts, event.data)
        app.cancel_staff_meeting(data.referral_id, f"referral {event.envelope.type.split('.')[-2]}", tracking)

    return ConsumerSpec(
        REFERRALS,
        {
            "se.natverk.referral.received.v1": received,
            "se.natverk.referral.declined.v1": withdrawn,
            "se.natverk.referral.revoked.v1": withdrawn,
        },
    )
