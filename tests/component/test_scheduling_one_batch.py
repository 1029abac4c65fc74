"""Records that arrive in one fetched batch are one unit of work: what an earlier record of the
batch saved counts for a later one, as it would had they come one by one."""

from __future__ import annotations

import uuid
from datetime import datetime

from contracts.topics import REFERRALS
from services.scheduling.domain.meeting import Meeting
from services.scheduling.inbound import referral_consumer
from tests.support.fetched import FakeMessage, FakeRecord, in_process_consumer
from tests.support.referral_records import child_placed, referral_received


async def test_a_child_placed_just_before_its_referral_in_one_batch_gets_a_parent_supporter(
    scheduling,
) -> None:
    store = scheduling.app.state.runtime.app  # type: ignore[attr-defined]
    store.clock = lambda: datetime(2026, 11, 23, 8, 0)
    consumer, broker = in_process_consumer(store, referral_consumer(store), "one-batch")
    referral_id, case_id = str(uuid.uuid4()), "0380-OB-1"
    values = [
        child_placed(case_id, referral_id, 1, "P-1"),  # relayed first: its referral was received later
        referral_received(case_id, referral_id, 2, child_status="placement_near"),
    ]
    batch = FakeMessage(tuple(FakeRecord(v, offset=n, topic=REFERRALS) for n, v in enumerate(values)))
    await consumer.handle(values, batch)  # type: ignore[arg-type]
    assert broker.published == []
    meeting = store.repository.get(Meeting.id_for_referral(referral_id))
    assert any(staff_id.startswith("0380-parent-supporter") for staff_id in meeting.staff_ids)
