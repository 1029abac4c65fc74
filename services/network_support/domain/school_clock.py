"""A placement's school clock (SAMS: a school within 7 days of a change of school), as the case
system's records open, repeat and correct it: one school change, one clock (ADR 0033).

These are ``PlacementFollowUp``'s commands on its school clock, mixed into it to keep the
aggregate's module small; the events they trigger, and how those change the follow-up, stay nested
in ``PlacementFollowUp``, the name they are stored under.  The rules are ``follow_up_clocks``'.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from services.network_support.domain import follow_up_clocks as clocks


class SchoolClockCommands:
    started_on: date
    school_change_said_on: date | None

    if TYPE_CHECKING:  # PlacementFollowUp's own, where its events are

        def _school_started(self, on: date) -> None: ...

        def _school_changed(self, on: date, by_start: bool = False) -> None: ...

        def _school_clock_withdrawn(self) -> None: ...

        def _school_change_said(self, on: date) -> None: ...

    def record_school_start(self, on: date) -> None:
        clocks.require_school_start(self, on)
        self._school_started(on)

    def change_school(self, on: date, by_start: bool = False) -> None:
        """Open a school clock for a change of school not followed yet (``is_new_school_change``).
        A change saying one while the start's clock is open leaves that one clock, but is noted as
        a school change of its own (``says_own_school_change``)."""
        if clocks.is_new_school_change(self, on):
            self._school_changed(max(on, self.started_on), by_start)
        elif not by_start and clocks.says_own_school_change(self):
            self._school_change_said(on)

    def withdraw_school_change(self) -> None:
        """A start corrected to no change of school: its clock, open, is withdrawn (``withdrawable``).
        A school change a change said meanwhile then opens its clock from the change's day, as it
        would have had the start never said one."""
        if clocks.withdrawable(self):
            self._school_clock_withdrawn()
            if self.school_change_said_on is not None:
                self.change_school(self.school_change_said_on)
