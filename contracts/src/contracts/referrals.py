"""Integration events published by the referrals service (topic ``natverk.referrals.v1``).

They never carry the child's personal identity number: only whether the
child has a protected identity, so that downstream services can withhold.
"""

from __future__ import annotations

from typing import Literal

from contracts.common import CaseId, ContractModel, Identifier, Municipality

ReferralTarget = Literal["network_centre", "safety_team"]
ChildStatus = Literal["placed", "placement_near"]
ReferralOrigin = Literal["manual", "placement"]


class ReferralFacts(ContractModel):
    referral_id: str
    case_id: CaseId
    municipality: Municipality
    target: ReferralTarget

    _verb = "changed"

    def summary(self) -> str:
        return f"Referral to {self.target.replace('_', ' ')} {self._verb}"


class ReferralReceivedV1(ReferralFacts):
    child_status: ChildStatus
    protected_identity: bool
    case_worker_id: Identifier
    origin: ReferralOrigin
    placement_id: Identifier | None = None

    def summary(self) -> str:
        how = "automatically at placement" if self.origin == "placement" else "from case worker"
        return f"Referral to {self.target.replace('_', ' ')} received ({self.child_status}, {how})"


class ReferralAcceptedV1(ReferralFacts):
    _verb = "accepted"


class ReferralDeclinedV1(ReferralFacts):
    _verb = "declined"


class ReferralClosedV1(ReferralFacts):
    _verb = "closed"


class ReferralRevokedV1(ReferralFacts):
    _verb = "revoked"
