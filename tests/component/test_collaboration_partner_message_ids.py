"""A partner's messages say nothing of a home's events it was not told of (ADR 0009 addendum, 2026-12-05):
their CloudEvent ids are opaque, and they carry no position in the service's log.  An id of the
form ``<home>.<version>`` counted every event stored on the home, told or not (a protected child's
move-in and move-out among them), and ``sequence`` counted every event the service stored."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
from eventsourcing.domain import CanCreateTimestamp

from tests.component.test_collaboration_a_protected_stay_is_nothing_to_others import in_home
from tests.component.test_collaboration_case_protection_http import collaboration, partner_envelopes
from tests.component.test_collaboration_http import GAVLE, UPPSALA, VASTERAS, as_, register
from tests.support.events import placement_ended, placement_started

__all__ = ["collaboration"]


def told_to_gavle(client: httpx.AsyncClient, home_id: str) -> list[dict[str, Any]]:
    return [
        envelope
        for topic, envelope in partner_envelopes(client)
        if topic == f"partner.{GAVLE}.v1" and envelope["subject"] == home_id
    ]


def as_compared(envelope: dict[str, Any], home_id: str) -> dict[str, Any]:
    """The message with what differs between any two homes anyway left out: its id is checked apart."""
    shown = {key: value for key, value in envelope.items() if key not in ("id", "time", "subject")}
    shown["data"] = {
        key: value for key, value in envelope["data"].items() if key not in ("home_id", "register_id")
    }
    return shown


async def test_a_partner_cannot_count_a_protected_stay_from_the_ids_or_positions_of_its_messages(
    collaboration,
) -> None:
    """Västerås's homes x and y; Uppsala's protected child moves into x and leaves, nobody comes to
    y; Västerås then pauses both.  Gävle's messages about the two read alike, ids included."""
    homes = {k: await register(collaboration, VASTERAS, f"VAS-{k}", [UPPSALA, GAVLE]) for k in "xy"}
    protected = {**in_home(UPPSALA, homes["x"]), "protected_identity": True}
    await collaboration.feed(placement_started("0380-C-x", "P-x", **protected))
    await collaboration.feed(placement_ended("0380-C-x", "P-x", **protected))
    for k in "xy":
        paused = await collaboration.put(
            f"/api/v1/family-homes/{homes[k]}/availability", headers=as_(VASTERAS), json={"available": False}
        )
        assert paused.status_code == 200, paused.text

    x, y = (told_to_gavle(collaboration, homes[k]) for k in "xy")

    assert [as_compared(e, homes["x"]) for e in x] == [as_compared(e, homes["y"]) for e in y]
    for envelope in x + y:
        assert "sequence" not in envelope and "epoch" not in envelope
        assert "." not in envelope["id"] and envelope["subject"] not in envelope["id"]


async def test_a_partner_message_published_again_carries_the_id_it_had(collaboration) -> None:
    """Partners drop a repeat by (source, id): a republish after a crash or a broker loss must say the same."""
    home = await register(collaboration, VASTERAS, "VAS-r", [UPPSALA, GAVLE])
    first = [e["id"] for e in told_to_gavle(collaboration, home)]
    again = [e["id"] for e in told_to_gavle(collaboration, home)]
    assert first == again and len(set(first)) == len(first) > 0


async def test_two_partner_messages_about_one_home_stored_in_the_same_microsecond_keep_their_own_ids(
    collaboration, monkeypatch
) -> None:
    """Partners drop a repeat by (source, id), so two messages must never share one: ids made from the
    stored event's time alone did when a clock gave two of a home's events the same microsecond (a
    coarse clock, or one command storing two), and Gävle would have dropped the second as a repeat."""
    same_instant = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
    monkeypatch.setattr(CanCreateTimestamp, "create_timestamp", staticmethod(lambda: same_instant))
    home = await register(collaboration, VASTERAS, "VAS-t", [UPPSALA, GAVLE])
    for available in (False, True):
        changed = await collaboration.put(
            f"/api/v1/family-homes/{home}/availability", headers=as_(VASTERAS), json={"available": available}
        )
        assert changed.status_code == 200, changed.text

    ids = [envelope["id"] for envelope in told_to_gavle(collaboration, home)]

    assert len(ids) == 3 and len(set(ids)) == 3
