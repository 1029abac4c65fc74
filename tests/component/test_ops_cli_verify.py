"""``natverk verify`` names each broken chain as municipality/case id (ADR 0016, 0019).

The report comes from a real case store (SQLite, no broker) holding the same case id in
two municipalities, one of them tampered with; the CLI reads it over HTTP.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import httpx

from services.case_store.app import create_app
from services.case_store.domain.timeline import CaseTimeline
from services.cli import main
from tests.conftest import make_settings
from tests.support.stub_server import answering
from tests.support.tokens import bearer

NOW = datetime(2026, 11, 20, 10, tzinfo=UTC)


async def _chain_report_of_a_store_with_one_broken_twin(data_dir: Path, limit: int = 50) -> list[bytes]:
    app = create_app(make_settings(data_dir), start_runtime=False)
    store = app.state.runtime.app
    try:
        for municipality in ("0380", "1980"):
            for n in range(3):
                store.record_event("C-1", municipality, f"k{n}", NOW, "referrals", "se.x.v1", "cw", f"s{n}")
        with sqlite3.connect(data_dir / "case_store.sqlite") as connection:
            connection.execute(
                "DELETE FROM stored_events WHERE originator_id = ? AND originator_version = 2",  # entry 2
                (CaseTimeline.id_for("1980", "C-1").hex,),
            )
        transport = httpx.ASGITransport(app=app)
        pages, cursor = [], None
        async with httpx.AsyncClient(transport=transport, base_url="http://case-store") as client:
            while not pages or cursor is not None:
                params = {"limit": limit, **({"cursor": cursor} if cursor else {})}
                response = await client.get(
                    "/api/v1/audit/verify", params=params, headers=bearer("0380", ("ops",))
                )
                pages.append(response.content)
                cursor = response.json()["next_cursor"]
    finally:
        store.close()
    return pages


async def test_verify_prints_the_broken_case_as_municipality_slash_case_id(tmp_path: Path, capsys) -> None:
    [report] = await _chain_report_of_a_store_with_one_broken_twin(tmp_path)
    with answering({"": report}) as url:
        assert main(["verify", "--url", url]) == 1
    printed = capsys.readouterr().out.splitlines()
    assert [line for line in printed if "BROKEN" in line or "checked" in line] == [
        "BROKEN 1980/C-1 timeline at position 2: entry missing or out of order",
        "no valid checkpoint yet: each chain checked only against itself",
        "2 chain(s) checked, 1 with a problem, 0 forged checkpoint(s)",
    ]


async def test_verify_walks_every_page_of_the_chain_report_and_prints_it_as_one(
    tmp_path: Path, capsys
) -> None:
    first, second = await _chain_report_of_a_store_with_one_broken_twin(tmp_path, limit=1)
    cursor = json.loads(first)["next_cursor"]
    asked: list[tuple[str, dict[str, str]]] = []
    with answering({"": first, cursor: second}, asked) as url:
        assert main(["verify", "--url", url]) == 1
    assert [query for _, query in asked] == [{"limit": "200"}, {"limit": "200", "cursor": cursor}]
    printed = capsys.readouterr().out.splitlines()
    assert [line for line in printed if "BROKEN" in line or "checked" in line] == [
        "BROKEN 1980/C-1 timeline at position 2: entry missing or out of order",
        "no valid checkpoint yet: each chain checked only against itself",
        "2 chain(s) checked, 1 with a problem, 0 forged checkpoint(s)",
    ]


async def test_verify_says_how_many_older_access_records_no_checkpoint_covers_yet_over_every_page(
    capsys,
) -> None:
    base = {"chains_checked": 1, "problems": [], "checkpoint": None, "forged_checkpoints": []}
    first = base | {"unfiled_checkpoints": [], "unchained_records_not_covered": 2, "next_cursor": "2"}
    second = base | {"unfiled_checkpoints": [], "unchained_records_not_covered": 3, "next_cursor": None}
    pages = {"2": json.dumps(second).encode(), "": json.dumps(first).encode()}
    with answering(pages) as url:
        assert main(["verify", "--url", url]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert (
        "5 access record(s) stored before chaining are not yet covered by a checkpoint "
        "(ADR 0034): the next one signed covers them"
    ) in printed
