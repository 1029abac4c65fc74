"""GET /api/v1/worklist: the referrals awaiting a response or a responsible case worker, those
declined to follow up, and the cases whose safety planning is to be examined, in the caller's
municipality."""

from __future__ import annotations

from fastapi import APIRouter

from services.kit.commands import Kit
from services.kit.params import Paging
from services.kit.worklist import WorklistView
from services.kit.worklist_filters import worklist_filters
from services.referrals.application import ReferralsApplication as Referrals
from services.referrals.worklist import DUTY_ROLES

READERS = ("case_worker", "coordinator", "network_centre", "safety_team", "auditor")
Filters = worklist_filters(DUTY_ROLES)

router = APIRouter(prefix="/worklist", tags=["worklist"])


@router.get("", response_model=WorklistView)
def referrals_worklist(kit: Kit, page: Paging, wanted: Filters) -> WorklistView:
    """Referrals to accept or decline, to take as case worker or, declined, to follow up and close,
    and safety planning to examine, earliest due first (filter by role, due date, overdue).  ``role`` is one that holds referral
    duties: ``case_worker``, ``network_centre``, ``safety_team``, or ``coordinator`` (the teams'
    duties: it leads them)."""
    return kit.query(Referrals.worklist, wanted, page, view=WorklistView, roles=READERS)
