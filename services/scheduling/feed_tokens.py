"""Personal calendar feeds (issue 15): a secret token in the URL instead of a bearer header.

Issuing answers the token once, in the feed's URL; only its SHA-256 digest is stored.  A fetch
looks the token up by digest (compared in constant time), reads as the token's owner with the
purpose ``calendar feed`` (the kit logs the access of each case the feed carries), and an
unknown or revoked token is simply not there.

A token lives no longer than its place on the roster: removing a staff member (and reinstating
one) revokes the live tokens they own (issued under their JWT subject) and those of their staff
feed; and a token whose owner is a removed member of its municipality's roster is not there
either (one issued while its owner was off the roster, or one left live by a removal stored
before removals revoked tokens).  A removed member, whose JWT may still be valid, is issued none:
the kit's command path refuses them everything in scheduling first (409 ``staff_member_removed``,
``SchedulingBase.refuse_caller``).  An owner never on the roster (a case worker) is not affected.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, replace
from typing import Any
from uuid import UUID

from services.kit.auth import Caller
from services.kit.cases import CaseDataNotFound, CaseRef
from services.kit.index import CatchUpIndex
from services.scheduling.calendars import CalendarUseCases
from services.scheduling.domain.feed_token import FeedToken, digest_of
from services.scheduling.read_models import Schedule

FEED_PATH = "/api/v1/feeds/{token}.ics"
FEED_READER = "calendar_feed"  # the one role of a fetch's caller; no bearer token can carry it
CALENDAR_FEED = "calendar feed"  # the purpose of every fetch's access record


@dataclass(frozen=True)
class IssuedFeedToken:
    token_id: UUID
    token: str
    municipality: str
    case_id: str | None  # a case's feed: its token is case data of that case

    def case_refs(self) -> list[CaseRef]:
        return [CaseRef(self.municipality, self.case_id)] if self.case_id else []


@dataclass(frozen=True)
class FeedTokenRow:
    token_id: UUID
    municipality: str
    scope: str
    subject: str
    owner: str
    digest: str
    revoked: bool = False


def fold_feed_token(rows: dict[Any, FeedTokenRow], e: Any) -> None:
    if isinstance(e, FeedToken.Issued):
        rows[e.originator_id] = FeedTokenRow(
            e.originator_id, e.municipality, e.scope, e.subject, e.owner, e.digest
        )
    elif isinstance(e, FeedToken.Revoked):
        rows[e.originator_id] = replace(rows[e.originator_id], revoked=True)


class FeedTokenUseCases(CalendarUseCases):
    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._feed_tokens = CatchUpIndex(self, fold_feed_token, events=(FeedToken.Issued, FeedToken.Revoked))

    def issue_staff_feed_token(self, caller: Caller, staff_id: str) -> IssuedFeedToken:
        self._staff_member(caller.municipality, staff_id)
        return self._issue(caller, "staff", staff_id)

    def issue_case_feed_token(self, caller: Caller, case_id: str) -> IssuedFeedToken:
        self._case_schedule(caller, case_id)  # a case of the caller's municipality, or 404
        return self._issue(caller, "case", case_id)

    def revoke_feed_token(self, caller: Caller, scope: str, subject: str, token_id: UUID) -> FeedToken:
        feed_token = self._get(token_id)
        if not isinstance(feed_token, FeedToken) or (
            feed_token.municipality,
            feed_token.scope,
            feed_token.subject,
        ) != (caller.municipality, scope, subject):
            raise CaseDataNotFound()
        feed_token.revoke()
        self.save(feed_token)
        return feed_token

    def feed_caller(self, token: str) -> Caller | None:
        """Who reads through ``token``: its owner, in its municipality; None when it does not work."""
        row = self._token_row(token)
        return None if row is None else Caller(row.owner, row.municipality, frozenset({FEED_READER}))

    def subscribed_feed(self, caller: Caller, token: str) -> Schedule:
        row = self._token_row(token)
        if row is None or row.municipality != caller.municipality:
            raise CaseDataNotFound()  # revoked a moment ago
        if row.scope == "staff":
            return self.staff_calendar_feed(caller, row.subject)
        return self.case_calendar_feed(caller, row.subject)

    def _revoked_feed_tokens_of(self, municipality: str, staff_id: str) -> list[FeedToken]:
        """The live tokens ``staff_id`` owns or that show their calendar, revoked (to be saved)."""
        revoked = []
        for row in self._feed_tokens.rows():
            if row.revoked or row.municipality != municipality:
                continue
            if row.owner == staff_id or (row.scope == "staff" and row.subject == staff_id):
                revoked.append(self.repository.get(row.token_id))
        for feed_token in revoked:
            feed_token.revoke()
        return revoked

    def _issue(self, caller: Caller, scope: str, subject: str) -> IssuedFeedToken:
        token = secrets.token_urlsafe(32)
        feed_token = FeedToken(caller.municipality, scope, subject, caller.subject, digest_of(token))
        self.save(feed_token)
        case_id = subject if scope == "case" else None
        return IssuedFeedToken(feed_token.id, token, caller.municipality, case_id)

    def _token_row(self, token: str) -> FeedTokenRow | None:
        digest = digest_of(token)
        found = [row for row in self._feed_tokens.rows() if hmac.compare_digest(row.digest, digest)]
        if not found or found[0].revoked or self._removed_from_roster(found[0].municipality, found[0].owner):
            return None
        return found[0]
