"""The referrals use cases: each is get → call → save (STYLE §3).

HTTP use cases take ``(caller, ...)``; the kit's command path runs them in one
unit of work with who/why, idempotency and the access log.  The inbound ones (a placement
started, changed, ended) are in ``auto_referral`` and ``placed_children``; the registerutdrag in
``subject_access``; safety planning examined in ``safety_planning``; the sweep of missed deadlines
in ``missed_deadlines``.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from services.kit.auth import Caller
from services.kit.index import CatchUpIndex
from services.kit.pages import Paged, PageRequest
from services.referrals.commands import AssignCaseWorker, DeclineReferral, NewReferral
from services.referrals.domain.open_referral import OpenReferral
from services.referrals.domain.referral import UNASSIGNED, Referral
from services.referrals.domain.who_decides import require_closer, require_receiving_team, require_referrer
from services.referrals.refusals import refusals_told
from services.referrals.subject_access import ReferralSubjectAccess


def _index_referral(rows: dict[Any, tuple[UUID, str, str]], domain_event: Any) -> None:
    if isinstance(domain_event, Referral.Received):
        rows[domain_event.originator_id] = (
            domain_event.originator_id,
            domain_event.municipality,
            domain_event.case_id,
        )


class ReferralsApplication(ReferralSubjectAccess):
    name = "referrals"

    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._index = CatchUpIndex(self, _index_referral, events=(Referral.Received,))

    # -- HTTP use cases ---------------------------------------------------------------------
    def create_referral(self, caller: Caller, new: NewReferral) -> Referral:
        self.offered.require(caller.municipality, new.target)
        referral = Referral(
            case_id=new.case_id,
            municipality=caller.municipality,
            target=new.target,
            child_pin=new.child.pin,
            protected_identity=new.child.protected_identity
            or self.said_protected(caller.municipality, new.case_id, new.child.pin),
            child_status=new.child_status,
            case_worker_id=new.case_worker_id,
            reason=new.reason,
            origin="manual",
            placement_id=None,
            referred_by=caller.subject,
            respond_within=self.response_working_days,
        )
        slot = self._open_referral(referral)
        with refusals_told(referral):
            slot.hold(referral.id)
        self.save(referral, slot, *self.examination_after(referral))
        self.save(*self.protected_by(referral))
        return referral

    def accept_referral(self, caller: Caller, referral_id: UUID) -> Referral:
        with refusals_told(self.owned(referral_id, caller.municipality)) as referral:
            require_receiving_team(referral.target, caller.roles)
            referral.accept()
        self.save(referral)
        return referral

    def decline_referral(self, caller: Caller, referral_id: UUID, decline: DeclineReferral) -> Referral:
        with refusals_told(self.owned(referral_id, caller.municipality)) as referral:
            require_receiving_team(referral.target, caller.roles)
            referral.decline(decline.reason)
        self._save_ended(referral)
        return referral

    def close_referral(self, caller: Caller, referral_id: UUID) -> Referral:
        with refusals_told(self.owned(referral_id, caller.municipality)) as referral:
            require_closer(referral, caller.subject, caller.roles)
            referral.close()
        self._save_ended(referral)
        return referral

    def revoke_referral(self, caller: Caller, referral_id: UUID) -> Referral:
        with refusals_told(self.owned(referral_id, caller.municipality)) as referral:
            require_referrer(referral, caller.subject, caller.roles)
            referral.revoke()
        self._save_ended(referral)
        return referral

    def assign_case_worker(self, caller: Caller, referral_id: UUID, assign: AssignCaseWorker) -> Referral:
        """Any case worker takes an unassigned referral; one someone is responsible for is handed
        over by them, its sender or a coordinator (taking it over would let anyone revoke it)."""
        with refusals_told(self.owned(referral_id, caller.municipality)) as referral:
            if referral.case_worker_id != UNASSIGNED:
                require_referrer(referral, caller.subject, caller.roles, "hand it over")
            referral.assign_case_worker(assign.case_worker_id)
        self.save(referral)
        return referral

    def _save_ended(self, referral: Referral) -> None:
        """A referral no longer open frees its case's slot (if it held it)."""
        slot_id = OpenReferral.id_for(referral.municipality, referral.case_id, referral.target)
        slot = self._find(slot_id)
        if slot is not None:
            slot.release(referral.id)
        self.save(referral, *([slot] if slot is not None else []))

    def referral(self, caller: Caller, referral_id: UUID) -> Referral:
        return self.owned(referral_id, caller.municipality)

    def referrals(self, caller: Caller, page: PageRequest, case_id: str | None = None) -> Paged[Referral]:
        """The caller's municipality's referrals (of one case, if named), oldest first, a page at a time."""
        chosen = self._index.page(
            page, lambda row: row[1] == caller.municipality and case_id in (None, row[2])
        )
        return chosen.map(lambda found: self.repository.get(found[0]))
