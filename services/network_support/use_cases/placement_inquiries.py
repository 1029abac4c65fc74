"""The network-placement inquiry as a case system's placement records open and end it, and the
case's protection that keeps it shut (ADR 0032): asking the child's network for a home would tell
it where a child with a protected identity, or in protected housing, is."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from services.kit.domain.case_protection import PROTECTED_HOUSING, CaseProtection, protection_said
from services.network_support.domain.network_placement_inquiry import CHILD_PROTECTED, NetworkPlacementInquiry
from services.network_support.use_cases.base import NetworkSupportBase

KINSHIP_HOME = "natverkshem"
PROTECTION_CAME_LATER = "a placement record said the child is protected after the inquiry opened"


class PlacementFacts(NamedTuple):
    """What every placement event says of the placement itself."""

    municipality: str
    case_id: str
    placement_id: str
    placement_type: str
    started_on: date


class PlacementInquiries(NetworkSupportBase):
    def _inquiry_for(self, placement: PlacementFacts, protected: bool) -> NetworkPlacementInquiry | None:
        """A new placement's network-placement inquiry, unless the child is in a network home
        already, or asking the child's network would tell it where the child is (a protected
        identity, protected housing, now or said before by any placement record of the case)."""
        if placement.placement_type in (KINSHIP_HOME, PROTECTED_HOUSING) or protected:
            return None
        if self.exists(CaseProtection.id_for(placement.municipality, placement.case_id)):
            return None
        return NetworkPlacementInquiry(
            municipality=placement.municipality,
            case_id=placement.case_id,
            placement_id=placement.placement_id,
        )

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

    def _protection_said(self, placement: PlacementFacts, protected_identity: bool) -> CaseProtection | None:
        """The case's protection as this record leaves it, if the record says the child has a
        protected identity or is in protected housing; a record that says neither changes nothing."""
        municipality, case_id = placement.municipality, placement.case_id
        found = self._find(CaseProtection.id_for(municipality, case_id))
        return protection_said(found, municipality, case_id, protected_identity, placement.placement_type)
