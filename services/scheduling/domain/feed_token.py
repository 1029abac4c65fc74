"""A personal calendar feed's token: what it shows (a staff member's or a case's meetings), whose
it is, and whether it still works.  Only the token's SHA-256 digest is kept, never the token."""

from __future__ import annotations

import hashlib

from eventsourcing.domain import Aggregate, event

SCOPES = ("staff", "case")


class FeedTokenRevoked(Exception):
    """A revoked feed token stays revoked."""


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class FeedToken(Aggregate):
    class Issued(Aggregate.Created):
        municipality: str
        scope: str  # "staff" or "case"
        subject: str  # the staff id or the case id the feed shows
        owner: str  # who asked for it: the actor of every fetch's access record
        digest: str

    class Revoked(Aggregate.Event):
        pass

    @event(Issued)
    def __init__(self, municipality: str, scope: str, subject: str, owner: str, digest: str) -> None:
        self.municipality = municipality
        self.scope = scope
        self.subject = subject
        self.owner = owner
        self.digest = digest
        self.revoked = False

    def revoke(self) -> None:
        if self.revoked:
            raise FeedTokenRevoked("the feed token is already revoked")
        self._revoked()

    @event(Revoked)
    def _revoked(self) -> None:
        self.revoked = True
