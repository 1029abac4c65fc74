"""``natverk verify``'s check of each service's access chains (ADR 0020), a page at a time.

Every service that logs reads of case data in its own store (all but the case store, whose
access log is chained and checked with its timelines) reports its chains at
``GET /api/v1/ops/access-chains``; this adds the pages up per service and prints the broken
ones as ``BROKEN ACCESS <service> <municipality>/<case id>``.
"""

from __future__ import annotations

from typing import Any

from services.kit.client_settings import ClientSettings
from services.ops.client import every_page, ops_headers, service_url
from services.stack import available_services


def services_with_access_chains() -> list[str]:
    return [service for service in available_services() if service != "case_store"]


def fetch_access_chain_report(settings: ClientSettings, service: str) -> dict[str, Any]:
    """Every page of one service's report, added up."""
    report: dict[str, Any] = {"chains_checked": 0, "unchained_records": 0, "broken": []}
    url = f"{service_url(settings, service)}/api/v1/ops/access-chains"
    for page in every_page(url, ops_headers(settings), timeout=300):
        for name in report:
            report[name] += page[name]
    return report


def describe_access_chains(reports: dict[str, dict[str, Any]]) -> list[str]:
    lines = [
        f"BROKEN ACCESS {service} {broken['municipality']}/{broken['case_id']}: first broken record "
        f"at position {broken['first_broken_position']}: {broken['reason']}"
        for service, report in reports.items()
        for broken in report["broken"]
    ]
    checked = sum(report["chains_checked"] for report in reports.values())
    unchained = sum(report["unchained_records"] for report in reports.values())
    broken = sum(len(report["broken"]) for report in reports.values())
    lines.append(
        f"{checked} access chain(s) checked in {len(reports)} service(s), {broken} broken "
        f"({unchained} record(s) stored before chaining, not chained)"
    )
    return lines


def verify_access_chains(settings: ClientSettings) -> bool:
    """Print every service's access chain report; whether any chain is broken."""
    reports = {
        service: fetch_access_chain_report(settings, service) for service in services_with_access_chains()
    }
    print("\n".join(describe_access_chains(reports)))
    return any(report["broken"] for report in reports.values())
