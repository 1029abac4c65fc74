"""Network-map use cases: who the child's network is; names stay in this service."""

from __future__ import annotations

from dataclasses import dataclass

from services.kit.auth import Caller
from services.network_support.commands import Consent, MemberChange, NewMember, OnDate
from services.network_support.domain.network_map import NetworkMap
from services.network_support.domain.safety_plan import SafetyPlan
from services.network_support.use_cases.base import NetworkSupportBase


@dataclass(frozen=True)
class MemberRef:
    """One member of one case's network map, as a command's answer names it."""

    municipality: str
    case_id: str
    member_id: int


class NetworkMapUseCases(NetworkSupportBase):
    def network_map(self, caller: Caller, case_id: str) -> NetworkMap:
        return self._of_case(NetworkMap, caller, case_id)

    def add_member(self, caller: Caller, case_id: str, new: NewMember) -> MemberRef:
        """The first member added starts the case's map."""
        network = self._find(NetworkMap.id_for(caller.municipality, case_id))
        network = network or NetworkMap(municipality=caller.municipality, case_id=case_id)
        with self._refusals_told(network):
            member_id = network.add_member(new.name, new.relation, tuple(new.roles), new.contact_consent)
        self.save(network)
        return MemberRef(caller.municipality, case_id, member_id)

    def change_member(self, caller: Caller, case_id: str, member_id: int, change: MemberChange) -> MemberRef:
        with self._refusals_told(self.network_map(caller, case_id)) as network:
            network.change_member(member_id, change.relation, tuple(change.roles), change.contact_consent)
        self.save(network)
        return MemberRef(caller.municipality, case_id, member_id)

    def remove_member(self, caller: Caller, case_id: str, member_id: int) -> MemberRef:
        """Refused while a safety-plan rule names the member as responsible."""
        plan = self._find(SafetyPlan.id_for(caller.municipality, case_id))
        with self._refusals_told(self.network_map(caller, case_id)) as network:
            network.remove_member(member_id, named_by_rules=plan.rules_naming(member_id) if plan else ())
        self.save(network)
        return MemberRef(caller.municipality, case_id, member_id)

    def record_consent(self, caller: Caller, case_id: str, member_id: int, consent: Consent) -> NetworkMap:
        self._happened(consent.on)
        with self._refusals_told(self.network_map(caller, case_id)) as network:
            network.record_consent(member_id, consent.scope, consent.on)
        self.save(network)
        return network

    def withdraw_consent(
        self, caller: Caller, case_id: str, member_id: int, scope: str, dated: OnDate
    ) -> NetworkMap:
        self._happened(dated.on)
        with self._refusals_told(self.network_map(caller, case_id)) as network:
            network.withdraw_consent(member_id, scope, dated.on)
        self.save(network)
        return network
