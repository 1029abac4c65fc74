"""``natverk stats --report ...``: the Stockholm table (case store) and the monthly SAMS and Stella
reports (network_support), fetched as CSV or JSON with an ops token and printed (issue 16, item 6).

The services render the CSV (one rendering for HTTP and the CLI); ``table`` lines it up.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import httpx

from services.kit.client_settings import ClientSettings
from services.ops.client import case_store_url, role_headers, service_url

# report -> (service, path, title)
REPORTS = {
    "districts": ("case_store", "/api/v1/statistics/districts", "Children in 24-hour care by district"),
    "school-start": (
        "network_support",
        "/api/v1/reports/school-start",
        "Days from placement to school start",
    ),
    "parent-support": ("network_support", "/api/v1/reports/parent-support", "Parent support (Stella)"),
}
MONTHLY = ("school-start", "parent-support")


def _ops_of(settings: ClientSettings, municipality: str) -> dict[str, str]:
    return role_headers(settings, "ops", municipality, "NATVERK_OPS_TOKEN", "operations")


def fetch_report(
    settings: ClientSettings,
    report: str,
    period: dict[str, str],
    fmt: str,
    url: str | None = None,
    municipality: str = "0380",
) -> str:
    """The report as the service renders it: CSV for ``csv`` and ``table``, else JSON; as ops of
    ``municipality`` (the monthly reports name cases, so they are one municipality's)."""
    service, path, _ = REPORTS[report]
    base = url or (case_store_url(settings) if service == "case_store" else service_url(settings, service))
    wanted = "json" if fmt == "json" else "csv"
    response = httpx.get(
        f"{base}{path}",
        params={**period, "format": wanted},
        headers=_ops_of(settings, municipality),
        timeout=30,
    )
    response.raise_for_status()
    return response.text


def render_report(report: str, text: str, fmt: str, period: dict[str, str]) -> str:
    if fmt == "json":
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    if fmt == "csv":
        return text
    rows: list[Any] = list(csv.reader(io.StringIO(text)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))] if rows else []
    title = f"{REPORTS[report][2]}, {' to '.join(period.values())}"
    lines = ["  ".join(c.rjust(w) for c, w in zip(row, widths, strict=False)) for row in rows]
    return "\n".join([title, "", *lines])
