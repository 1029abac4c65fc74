"""Two replicas booking the same person's day: the store refuses the second, which tries again
with what the first stored (ADR 0021)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

from contracts.referrals import ReferralReceivedV1
from contracts.topics import REFERRALS
from services.kit.consumer import ConsumerSpec, on
from services.kit.inbound import InboundEvent
from services.scheduling.application import SchedulingApplication
from tests.fuzz.test_scheduling_bursts import batch
from tests.support.bookings import double_bookings
from tests.support.fetched import in_process_consumer

REFERRED_AT = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


def replica(database: Path) -> SchedulingApplication:
    app = SchedulingApplication(
        env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(database)}
    )
    app.clock = lambda: datetime(2026, 11, 23, 8, 0)
    return app


def convene(app: SchedulingApplication, referral_id: str) -> None:
    app.convene_staff_meeting(
        referral_id, "network_centre", f"0380-{referral_id[:6]}", "0380", "placed", "unassigned", REFERRED_AT
    )


async def test_a_record_that_loses_a_race_for_a_persons_day_is_booked_again_around_the_winner(
    tmp_path: Path,
) -> None:
    first, second = replica(tmp_path / "s.sqlite"), replica(tmp_path / "s.sqlite")
    first.seed_default_roster()
    races: list[str] = []
    attempts: list[str] = []

    def received_while_the_other_replica_books(event: InboundEvent[ReferralReceivedV1]) -> None:
        attempts.append(event.data.referral_id)
        convene(first, event.data.referral_id)
        if not races:  # the other replica stores the same hour for the same people, before this commits
            races.append(str(uuid.uuid4()))
            convene(second, races[0])

    spec = ConsumerSpec(REFERRALS, [on(ReferralReceivedV1, received_while_the_other_replica_books)])
    consumer, _ = in_process_consumer(first, spec, "race")
    message = batch(["placed"])
    await consumer.handle([r.value for r in message.raw_message], message)  # type: ignore[arg-type]
    assert len(attempts) == 2  # the store refused the first: it would have booked the same hour
    assert len(first._open_meetings("0380")) == 2
    assert double_bookings(first) == []
