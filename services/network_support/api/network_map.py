"""/cases/{case_id}/network-map: the child's network; names are shown here and never published."""

from __future__ import annotations

from datetime import date
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from services.kit.commands import Kit
from services.network_support.api.common import READERS, STAFF, TAGS, CaseIdPath
from services.network_support.application import NetworkSupportApplication as NetworkSupport
from services.network_support.commands import Consent, MemberChange, NewMember, OnDate
from services.network_support.domain.network_map import NetworkMap
from services.network_support.use_cases.network_map import MemberRef

router = APIRouter(prefix="/cases/{case_id}/network-map", tags=TAGS)


class MemberView(BaseModel):
    member_id: int
    name: str
    relation: str
    roles: list[str]
    contact_consent: bool
    consents: dict[str, date] = Field(
        description="scope -> the day consent was given; withdrawn ones are gone"
    )


class NetworkMapView(BaseModel):
    case_id: str
    members: list[MemberView]

    @classmethod
    def of(cls, network: NetworkMap) -> NetworkMapView:
        members = [
            MemberView(member_id=key, **{"consents": {}, **member}) for key, member in network.members.items()
        ]
        return cls(case_id=network.case_id, members=members)


class MemberIdView(BaseModel):
    member_id: int

    @classmethod
    def of(cls, member: MemberRef) -> MemberIdView:
        return cls(member_id=member.member_id)


class RemovedMemberView(BaseModel):
    member_id: int
    removed: bool = True

    @classmethod
    def of(cls, member: MemberRef) -> RemovedMemberView:
        return cls(member_id=member.member_id)


@router.get("", response_model=NetworkMapView)
def get_network_map(case_id: CaseIdPath, kit: Kit) -> NetworkMapView:
    return kit.query(NetworkSupport.network_map, case_id, view=NetworkMapView, roles=READERS)


@router.post("/members", status_code=201, response_model=MemberIdView)
def add_member(case_id: CaseIdPath, body: NewMember, kit: Kit) -> MemberIdView:
    return kit.command(NetworkSupport.add_member, case_id, body, view=MemberIdView, roles=STAFF, status=201)


@router.put("/members/{member_id}", response_model=MemberIdView)
def change_member(case_id: CaseIdPath, member_id: int, body: MemberChange, kit: Kit) -> MemberIdView:
    return kit.command(NetworkSupport.change_member, case_id, member_id, body, view=MemberIdView, roles=STAFF)


@router.delete("/members/{member_id}", response_model=RemovedMemberView)
def remove_member(case_id: CaseIdPath, member_id: int, kit: Kit) -> RemovedMemberView:
    return kit.command(NetworkSupport.remove_member, case_id, member_id, view=RemovedMemberView, roles=STAFF)


@router.post("/members/{member_id}/consents", response_model=NetworkMapView)
def record_consent(case_id: CaseIdPath, member_id: int, body: Consent, kit: Kit) -> NetworkMapView:
    return kit.command(
        NetworkSupport.record_consent, case_id, member_id, body, view=NetworkMapView, roles=STAFF
    )


@router.post("/members/{member_id}/consents/{scope}/withdrawal", response_model=NetworkMapView)
def withdraw_consent(
    case_id: CaseIdPath,
    member_id: int,
    scope: Literal["contact", "sharing_information", "network_placement"],
    body: OnDate,
    kit: Kit,
) -> NetworkMapView:
    return kit.command(
        NetworkSupport.withdraw_consent, case_id, member_id, scope, body, view=NetworkMapView, roles=STAFF
    )
