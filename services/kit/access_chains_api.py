"""``GET /api/v1/ops/access-chains``: each case's chain of this service's access records, checked.

A page of cases (``limit``, ``cursor``, in order of their first access record), each chain
walked from its genesis (ADR 0020); the broken ones are named with their first broken
position and why.  Role ``ops``.  It carries no case data beyond the cases' ids, and logs no
access record: a check that appended to the chains it walks would change what it reports.
"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from services.kit.access_chains import AccessChainsReport, BrokenAccessChain
from services.kit.auth import Caller
from services.kit.commands import Kit
from services.kit.pages import PageRequest, encode_cursor
from services.kit.params import Paging
from services.kit.store import ServiceApplication

OPS = ("ops",)

router = APIRouter(prefix="/ops/access-chains", tags=["operations"])


class BrokenAccessChainView(BaseModel):
    municipality: str
    case_id: str
    first_broken_position: int
    reason: str

    @classmethod
    def of(cls, broken: BrokenAccessChain) -> BrokenAccessChainView:
        return cls(**vars(broken))


class AccessChainsView(BaseModel):
    """A page of the check: ``limit`` bounds the cases checked, not the broken ones shown."""

    chains_checked: int = Field(description="cases of this page with chained access records")
    unchained_records: int = Field(description="this page's cases' records stored before chaining")
    broken: list[BrokenAccessChainView]
    next_cursor: str | None = Field(
        description="pass it as `cursor` to check the next cases; null when every one is checked"
    )

    @classmethod
    def of(cls, report: AccessChainsReport) -> AccessChainsView:
        return cls(
            chains_checked=report.chains_checked,
            unchained_records=report.unchained_records,
            broken=[BrokenAccessChainView.of(chain) for chain in report.broken],
            next_cursor=encode_cursor(report.next_key),
        )


def access_chains_report(app: ServiceApplication, _: Caller, page: PageRequest) -> AccessChainsReport:
    return app.access_chains.report(page)


@router.get("", response_model=AccessChainsView)
def check_access_chains(kit: Kit, page: Paging) -> AccessChainsView:
    """Re-check the hash chains of a page of cases' access records in this service's store.
    Follow `next_cursor` to check them all (`natverk verify` does)."""
    return kit.query(access_chains_report, page, view=AccessChainsView, roles=OPS)
