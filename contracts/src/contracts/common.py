"""Value types shared by every contract."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, StringConstraints

from contracts.pin import is_valid_personal_identity_number

Municipality = Literal["0380", "1980", "2180"]
MUNICIPALITIES: tuple[str, ...] = ("0380", "1980", "2180")
MUNICIPALITY_NAMES = {"0380": "Uppsala", "1980": "Västerås", "2180": "Gävle"}

_DIGIT_RUNS = re.compile(r"\d{10,12}")


def _not_a_personal_identity_number(text: str) -> str:
    # Case ids travel in Kafka keys, URLs and logs: refuse one that carries a personnummer.
    for run in _DIGIT_RUNS.findall(text):
        candidates = [run] if len(run) == 12 else [f"19{run}", f"20{run}"]
        if any(is_valid_personal_identity_number(c) for c in candidates):
            raise ValueError("must not contain a personal identity number")
    return text


CaseId = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"),
    AfterValidator(_not_a_personal_identity_number),
]
"""A municipality's case id: 1-64 characters of letters, digits, '.', '_', ':' or '-'."""

Identifier = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")]
"""An opaque id (placement, family home, staff member): 1-100 safe characters."""

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day_only(value: object) -> object:
    # Pydantic's lax date also takes seconds since 1970 (0 is 1970-01-01) and a datetime at
    # midnight: a careless sender would have another day read than it meant, and never know.
    # (A ValueError, not a TypeError: pydantic turns only the former into a validation error.)
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if number or (isinstance(value, str) and not _ISO_DAY.fullmatch(value)):
        raise ValueError("must be a calendar day as YYYY-MM-DD")
    return value


Day = Annotated[date, BeforeValidator(_iso_day_only)]
"""A calendar day, written YYYY-MM-DD (as its JSON Schema says: ``format: date``) and nothing else."""

District = Annotated[str, StringConstraints(pattern=r"^[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ .'-]{0,59}$")]
"""A city district's name (stadsdelsområde): 1-60 (Latin) letters, spaces, '.', "'" or '-'; no
digits, so it can never carry a personal identity number into a report."""


class ContractModel(BaseModel):
    """Base of every event payload: strict about unknown fields, immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    def summary(self) -> str:
        """A one-line description for the case timeline, from enumerated fields only.

        Never free text, a name or a personal identity number; "" means "use the type name".
        """
        return ""
