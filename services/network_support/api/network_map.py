"""/cases/{case_id}/network-map: the child's network; names are shown here and never published."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from services.kit.commands import Kit
from services.network_support.api.common import READERS, STAFF, TAGS, CaseIdPath
from services.network_support.application import NetworkSupportApplication as NetworkSupport
from services.network_support.commands import MemberChange, NewMember
from services.network_support.domain.network_map import NetworkMap
from services.network_support.use_cases.network_map import MemberRef

router = APIRouter(prefix="/cases/{case_id}/network-map", tags=TAGS)


class MemberView(BaseModel):
    member_id: int
    name: str
    relation: str
    roles: list[str]
    contact_consent: bool


class NetworkMapView(BaseModel):
    case_id: str
    members: list[MemberView]

    @classmethod
    def of(cls, network: NetworkMap) -> NetworkMapView:
        members = [MemberView(member_id=key, **member) for key, member in network.members.items()]
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
