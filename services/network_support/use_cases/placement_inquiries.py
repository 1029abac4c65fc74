"""The network-placement inquiry as a case system's placement records open and end it, and the
case's protection that keeps it shut (ADR 0032): asking the child's network for a home would tell
it where a child with a protected identity, or in protected housing, is.  A placement record or a
referral may say it first; the case's ``InquiryGate`` makes an inquiry opening and a referral's
protection handled at the same moment (two topics, two replicas) conflict instead of passing."""

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
        found = self._find(CaseProtection.id_for(municipality, case_id))
        protection = protection_said(found, municipality, case_id, protected_identity, NO_PLACEMENT_TYPE)
        if protection is None:
            return
        gate = self._gate(municipality, case_id)  # read before the index: see InquiryGate
        gate.shut()
        shut = [
            self._concluded_protected(inquiry_id, REFERRED_PROTECTED)
            for inquiry_id, of_case in self._open_inquiries.items()
            if of_case == (municipality, case_id)
        ]
        self.save(protection, gate, *shut)

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
            return NO_INQUIRY  # a referral said it since the look above
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

    def _inquiry_shut(self, placement: PlacementFacts) -> NetworkPlacementInquiry | None:
        """The placement's inquiry concluded because a record said the child is protected."""
        return self._inquiry_ended(placement, CHILD_PROTECTED, PROTECTION_CAME_LATER)

    def _concluded_protected(self, inquiry_id: Any, reason: str) -> NetworkPlacementInquiry:
        """The inquiry, concluded as ``child_protected`` if it is still open (the index may be behind
        what this unit of work already concluded: then it stays as it is)."""
        inquiry: NetworkPlacementInquiry = self.repository.get(inquiry_id)
        inquiry.end_with_placement(CHILD_PROTECTED, reason)
        return inquiry

    def _protection_said(self, placement: PlacementFacts, protected_identity: bool) -> CaseProtection | None:
        """The case's protection as this record leaves it, if the record says the child has a
        protected identity or is in protected housing; a record that says neither changes nothing."""
        municipality, case_id = placement.municipality, placement.case_id
        found = self._find(CaseProtection.id_for(municipality, case_id))
        return protection_said(found, municipality, case_id, protected_identity, placement.placement_type)
