"""HTTP for operations: the placement statistics report (the audit chains: ``audit_api.py``).

Only figures leave the statistics: no case ids, no personal data.  The statistics are not
paged: one row per municipality, a closed set.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from services.case_store.application import CaseStoreApplication as CaseStore
from services.case_store.domain.statistics import MunicipalityFigures
from services.case_store.reads import PlacementFigures, StatisticsPeriod
from services.kit.commands import Kit

STATISTICS_ROLES = ("ops", "auditor", "coordinator")

router = APIRouter(tags=["operations"])


class MunicipalityRow(BaseModel):
    municipality: str
    children: int
    by_type: dict[str, int]
    breakdowns: int
    re_placements: int
    home_returns: int
    kinship_share: float | None

    @classmethod
    def of(cls, figures: MunicipalityFigures) -> MunicipalityRow:
        return cls(**vars(figures))


class PlacementStatistics(BaseModel):
    period_from: date
    period_to: date
    municipalities: list[MunicipalityRow]

    @classmethod
    def of(cls, report: PlacementFigures) -> PlacementStatistics:
        rows = [MunicipalityRow.of(figures) for figures in report.municipalities]
        return cls(period_from=report.period_from, period_to=report.period_to, municipalities=rows)


@router.get("/statistics/placements", response_model=PlacementStatistics)
def placement_statistics(period: Annotated[StatisticsPeriod, Query()], kit: Kit) -> PlacementStatistics:
    """Children in 24-hour care by municipality and placement type, with breakdowns, re-placements,
    home returns and the kinship share.  `ops` sees every municipality; others their own."""
    return kit.query(CaseStore.placement_statistics, period, view=PlacementStatistics, roles=STATISTICS_ROLES)
