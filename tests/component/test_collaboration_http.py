"""The collaboration HTTP API: the pool, matching, activities, and object-level authorization."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest

from services.collaboration.app import create_app
from services.collaboration.commands import SeatBooking
from services.kit.auth import KNOWN_ROLES, Caller
from services.kit.domain.case_access import CaseAccess
from services.kit.inbound import InboundEvent, parse_record
from tests.component.conftest import service_app
from tests.conftest import make_settings
from tests.support.clock import day_from_today, days_ahead
from tests.support.events import encode, placement_ended, placement_started
from tests.support.tokens import bearer

UPPSALA = "0380"
VASTERAS = "1980"
GAVLE = "2180"


def as_(municipality: str, role: str = "family_home_consultant") -> dict[str, str]:
    return bearer(municipality, (role,))


@pytest.fixture
async def collaboration(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(make_settings(tmp_path), start_runtime=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://collaboration"
    ) as client:
        client.app = app  # type: ignore[attr-defined]
        yield client
    app.state.runtime.app.close()


def inbound(cloud_event: dict[str, Any]) -> InboundEvent[Any]:
    return parse_record(encode(cloud_event))


def started(
    case_id: str, placement_id: str, register_id: str, municipality: str = UPPSALA
) -> InboundEvent[Any]:
    return inbound(
        placement_started(case_id, placement_id, municipality=municipality, family_home_id=register_id)
    )


async def register(
    client: httpx.AsyncClient,
    municipality: str,
    register_id: str,
    shared_with: list[str],
    kind: str = "recruited",
    capacity: int = 2,
) -> str:
    created = await client.post(
        "/api/v1/family-homes",
        headers=as_(municipality),
        json={
            "register_id": register_id,
            "kind": kind,
            "capacity": capacity,
            "age_min": 0,
            "age_max": 17,
            "specialisations": ["reinforced"],
            "languages": ["sv", "ar"],
        },
    )
    assert created.status_code == 201, created.text
    home_id = created.json()["home_id"]
    if shared_with:
        shared = await client.put(
            f"/api/v1/family-homes/{home_id}/sharing",
            headers=as_(municipality),
            json={"shared_with": shared_with},
        )
        assert shared.status_code == 200, shared.text
    return home_id


def new_request(partners: list[str], case_id: str = "0380-C-1", protected: bool = False) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "partners": partners,
        "age_band": "6-12",
        "placement_type": "familjehem",
        "needs": ["siblings_together"],
        "from_date": day_from_today(),
        "protected_identity": protected,
    }


async def open_request(client: httpx.AsyncClient, partners: list[str], case_id: str = "0380-C-1") -> str:
    response = await client.post(
        "/api/v1/matching-requests", headers=as_(UPPSALA, "case_worker"), json=new_request(partners, case_id)
    )
    assert response.status_code == 201, response.text
    return response.json()["request_id"]


async def announce(client: httpx.AsyncClient, seats: int = 4, open_to: list[str] | None = None) -> str:
    response = await client.post(
        "/api/v1/activities",
        headers=as_(UPPSALA, "coordinator"),
        json={
            "kind": "training",
            "title": "Foster-parent training, part one",
            "starts_at": days_ahead(),
            "seats": seats,
            "open_to": open_to or [VASTERAS],
        },
    )
    assert response.status_code == 201, response.text
    return response.json()["activity_id"]


async def test_a_partner_sees_a_shared_home_without_its_register_id(collaboration) -> None:
    home_id = await register(collaboration, UPPSALA, "UPP-FH-17", [VASTERAS])
    seen = await collaboration.get(f"/api/v1/family-homes/{home_id}", headers=as_(VASTERAS))
    assert seen.status_code == 200
    assert "UPP-FH-17" not in seen.text and "register_id" not in seen.json()
    assert seen.json()["free_places"] == 2
    not_shared = await collaboration.get(f"/api/v1/family-homes/{home_id}", headers=as_(GAVLE))
    assert not_shared.status_code == 404


async def test_a_kinship_home_cannot_be_shared(collaboration) -> None:
    home_id = await register(collaboration, UPPSALA, "UPP-K-1", [], kind="kinship")
    response = await collaboration.put(
        f"/api/v1/family-homes/{home_id}/sharing", headers=as_(UPPSALA), json={"shared_with": [VASTERAS]}
    )
    assert response.status_code == 422
    assert "kinship" in response.json()["error"]["message"]


async def test_a_register_id_is_registered_once(collaboration) -> None:
    await register(collaboration, UPPSALA, "UPP-FH-1", [])
    again = await collaboration.post(
        "/api/v1/family-homes",
        headers=as_(UPPSALA),
        json={"register_id": "UPP-FH-1", "kind": "recruited", "capacity": 1, "age_min": 0, "age_max": 5},
    )
    assert again.status_code == 409


async def test_placements_make_a_home_occupied_and_free_again(collaboration) -> None:
    home_id = await register(collaboration, UPPSALA, "UPP-FH-2", [VASTERAS], capacity=1)
    app = service_app(collaboration)
    app.placement_started(started("0380-C-9", "P-9", "UPP-FH-2"))
    assert (await collaboration.get(f"/api/v1/family-homes/{home_id}", headers=as_(VASTERAS))).json()[
        "free_places"
    ] == 0
    app.placement_ended(inbound(placement_ended("0380-C-9", "P-9", family_home_id="UPP-FH-2")))
    assert (await collaboration.get(f"/api/v1/family-homes/{home_id}", headers=as_(VASTERAS))).json()[
        "free_places"
    ] == 1


async def test_a_placement_in_a_partner_home_shared_with_the_placer_occupies_it(collaboration) -> None:
    home_id = await register(collaboration, VASTERAS, "VAS-FH-3", [UPPSALA], capacity=1)
    service_app(collaboration).placement_started(started("0380-C-3", "P-3", "VAS-FH-3"))
    own = (await collaboration.get(f"/api/v1/family-homes/{home_id}", headers=as_(VASTERAS))).json()
    assert own["occupied_places"] == 1


async def test_matching_offer_accept_and_the_other_offers_are_declined(collaboration) -> None:
    vasteras_home = await register(collaboration, VASTERAS, "VAS-FH-1", [UPPSALA])
    gavle_home = await register(collaboration, GAVLE, "GAV-FH-1", [UPPSALA])
    request_id = await open_request(collaboration, [VASTERAS, GAVLE])
    offers = {}
    for municipality, home_id in ((VASTERAS, vasteras_home), (GAVLE, gavle_home)):
        offered = await collaboration.post(
            f"/api/v1/matching-requests/{request_id}/offers",
            headers=as_(municipality),
            json={"home_id": home_id},
        )
        assert offered.status_code == 201, offered.text
        offers[municipality] = offered.json()["offer_id"]
    accepted = await collaboration.post(
        f"/api/v1/matching-requests/{request_id}/accept",
        headers=as_(UPPSALA, "case_worker"),
        json={"offer_id": offers[GAVLE]},
    )
    assert accepted.json()["status"] == "matched"
    vasteras_view = (
        await collaboration.get(f"/api/v1/matching-requests/{request_id}", headers=as_(VASTERAS))
    ).json()
    assert [o["status"] for o in vasteras_view["offers"]] == ["declined"]
    assert "case_id" not in vasteras_view and "0380-C-1" not in str(vasteras_view)


async def test_an_unshared_home_cannot_be_offered(collaboration) -> None:
    home_id = await register(collaboration, VASTERAS, "VAS-FH-9", [])
    request_id = await open_request(collaboration, [VASTERAS])
    response = await collaboration.post(
        f"/api/v1/matching-requests/{request_id}/offers", headers=as_(VASTERAS), json={"home_id": home_id}
    )
    assert response.status_code == 409
    assert "share the home" in response.json()["error"]["message"]


async def test_a_second_open_request_for_the_case_to_the_same_partner_is_refused(collaboration) -> None:
    await open_request(collaboration, [VASTERAS])
    again = await collaboration.post(
        "/api/v1/matching-requests", headers=as_(UPPSALA, "case_worker"), json=new_request([VASTERAS, GAVLE])
    )
    assert again.status_code == 409
    assert "already went to" in again.json()["error"]["message"]
    other_partner = await collaboration.post(
        "/api/v1/matching-requests", headers=as_(UPPSALA, "case_worker"), json=new_request([GAVLE])
    )
    assert other_partner.status_code == 201


async def test_a_request_for_a_protected_identity_child_is_refused(collaboration) -> None:
    response = await collaboration.post(
        "/api/v1/matching-requests",
        headers=as_(UPPSALA, "case_worker"),
        json=new_request([VASTERAS], protected=True),
    )
    assert response.status_code == 422
    assert "protected identity" in response.json()["error"]["message"]


@pytest.mark.parametrize("from_date", ["1237-01-01", "2099-06-30", day_from_today(-31), day_from_today(366)])
async def test_a_request_for_a_home_from_an_implausible_day_is_refused_without_echoing_it(
    collaboration, from_date: str
) -> None:
    response = await collaboration.post(
        "/api/v1/matching-requests",
        headers=as_(UPPSALA, "case_worker"),
        json={**new_request([VASTERAS]), "from_date": from_date},
    )
    assert response.status_code == 422
    assert response.json()["error"]["message"].startswith("from_date: must be within 30 days before")
    assert from_date not in response.text
    listed = await collaboration.get("/api/v1/matching-requests", headers=as_(VASTERAS))
    assert listed.json()["items"] == []  # nothing went to the partner


@pytest.mark.parametrize("from_date", [day_from_today(-30), day_from_today(), day_from_today(365)])
async def test_a_request_for_a_home_from_a_day_near_today_is_sent(collaboration, from_date: str) -> None:
    response = await collaboration.post(
        "/api/v1/matching-requests",
        headers=as_(UPPSALA, "case_worker"),
        json={**new_request([VASTERAS]), "from_date": from_date},
    )
    assert response.status_code == 201, response.text


async def test_requests_expire_after_the_configured_time(collaboration) -> None:
    request_id = await open_request(collaboration, [VASTERAS])
    app = service_app(collaboration)
    app.clock = lambda: datetime.now(UTC) + timedelta(hours=73)
    assert app.expire_requests() == [UPPSALA]
    shown = (await collaboration.get(f"/api/v1/matching-requests/{request_id}", headers=as_(UPPSALA))).json()
    assert shown["status"] == "expired"
    # an expired request no longer blocks a new one for the same case
    assert (
        await collaboration.post(
            "/api/v1/matching-requests", headers=as_(UPPSALA, "case_worker"), json=new_request([VASTERAS])
        )
    ).status_code == 201


async def test_seats_are_booked_and_over_booking_is_refused(collaboration) -> None:
    activity_id = await announce(collaboration, seats=3)
    booked = await collaboration.post(
        f"/api/v1/activities/{activity_id}/bookings",
        headers=as_(VASTERAS),
        json={"seats": 2, "booking_id": "vas-1"},
    )
    assert booked.status_code == 201 and booked.json()["seats_free"] == 1
    retried = await collaboration.post(
        f"/api/v1/activities/{activity_id}/bookings",
        headers=as_(VASTERAS),
        json={"seats": 2, "booking_id": "vas-1"},
    )
    assert retried.json()["seats_free"] == 1  # the same booking id again books nothing more
    over = await collaboration.post(
        f"/api/v1/activities/{activity_id}/bookings", headers=as_(VASTERAS), json={"seats": 2}
    )
    assert over.status_code == 409 and "1 seat" in over.json()["error"]["message"]
    cancelled = await collaboration.delete(
        f"/api/v1/activities/{activity_id}/bookings/vas-1", headers=as_(VASTERAS)
    )
    assert cancelled.json()["seats_free"] == 3


async def test_an_activity_title_with_a_long_number_is_refused(collaboration) -> None:
    response = await collaboration.post(
        "/api/v1/activities",
        headers=as_(UPPSALA, "coordinator"),
        json={
            "kind": "theme_evening",
            "title": "For 201505152384",
            "starts_at": days_ahead(),
            "seats": 3,
            "open_to": [VASTERAS],
        },
    )
    assert response.status_code == 422


# -- object-level authorization: every endpoint x municipality x role ---------------------------
async def _fixtures(client: httpx.AsyncClient, tag: str) -> dict[str, str]:
    own_home = await register(client, UPPSALA, f"UPP-{tag}", [VASTERAS])
    partner_home = await register(client, VASTERAS, f"VAS-{tag}", [UPPSALA])
    request_id = await open_request(client, [VASTERAS], case_id=f"0380-{tag}")
    offer = await client.post(
        f"/api/v1/matching-requests/{request_id}/offers",
        headers=as_(VASTERAS),
        json={"home_id": partner_home},
    )
    activity_id = await announce(client)
    await client.post(
        f"/api/v1/activities/{activity_id}/bookings",
        headers=as_(VASTERAS),
        json={"seats": 1, "booking_id": "bk-1"},
    )
    return {
        "home": own_home,
        "partner_home": partner_home,
        "request": request_id,
        "offer": offer.json()["offer_id"],
        "activity": activity_id,
    }


CONSULTANT = {"family_home_consultant"}
REQUESTERS = {"case_worker", "family_home_consultant"}
ORGANISERS = {"family_home_consultant", "coordinator"}
BOOKERS = {"family_home_consultant", "coordinator", "case_worker"}
READERS = {"family_home_consultant", "case_worker", "coordinator", "auditor"}
EVERYONE = {UPPSALA, VASTERAS, GAVLE}
BOOKING_MUNICIPALITIES = {UPPSALA, VASTERAS}  # the host and the partner its activity is open to

# (method, path, body, roles allowed, municipalities that may act on the object)
ENDPOINTS: list[tuple[str, str, Any, set[str], set[str]]] = [
    (
        "POST",
        "/api/v1/family-homes",
        {"register_id": "X-{m}-{r}", "kind": "recruited", "capacity": 1, "age_min": 0, "age_max": 5},
        CONSULTANT,
        EVERYONE,
    ),
    ("GET", "/api/v1/family-homes", None, READERS, EVERYONE),
    ("GET", "/api/v1/family-homes/{home}", None, READERS, {UPPSALA, VASTERAS}),
    (
        "PUT",
        "/api/v1/family-homes/{home}/profile",
        {"capacity": 2, "age_min": 0, "age_max": 12},
        CONSULTANT,
        {UPPSALA},
    ),
    ("PUT", "/api/v1/family-homes/{home}/sharing", {"shared_with": [VASTERAS]}, CONSULTANT, {UPPSALA}),
    ("PUT", "/api/v1/family-homes/{home}/availability", {"available": True}, CONSULTANT, {UPPSALA}),
    ("POST", "/api/v1/matching-requests", new_request([GAVLE], case_id="0380-BOLA"), REQUESTERS, EVERYONE),
    ("GET", "/api/v1/matching-requests", None, READERS, EVERYONE),
    ("GET", "/api/v1/matching-requests/{request}", None, READERS, {UPPSALA, VASTERAS}),
    (
        "POST",
        "/api/v1/matching-requests/{request}/offers",
        {"home_id": "{partner_home}"},
        CONSULTANT,
        {UPPSALA, VASTERAS},
    ),
    ("POST", "/api/v1/matching-requests/{request}/accept", {"offer_id": "{offer}"}, REQUESTERS, {UPPSALA}),
    ("POST", "/api/v1/matching-requests/{request}/withdraw", None, REQUESTERS, {UPPSALA}),
    (
        "POST",
        "/api/v1/activities",
        {
            "kind": "training",
            "title": "T",
            "starts_at": days_ahead(),
            "seats": 3,
            "open_to": [VASTERAS],
        },
        ORGANISERS,
        EVERYONE,
    ),
    ("GET", "/api/v1/activities", None, READERS, EVERYONE),
    ("GET", "/api/v1/activities/{activity}", None, READERS, {UPPSALA, VASTERAS}),
    ("POST", "/api/v1/activities/{activity}/bookings", {"seats": 1}, BOOKERS, {UPPSALA, VASTERAS}),
    # A booking id is the booker's own: each cancels its own bk-1; 2180 sees no activity.
    ("DELETE", "/api/v1/activities/{activity}/bookings/bk-1", None, BOOKERS, BOOKING_MUNICIPALITIES),
    ("POST", "/api/v1/activities/{activity}/cancel", None, ORGANISERS, {UPPSALA}),
]


def _fill(value: Any, ids: dict[str, str], municipality: str, role: str) -> Any:
    if isinstance(value, str):
        return value.format(m=municipality, r=role, **ids)
    if isinstance(value, dict):
        return {k: _fill(v, ids, municipality, role) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, ids, municipality, role) for v in value]
    return value


@pytest.mark.parametrize(
    ("method", "path", "body", "roles", "entitled"), ENDPOINTS, ids=[f"{m} {p}" for m, p, *_ in ENDPOINTS]
)
async def test_every_endpoint_checks_role_and_municipality_and_logs_refusals(
    collaboration, method: str, path: str, body: Any, roles: set[str], entitled: set[str]
) -> None:
    ids = await _fixtures(collaboration, "bola")
    app = service_app(collaboration)
    for municipality in sorted(EVERYONE):
        for role in sorted(KNOWN_ROLES):
            if method == "DELETE" and municipality in BOOKING_MUNICIPALITIES:  # (again) its own bk-1
                staff = Caller("staff-1", municipality, frozenset(BOOKERS))
                app.book_seats(staff, UUID(ids["activity"]), SeatBooking(seats=1, booking_id="bk-1"))
            before = _denials(app)
            response = await collaboration.request(
                method,
                _fill(path, ids, municipality, role),
                json=_fill(body, ids, municipality, role),
                headers=as_(municipality, role),
            )
            where = f"{method} {path} as {municipality}/{role}: {response.status_code} {response.text[:200]}"
            if role not in roles:
                assert response.status_code == 403, where
            elif municipality not in entitled:
                assert response.status_code == 404, where
                assert _denials(app) == before + 1, f"refusal not access-logged: {where}"
            else:
                assert response.status_code not in (401, 403, 404), where
                assert response.status_code < 500, where


def _denials(app) -> int:
    stored = [app.mapper.to_domain_event(n) for n in app.recorder.select_notifications(1, 100_000)]
    return sum(isinstance(e, CaseAccess.Recorded) and e.outcome == "denied" for e in stored)
