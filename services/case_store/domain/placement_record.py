"""What the case store keeps of one placement for statistics: municipality, district, its types over
time, dates, how it ended.

A type change keeps history: the placement held each type from the day of the change, so a period's
statistics count each type for the time it held (issue 16, item 1).  No personal data: the child is
counted by case id, never named.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.case_store.domain.statistics import TypeHistory, type_on, with_type_from
from services.kit.domain.ids import stable_id


class PlacementRecord(Aggregate):
    class Started(Aggregate.Created):
        municipality: str
        case_id: str
        placement_id: str
        placement_type: str
        start_date: date
        district: str | None = None

    class TypeChanged(Aggregate.Event):
        placement_type: str
        on: date | None = None  # from when; None in records stored before history was kept

    class DistrictChanged(Aggregate.Event):
        district: str

    class Ended(Aggregate.Event):
        end_date: date
        end_reason: str

    @staticmethod
    def id_for(municipality: str, placement_id: str) -> UUID:
        return stable_id("case_store", "placement", municipality, placement_id)

    @classmethod
    def create_id(cls, municipality: str, placement_id: str, **_: object) -> UUID:
        return cls.id_for(municipality, placement_id)

    @classmethod
    def start(cls, record_id: UUID, **started: object) -> PlacementRecord:
        """A new record under ``record_id``, the id its caller derived to look it up (no second uuid5)."""
        return cls._create(cls.Started, id=record_id, **started)

    @event(Started)
    def __init__(
        self,
        municipality: str,
        case_id: str,
        placement_id: str,
        placement_type: str,
        start_date: date,
        district: str | None = None,
    ) -> None:
        self.municipality, self.case_id, self.placement_id = municipality, case_id, placement_id
        self.start_date, self.district = start_date, district
        self.history: TypeHistory = ((start_date, placement_type),)
        self.end_date: date | None = None
        self.end_reason: str | None = None

    @property
    def placement_type(self) -> str:
        """The latest type."""
        return self.history[-1][1]

    def change_type(self, placement_type: str, on: date | None = None) -> bool:
        """The placement is of ``placement_type`` from ``on`` (None: from its start); False when that
        changes nothing (a repeat, in any order) or the change is dated after the placement ended."""
        on = on or self.start_date
        if self.end_date is not None and on > self.end_date:
            return False
        if (max(on, self.start_date), placement_type) in self.history or type_on(
            self.history, on
        ) == placement_type:
            return False
        self._type_changed(placement_type, on)
        return True

    def note_district(self, district: str | None) -> bool:
        if district is None or district == self.district:
            return False
        self._district_changed(district)
        return True

    def end(self, end_date: date, end_reason: str) -> bool:
        if self.end_date is not None:
            return False  # a repeated or late duplicate delivery
        self._ended(end_date, end_reason)
        return True

    @event(TypeChanged)
    def _type_changed(self, placement_type: str, on: date | None = None) -> None:
        self.history = with_type_from(self.history, self.start_date, on, placement_type)

    @event(DistrictChanged)
    def _district_changed(self, district: str) -> None:
        self.district = district

    @event(Ended)
    def _ended(self, end_date: date, end_reason: str) -> None:
        self.end_date, self.end_reason = end_date, end_reason
