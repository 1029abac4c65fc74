"""The monthly follow-up reports: SAMS school starts and Stella parent support (issue 16, item 6).

An index folds every follow-up's events into the facts the reports need (``FollowUpFacts``), so a
report reads no aggregate.  SAMS rows name cases, so the result names them for the access log.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from contracts.common import MUNICIPALITIES
from services.kit.auth import Caller
from services.kit.cases import CaseRef
from services.kit.index import CatchUpIndex
from services.network_support.domain.follow_up_reports import (
    FollowUpFacts,
    ParentSupportMonth,
    SchoolStartMonth,
    parent_support_report,
    school_start_report,
)
from services.network_support.domain.placement_follow_up import PlacementFollowUp
from services.network_support.use_cases.base import NetworkSupportBase

SEES_EVERY_MUNICIPALITY = "ops"
Follow = PlacementFollowUp

FACT_EVENTS = (
    Follow.Opened,
    Follow.ParentSupportOffered,
    Follow.ParentSupportSessionRecorded,
    Follow.SchoolChanged,
    Follow.SchoolClockWithdrawn,
    Follow.SchoolStarted,
    Follow.StartDated,
    Follow.Ended,
)


def _fold_facts(rows: dict[Any, FollowUpFacts], e: Any) -> None:
    if isinstance(e, Follow.Opened):
        clocks = ((e.started_on, None),) if e.school_change else ()
        rows[e.originator_id] = FollowUpFacts(
            e.municipality,
            e.case_id,
            e.placement_id,
            e.started_on,
            school_clocks=clocks,
            start_seen=e.start_seen,
        )
        return
    facts = rows.get(e.originator_id)
    if facts is None:
        return
    if isinstance(e, Follow.ParentSupportOffered) and facts.parent_support_offered_on is None:
        rows[e.originator_id] = replace(facts, parent_support_offered_on=e.on)
    elif isinstance(e, Follow.ParentSupportSessionRecorded):
        rows[e.originator_id] = replace(facts, sessions=(*facts.sessions, (e.on, e.mode, e.parent)))
    elif isinstance(e, Follow.SchoolChanged):
        rows[e.originator_id] = replace(facts, school_clocks=(*facts.school_clocks, (e.on, None)))
    elif isinstance(e, Follow.SchoolClockWithdrawn) and facts.school_clocks:
        # the open clock, the last, was never due: not listed, neither met nor missed
        rows[e.originator_id] = replace(facts, school_clocks=facts.school_clocks[:-1])
    elif isinstance(e, Follow.SchoolStarted) and facts.school_clocks:
        *earlier, (since, _) = facts.school_clocks
        rows[e.originator_id] = replace(facts, school_clocks=(*earlier, (since, e.on)))
    elif isinstance(e, Follow.StartDated):
        rows[e.originator_id] = _start_dated(facts, e.on, e.seen)
    elif isinstance(e, Follow.Ended) and facts.ended_on is None:  # the first told, as the clocks
        rows[e.originator_id] = replace(facts, ended_on=e.on)


def _start_dated(facts: FollowUpFacts, on: date, seen: bool) -> FollowUpFacts:
    """The start dated anew (or seen late): the first school clock, which ran from the start, moves with it."""
    clocks = facts.school_clocks
    if clocks and clocks[0][0] == facts.started_on:
        clocks = ((on, clocks[0][1]), *clocks[1:])
    return replace(facts, started_on=on, school_clocks=clocks, start_seen=seen)


@dataclass(frozen=True)
class SchoolStartRead:
    municipality: str
    first: date
    last: date
    month: SchoolStartMonth

    def case_refs(self) -> list[CaseRef]:
        return sorted({CaseRef(self.municipality, row.case_id) for row in self.month.rows})


@dataclass(frozen=True)
class ParentSupportRead:
    """Figures only: no case ids, so nothing here is logged as a read of a case."""

    first: date
    last: date
    municipalities: list[ParentSupportMonth]


class ReportUseCases(NetworkSupportBase):
    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._report_facts = CatchUpIndex(self, _fold_facts, events=FACT_EVENTS)

    def school_start_report(self, caller: Caller, first: date, last: date) -> SchoolStartRead:
        """The caller's own municipality's school changes of the month (rows name cases)."""
        own = [f for f in self._report_facts.rows() if f.municipality == caller.municipality]
        return SchoolStartRead(
            caller.municipality, first, last, school_start_report(own, first, last, self.today())
        )

    def parent_support_report(self, caller: Caller, first: date, last: date) -> ParentSupportRead:
        """`ops` sees every municipality; everyone else its own."""
        visible = MUNICIPALITIES if caller.has_any_role(SEES_EVERY_MUNICIPALITY) else (caller.municipality,)
        facts = [f for f in self._report_facts.rows() if f.municipality in visible]
        return ParentSupportRead(first, last, parent_support_report(facts, first, last, self.today()))
