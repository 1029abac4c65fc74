"""A placement's clocks from its start: crisis support offered to the parents within 7 days
(Stella), health and dental examinations within 30 days (seed 002).

These are ``PlacementFollowUp``'s commands on those clocks, mixed into it as ``school_clock``'s
are, to keep the aggregate's module small; their events stay nested in ``PlacementFollowUp``.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from services.network_support.domain import follow_up_clocks as clocks


class StartClockCommands:
    parent_support_offered_on: date | None

    if TYPE_CHECKING:  # PlacementFollowUp's own, where its events are

        def _parent_support_offered(self, on: date) -> None: ...

        def _session_recorded(self, on: date, mode: str, parent: str) -> None: ...

        def _examination_done(self, kind: str, on: date) -> None: ...

    def offer_parent_support(self, on: date) -> None:
        clocks.require_within(self, on)
        if self.parent_support_offered_on is None:
            self._parent_support_offered(on)

    def record_session(self, on: date, mode: str, parent: str) -> None:
        self.offer_parent_support(on)
        self._session_recorded(on, mode, parent)

    def record_examination(self, kind: str, on: date) -> None:
        clocks.require_within(self, on)
        self._examination_done(kind, on)
