"""The meetings index, which also keeps each municipality's meetings that can still fill a week.

Booking, rescheduling, convening, inviting and the capacity report ask which meetings fill the
weeks from the current one on: every open meeting, whenever it starts, and each one held from
that week on (ADR 0026).  Walking every row the municipality ever stored made each of them cost
its whole history; this index files, as it folds each stored event, a municipality's open
meetings apart and its held ones by the ISO week they start in, so those reads walk only what
can count.  It is the same fold of the same log, so it is as right across replicas and restarts.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from uuid import UUID

from services.kit.index import CatchUpIndex
from services.scheduling.domain.slot_finder import Week, week_of
from services.scheduling.read_models import MEETING_EVENTS, MeetingRow, fold_meeting

if TYPE_CHECKING:
    from services.kit.store import ServiceApplication


class MeetingIndex(CatchUpIndex[MeetingRow]):
    def __init__(self, app: ServiceApplication) -> None:
        self._open: dict[str, set[UUID]] = {}  # municipality -> its open meetings
        self._held: dict[str, dict[Week, set[UUID]]] = {}  # municipality -> week -> held then
        self._held_weeks: dict[str, list[Week]] = {}  # municipality -> the weeks above, in order
        super().__init__(app, self._fold_and_file, events=MEETING_EVENTS)

    def open_rows(self, municipality: str) -> list[MeetingRow]:
        """``municipality``'s open meetings in order of start, caught up with the log."""
        with self._lock:
            self._catch_up()
            return self._in_order(self._open.get(municipality, ()))

    def filling_weeks_from(self, municipality: str, week: Week) -> list[MeetingRow]:
        """``municipality``'s meetings whose hours count from ``week`` on (``fills_weeks_from``), in
        order of start: the open ones and those held in ``week`` or later, nothing held before."""
        with self._lock:
            self._catch_up()
            weeks, held = self._held_weeks.get(municipality, []), self._held.get(municipality, {})
            ids = set(self._open.get(municipality, ()))
            for later in weeks[bisect_left(weeks, week) :]:
                ids |= held[later]
            return self._in_order(ids)

    def _in_order(self, ids: Iterable[UUID]) -> list[MeetingRow]:
        """By start, then by when each was booked: as the whole log's rows sorted by start were."""
        return [
            self._rows[meeting_id]
            for meeting_id in sorted(ids, key=lambda i: (self._rows[i].start, self._made_at[i]))
        ]

    def _fold_and_file(self, rows: dict[Any, MeetingRow], e: Any) -> None:
        before = rows.get(e.originator_id)
        fold_meeting(rows, e)
        after = rows.get(e.originator_id)
        if before != after:  # a move to another week, or a change of status, files it anew
            self._unfile(before)
            self._file(after)

    def _file(self, row: MeetingRow | None) -> None:
        if row is None:
            return
        if row.is_open:
            self._open.setdefault(row.municipality, set()).add(row.meeting_id)
        elif row.status == "held":
            by_week = self._held.setdefault(row.municipality, {})
            if week_of(row.start) not in by_week:
                insort(self._held_weeks.setdefault(row.municipality, []), week_of(row.start))
            by_week.setdefault(week_of(row.start), set()).add(row.meeting_id)

    def _unfile(self, row: MeetingRow | None) -> None:
        if row is None:
            return
        self._open.get(row.municipality, set()).discard(row.meeting_id)
        self._held.get(row.municipality, {}).get(week_of(row.start), set()).discard(row.meeting_id)
