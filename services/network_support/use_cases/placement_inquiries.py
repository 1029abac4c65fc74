"""The network-placement inquiry as a case system's placement records open and end it, and the
case's protection that keeps it shut (ADR 0032): asking the child's network for a home would tell
it where a child with a protected identity, or in protected housing, is.  A placement record or a
referral may say it first; the case's ``InquiryGate`` makes an inquiry opening and a protection
handled at the same moment (two topics, or one case's placement records spread over partitions by
a faulty producer: two replicas) conflict instead of passing.  Every protection is saved by
``_note_protection`` alone, so none can forget the gate."""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from services.kit.domain.case_protection import PROTECTED_HOUSING, CaseProtection, protection_said
from services.kit.index import CatchUpIndex
from services.network_support.domain.inquiry_gate import InquiryGate
from services.network_support.domain.network_placement_inquiry import CHILD_PROTECTED, NetworkPlacementInquiry
from services.network_support.use_cases.base import NetworkSupportBase

KINSHIP_HOME = "natverkshem"
PROTECTION_CAME_LATER = "a placement record said the child is protected after the inquiry opened"
REFERRED_PROTECTED = "a referral said the child is protected after the inquiry opened"
# A referral names no placement type: it says nothing of protected housing, only of the identity.
NO_PLACEMENT_TYPE = ""


class Opening(NamedTuple):
    """A new inquiry and the case's gate it went through, both to save; or neither."""

    inquiry: NetworkPlacementInquiry | None
    gate: InquiryGate | None


NO_INQUIRY = Opening(None, None)


class PlacementFacts(NamedTuple):
    """What every placement event says of the placement itself."""

    municipality: str
    case_id: str
    placement_id: str
    placement_type: str
    started_on: date


def _fold_open_inquiries(rows: dict[Any, tuple[str, str] | None], e: Any) -> None:
    """(municipality, case id) of each inquiry still open: what a referral's protection shuts."""
    if isinstance(e, NetworkPlacementInquiry.Opened):
        rows[e.originator_id] = (e.municipality, e.case_id)
    elif isinstance(e, NetworkPlacementInquiry.Concluded):
        rows[e.originator_id] = None  # an index's rows stay; a concluded one is skipped


class PlacementInquiries(NetworkSupportBase):
    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._open_inquiries = CatchUpIndex(
            self,
            _fold_open_inquiries,
            events=(NetworkPlacementInquiry.Opened, NetworkPlacementInquiry.Concluded),
        )

    def referral_said_protection(self, municipality: str, case_id: str, protected_identity: bool) -> None:
        """A referral saying the child has a protected identity (a case worker ticked it, perhaps
        before the case system marked any placement) protects the case as a placement record does:
        each open inquiry of the case concludes as ``child_protected`` and none opens from then on.
        One that does not say it undoes nothing; said again, it changes nothing."""
        self._note_protection(
            municipality, case_id, protected_identity, NO_PLACEMENT_TYPE, REFERRED_PROTECTED
        )

    def _note_protection(
        self, municipality: str, case_id: str, identity: bool, placement_type: str, reason: str
    ) -> None:
        """Keep what one record says of the case's protection (one way) and, in its transaction, shut
        the case's gate and conclude each of its inquiries still open as ``child_protected``: an
        inquiry opening at that moment on another replica conflicts with it (see ``InquiryGate``).
        A record that says neither a protected identity nor protected housing changes nothing.
        Called last in a use case: what the record itself concluded is saved, and stays as it is."""
        found = self._find(CaseProtection.id_for(municipality, case_id))
        protection = protection_said(found, municipality, case_id, identity, placement_type)
        if protection is None:
            return
        gate = self._gate(municipality, case_id)  # read before the inquiries: see InquiryGate
        gate.shut()
        shut = [self._concluded_protected(i, reason) for i in self._open_inquiries_of(municipality, case_id)]
        self.save(protection, gate, *shut)

    def _open_inquiries_of(self, municipality: str, case_id: str) -> list[Any]:
        """The case's inquiries open as stored, and those this unit of work opened (an earlier
        record of its batch) and has not stored yet."""
        case = (municipality, case_id)
        pending = [
            inquiry_id
            for inquiry_id, aggregate in (self._pending_aggregates() or {}).items()
            if isinstance(aggregate, NetworkPlacementInquiry)
            and (aggregate.municipality, aggregate.case_id) == case
        ]
        stored = [inquiry_id for inquiry_id, of_case in self._open_inquiries.items() if of_case == case]
        return list(dict.fromkeys(stored + pending))

    def _inquiry_for(self, placement: PlacementFacts, protected: bool) -> Opening:
        """A new placement's network-placement inquiry, unless the child is in a network home
        already, or asking the child's network would tell it where the child is (a protected
        identity, protected housing, now or said before by any placement record or referral of the
        case)."""
        municipality, case_id = placement.municipality, placement.case_id
        if placement.placement_type in (KINSHIP_HOME, PROTECTED_HOUSING) or protected:
            return NO_INQUIRY
        if self.exists(CaseProtection.id_for(municipality, case_id)):
            return NO_INQUIRY
        gate = self._gate(municipality, case_id)
        if not gate.let_through(placement.placement_id):
            return NO_INQUIRY  # another record (a referral, another placement's) said it since the look above
        inquiry = NetworkPlacementInquiry(
            municipality=municipality, case_id=case_id, placement_id=placement.placement_id
        )
        return Opening(inquiry, gate)

    def _gate(self, municipality: str, case_id: str) -> InquiryGate:
        """The case's gate; a case with none yet (a store older than gates) gets it now."""
        found: InquiryGate | None = self._find(InquiryGate.id_for(municipality, case_id))
        return InquiryGate(municipality=municipality, case_id=case_id) if found is None else found

    def _inquiry_ended(
        self, placement: PlacementFacts, outcome: str, reason: str
    ) -> NetworkPlacementInquiry | None:
        """The placement's inquiry concluded by the placement's own event, if it was still open."""
        inquiry = self._find(NetworkPlacementInquiry.id_for(placement.municipality, placement.placement_id))
        if inquiry is not None:
            inquiry.end_with_placement(outcome, reason)
        return inquiry

    def _concluded_protected(self, inquiry_id: Any, reason: str) -> NetworkPlacementInquiry:
        """The inquiry, concluded as ``child_protected`` if it is still open (the index may be behind
        what this unit of work already concluded: then it stays as it is)."""
        inquiry: NetworkPlacementInquiry = self.repository.get(inquiry_id)
        inquiry.end_with_placement(CHILD_PROTECTED, reason)
        return inquiry

    def _placement_said_protection(self, placement: PlacementFacts, protected_identity: bool) -> None:
        """What a placement record says of the case's protection (its type may be protected housing)."""
        municipality, case_id, _, placement_type, _ = placement
        self._note_protection(
            municipality, case_id, protected_identity, placement_type, PROTECTION_CAME_LATER
        )
