"""GET /api/v1/worklist: what is due in the caller's municipality's placements and plans."""

from __future__ import annotations

from fastapi import APIRouter

from services.kit.commands import Kit
from services.kit.params import Paging
from services.kit.worklist import WorklistFilters, WorklistView
from services.network_support.api.common import READERS
from services.network_support.application import NetworkSupportApplication as NetworkSupport

router = APIRouter(prefix="/worklist", tags=["worklist"])


@router.get("", response_model=WorklistView)
def network_support_worklist(kit: Kit, page: Paging, wanted: WorklistFilters) -> WorklistView:
    """Placement clocks, safety-plan follow-ups and open inquiries, earliest due first."""
    return kit.query(NetworkSupport.worklist, wanted, page, view=WorklistView, roles=READERS)
