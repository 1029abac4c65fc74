"""Tracking positions of relayed records: (relay epoch, notification id), ordered epoch first."""

from __future__ import annotations

from datetime import UTC, datetime

from contracts.envelope import CloudEvent
from contracts.topics import PLACEMENTS, REFERRALS, SCHEDULING
from services.kit.inbound import InboundEvent
from services.kit.subscriptions import tracking_for


def relayed(sequence: str | None, epoch: str | None = None, event_id: str = "x.1") -> InboundEvent:
    extensions = {k: v for k, v in (("sequence", sequence), ("epoch", epoch)) if v is not None}
    envelope = CloudEvent(
        specversion="1.0",
        id=event_id,
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
    tracking = tracking_for(relayed("42"), 2, REFERRALS)
    assert tracking is not None
    assert (tracking.application_name, tracking.notification_id) == ("/natverk/referrals/2", 42)


def test_a_record_of_a_later_epoch_is_beyond_every_record_of_an_earlier_one() -> None:
    republished_first = tracking_for(relayed("1", epoch="1"), 0, REFERRALS)
    newest_before_the_loss = tracking_for(relayed(str(2**40 - 1)), 0, REFERRALS)
    assert republished_first is not None and newest_before_the_loss is not None
    assert republished_first.notification_id > newest_before_the_loss.notification_id
    assert (
        tracking_for(relayed("7", epoch="2"), 0, REFERRALS).notification_id
        > tracking_for(relayed("9", epoch="1"), 0, REFERRALS).notification_id
    )


def test_records_without_a_usable_sequence_are_not_tracked() -> None:
    assert tracking_for(relayed(None), 0, REFERRALS) is None
    assert tracking_for(relayed("-3"), 0, REFERRALS) is None
    assert tracking_for(relayed(str(2**40)), 0, REFERRALS) is None  # would collide with the next epoch


def test_relay_positions_count_only_on_the_topic_that_relay_writes() -> None:
    assert tracking_for(relayed("42"), 0, PLACEMENTS) is None  # posing as a relay on the inbound topic
    assert tracking_for(relayed("42"), 0, SCHEDULING) is None  # another service's topic
    assert tracking_for(relayed("42"), 0, REFERRALS) is not None


def test_only_the_first_record_of_a_stored_event_stands_for_its_position() -> None:
    # Its later records share the sequence; tracked, one fetched in a later batch would be dropped.
    assert tracking_for(relayed("42", event_id="x.1"), 0, REFERRALS) is not None
    assert tracking_for(relayed("42", event_id="x.1.1"), 0, REFERRALS) is None
