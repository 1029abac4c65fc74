"""HTTP API of network_support, one router per resource; the kit's command path does the rest."""

from __future__ import annotations

from services.network_support.api import (
    home_return,
    network_map,
    placements,
    reports,
    safety_plan,
    subject_access,
    support_plan,
    worklist,
)

routers = [
    support_plan.router,
    support_plan.by_referral,
    network_map.router,
    safety_plan.router,
    placements.router,
    reports.router,
    home_return.router,
    subject_access.router,
    worklist.router,
]
