"""GET /api/v1/worklist: what is due in the caller's municipality's placements and plans."""

from __future__ import annotations

from fastapi import APIRouter

from services.kit.commands import Kit
from services.kit.params import Paging
from services.kit.worklist import WorklistView
from services.kit.worklist_filters import worklist_filters
from services.network_support.api.common import READERS
from services.network_support.application import NetworkSupportApplication as NetworkSupport
from services.network_support.use_cases.worklist import DUTY_ROLES

Filters = worklist_filters(DUTY_ROLES)

router = APIRouter(prefix="/worklist", tags=["worklist"])


@router.get("", response_model=WorklistView)
def network_support_worklist(kit: Kit, page: Paging, wanted: Filters) -> WorklistView:
    """Placement clocks, safety-plan follow-ups, open inquiries and support-plan actions, earliest
    due first; ``role=coordinator`` also lists the teams' duties, ``role=network_centre`` the
    actions of the Centre's functions."""
    return kit.query(NetworkSupport.worklist, wanted, page, view=WorklistView, roles=READERS)
