"""A partner message the disclosure filter withholds is counted once, when its event is stored.

The relay translates a stored event again on every publish retry and on the republish of a new
epoch (ADR 0012): none of those may count it again, or ``PartnerMessageWithheld`` fires for old events.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from services.collaboration.app import build_runtime
from services.collaboration.domain.activity import SharedActivity
from services.kit.outbox import records_of
from services.kit.runtime import ServiceRuntime
from tests.conftest import make_settings
from tests.support.events import valid_pin

UPPSALA, VASTERAS = "0380", "1980"
WITHHELD = "natverk_partner_messages_withheld_total"
ACTIVITY_TYPE = {"event_type": "se.natverk.partner.activity.v1"}


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[ServiceRuntime]:
    built = build_runtime(make_settings(tmp_path))
    yield built
    built.app.close()


def store_activity_titled_with_a_pin(runtime: ServiceRuntime) -> None:
    """An activity open to one partner, stored before the edge refused such titles: its one
    partner message looks personal."""
    starts_at = datetime.now(UTC) + timedelta(days=30)
    title = f"Training for {valid_pin(7)}"
    runtime.app.save(SharedActivity.announce(UPPSALA, "training", title, starts_at, 5, (VASTERAS,)))


def relay_translates_everything(runtime: ServiceRuntime, epoch: int = 0) -> list[Any]:
    """What the relay does with each stored notification on every (re)publish attempt."""
    notifications = runtime.app.recorder.select_notifications(1, 1_000)
    return [
        record
        for notification in notifications
        for record in records_of(runtime.app, runtime.publication, notification, notification.id, epoch)
    ]


def withheld(runtime: ServiceRuntime) -> float | None:
    return runtime.metrics.registry.get_sample_value(WITHHELD, ACTIVITY_TYPE)


def test_a_partner_message_withheld_is_counted_once_as_its_event_is_stored(runtime) -> None:
    store_activity_titled_with_a_pin(runtime)
    assert withheld(runtime) == 1


def test_republishing_an_event_whose_partner_message_was_withheld_counts_it_no_more(runtime) -> None:
    store_activity_titled_with_a_pin(runtime)
    relay_translates_everything(runtime)  # the broker failed: the relay retries the batch
    retried = relay_translates_everything(runtime)
    relay_translates_everything(runtime, epoch=1)  # the broker lost records: all republished
    assert withheld(runtime) == 1
    assert not [record for record in retried if record.topic.startswith("partner.")]
