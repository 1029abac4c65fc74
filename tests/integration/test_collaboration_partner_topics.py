"""Partner topics on the real broker: each partner gets what it is entitled to, and nothing personal."""

from __future__ import annotations

import json
import re
import uuid

import pytest

from contracts.pin import luhn_check_digit
from contracts.topics import COLLABORATION, PLACEMENTS, partner_topic
from services.collaboration.app import create_app as create_collaboration
from services.kit.settings import ServiceSettings
from tests.support.apps import eventually, serving
from tests.support.broker import produce, read_topic
from tests.support.clock import day_from_today
from tests.support.events import encode, placement_ended, placement_started, valid_pin
from tests.support.tokens import bearer

pytestmark = [pytest.mark.integration, pytest.mark.one_backend]
UPPSALA, VASTERAS, GAVLE = "0380", "1980", "2180"
TWELVE_DIGITS = re.compile(r"(?<!\d)\d{12}(?!\d)")


def consultant(municipality: str) -> dict[str, str]:
    return bearer(municipality, ("family_home_consultant",))


def luhn_valid_numbers(text: str) -> list[str]:
    return [n for n in TWELVE_DIGITS.findall(text) if luhn_check_digit(n[2:11]) == int(n[11])]


async def register(client, municipality: str, register_id: str, shared_with: list[str]) -> str:
    created = await client.post(
        "/api/v1/family-homes",
        headers=consultant(municipality),
        json={"register_id": register_id, "kind": "recruited", "capacity": 2, "age_min": 0, "age_max": 17},
    )
    home_id = created.json()["home_id"]
    await client.put(
        f"/api/v1/family-homes/{home_id}/sharing",
        headers=consultant(municipality),
        json={"shared_with": shared_with},
    )
    return home_id


async def partner_messages(bootstrap: str, municipality: str) -> list[tuple[bytes, dict]]:
    return [
        (record.key or b"", json.loads(record.value))
        for record in await read_topic(bootstrap, partner_topic(municipality))
    ]


