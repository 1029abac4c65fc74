"""What a referral refuses tells the caller of its case, so the refusal is logged like an answer.

"Cannot accept a referral that is declined", "the case has an open referral to this target", "only
the team the referral was sent to decides on it", "the case has no examination of safety planning
to record": each says something of the case's referrals.  The kit stores a read of the case
(fail-closed) before it answers (``CaseRefusal``, ARCHITECTURE §2.8).
A target the caller's municipality does not offer is its configuration, not case data: not here.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from services.kit.cases import CaseRef, CaseRefusal
from services.referrals.domain.open_referral import ReferralAlreadyOpen
from services.referrals.domain.referral import Referral, ReferralError
from services.referrals.domain.safety_planning import NothingToExamine
from services.referrals.domain.who_decides import (
    NotTheExaminer,
    NotTheReceivingTeam,
    NotTheReferringCaseWorker,
)

REFUSALS = (
    ReferralError,
    ReferralAlreadyOpen,
    NotTheReceivingTeam,
    NotTheReferringCaseWorker,
    NothingToExamine,
    NotTheExaminer,
)


@contextmanager
def refusals_told(referral: Referral) -> Iterator[Referral]:
    """``referral``, the caller's own (``owned`` has answered another municipality's with the 404)."""
    with case_refusals_told(CaseRef(referral.municipality, referral.case_id)):
        yield referral


@contextmanager
def case_refusals_told(case: CaseRef) -> Iterator[CaseRef]:
    """``case``, the caller's municipality's (one of another municipality is a 404 first)."""
    try:
        yield case
    except REFUSALS as refusal:
        raise CaseRefusal(case, refusal) from refusal
