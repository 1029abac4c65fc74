"""A placed child's registerutdrag (GDPR art. 15, ADR 0018 and its addendum): whatever its
municipality offers, and marked whenever anything says the child is protected.

The case system's placement records go through each service's real tracking consumer; the bundle
is gathered as ``natverk subject-access`` gathers it (``services.ops.subject_access.gather``, with
its registrar token), every service's part over HTTP, each service in this process.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from contracts.topics import PLACEMENTS
from services.kit.inbound import parse_record
from services.kit.settings import ServiceSettings
from services.ops import subject_access as access
from services.ops.subject_access_page import PROTECTED_MARK, render_page
from tests.conftest import make_settings
from tests.support.clock import before_the_fixtures
from tests.support.events import (
    cloud_event,
    encode,
    placement_data,
    placement_ended,
    placement_started,
    valid_pin,
)
from tests.support.fetched import fed_by_hand
from tests.support.tokens import bearer

URL = "/api/v1/subject-access"
SERVICES = ("referrals", "scheduling", "network_support", "collaboration", "case_store")
CHILD = valid_pin(51)


def changed(case_id: str, placement_id: str, **data: Any) -> dict[str, Any]:
    return cloud_event("se.placement.changed.v1", placement_data(case_id, placement_id, pin=CHILD, **data))


def started(case_id: str, placement_id: str, **data: Any) -> dict[str, Any]:
    return placement_started(case_id, placement_id, pin=CHILD, **data)


def ended(case_id: str, placement_id: str, **data: Any) -> dict[str, Any]:
    return placement_ended(case_id, placement_id, pin=CHILD, **data)


@dataclass
class Natverk:
    """The five services in process: their HTTP clients, and their placement consumers fed by hand."""

    settings: ServiceSettings
    clients: dict[str, httpx.AsyncClient]
    feeds: dict[str, Callable[[bytes], Awaitable[None]]]
    stores: dict[str, Any]

    async def record(self, event: dict[str, Any], *only: str) -> None:
        """The case system publishes ``event``: every service that reads placements (or ``only``) reads it."""
        for service in only or tuple(self.feeds):
            await self.feeds[service](encode(event))

    async def registerutdrag(self, municipality: str) -> dict[str, Any]:
        """The child's bundle, as ``natverk subject-access --municipality`` gathers it."""
        headers = access.registrar_headers(self.settings, municipality)
        return await asyncio.to_thread(access.gather, self.settings, CHILD, headers)

    async def part(self, service: str, municipality: str, body: dict[str, Any]) -> dict[str, Any]:
        registrar = bearer(municipality, ("registrar",), subject="registrar-9")
        response = await self.clients[service].post(URL, json=body, headers=registrar)
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture
async def natverk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Natverk]:
    monkeypatch.delenv("NATVERK_REGISTRAR_TOKEN", raising=False)
    settings = make_settings(tmp_path / "cli")
    apps = {
        service: before_the_fixtures(
            importlib.import_module(f"services.{service}.app").create_app(
                make_settings(tmp_path / service), start_runtime=False
            )
        )
        for service in SERVICES
    }
    clients = {
        service: httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=f"http://{service}")
        for service, app in apps.items()
    }
    feeds = {  # each service's own tracking consumer, as its runtime wired it
        service: fed_by_hand(app.state.runtime.consumer, PLACEMENTS)
        for service, app in apps.items()
        if app.state.runtime.consumer is not None and PLACEMENTS in app.state.runtime.consumer.specs_topics()
    }
    by_url = {access.service_url(settings, service): clients[service] for service in SERVICES}
    loop = asyncio.get_running_loop()

    def post(url: str, **kwargs: Any) -> httpx.Response:
        """The CLI's request, answered by the service in this process (on the test's loop)."""
        base, path = url.split("/api/", 1)
        return asyncio.run_coroutine_threadsafe(by_url[base].post(f"/api/{path}", **kwargs), loop).result()

    monkeypatch.setattr(access, "httpx", SimpleNamespace(post=post))
    yield Natverk(settings, clients, feeds, {service: app.state.runtime.app for service, app in apps.items()})
    for service, client in clients.items():
        await client.aclose()
        apps[service].state.runtime.app.close()


def case_ids(part: dict[str, Any]) -> list[str]:
    return [case["case_id"] for case in part["cases"]]


async def test_a_child_placed_where_no_network_centre_is_offered_gets_a_registerutdrag_of_its_case(
    natverk,
) -> None:
    await natverk.record(started("1980-SA-1", "P-1980-1", municipality="1980", placement_type="familjehem"))
    bundle = await natverk.registerutdrag("1980")
    assert bundle["case_ids"] == ["1980-SA-1"]
    [placement] = bundle["parts"]["network_support"]["cases"][0]["placements"]
    assert placement["placement_id"] == "P-1980-1"
    [case] = bundle["parts"]["referrals"]["cases"]
    assert (case["referrals"], case["placement_records"]) == (
        [],
        {"protected_identity": False, "protected_housing": False},
    )
    assert (await natverk.registerutdrag("0380"))["case_ids"] == []