async def test_partners_receive_only_their_share_and_nothing_about_a_protected_child(
    settings: ServiceSettings,
) -> None:
    tag = uuid.uuid4().hex[:6]
    protected_case, protected_home = f"0380-P-{tag}", f"UPP-FH-SECRET-{tag}"
    protected_pin = valid_pin(42)
    app = create_collaboration(settings)
    async with serving(app) as client:
        shared_home = await register(client, UPPSALA, protected_home, [VASTERAS, GAVLE])
        vasteras_home = await register(client, VASTERAS, f"VAS-FH-{tag}", [UPPSALA])
        # A protected-identity child moves into Uppsala's shared home, and later out again.
        started = placement_started(
            protected_case,
            f"PL-{tag}",
            pin=protected_pin,
            protected_identity=True,
            placement_type="familjehem",
            family_home_id=protected_home,
        )
        await produce(
            settings.kafka_bootstrap, PLACEMENTS, [encode(started)] * 2, key=protected_case.encode()
        )

        async def occupied():
            home = await client.get(f"/api/v1/family-homes/{shared_home}", headers=consultant(UPPSALA))
            return home.json()["occupied_places"] == 1

        await eventually(occupied)
        # Matching: Uppsala asks Västerås only; Västerås offers; Uppsala accepts.
        opened = await client.post(
            "/api/v1/matching-requests",
            headers=bearer(UPPSALA, ("case_worker",)),
            json={
                "case_id": f"0380-M-{tag}",
                "partners": [VASTERAS],
                "age_band": "13-17",
                "placement_type": "familjehem",
                "needs": ["experience_of_crime_prevention"],
                "from_date": day_from_today(),
                "protected_identity": False,
            },
        )
        request_id = opened.json()["request_id"]
        offer = await client.post(
            f"/api/v1/matching-requests/{request_id}/offers",
            headers=consultant(VASTERAS),
            json={"home_id": vasteras_home},
        )
        await client.post(
            f"/api/v1/matching-requests/{request_id}/accept",
            headers=bearer(UPPSALA, ("case_worker",)),
            json={"offer_id": offer.json()["offer_id"]},
        )
        activity = await client.post(
            "/api/v1/activities",
            headers=bearer(GAVLE, ("coordinator",)),
            json={
                "kind": "theme_evening",
                "title": "Theme evening: contact with birth parents",
                "starts_at": "2027-02-01T18:00:00+01:00",
                "seats": 10,
                "open_to": [UPPSALA],
            },
        )
        await client.post(
            f"/api/v1/activities/{activity.json()['activity_id']}/bookings",
            headers=bearer(UPPSALA, ("case_worker",)),
            json={"seats": 2},
        )
        ended = placement_ended(
            protected_case,
            f"PL-{tag}",
            pin=protected_pin,
            protected_identity=True,
            placement_type="familjehem",
            family_home_id=protected_home,
        )
        await produce(settings.kafka_bootstrap, PLACEMENTS, [encode(ended)], key=protected_case.encode())

        async def freed_and_relayed():
            home = await client.get(f"/api/v1/family-homes/{shared_home}", headers=consultant(UPPSALA))
            runtime = app.state.runtime
            return (
                home.json()["occupied_places"] == 0
                and runtime.relay.position() == runtime.app.max_notification_id()
            )

        await eventually(freed_and_relayed)

    messages = {m: await partner_messages(settings.kafka_bootstrap, m) for m in (UPPSALA, VASTERAS, GAVLE)}
    everything = "\n".join(
        key.decode() + " " + json.dumps(event) for batch in messages.values() for key, event in batch
    )
    assert luhn_valid_numbers(everything) == []
    assert protected_case not in everything and f"0380-M-{tag}" not in everything
    assert protected_home not in everything and f"VAS-FH-{tag}" not in everything
    assert protected_pin not in everything and protected_pin[2:] not in everything

    def of_type(municipality: str, kind: str) -> list[dict]:
        return [e["data"] for _, e in messages[municipality] if e["type"] == f"se.natverk.partner.{kind}.v1"]

    # Both partners learnt of the shared home before the child came, and nothing while the child lived there.
    for partner in (VASTERAS, GAVLE):
        home_news = [
            (d["change"], d["free_places"])
            for d in of_type(partner, "family_home")
            if d["home_id"] == shared_home
        ]
        assert home_news == [("shared", 2)]
    # The request went to Västerås only; Gävle heard nothing of it.
    assert [d["change"] for d in of_type(VASTERAS, "matching_request")] == ["opened", "matched"]
    assert of_type(GAVLE, "matching_request") == [] and of_type(GAVLE, "offer") == []
    # Uppsala got the offer; Västerås heard it was accepted.
    assert [d["change"] for d in of_type(UPPSALA, "offer")] == ["made"]
    assert [d["change"] for d in of_type(VASTERAS, "offer")] == ["accepted"]
    # Gävle's activity went to Uppsala, and Gävle heard of Uppsala's booking.
    assert next(d["change"] for d in of_type(UPPSALA, "activity")) == "announced"
    assert [(d["booking_municipality"], d["seats"]) for d in of_type(GAVLE, "seat_booking")] == [(UPPSALA, 2)]
    # Partner records are keyed by the pool object, never by a case.
    assert all(key.decode() == event["subject"] for batch in messages.values() for key, event in batch)
    # Partner envelopes name a municipality as their actor, never the staff member who acted.
    actors = {event["actor"] for batch in messages.values() for _, event in batch}
    assert actors <= {f"municipality:{code}" for code in (UPPSALA, VASTERAS, GAVLE)}


async def test_the_occupancy_reaches_the_placing_municipality_s_own_topic(settings: ServiceSettings) -> None:
    tag = uuid.uuid4().hex[:6]
    case_id, register_id = f"0380-O-{tag}", f"UPP-FH-{tag}"
    app = create_collaboration(settings)
    async with serving(app) as client:
        await register(client, UPPSALA, register_id, [])
        await produce(
            settings.kafka_bootstrap,
            PLACEMENTS,
            [encode(placement_started(case_id, f"PL-{tag}", family_home_id=register_id))],
            key=case_id.encode(),
        )

        async def relayed():
            records = await read_topic(settings.kafka_bootstrap, COLLABORATION)
            events = [json.loads(r.value) for r in records]
            return [e for e in events if e["subject"] == case_id]

        events = await eventually(relayed)
    assert events[0]["type"] == "se.natverk.family_home.occupancy_changed.v1"
    assert events[0]["data"]["change"] == "occupied" and events[0]["data"]["municipality"] == UPPSALA
