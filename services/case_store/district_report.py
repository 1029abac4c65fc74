"""HTTP for the Stockholm table: children in 24-hour care by municipality x district x placement
type, with totals, as JSON or CSV (``?format=csv``).

`ops` sees every municipality unsuppressed; everyone else who may read statistics sees its own,
with counts from 1 to 4 (and what would give them away) shown as ``*`` (ADR 0024).  Not paged:
a closed set of rows (districts of the caller's municipalities).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from contracts.common import MUNICIPALITIES
from contracts.placements import PLACEMENT_TYPES
from services.case_store.domain.district_table import DistrictRow, district_table
from services.case_store.reads import SEES_EVERY_MUNICIPALITY, StatisticsPeriod
from services.case_store.store import CaseStore
from services.kit.auth import Caller
from services.kit.commands import Kit
from services.kit.report_formats import (
    CSV_RESPONSE,
    STATISTICS_ROLES,
    Count,
    ReportFormat,
    as_requested,
    cell,
    shown,
)

router = APIRouter(tags=["operations"])


class ReportPeriod(StatisticsPeriod):
    format: ReportFormat = "json"


@dataclass(frozen=True)
class DistrictFigures:
    """Figures only: no case ids, so nothing here is logged as a read of a case."""

    period_from: date
    period_to: date
    suppressed: bool
    rows: list[DistrictRow]


class DistrictReads(CaseStore):
    def district_table(self, caller: Caller, period: StatisticsPeriod) -> DistrictFigures:
        sees_all = caller.has_any_role(SEES_EVERY_MUNICIPALITY)
        visible = MUNICIPALITIES if sees_all else (caller.municipality,)
        rows = [row for row in self.placement_rows() if row.municipality in visible]
        start, end = period.period_from, period.period_to
        table = district_table(rows, start, end, PLACEMENT_TYPES, suppress=not sees_all)
        return DistrictFigures(start, end, not sees_all, table)


class DistrictRowView(BaseModel):
    municipality: str
    district: str
    by_type: dict[str, Count]
    total: Count

    @classmethod
    def of(cls, row: DistrictRow) -> DistrictRowView:
        by_type = {kind: shown(n) for kind, n in row.by_type.items()}
        return cls(
            municipality=row.municipality, district=row.district, by_type=by_type, total=shown(row.total)
        )


class DistrictTable(BaseModel):
    period_from: date
    period_to: date
    suppressed: bool  # small counts shown as "*"
    placement_types: list[str]
    rows: list[DistrictRowView]

    @classmethod
    def of(cls, figures: DistrictFigures) -> DistrictTable:
        rows = [DistrictRowView.of(row) for row in figures.rows]
        return cls(
            period_from=figures.period_from,
            period_to=figures.period_to,
            suppressed=figures.suppressed,
            placement_types=list(PLACEMENT_TYPES),
            rows=rows,
        )

    def csv_rows(self) -> list[list[str]]:
        header = ["municipality", "district", *self.placement_types, "total"]
        return [header] + [
            [r.municipality, r.district, *(cell(r.by_type[t]) for t in self.placement_types), cell(r.total)]
            for r in self.rows
        ]


@router.get("/statistics/districts", response_model=DistrictTable, responses=CSV_RESPONSE)
def district_statistics(period: Annotated[ReportPeriod, Query()], kit: Kit) -> object:
    """The Stockholm table for a period (both days included); `?format=csv` for CSV."""
    table = kit.query(DistrictReads.district_table, period, view=DistrictTable, roles=STATISTICS_ROLES)
    return as_requested(table, period.format)