async def test_referrals_names_each_case_any_placement_record_named_the_child_for_in_its_municipality_only(
    natverk,
) -> None:
    """A change or an end may be the first record of a placement (it started before anyone
    listened); neither makes a referral, and a start where there is a Network Centre still makes one."""
    await natverk.record(changed("2180-SA-A", "P-A", municipality="2180"), "referrals")
    await natverk.record(ended("2180-SA-B", "P-B", municipality="2180"), "referrals")
    await natverk.record(started("0380-SA-C", "P-C"), "referrals")
    await natverk.record(changed("0380-SA-C", "P-C", placement_type="familjehem"), "referrals")
    by_municipality = [
        case_ids(await natverk.part("referrals", municipality, {"pin": CHILD}))
        for municipality in ("2180", "0380", "1980")
    ]
    assert by_municipality == [["2180-SA-A", "2180-SA-B"], ["0380-SA-C"], []]
    [case] = (await natverk.part("referrals", "0380", {"pin": CHILD}))["cases"]
    assert [referral["origin"] for referral in case["referrals"]] == ["placement"]
    gavle = await natverk.clients["referrals"].get("/api/v1/referrals", headers=bearer("2180"))
    assert gavle.json()["items"] == []


async def test_a_protection_said_only_by_a_later_change_or_end_marks_the_childs_referrals_part_for_good(
    natverk,
) -> None:
    await natverk.record(started("0380-SA-P", "P-P", placement_type="familjehem"), "referrals")
    await natverk.record(changed("0380-SA-P", "P-P", protected_identity=True), "referrals")
    await natverk.record(ended("0380-SA-P", "P-P"), "referrals")  # says nothing of it: undoes nothing
    await natverk.record(
        ended("2180-SA-H", "P-H", municipality="2180", placement_type="skyddat_boende"), "referrals"
    )
    uppsala = await natverk.part("referrals", "0380", {"pin": CHILD})
    gavle = await natverk.part("referrals", "2180", {"pin": CHILD})
    assert (uppsala["protected_identity"], uppsala["protected_housing"]) == (True, False)
    assert uppsala["cases"][0]["placement_records"]["protected_identity"] is True
    assert (gavle["protected_identity"], gavle["protected_housing"]) == (False, True)


async def test_a_protection_said_in_one_municipality_does_not_mark_the_childs_part_in_another(
    natverk,
) -> None:
    await natverk.record(
        changed("1980-SA-X", "P-X", municipality="1980", protected_identity=True), "referrals"
    )
    await natverk.record(started("0380-SA-X", "P-X0", placement_type="familjehem"), "referrals")
    uppsala = await natverk.part("referrals", "0380", {"pin": CHILD})
    assert (case_ids(uppsala), uppsala["protected_identity"], uppsala["protected_housing"]) == (
        ["0380-SA-X"],
        False,
        False,
    )


async def test_a_bundle_is_marked_when_any_service_says_the_child_is_protected_before_referrals_does(
    natverk,
) -> None:
    """The services read the placement records each at its own pace: here network_support has
    read the move to protected housing and referrals has not yet."""
    await natverk.record(started("0380-SA-M", "P-M", placement_type="familjehem"))
    await natverk.record(changed("0380-SA-M", "P-M", placement_type="skyddat_boende"), "network_support")
    bundle = await natverk.registerutdrag("0380")
    assert bundle["parts"]["referrals"]["protected_identity"] is False
    assert (bundle["marking"], bundle["protected_identity"]) == (PROTECTED_MARK, True)
    assert all(part["marking"] == PROTECTED_MARK for part in bundle["parts"].values())
    assert f"<title>{PROTECTED_MARK}" in render_page(bundle)


async def test_network_supports_part_says_a_placement_is_protected_as_its_placement_view_does(
    natverk,
) -> None:
    await natverk.record(started("0380-SA-N", "P-N", placement_type="familjehem"), "network_support")
    await natverk.record(changed("0380-SA-N", "P-N", protected_identity=True), "network_support")
    client = natverk.clients["network_support"]
    shown = (await client.get("/api/v1/placements/P-N", headers=bearer("0380", ("case_worker",)))).json()
    part = await natverk.part("network_support", "0380", {"case_ids": ["0380-SA-N"]})
    [placement] = part["cases"][0]["placements"]
    assert shown["protected_identity"] is True
    assert (placement["protected_identity"], placement["protected_housing"]) == (True, False)


async def test_a_start_and_a_change_naming_a_corrected_number_in_one_batch_find_the_case_by_either(
    natverk,
) -> None:
    """A fetched batch is one unit of work: the change must see the case the start noted, unstored."""
    corrected = valid_pin(52)
    store = natverk.stores["referrals"]
    correction = cloud_event("se.placement.changed.v1", placement_data("1980-SA-B", "P-B", "1980", corrected))
    with store.unit_of_work():
        store.refer_placed_child(parse_record(encode(started("1980-SA-B", "P-B", municipality="1980"))))
        store.note_placement_record(parse_record(encode(correction)))
    for pin in (CHILD, corrected):
        assert case_ids(await natverk.part("referrals", "1980", {"pin": pin})) == ["1980-SA-B"]
