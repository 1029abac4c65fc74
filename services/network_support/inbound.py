"""Inbound handlers: a typed contract in, one application call out (STYLE §4)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

from eventsourcing.persistence import Tracking

from contracts.placements import PlacementEndedV1, PlacementStartedV1
from contracts.referrals import ReferralAcceptedV1
from contracts.scheduling import MeetingBookedV1, MeetingCancelledV1, MeetingFacts, MeetingRescheduledV1
from contracts.topics import PLACEMENTS, REFERRALS, SCHEDULING
from services.kit.consumer import ConsumerSpec, Handler
from services.kit.inbound import InboundEvent
from services.network_support.application import NetworkSupportApplication

LOCAL = ZoneInfo("Europe/Stockholm")


def _local_day(moment: datetime) -> date:
    """Scheduling books in local Swedish wall-clock time; an offset, if any, is converted first."""
    return (moment.astimezone(LOCAL) if moment.tzinfo else moment).date()


def consumers(app: NetworkSupportApplication) -> list[ConsumerSpec]:
    def referral_accepted(event: InboundEvent, tracking: Tracking | None) -> None:
        data = cast(ReferralAcceptedV1, event.data)
        app.referral_accepted(data.referral_id, data.case_id, data.municipality, data.target, tracking)

    def placement_started(event: InboundEvent, tracking: Tracking | None) -> None:
        data = cast(PlacementStartedV1, event.data)
        app.placement_started(
            data.municipality,
            data.case_id,
            data.placement_id,
            data.placement_type,
            data.start_date,
            data.school_change,
            tracking,
        )

    def placement_ended(event: InboundEvent, tracking: Tracking | None) -> None:
        data = cast(PlacementEndedV1, event.data)
        app.placement_ended(data.municipality, data.case_id, data.end_reason, data.end_date, tracking)

    def network_meetings_only(note: Callable[[Any, Tracking | None], None]) -> Handler:
        """Only network meetings matter here (safety-scale readings come from them); other kinds
        are only noted as seen."""

        def handle(event: InboundEvent, tracking: Tracking | None) -> None:
            data = cast(MeetingFacts, event.data)
            if data.kind != "network_meeting":
                app.save(tracking=tracking)
                return
            note(data, tracking)

        return handle

    def meeting_booked(data: MeetingBookedV1, tracking: Tracking | None) -> None:
        app.network_meeting_booked(
            data.municipality, data.case_id, data.meeting_id, _local_day(data.start), tracking
        )

    def meeting_rescheduled(data: MeetingRescheduledV1, tracking: Tracking | None) -> None:
        app.network_meeting_moved(
            data.municipality, data.case_id, data.meeting_id, _local_day(data.start), tracking
        )

    def meeting_cancelled(data: MeetingCancelledV1, tracking: Tracking | None) -> None:
        app.network_meeting_cancelled(data.municipality, data.case_id, data.meeting_id, tracking)

    return [
        ConsumerSpec(
            SCHEDULING,
            {
                "se.natverk.meeting.booked.v1": network_meetings_only(meeting_booked),
                "se.natverk.meeting.rescheduled.v1": network_meetings_only(meeting_rescheduled),
                "se.natverk.meeting.cancelled.v1": network_meetings_only(meeting_cancelled),
            },
        ),
        ConsumerSpec(REFERRALS, {"se.natverk.referral.accepted.v1": referral_accepted}),
        # referrals owns ext.placements.v1's dead-letter queue
        ConsumerSpec(
            PLACEMENTS,
            {"se.placement.started.v1": placement_started, "se.placement.ended.v1": placement_ended},
            dead_letters=False,
        ),
    ]
