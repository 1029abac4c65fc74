"""GET /api/v1/worklist: the referrals awaiting a response or a responsible case worker in the
caller's municipality."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.exceptions import RequestValidationError

from services.kit.commands import Kit
from services.kit.params import Paging
from services.kit.worklist import WorklistFilter, WorklistFilters, WorklistView
from services.referrals.application import ReferralsApplication as Referrals
from services.referrals.worklist import DUTY_ROLES

READERS = ("case_worker", "coordinator", "network_centre", "safety_team", "auditor")
NOT_A_DUTY_ROLE = f"only these roles hold referral duties: {', '.join(sorted(DUTY_ROLES))}"

router = APIRouter(prefix="/worklist", tags=["worklist"])


def referral_duties(wanted: WorklistFilters) -> WorklistFilter:
    """The kit's filters; a role that holds no referral duty (an auditor's, a misspelt one) is
    refused, never answered with an empty list that reads as "nothing to do"."""
    if wanted.role is not None and wanted.role not in DUTY_ROLES:
        error = {"type": "value_error", "loc": ("query", "role"), "msg": NOT_A_DUTY_ROLE}
        raise RequestValidationError([error])
    return wanted


@router.get("", response_model=WorklistView)
def referrals_worklist(
    kit: Kit, page: Paging, wanted: Annotated[WorklistFilter, Depends(referral_duties)]
) -> WorklistView:
    """Referrals to accept or decline, or to take as case worker, earliest due first (filter by
    role, due date, overdue).  ``role`` is one that holds referral duties: ``case_worker``,
    ``network_centre``, ``safety_team``, or ``coordinator`` (both teams' responses: it leads them)."""
    return kit.query(Referrals.worklist, wanted, page, view=WorklistView, roles=READERS)
