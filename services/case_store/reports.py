"""HTTP for operations: the placement statistics report (the audit chains: ``audit_api.py``).

Only figures leave the statistics: no case ids, no personal data.  The statistics are not
paged: one row per municipality, a closed set.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel

from services.case_store.application import CaseStoreApplication as CaseStore
from services.case_store.district_report import ReportPeriod
from services.case_store.domain.statistics import MunicipalityFigures
from services.case_store.reads import PlacementFigures
from services.kit.commands import Kit
from services.kit.report_formats import CSV_RESPONSE, STATISTICS_ROLES, Count, as_requested, cell, shown

__all__ = ["STATISTICS_ROLES", "router"]

router = APIRouter(tags=["operations"])


class MunicipalityRow(BaseModel):
    """Counts from 1 to 4 are ``*`` to anyone without ``ops`` (ADR 0024)."""

    municipality: str
    children: Count
    by_type: dict[str, Count]
    breakdowns: Count
    re_placements: Count
    home_returns: Count
    kinship_share: float | Literal["*"] | None

    @classmethod
    def of(cls, figures: MunicipalityFigures) -> MunicipalityRow:
        counts = {
            name: shown(getattr(figures, name))
            for name in ("children", "breakdowns", "re_placements", "home_returns")
        }
        by_type = {kind: shown(n) for kind, n in figures.by_type.items()}
        return cls(
            municipality=figures.municipality, by_type=by_type, kinship_share=figures.kinship_share, **counts
        )


class PlacementStatistics(BaseModel):
    period_from: date
    period_to: date
    municipalities: list[MunicipalityRow]

    @classmethod
    def of(cls, report: PlacementFigures) -> PlacementStatistics:
        rows = [MunicipalityRow.of(figures) for figures in report.municipalities]
        return cls(period_from=report.period_from, period_to=report.period_to, municipalities=rows)

    def csv_rows(self) -> list[list[str]]:
        types = sorted({kind for m in self.municipalities for kind in m.by_type})
        header = ["municipality", "children", *types, "breakdowns", "re_placements", "home_returns"]
        return [[*header, "kinship_share"]] + [
            [*_cells(m, types), _share(m.kinship_share)] for m in self.municipalities
        ]


def _cells(m: MunicipalityRow, types: list[str]) -> list[str]:
    by_type = [cell(m.by_type.get(kind, 0)) for kind in types]
    return [
        m.municipality,
        cell(m.children),
        *by_type,
        *map(cell, (m.breakdowns, m.re_placements, m.home_returns)),
    ]


def _share(share: float | str | None) -> str:
    return "" if share is None else str(share)


@router.get("/statistics/placements", response_model=PlacementStatistics, responses=CSV_RESPONSE)
def placement_statistics(period: Annotated[ReportPeriod, Query()], kit: Kit) -> object:
    """Children in 24-hour care by municipality and placement type (each type for the time it held),
    with breakdowns, re-placements, home returns and the kinship share; `?format=csv` for CSV.
    `ops` sees every municipality; others their own."""
    report = kit.query(
        CaseStore.placement_statistics, period, view=PlacementStatistics, roles=STATISTICS_ROLES
    )
    return as_requested(report, period.format)
