"""Placement use cases: the network-placement inquiry and the follow-up clocks of a placed child."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from services.kit.auth import Caller
from services.kit.domain.case_protection import PROTECTED_HOUSING, CaseProtection
from services.kit.index import CatchUpIndex
from services.kit.sweeps import saved_unless_taken
from services.network_support.commands import Examination, InquiryConclusion, OnDate, ParentSupportSession
from services.network_support.domain import temporary_care
from services.network_support.domain.network_map import NetworkMap
from services.network_support.domain.network_placement_inquiry import NetworkPlacementInquiry
from services.network_support.domain.placement_follow_up import PlacementFollowUp
from services.network_support.use_cases.base import NetworkSupportBase


@dataclass(frozen=True)
class Placement:
    """What network_support knows of one placement: its follow-up, its inquiry and its case's
    protection (what any placement record or referral of the case said), if any."""

    follow_up: PlacementFollowUp
    inquiry: NetworkPlacementInquiry | None
    protection: CaseProtection | None = None

    @property
    def protected_identity(self) -> bool:
        return self.follow_up.protected_identity or (self.protection is not None and self.protection.identity)

    @property
    def protected_housing(self) -> bool:
        housing = self.protection is not None and self.protection.housing
        return housing or self.follow_up.placement_type == PROTECTED_HOUSING

    @property
    def temporary_care(self) -> tuple[date | None, date | None]:
        """The last stretch in an emergency home: its first day, and the day a change to lasting
        care ended it (the clock met); (None, None) if none is known."""
        return temporary_care.stretch(self.follow_up) or (None, None)

    @property
    def municipality(self) -> str:
        return self.follow_up.municipality

    @property
    def case_id(self) -> str:
        return self.follow_up.case_id


@dataclass(frozen=True)
class _Firsts:
    """The first-occurrence dates the KPIs count: a repeated offer or a corrected date is not a second child."""

    parent_support_offered_on: date | None
    school_started_on: date | None

    @classmethod
    def of(cls, follow_up: PlacementFollowUp) -> _Firsts:
        return cls(follow_up.parent_support_offered_on, follow_up.school_started_on)


def _fold_open_follow_ups(rows: dict[Any, bool], e: Any) -> None:
    """Follow-ups of running placements: an ended one has no clock left to check."""
    if isinstance(e, PlacementFollowUp.Opened):
        rows[e.originator_id] = True
    elif isinstance(e, PlacementFollowUp.Ended):
        rows[e.originator_id] = False  # an index's rows stay; an ended one is skipped


class PlacementUseCases(NetworkSupportBase):
    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._follow_ups = CatchUpIndex(
            self, _fold_open_follow_ups, events=(PlacementFollowUp.Opened, PlacementFollowUp.Ended)
        )

    # -- the inquiry --------------------------------------------------------------------------
    def placement(self, caller: Caller, placement_id: str) -> Placement:
        return self._placement(self._of_placement(PlacementFollowUp, caller, placement_id))

    def name_candidates(self, caller: Caller, placement_id: str) -> NetworkPlacementInquiry:
        """The candidates are the members of the case's network map who could be a network home."""
        inquiry = self._of_placement(NetworkPlacementInquiry, caller, placement_id)
        with self._refusals_told(inquiry):
            network = self._find(NetworkMap.id_for(caller.municipality, inquiry.case_id))
            candidates = tuple(network.candidates_for_network_home()) if network else ()
            if network is not None:
                network.require_consent(candidates, "network_placement")
            inquiry.name_candidates(candidates)
        self.save(inquiry)
        return inquiry

    def conclude_inquiry(
        self, caller: Caller, placement_id: str, conclusion: InquiryConclusion
    ) -> NetworkPlacementInquiry:
        inquiry = self._of_placement(NetworkPlacementInquiry, caller, placement_id)
        with self._refusals_told(inquiry):
            inquiry.conclude(conclusion.outcome, conclusion.reason)
        self.save(inquiry)
        return inquiry

    # -- the follow-up clocks -----------------------------------------------------------------
    def offer_parent_support(self, caller: Caller, placement_id: str, dated: OnDate) -> Placement:
        self._happened(dated.on)
        follow_up, firsts = self._follow_up(caller, placement_id)
        with self._refusals_told(follow_up):
            follow_up.offer_parent_support(dated.on)
        return self._recorded(follow_up, firsts)

    def record_parent_support_session(
        self, caller: Caller, placement_id: str, session: ParentSupportSession
    ) -> Placement:
        self._happened(session.on)
        follow_up, firsts = self._follow_up(caller, placement_id)
        with self._refusals_told(follow_up):
            follow_up.record_session(session.on, session.mode, session.parent)
        return self._recorded(follow_up, firsts)

    def record_school_start(self, caller: Caller, placement_id: str, dated: OnDate) -> Placement:
        self._happened(dated.on)
        follow_up, firsts = self._follow_up(caller, placement_id)
        with self._refusals_told(follow_up):
            follow_up.record_school_start(dated.on)
        return self._recorded(follow_up, firsts)

    def record_examination(self, caller: Caller, placement_id: str, examination: Examination) -> Placement:
        self._happened(examination.on)
        follow_up, firsts = self._follow_up(caller, placement_id)
        with self._refusals_told(follow_up):
            follow_up.record_examination(examination.kind, examination.on)
        return self._recorded(follow_up, firsts)

    def check_deadlines(self) -> int:
        """Mark every follow-up clock that has passed its due date (periodic job); returns how many
        this run stored (a follow-up another writer changed meanwhile waits for the next run)."""
        today, passed = self.today(), 0
        for follow_up_id, running in self._follow_ups.items():
            if not running:
                continue
            follow_up: PlacementFollowUp = self.repository.get(follow_up_id)
            newly = follow_up.note_passed_deadlines(today)
            if newly and saved_unless_taken(self, follow_up):
                for clock in newly:
                    self.observer.deadline_passed(follow_up.municipality, clock)
                passed += len(newly)
        return passed

    def _follow_up(self, caller: Caller, placement_id: str) -> tuple[PlacementFollowUp, _Firsts]:
        follow_up = self._of_placement(PlacementFollowUp, caller, placement_id)
        return follow_up, _Firsts.of(follow_up)

    def _recorded(self, follow_up: PlacementFollowUp, before: _Firsts) -> Placement:
        """Save, count each first occurrence once, and answer with the whole placement."""
        self.save(follow_up)
        if before.parent_support_offered_on is None and follow_up.parent_support_offered_on is not None:
            days = (follow_up.parent_support_offered_on - follow_up.started_on).days
            self.observer.follow_up_recorded(follow_up.municipality, "parent_support_offered", days)
        if before.school_started_on is None and follow_up.school_started_on is not None:
            days = (follow_up.school_started_on - follow_up.school_clock_from).days
            self.observer.follow_up_recorded(follow_up.municipality, "school_started", days)
        return self._placement(follow_up)

    def _placement(self, follow_up: PlacementFollowUp) -> Placement:
        municipality = follow_up.municipality
        inquiry = self._find(NetworkPlacementInquiry.id_for(municipality, follow_up.placement_id))
        return Placement(
            follow_up, inquiry, self._find(CaseProtection.id_for(municipality, follow_up.case_id))
        )
