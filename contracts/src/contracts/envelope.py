"""The CloudEvents 1.0 envelope, structured JSON mode (ARCHITECTURE §3)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

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

    def extension(self, name: str) -> Any:
        return (self.model_extra or {}).get(name)

    def to_json_bytes(self) -> bytes:
        return self.model_dump_json(exclude_none=True).encode("utf-8")
