"""``natverk stats --report ...`` prints the Stockholm table and the monthly follow-up reports
(issue 16, item 6).  The reports come from real services (SQLite, no broker); the CLI reads them
over HTTP with an ops token."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import httpx
import jwt

from services.case_store.app import create_app as create_case_store
from services.case_store.inbound import timeline_handler
from services.cli import main
from services.kit.inbound import parse_record
from services.network_support.app import create_app as create_network_support
from tests.conftest import make_settings
from tests.support.events import cloud_event, encode, placement_data
from tests.support.stub_server import answering
from tests.support.tokens import bearer

OPS = bearer("0380", ("ops",))
QUARTER = ["--from", "2026-01-01", "--to", "2026-03-31"]


async def district_csv(data_dir: Path) -> bytes:
    app = create_case_store(make_settings(data_dir), start_runtime=False)
    store = app.state.runtime.app
    try:
        for n, district in enumerate(["Kista", "Kista", None]):
            extra = {"district": district} if district else {}
            data = placement_data(
                f"0380-{n}", f"P-{n}", placement_type="jourhem", start_date="2026-01-10", **extra
            )
            event = cloud_event("se.placement.started.v1", data, time="2026-01-10T09:00:00Z")
            timeline_handler(store)(parse_record(encode(event)))
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://cs") as client:
            params = {"from": "2026-01-01", "to": "2026-03-31", "format": "csv"}
            return (await client.get("/api/v1/statistics/districts", params=params, headers=OPS)).content
    finally:
        store.close()


async def test_stats_prints_the_district_table_as_csv_asking_the_case_store_for_csv(
    tmp_path: Path, capsys
) -> None:
    asked: list[tuple[str, dict[str, str]]] = []
    with answering({"": await district_csv(tmp_path)}, asked) as url:
        assert main(["stats", "--report", "districts", *QUARTER, "--format", "csv", "--url", url]) == 0
    printed = capsys.readouterr().out.strip().splitlines()
    assert asked == [
        ("/api/v1/statistics/districts", {"from": "2026-01-01", "to": "2026-03-31", "format": "csv"})
    ]
    assert printed[-3:] == [
        "0380,Kista,2,0,0,0,0,0,0,0,2",
        "0380,okänt,1,0,0,0,0,0,0,0,1",
        "0380,totalt,3,0,0,0,0,0,0,0,3",
    ]


async def test_stats_lines_the_district_table_up_under_a_title(tmp_path: Path, capsys) -> None:
    with answering({"": await district_csv(tmp_path)}) as url:
        assert main(["stats", "--report", "districts", *QUARTER, "--url", url]) == 0
    printed = capsys.readouterr().out.splitlines()
    title, blank, header, *rows = printed[
        printed.index("Children in 24-hour care by district, 2026-01-01 to 2026-03-31") :
    ]
    assert title.startswith("Children in 24-hour care") and blank == ""
    assert header.split()[:3] == ["municipality", "district", "jourhem"] and len(rows) == 3


async def test_stats_prints_the_monthly_parent_support_figures(tmp_path: Path, capsys) -> None:
    app = create_network_support(make_settings(tmp_path), start_runtime=False)
    service = app.state.runtime.app
    try:
        service.placement_started("0380", "C-1", "P-1", "familjehem", date(2026, 11, 2), False)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://ns") as client:
            params = {"month": "2026-11", "format": "csv"}
            answer = (await client.get("/api/v1/reports/parent-support", params=params, headers=OPS)).content
    finally:
        service.close()
    with answering({"": answer}) as url:
        assert (
            main(
                ["stats", "--report", "parent-support", "--month", "2026-11", "--format", "csv", "--url", url]
            )
            == 0
        )
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith("0380,1,0,0,1,0")


def test_stats_asks_for_the_monthly_report_of_the_municipality_named(capsys) -> None:
    authorizations: list[str] = []
    with answering({"": b"municipality\n"}, authorizations=authorizations) as url:
        command = ["stats", "--report", "school-start", "--month", "2026-11", "--municipality", "1980"]
        assert main([*command, "--format", "csv", "--url", url]) == 0
    [authorization] = authorizations
    claims = jwt.decode(authorization.removeprefix("Bearer "), options={"verify_signature": False})
    assert claims["municipality"] == "1980" and claims["roles"] == ["ops"]


def test_stats_of_a_monthly_report_without_a_month_says_what_is_missing(capsys) -> None:
    assert main(["stats", "--report", "school-start"]) == 2
    assert "--month" in capsys.readouterr().err


def test_stats_prints_suppressed_placement_figures_as_stars(capsys) -> None:
    """With a token without ``ops`` (NATVERK_OPS_TOKEN may be any role's), small counts come as "*"."""
    report = {
        "period_from": "2026-01-01",
        "period_to": "2026-03-31",
        "municipalities": [
            {
                "municipality": "0380",
                "children": "*",
                "by_type": {"jourhem": "*"},
                "breakdowns": 0,
                "re_placements": 0,
                "home_returns": 0,
                "kinship_share": "*",
            }
        ],
    }
    with answering({"": json.dumps(report).encode()}) as url:
        assert main(["stats", *QUARTER, "--format", "csv", "--url", url]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == "0380,*,*,0,0,0,*"
