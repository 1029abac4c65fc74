"""What callers ask collaboration to do: the typed input of its use cases."""

from __future__ import annotations

import re
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AfterValidator, Field

from contracts.collaboration import LANGUAGE_PATTERN, AgeBand, Need, RequestedPlacement
from contracts.common import CaseId, Municipality
from services.kit.bodies import JsonBool, JsonDate, JsonInt, StrictBody
from services.kit.instants import Instant


def _no_long_digit_runs(text: str) -> str:
    if any(len(run) >= 6 for run in re.findall(r"\d+", text)):
        raise ValueError("must not contain numbers of six digits or more (they could be personal data)")
    return text


Title = Annotated[str, Field(min_length=1, max_length=120), AfterValidator(_no_long_digit_runs)]
RegisterId = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")]


class HomeProfile(StrictBody):
    capacity: JsonInt = Field(ge=1, le=10)
    age_min: JsonInt = Field(ge=0, le=20)
    age_max: JsonInt = Field(ge=0, le=20)
    specialisations: list[Literal["reinforced", "tfco", "emergency"]] = Field(
        default_factory=list, max_length=3
    )
    languages: list[Annotated[str, Field(pattern=LANGUAGE_PATTERN)]] = Field(
        default_factory=list, max_length=10
    )


class NewHome(HomeProfile):
    register_id: RegisterId = Field(
        description="the municipality's own id, as placement events carry it; never shared"
    )
    kind: Literal["recruited", "kinship"]


class Sharing(StrictBody):
    shared_with: list[Municipality] = Field(max_length=2)


class Availability(StrictBody):
    available: JsonBool


class NewRequest(StrictBody):
    case_id: CaseId = Field(description="your own case; never sent to partners")
    partners: list[Municipality] = Field(min_length=1, max_length=2)
    age_band: AgeBand
    placement_type: RequestedPlacement
    needs: list[Need] = Field(default_factory=list, max_length=10)
    from_date: JsonDate = Field(
        description="the day a home is needed from: at most 30 days before today and 365 after (Swedish days)"
    )
    protected_identity: JsonBool = Field(
        description="a protected-identity child's request is refused: nothing about them goes to partners"
    )


class NewOffer(StrictBody):
    home_id: UUID


class Acceptance(StrictBody):
    offer_id: str = Field(min_length=1, max_length=64)


class NewActivity(StrictBody):
    kind: Literal["training", "theme_evening", "mentor_family", "open_care_programme"]
    title: Title
    starts_at: Instant = Field(description="RFC 3339 with an offset, e.g. 2027-02-01T18:00:00+01:00")
    seats: JsonInt = Field(ge=1, le=500)
    open_to: list[Municipality] = Field(min_length=1, max_length=2)


class SeatBooking(StrictBody):
    seats: JsonInt = Field(ge=1, le=500)
    booking_id: str | None = Field(
        None, pattern=r"^[A-Za-z0-9._:-]{1,64}$", description="repeat it to retry safely"
    )
