"""An accepted offer holds its home's place for the requester's case; the requester may give it back.

Accepting writes the acceptance and the home's hold in one save (ADR 0022).  Withdrawing a request
ends it while it is open; withdrawing a matched one gives back the place its accepted offer still
holds, in one save with the withdrawal, so the offering partner hears its offer withdrawn and every
partner the home is shared with sees the place free again.  A matched request whose place is no
longer held (its placement took it, or the hold lapsed) cannot be withdrawn: there is nothing left
to give back.
"""

from __future__ import annotations

from uuid import UUID

from services.collaboration.commands import Acceptance
from services.collaboration.domain.emergency_waits import EmergencyWaits
from services.collaboration.domain.family_home import FamilyHome
from services.collaboration.domain.matching_request import MatchingRequest
from services.collaboration.domain.place_holds import TEMPORARY, outlasts
from services.collaboration.results import RequestSeen
from services.collaboration.use_cases.matching import Matching
from services.kit.auth import Caller


class HeldPlaces(Matching):
    def accept_offer(self, caller: Caller, request_id: UUID, acceptance: Acceptance) -> RequestSeen:
        request = self._own_request(caller, request_id)
        now = self.clock()
        request.accept(acceptance.offer_id, now)
        home: FamilyHome = self.repository.get(UUID(request.offers[acceptance.offer_id]["home_id"]))
        home.hold(str(request.id), request.requester, request.case_id, now + self.hold_lifetime)
        self._save_ended(request, home, self._keep_for_wait(request, home))
        return RequestSeen(caller.municipality, request, now)

    def _keep_for_wait(self, request: MatchingRequest, home: FamilyHome) -> EmergencyWaits:
        """The child already waits in an emergency home: its wait keeps the place held for a lasting
        placement, as a wait begun after the acceptance would (ADR 0022).  The case's memory notes
        the acceptance (to be saved with it), so a record of the case stored in the same moment by
        another replica conflicts with it, and the one stored last runs again seeing the other."""
        waits = self.case_waits(request.requester, request.case_id)
        wait = waits.waiting_in
        if wait is not None and outlasts(request.placement_type, TEMPORARY):
            home.keep_hold(str(request.id), request.requester, wait)
        waits.match_accepted(str(request.id))
        return waits

    def withdraw_request(self, caller: Caller, request_id: UUID) -> RequestSeen:
        request = self._own_request(caller, request_id)
        now = self.clock()
        home = self._accepted_home(request)
        given_back = home is not None and home.give_back(str(request.id), now)
        request.withdraw(now, giving_back=given_back)
        self._save_ended(request, *([home] if given_back else []))
        return RequestSeen(caller.municipality, request, now)

    def _accepted_home(self, request: MatchingRequest) -> FamilyHome | None:
        accepted = [offer["home_id"] for offer in request.offers.values() if offer["status"] == "accepted"]
        return self.repository.get(UUID(accepted[0])) if accepted else None
