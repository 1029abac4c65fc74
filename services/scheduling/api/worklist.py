"""GET /api/v1/worklist: the staff meetings not yet held, or not yet booked, and the meetings with a
role to fill, in the caller's municipality."""

from __future__ import annotations

from fastapi import APIRouter

from services.kit.commands import Kit
from services.kit.params import Paging
from services.kit.worklist import WorklistView
from services.kit.worklist_filters import worklist_filters
from services.scheduling.api.roles import READERS
from services.scheduling.application import SchedulingApplication as Scheduling
from services.scheduling.worklist import DUTY_ROLES

Filters = worklist_filters(DUTY_ROLES)

router = APIRouter(prefix="/worklist", tags=["worklist"])


@router.get("", response_model=WorklistView)
def scheduling_worklist(kit: Kit, page: Paging, wanted: Filters) -> WorklistView:
    """Staff meetings to hold (and record), or to book, and roles to fill on meetings, earliest due
    first; ``assignee`` is the coordinator, and ``role`` only ``coordinator``: every duty here is the
    coordinator's."""
    return kit.query(Scheduling.worklist, wanted, page, view=WorklistView, roles=READERS)
