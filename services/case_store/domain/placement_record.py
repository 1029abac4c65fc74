"""What the case store keeps of one placement for statistics: municipality, type, dates, how it ended.

No personal data: the child is counted by case id, never named.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.kit.domain.ids import stable_id


class PlacementRecord(Aggregate):
    class Started(Aggregate.Created):
        municipality: str
        case_id: str
        placement_id: str
        placement_type: str
        start_date: date

    class TypeChanged(Aggregate.Event):
        placement_type: str

    class Ended(Aggregate.Event):
        end_date: date
        end_reason: str

    @staticmethod
    def id_for(municipality: str, placement_id: str) -> UUID:
        return stable_id("case_store", "placement", municipality, placement_id)

    @classmethod
    def create_id(cls, municipality: str, placement_id: str, **_: object) -> UUID:
        return cls.id_for(municipality, placement_id)

    @event(Started)
    def __init__(
        self, municipality: str, case_id: str, placement_id: str, placement_type: str, start_date: date
    ) -> None:
        self.municipality, self.case_id, self.placement_id = municipality, case_id, placement_id
        self.placement_type, self.start_date = placement_type, start_date
        self.end_date: date | None = None
        self.end_reason: str | None = None

    def change_type(self, placement_type: str) -> bool:
        if self.end_date is not None or placement_type == self.placement_type:
            return False
        self._type_changed(placement_type)
        return True

    def end(self, end_date: date, end_reason: str) -> bool:
        if self.end_date is not None:
            return False  # a repeated or late duplicate delivery
        self._ended(end_date, end_reason)
        return True

    @event(TypeChanged)
    def _type_changed(self, placement_type: str) -> None:
        self.placement_type = placement_type

    @event(Ended)
    def _ended(self, end_date: date, end_reason: str) -> None:
        self.end_date, self.end_reason = end_date, end_reason
