"""Request-body building blocks that refuse what JSON Schema refuses.

Pydantic's lax mode would take ``0`` for ``false`` or a number of seconds for a
date; the OpenAPI document promises booleans and ISO-8601 text, so the API
keeps that promise and answers 422 otherwise.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, StrictBool, StrictInt

from contracts.common import Day


def _iso_text(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value
    if not isinstance(value, str):
        raise ValueError("must be ISO 8601 text")  # noqa: TRY004 - pydantic reports ValueError as a 422
    return value


class StrictBody(BaseModel):
    """A request body: no unknown fields, no type coercion of booleans and numbers."""

    model_config = ConfigDict(extra="forbid")


JsonDate = Day  # YYYY-MM-DD only, as in the contracts
JsonDateTime = Annotated[datetime, BeforeValidator(_iso_text)]
JsonBool = StrictBool
JsonInt = StrictInt
