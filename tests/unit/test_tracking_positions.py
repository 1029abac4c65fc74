"""Tracking positions of relayed records: (relay epoch, notification id), ordered epoch first."""

from __future__ import annotations

from datetime import UTC, datetime

from contracts.envelope import CloudEvent
from services.kit.consumer import tracking_for
from services.kit.inbound import InboundEvent


def relayed(sequence: str | None, epoch: str | None = None) -> InboundEvent:
    extensions = {k: v for k, v in (("sequence", sequence), ("epoch", epoch)) if v is not None}
    envelope = CloudEvent(
        specversion="1.0",
        id="x.1",
        source="/natverk/referrals",
        type="t",
        time=datetime.now(UTC),
        subject="0380-1",
        datacontenttype="application/json",
        data={},
        **extensions,
    )
    return InboundEvent(envelope=envelope, data=None)  # type: ignore[arg-type]


def test_without_an_epoch_the_position_is_the_notification_id_under_the_source_and_partition() -> None:
    tracking = tracking_for(relayed("42"), partition=2)
    assert tracking is not None
    assert (tracking.application_name, tracking.notification_id) == ("/natverk/referrals/2", 42)


def test_a_record_of_a_later_epoch_is_beyond_every_record_of_an_earlier_one() -> None:
    republished_first = tracking_for(relayed("1", epoch="1"), partition=0)
    newest_before_the_loss = tracking_for(relayed(str(2**40 - 1)), partition=0)
    assert republished_first is not None and newest_before_the_loss is not None
    assert republished_first.notification_id > newest_before_the_loss.notification_id
    assert (
        tracking_for(relayed("7", epoch="2"), 0).notification_id
        > tracking_for(relayed("9", epoch="1"), 0).notification_id
    )


def test_records_without_a_usable_sequence_are_not_tracked() -> None:
    assert tracking_for(relayed(None), 0) is None
    assert tracking_for(relayed("-3"), 0) is None
    assert tracking_for(relayed(str(2**40)), 0) is None  # would collide with the next epoch
