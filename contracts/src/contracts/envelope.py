"""The CloudEvents 1.0 envelope, structured JSON mode (ARCHITECTURE §3)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

# When an event can have happened: no child in care today was born before 1900, and a time past
# 2999 is a broken clock (at the calendar's end it would not even survive a time-zone shift).
EARLIEST_YEAR, LATEST_YEAR = 1900, 2999
CLOUDEVENTS_SPECVERSION = "1.0"
JSON_CONTENT_TYPE = "application/json"


class CloudEvent(BaseModel):
    """A CloudEvent as it travels as a Kafka record value; the record key is ``subject``.

    Extension attributes are allowed (``sequence`` carries the publishing
    service's notification id, ``actor`` who caused the event).
    """

    model_config = ConfigDict(extra="allow", frozen=True)

    specversion: Literal["1.0"]
    id: str = Field(min_length=1, max_length=200)
    source: str = Field(min_length=1, max_length=200)
    type: str = Field(min_length=1, max_length=200)
    time: datetime
    subject: str = Field(min_length=1, max_length=64)
    datacontenttype: Literal["application/json"]
    data: dict[str, Any]

    @field_validator("time")
    @classmethod
    def _a_plausible_time(cls, time: datetime) -> datetime:
        # RFC 3339, which CloudEvents requires, always carries an offset.  Without one the moment
        # is ambiguous by an hour or two (which day a fact fell on), and would later be compared
        # with moments that have one: refused here, with a reason, rather than guessed.
        if time.tzinfo is None or time.utcoffset() is None:
            raise ValueError("must carry a UTC offset (RFC 3339), such as Z or +01:00")
        if not EARLIEST_YEAR <= time.year <= LATEST_YEAR:
            raise ValueError(f"must lie in the years {EARLIEST_YEAR} to {LATEST_YEAR}")
        return time

    def extension(self, name: str) -> Any:
        return (self.model_extra or {}).get(name)

    def to_json_bytes(self) -> bytes:
        return self.model_dump_json(exclude_none=True).encode("utf-8")
