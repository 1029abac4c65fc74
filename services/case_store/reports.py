"""HTTP for operations: the placement statistics report and verification of every audit chain.

Only figures leave the statistics: no case ids, no personal data.  The statistics are not
paged: one row per municipality, a closed set.  The chain report is: each call checks a page
of timelines (``limit``), and names the cases, (municipality, case id), of broken chains
among them (others than `ops` page through their own municipality's only).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from services.case_store.application import CaseStoreApplication as CaseStore
from services.case_store.domain.statistics import MunicipalityFigures
from services.case_store.reads import BrokenChain, ChainsReport, PlacementFigures, StatisticsPeriod
from services.kit.commands import Kit
from services.kit.pages import encode_cursor
from services.kit.params import Paging

STATISTICS_ROLES = ("ops", "auditor", "coordinator")
CHAIN_ROLES = ("ops", "auditor")

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


class BrokenChainView(BaseModel):
    municipality: str
    case_id: str
    first_broken_position: int | None
    reason: str | None

    @classmethod
    def of(cls, broken: BrokenChain) -> BrokenChainView:
        return cls(**vars(broken))


class ChainReport(BaseModel):
    """A page of the check: ``limit`` bounds the timelines checked, not the broken ones shown."""

    timelines_checked: int
    broken: list[BrokenChainView]
    next_cursor: str | None = Field(
        description="pass it as `cursor` to check the next timelines; null when every one is checked"
    )

    @classmethod
    def of(cls, report: ChainsReport) -> ChainReport:
        broken = [BrokenChainView.of(chain) for chain in report.broken]
        cursor = encode_cursor(report.next_key)
        return cls(timelines_checked=report.timelines_checked, broken=broken, next_cursor=cursor)


@router.get("/statistics/placements", response_model=PlacementStatistics)
def placement_statistics(period: Annotated[StatisticsPeriod, Query()], kit: Kit) -> PlacementStatistics:
    """Children in 24-hour care by municipality and placement type, with breakdowns, re-placements,
    home returns and the kinship share.  `ops` sees every municipality; others their own."""
    return kit.query(CaseStore.placement_statistics, period, view=PlacementStatistics, roles=STATISTICS_ROLES)


@router.get("/audit/verify", response_model=ChainReport)
def verify_every_chain(kit: Kit, page: Paging) -> ChainReport:
    """Re-check the hash chains of a page of case timelines, by (municipality, case id); names the
    first broken link of each broken one.  Follow `next_cursor` to check them all (`natverk verify`
    does).  `ops` checks every municipality's timelines, anyone else their own municipality's."""
    return kit.query(CaseStore.chain_report, page, view=ChainReport, roles=CHAIN_ROLES)
