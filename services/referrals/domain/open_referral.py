"""At most one open referral of a case to each target (issue 16).

One small aggregate per (municipality, case id, target) names the referral that holds it.
Creating a referral holds it in the same transaction; two created at the same moment both
try to store its next version, and the store lets only one through.  Declining, closing
or revoking the holder releases it.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.kit.domain.ids import stable_id


class ReferralAlreadyOpen(Exception):
    """The case has an open referral to that target."""


class OpenReferral(Aggregate):
    @staticmethod
    def id_for(municipality: str, case_id: str, target: str) -> UUID:
        return stable_id("open-referral", municipality, case_id, target)

    @classmethod
    def create_id(cls, municipality: str, case_id: str, target: str, **_: object) -> UUID:
        return cls.id_for(municipality, case_id, target)

    @event("Opened")
    def __init__(self, municipality: str, case_id: str, target: str) -> None:
        self.holder: str | None = None

    def hold(self, referral_id: UUID) -> None:
        if self.holder is not None:
            raise ReferralAlreadyOpen(
                f"the case has an open referral to this target ({self.holder}): decline, close or revoke it first"
            )
        self._held(str(referral_id))

    def release(self, referral_id: UUID) -> None:
        if self.holder == str(referral_id):
            self._released(str(referral_id))

    @event("Held")
    def _held(self, referral_id: str) -> None:
        self.holder = referral_id

    @event("Released")
    def _released(self, referral_id: str) -> None:
        self.holder = None
