"""Reports as JSON or CSV: ``?format=csv`` on a report route answers ``text/csv`` (issue 16, item 6).

A report view has ``csv_rows()`` (header first); the route returns ``as_requested(view, fmt)``.
Every cell is a figure, a date, a case id or a validated name (no cell can start a spreadsheet
formula: ids and names start with a letter or digit).
"""

from __future__ import annotations

import csv
import io
from typing import Any, Literal, Protocol

from fastapi import Response
from pydantic import BaseModel

ReportFormat = Literal["json", "csv"]
STATISTICS_ROLES = ("ops", "auditor", "coordinator")
"""Who may read a report, in every service (``ops`` every municipality's, unsuppressed)."""
SUPPRESSED = "*"
Count = int | Literal["*"]
"""A count as a report shows it: ``*`` when suppressed (a small count, ADR 0024)."""
CSV = "text/csv; charset=utf-8"
CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/json": {}, "text/csv": {}}, "description": "JSON, or CSV with ?format=csv"}
}


class CsvReport(Protocol):
    def csv_rows(self) -> list[list[str]]: ...


class ReportQuery(BaseModel):
    """How a report is answered: ``json`` (default) or ``csv``."""

    format: ReportFormat = "json"


def csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def as_requested(view: Any, fmt: ReportFormat) -> Any:
    """The view itself (JSON through its response model), or its rows as CSV."""
    return Response(csv_text(view.csv_rows()), media_type=CSV) if fmt == "csv" else view


def cell(value: int | float | str | None) -> str:
    """A count as text; a suppressed one (None) as ``*``."""
    return "*" if value is None else str(value)


def shown(count: int | None) -> Count:
    """A count, or ``*`` for a suppressed one (None)."""
    return SUPPRESSED if count is None else count
