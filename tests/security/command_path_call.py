"""How one route is called in its world: ``Call``, and the route prefixes the tables share.

``command_path_table`` says, per command route, which ``Call`` to make; the services with many
routes have a table module of their own (``command_path_table_network_support``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from tests.security.command_path_world import OWNER, PARTNER, World, absent


@dataclass
class Call:
    params: dict[str, str] = field(default_factory=dict)
    body: Any = None
    alt_body: Any = None  # the same key with this body is another request; None: other path parameters
    caller: str = OWNER
    other: str = PARTNER  # the same key from this municipality is another request
    visible_to: tuple[str, ...] = ()  # municipalities besides the caller's that may see the world's object
    no_object: bool = False  # the world has nothing this route names: it answers 404
    query: dict[str, str] = field(default_factory=dict)

    def url(
        self, path: str, params: dict[str, str] | None = None, query: dict[str, str] | None = None
    ) -> str:
        url = path.format(**(self.params if params is None else params))
        query = self.query if query is None else query
        return f"{url}?{urlencode(query)}" if query else url

    def alt_params(self) -> dict[str, str]:
        return {name: absent(name) for name in self.params}


Table = dict[tuple[str, str, str], Callable[[World], Call]]
ON = {"on": "2026-11-05"}
REFERRALS = "/api/v1/referrals/{referral_id}"
MEETINGS = "/api/v1/meetings/{meeting_id}"
CASE = "/api/v1/cases/{case_id}"
PLACEMENT = "/api/v1/placements/{placement_id}"
HOMES = "/api/v1/family-homes/{home_id}"
REQUESTS = "/api/v1/matching-requests/{request_id}"
ACTIVITIES = "/api/v1/activities/{activity_id}"
PARKED = "/api/v1/ops/outbox/{notification_id}"  # no record is parked in any world
RELEASE = f"{PARKED}/release"


def ids_of(w: World, *names: str) -> dict[str, str]:
    """The world's objects named ``names``, as path parameters."""
    return {name: w.ids[name] for name in names}
