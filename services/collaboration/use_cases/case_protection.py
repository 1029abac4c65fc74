"""A case's protection as its placement records and referrals say it (ADR 0032), and what it shuts.

Every placement record (a start, a change, an end; whether or not it names a home of the pool)
that says the child has a protected identity or lives in protected housing (skyddat boende), and
every referral of the case (received, child placed) ticked "protected identity", is kept for the
case, one way (``CaseProtection``): a case worker leaving the box unticked on a matching request
does not send it to partners.  The record that says it ends the case's open requests at once, as
a withdrawal does (partners hear "withdrawn", never why), bars the case's slots and marks the case's
``MoveInGate`` protected, all in one transaction, so a request opened or a child moved into a pool
home at that moment (another replica) conflicts instead of going out, or staying visible.  Only the
municipality's own records count: never across municipalities.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from contracts.common import MUNICIPALITIES
from services.collaboration.domain.matching_request import MatchingRequest
from services.collaboration.domain.move_in_gate import MoveInGate
from services.collaboration.domain.open_request import OpenRequest
from services.collaboration.use_cases.matching import Matching
from services.kit.domain.case_protection import CaseProtection, protection_said


class CaseProtections(Matching):
    def _note_protection(
        self, municipality: str, case_id: str, identity: bool, placement_type: str | None
    ) -> None:
        """Keep what one record says of the child's protection; end and bar what it shuts.  A
        referral names no placement type (None): it says the identity only."""
        found = self.find(CaseProtection.id_for(municipality, case_id))
        protection = protection_said(found, municipality, case_id, identity, placement_type or "")
        if protection is None:
            return  # a record that says nothing of it undoes nothing
        gate = self._gate(municipality, case_id)  # read before the homes are looked for: see MoveInGate
        gate.protect()
        slots = [
            self.find(OpenRequest.id_for(municipality, case_id, partner))
            or OpenRequest(municipality, case_id, partner)
            for partner in MUNICIPALITIES
            if partner != municipality
        ]
        ended = self._ended_for_protection(municipality, case_id, slots, self.clock())
        for slot in slots:
            slot.bar()
        self.save(protection, gate, *ended, *slots)

    def _gate(self, municipality: str, case_id: str) -> MoveInGate:
        """The case's move-in gate; a case with none yet (a store older than gates) gets it now."""
        found: MoveInGate | None = self.find(MoveInGate.id_for(municipality, case_id))
        return MoveInGate(municipality=municipality, case_id=case_id) if found is None else found

    def _ended_for_protection(
        self, municipality: str, case_id: str, slots: list[OpenRequest], now: datetime
    ) -> list[Any]:
        """The case's open requests, ended (withdrawn; one past its time expired, as the sweep
        would), their slots released: those holding a slot, and any stored before requests
        held slots."""
        held = {UUID(slot.holder) for slot in slots if slot.holder is not None}
        unheld = {
            request_id
            for request_id, (asker, case, _, is_open) in self._requests.items()
            if is_open and (asker, case) == (municipality, case_id)
        }
        ended: list[Any] = []
        for request_id in sorted(held | unheld, key=str):
            request: MatchingRequest = self.repository.get(request_id)
            if not request.is_open:
                continue  # ended already in this unit of work (another record of the batch)
            if not request.expire_if_due(now):
                request.withdraw(now)
            ended += [request, *self._released_slots(request, slots)]
        return ended
