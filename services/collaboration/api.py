"""HTTP API of collaboration.  Every handler checks the caller's municipality against the object.

A partner sees a shared home, a request addressed to it or an activity open
to it exactly as its partner topic shows them (through the disclosure
filter); the owner sees its own objects in full.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Request
from pydantic import AfterValidator, Field

from contracts.collaboration import LANGUAGE_PATTERN, AgeBand, Need, RequestedPlacement
from contracts.common import CaseId, Municipality
from services.collaboration.application import CollaborationApplication, NotFound
from services.collaboration.disclosure import disclose
from services.collaboration.domain.activity import NotOpenToYou, SharedActivity, UnknownBooking
from services.collaboration.domain.family_home import FamilyHome
from services.collaboration.domain.matching_request import MatchingRequest, NotAddressed
from services.collaboration.publication import (
    ACTIVITY,
    HOME,
    REQUEST,
    activity_record,
    home_record,
    request_record,
)
from services.kit.access import DEFAULT_PURPOSE, PurposeHeader
from services.kit.auth import Caller
from services.kit.bodies import JsonBool, JsonDate, JsonDateTime, JsonInt, StrictBody
from services.kit.http import CallerDep, not_found, require_roles

NOT_YOURS = (NotFound, NotAddressed, NotOpenToYou, UnknownBooking)
CONSULTANT = ("family_home_consultant",)
REQUESTERS = ("case_worker", "family_home_consultant")
ORGANISERS = ("family_home_consultant", "coordinator")
BOOKERS = ("family_home_consultant", "coordinator", "case_worker")
READERS = ("family_home_consultant", "case_worker", "coordinator", "auditor")


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
    from_date: JsonDate
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
    starts_at: JsonDateTime
    seats: JsonInt = Field(ge=1, le=500)
    open_to: list[Municipality] = Field(min_length=1, max_length=2)


class SeatBooking(StrictBody):
    seats: JsonInt = Field(ge=1, le=500)
    booking_id: str | None = Field(
        None, pattern=r"^[A-Za-z0-9._:-]{1,64}$", description="repeat it to retry safely"
    )


def own_home_view(home: FamilyHome) -> dict[str, Any]:
    return {
        **home_record(home, "registered"),
        "register_id": home.register_id,
        "kind": home.kind,
        "shared_with": list(home.shared_with),
        "available": home.available,
        "offerable": home.can_be_offered(),
        "occupied_places": len(home.residents),
    }


def home_view(caller: Caller, home: FamilyHome) -> dict[str, Any]:
    if home.municipality == caller.municipality:
        return own_home_view(home)
    return disclose(HOME, home_record(home, "shared"))


def request_view(caller: Caller, request: MatchingRequest) -> dict[str, Any]:
    if request.requester == caller.municipality:
        return {
            **request_record(request, request.status),
            "case_id": request.case_id,
            "status": request.status,
            "partners": list(request.partners),
            "offers": [{"offer_id": k, **v} for k, v in request.offers.items()],
        }
    own_offers = [
        {"offer_id": k, **v} for k, v in request.offers.items() if v["partner"] == caller.municipality
    ]
    return {
        **disclose(REQUEST, request_record(request, request.status)),
        "status": request.status,
        "offers": own_offers,
    }


def activity_view(caller: Caller, activity: SharedActivity) -> dict[str, Any]:
    view = {**disclose(ACTIVITY, activity_record(activity, "announced")), "cancelled": activity.cancelled}
    if activity.host == caller.municipality:
        view["open_to"] = list(activity.open_to)
        view["bookings"] = [
            {"booking_id": k, "municipality": m, "seats": s} for k, (m, s) in activity.bookings.items()
        ]
    else:
        view["bookings"] = [
            {"booking_id": k, "seats": s}
            for k, (m, s) in activity.bookings.items()
            if m == caller.municipality
        ]
    return view


def build_router() -> APIRouter:
    router = APIRouter(tags=["collaboration"])

    def app_of(request: Request) -> CollaborationApplication:
        return request.app.state.runtime.app

    def found(request: Request, caller: Caller, kind: str, object_id: object, load: Any) -> Any:
        """Run ``load``; an object the caller's municipality may not see is a logged 404."""
        try:
            return load()
        except NOT_YOURS as missing:
            app_of(request).record_access(
                f"{kind}:{object_id}", caller.subject, caller.municipality, kind, DEFAULT_PURPOSE, "denied"
            )
            request.app.state.runtime.metrics.case_reads.labels(outcome="denied").inc()
            raise not_found(str(missing).removeprefix("no ")) from None

    # -- the pool ---------------------------------------------------------------------------
    @router.post("/family-homes", status_code=201)
    def register_home(body: NewHome, request: Request, caller: CallerDep) -> dict:
        require_roles(caller, *CONSULTANT)
        home = app_of(request).register_home(
            caller.municipality,
            body.register_id,
            body.kind,
            body.capacity,
            body.age_min,
            body.age_max,
            tuple(body.specialisations),
            tuple(body.languages),
        )
        return own_home_view(home)

    @router.get("/family-homes")
    def list_homes(request: Request, caller: CallerDep) -> list[dict]:
        require_roles(caller, *READERS)
        return [
            home_view(caller, home)
            for home in app_of(request).homes_visible_to(caller.municipality)
            if home.municipality == caller.municipality or not home.hosts_protected_child
        ]

    @router.get("/family-homes/{home_id}")
    def get_home(home_id: UUID, request: Request, caller: CallerDep) -> dict:
        require_roles(caller, *READERS)
        home = found(
            request,
            caller,
            "family-home",
            home_id,
            lambda: app_of(request).home(caller.municipality, home_id),
        )
        if home.municipality != caller.municipality and home.hosts_protected_child:
            raise not_found("family home")
        return home_view(caller, home)

    @router.put("/family-homes/{home_id}/profile")
    def change_profile(home_id: UUID, body: HomeProfile, request: Request, caller: CallerDep) -> dict:
        require_roles(caller, *CONSULTANT)
        return own_home_view(
            found(
                request,
                caller,
                "family-home",
                home_id,
                lambda: app_of(request).change_home(
                    caller.municipality,
                    home_id,
                    lambda h: h.change_profile(
                        body.capacity,
                        body.age_min,
                        body.age_max,
                        tuple(body.specialisations),
                        tuple(body.languages),
                    ),
                ),
            )
        )

    @router.put("/family-homes/{home_id}/sharing")
    def share_home(home_id: UUID, body: Sharing, request: Request, caller: CallerDep) -> dict:
        require_roles(caller, *CONSULTANT)
        return own_home_view(
            found(
                request,
                caller,
                "family-home",
                home_id,
                lambda: app_of(request).change_home(
                    caller.municipality, home_id, lambda h: h.share_with(tuple(body.shared_with))
                ),
            )
        )

    @router.put("/family-homes/{home_id}/availability")
    def set_availability(home_id: UUID, body: Availability, request: Request, caller: CallerDep) -> dict:
        require_roles(caller, *CONSULTANT)
        return own_home_view(
            found(
                request,
                caller,
                "family-home",
                home_id,
                lambda: app_of(request).change_home(
                    caller.municipality, home_id, lambda h: h.set_available(body.available)
                ),
            )
        )

    # -- matching -------------------------------------------------------------------------------
    @router.post("/matching-requests", status_code=201)
    def open_request(body: NewRequest, request: Request, caller: CallerDep) -> dict:
        require_roles(caller, *REQUESTERS)
        opened = app_of(request).open_request(
            caller.municipality,
            body.case_id,
            tuple(body.partners),
            body.age_band,
            body.placement_type,
            tuple(body.needs),
            body.from_date,
            body.protected_identity,
        )
        request.app.state.metrics.requests.labels(caller.municipality, "opened").inc()
        return request_view(caller, opened)

    @router.get("/matching-requests")
    def list_requests(
        request: Request, caller: CallerDep, purpose: PurposeHeader = DEFAULT_PURPOSE
    ) -> list[dict]:
        require_roles(caller, *READERS)
        app = app_of(request)
        requests = app.requests_of(caller.municipality)
        for own in (r for r in requests if r.requester == caller.municipality):
            app.record_access(
                own.case_id, caller.subject, caller.municipality, "matching-request", purpose, "granted"
            )
        return [request_view(caller, r) for r in requests]

    @router.get("/matching-requests/{request_id}")
    def get_request(
        request_id: UUID, request: Request, caller: CallerDep, purpose: PurposeHeader = DEFAULT_PURPOSE
    ) -> dict:
        require_roles(caller, *READERS)
        app = app_of(request)
        found_request = found(
            request,
            caller,
            "matching-request",
            request_id,
            lambda: app.request(caller.municipality, request_id),
        )
        if (
            found_request.requester == caller.municipality
        ):  # the view carries the case id: a read of case data
            app.record_access(
                found_request.case_id,
                caller.subject,
                caller.municipality,
                "matching-request",
                purpose,
                "granted",
            )
        return request_view(caller, found_request)

    @router.post("/matching-requests/{request_id}/offers", status_code=201)
    def offer_home(request_id: UUID, body: NewOffer, request: Request, caller: CallerDep) -> dict:
        require_roles(caller, *CONSULTANT)
        offered, offer_id = found(
            request,
            caller,
            "matching-request",
            request_id,
            lambda: app_of(request).offer_home(caller.municipality, request_id, body.home_id),
        )
        request.app.state.metrics.offers.labels(caller.municipality).inc()
        return {"offer_id": offer_id, **request_view(caller, offered)}

    @router.post("/matching-requests/{request_id}/accept")
    def accept_offer(request_id: UUID, body: Acceptance, request: Request, caller: CallerDep) -> dict:
        require_roles(caller, *REQUESTERS)
        matched = found(
            request,
            caller,
            "matching-request",
            request_id,
            lambda: app_of(request).accept_offer(caller.municipality, request_id, body.offer_id),
        )
        request.app.state.metrics.requests.labels(caller.municipality, "matched").inc()
        return request_view(caller, matched)

    @router.post("/matching-requests/{request_id}/withdraw")
    def withdraw_request(request_id: UUID, request: Request, caller: CallerDep) -> dict:
        require_roles(caller, *REQUESTERS)
        withdrawn = found(
            request,
            caller,
            "matching-request",
            request_id,
            lambda: app_of(request).withdraw_request(caller.municipality, request_id),
        )
        request.app.state.metrics.requests.labels(caller.municipality, "withdrawn").inc()
        return request_view(caller, withdrawn)

    # -- shared activities --------------------------------------------------------------------------
    @router.post("/activities", status_code=201)
    def announce(body: NewActivity, request: Request, caller: CallerDep) -> dict:
        require_roles(caller, *ORGANISERS)
        activity = app_of(request).announce_activity(
            caller.municipality, body.kind, body.title, body.starts_at, body.seats, tuple(body.open_to)
        )
        return activity_view(caller, activity)

    @router.get("/activities")
    def list_activities(request: Request, caller: CallerDep) -> list[dict]:
        require_roles(caller, *READERS)
        return [activity_view(caller, a) for a in app_of(request).activities_for(caller.municipality)]

    @router.get("/activities/{activity_id}")
    def get_activity(activity_id: UUID, request: Request, caller: CallerDep) -> dict:
        require_roles(caller, *READERS)
        return activity_view(
            caller,
            found(
                request,
                caller,
                "activity",
                activity_id,
                lambda: app_of(request).activity(caller.municipality, activity_id),
            ),
        )

    @router.post("/activities/{activity_id}/bookings", status_code=201)
    def book(activity_id: UUID, body: SeatBooking, request: Request, caller: CallerDep) -> dict:
        require_roles(caller, *BOOKERS)
        activity, booking_id = found(
            request,
            caller,
            "activity",
            activity_id,
            lambda: app_of(request).book_seats(caller.municipality, activity_id, body.seats, body.booking_id),
        )
        request.app.state.metrics.seats.labels(caller.municipality, activity.kind).inc(body.seats)
        return {"booking_id": booking_id, **activity_view(caller, activity)}

    @router.delete("/activities/{activity_id}/bookings/{booking_id}")
    def cancel_booking(activity_id: UUID, booking_id: str, request: Request, caller: CallerDep) -> dict:
        require_roles(caller, *BOOKERS)
        return activity_view(
            caller,
            found(
                request,
                caller,
                "activity",
                activity_id,
                lambda: app_of(request).cancel_booking(caller.municipality, activity_id, booking_id),
            ),
        )

    @router.post("/activities/{activity_id}/cancel")
    def cancel_activity(activity_id: UUID, request: Request, caller: CallerDep) -> dict:
        require_roles(caller, *ORGANISERS)
        return activity_view(
            caller,
            found(
                request,
                caller,
                "activity",
                activity_id,
                lambda: app_of(request).cancel_activity(caller.municipality, activity_id),
            ),
        )

    return router
