"""``natverk verify`` also checks each service's access chains and says which case broke where (ADR 0020).

The report pages come from a real referrals store (SQLite, no broker) with a record deleted behind
its back; the CLI's check reads them over HTTP from a stand-in for the running service.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from services.kit.domain.access_chain import MISSING
from services.ops import access_chains
from tests.conftest import make_settings
from tests.support.access_reads import OPS, case_read, record_id, replica
from tests.support.stored_rows import delete_record
from tests.support.stub_server import answering


async def _pages_of_a_store_with_one_broken_chain(data_dir: Path) -> dict[str, bytes]:
    """The real report of two cases, one page each: 0380-B lost its second record."""
    settings = make_settings(data_dir)
    async with replica(settings) as client:
        await case_read(client, "0380-A", reads=2)
        await case_read(client, "0380-B", reads=2)
        delete_record(settings, client.store, record_id("0380-B", 2))  # type: ignore[attr-defined]
        first = await client.get("/api/v1/ops/access-chains", params={"limit": 1}, headers=OPS)
        cursor = first.json()["next_cursor"]
        second = await client.get(
            "/api/v1/ops/access-chains", params={"limit": 1, "cursor": cursor}, headers=OPS
        )
    return {"": first.content, cursor: second.content}


async def test_verify_names_each_broken_access_chain_by_service_and_case_and_says_it_is_broken(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = await _pages_of_a_store_with_one_broken_chain(tmp_path / "store")
    asked: list[tuple[str, dict[str, str]]] = []
    capsys.readouterr()  # what building the store printed
    with answering(pages, asked) as url:
        monkeypatch.setattr(access_chains, "service_url", lambda _, service: url)
        monkeypatch.setattr(access_chains, "services_with_access_chains", lambda: ["referrals"])
        assert access_chains.verify_access_chains(make_settings(tmp_path)) is True
    assert [path for path, _ in asked] == ["/api/v1/ops/access-chains"] * 2
    assert capsys.readouterr().out.splitlines() == [
        f"BROKEN ACCESS referrals 0380/0380-B: first broken record at position 2: {MISSING}",
        "2 access chain(s) checked in 1 service(s), 1 broken (0 record(s) stored before chaining, not chained)",
    ]


def test_every_service_but_the_case_store_is_asked_for_its_access_chains() -> None:
    assert access_chains.services_with_access_chains() == [
        "referrals",
        "scheduling",
        "network_support",
        "collaboration",
    ]
