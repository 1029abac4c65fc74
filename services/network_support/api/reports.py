"""/reports: the monthly SAMS school-start report and the Stella parent-support figures, as JSON or
CSV (``?format=csv``).  Who may read them: as the case store's statistics (ops, auditor,
coordinator).  Not paged: one month of one municipality's placements (or a row per municipality)."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from services.kit.commands import Kit
from services.kit.report_formats import CSV_RESPONSE, STATISTICS_ROLES, ReportQuery, as_requested, cell
from services.network_support.api.common import TAGS
from services.network_support.application import NetworkSupportApplication as NetworkSupport
from services.network_support.domain.follow_up_reports import ParentSupportMonth, SchoolStartRow
from services.network_support.use_cases.reports import ParentSupportRead, SchoolStartRead

MODES, PARENTS = ("phone", "in_person"), ("mother", "father", "other")

router = APIRouter(prefix="/reports", tags=TAGS)


class ReportMonth(ReportQuery):
    month: str = Field(pattern=r"^20\d\d-(0[1-9]|1[0-2])$", description="YYYY-MM")

    @property
    def first(self) -> date:
        return date(int(self.month[:4]), int(self.month[5:]), 1)

    @property
    def last(self) -> date:
        return self.first.replace(day=calendar.monthrange(self.first.year, self.first.month)[1])


class SchoolStartRowView(BaseModel):
    case_id: str
    placement_id: str
    placed_on: date
    school_started_on: date | None
    days: int
    still_open: bool
    within_week: bool

    @classmethod
    def of(cls, row: SchoolStartRow) -> SchoolStartRowView:
        return cls(**vars(row))


class SchoolStartReport(BaseModel):
    municipality: str
    month_from: date
    month_to: date
    share_within_week: float | None
    rows: list[SchoolStartRowView]

    @classmethod
    def of(cls, read: SchoolStartRead) -> SchoolStartReport:
        rows = [SchoolStartRowView.of(row) for row in read.month.rows]
        share = read.month.share_within_week
        return cls(
            municipality=read.municipality,
            month_from=read.first,
            month_to=read.last,
            share_within_week=share,
            rows=rows,
        )

    def csv_rows(self) -> list[list[str]]:
        header = list(SchoolStartRowView.model_fields)
        return [header] + [[_text(getattr(row, name)) for name in header] for row in self.rows]


class ParentSupportRow(BaseModel):
    municipality: str
    placements_started: int
    offered_within_week: int
    offered_later: int
    not_offered: int
    not_due: int
    sessions: int
    sessions_by_mode: dict[str, int]
    sessions_by_parent: dict[str, int]

    @classmethod
    def of(cls, month: ParentSupportMonth) -> ParentSupportRow:
        return cls(**vars(month))


class ParentSupportReport(BaseModel):
    month_from: date
    month_to: date
    municipalities: list[ParentSupportRow]

    @classmethod
    def of(cls, read: ParentSupportRead) -> ParentSupportReport:
        rows = [ParentSupportRow.of(month) for month in read.municipalities]
        return cls(month_from=read.first, month_to=read.last, municipalities=rows)

    def csv_rows(self) -> list[list[str]]:
        figures = [
            "placements_started",
            "offered_within_week",
            "offered_later",
            "not_offered",
            "not_due",
            "sessions",
        ]
        header = ["municipality", *figures, *MODES, *PARENTS]
        return [header] + [
            [m.municipality, *(cell(getattr(m, f)) for f in figures)]
            + [cell(m.sessions_by_mode.get(k, 0)) for k in MODES]
            + [cell(m.sessions_by_parent.get(k, 0)) for k in PARENTS]
            for m in self.municipalities
        ]


def _text(value: object) -> str:
    return "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)


@router.get("/school-start", response_model=SchoolStartReport, responses=CSV_RESPONSE)
def school_start_report(month: Annotated[ReportMonth, Query()], kit: Kit) -> object:
    """SAMS: the caller's municipality's school changes of the month, days to school start, share within 7 days."""
    report = kit.query(
        NetworkSupport.school_start_report,
        month.first,
        month.last,
        view=SchoolStartReport,
        roles=STATISTICS_ROLES,
    )
    return as_requested(report, month.format)


@router.get("/parent-support", response_model=ParentSupportReport, responses=CSV_RESPONSE)
def parent_support_report(month: Annotated[ReportMonth, Query()], kit: Kit) -> object:
    """Stella: per municipality, parent support offered within 7 days of the month's placements, and sessions."""
    report = kit.query(
        NetworkSupport.parent_support_report,
        month.first,
        month.last,
        view=ParentSupportReport,
        roles=STATISTICS_ROLES,
    )
    return as_requested(report, month.format)
