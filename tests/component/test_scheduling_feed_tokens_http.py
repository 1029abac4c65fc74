"""Personal calendar feeds: a secret, revocable token in the URL that a calendar program can
subscribe to without a bearer header; every fetch is access-logged, the token is never shown."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from eventsourcing.persistence import OperationalError
from prometheus_client import generate_latest

from services.kit.domain.case_access import CaseAccess
from services.kit.logs import configure_logging
from services.scheduling.app import create_app
from services.scheduling.domain.feed_token import FeedToken
from tests.component.conftest import in_process
from tests.conftest import make_settings
from tests.support.tokens import bearer
from tests.unit.test_ics_feed import strictly_parsed

COORDINATOR = bearer("0380", ("coordinator",), subject="coordinator-anna")
STRANGER = bearer("1980", ("coordinator",))
THERAPIST = "0380-family-therapist-1"
STAFF_TOKENS = f"/api/v1/staff/{THERAPIST}/feed-tokens"
CASE_TOKENS = "/api/v1/cases/0380-77/feed-tokens"


@pytest.fixture
async def scheduling(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(make_settings(tmp_path), start_runtime=False)
    app.state.runtime.app.clock = lambda: datetime(2027, 1, 4, 8, 0)
    async with in_process(app, "http://scheduling") as client:
        body = {"case_id": "0380-77", "kind": "network_meeting", "staff_ids": [THERAPIST]}
        body |= {"start": "2027-01-12T09:00:00", "end": "2027-01-12T10:00:00"}
        assert (await client.post("/api/v1/meetings", json=body, headers=COORDINATOR)).status_code == 201
        yield client


async def issued(client: httpx.AsyncClient, path: str) -> dict:
    answer = await client.post(path, headers=COORDINATOR)
    assert answer.status_code == 201, answer.text
    return answer.json()


def access_records(client: httpx.AsyncClient) -> list[CaseAccess.Recorded]:
    store = client.app.state.runtime.app  # type: ignore[attr-defined]
    events = [store.mapper.to_domain_event(n) for n in store.recorder.select_notifications(1, 100_000)]
    return [e for e in events if isinstance(e, CaseAccess.Recorded)]


async def test_a_staff_members_feed_url_is_fetched_without_a_bearer_header(scheduling) -> None:
    url = (await issued(scheduling, STAFF_TOKENS))["url"]
    feed = await scheduling.get(url)
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
    [event] = strictly_parsed(feed.content).walk("VEVENT")
    assert str(event["summary"]) == "Network meeting – case 0380-77"


async def test_a_cases_feed_url_shows_that_cases_meetings(scheduling) -> None:
    url = (await issued(scheduling, CASE_TOKENS))["url"]
    [event] = strictly_parsed((await scheduling.get(url)).content).walk("VEVENT")
    assert str(event["dtstart"].to_ical().decode()) == "20270112T090000"


async def test_a_revoked_or_made_up_token_gets_the_same_404(scheduling) -> None:
    token = await issued(scheduling, STAFF_TOKENS)
    revoked = await scheduling.delete(f"{STAFF_TOKENS}/{token['token_id']}", headers=COORDINATOR)
    assert revoked.status_code == 204
    gone = await scheduling.get(token["url"])
    made_up = await scheduling.get("/api/v1/feeds/made-up-token-of-no-one.ics")
    assert (gone.status_code, gone.json()) == (made_up.status_code, made_up.json())
    assert gone.status_code == 404


async def test_another_municipality_can_neither_issue_nor_revoke_a_token_for_your_staff_or_case(
    scheduling,
) -> None:
    for path in (STAFF_TOKENS, CASE_TOKENS):
        refused = await scheduling.post(path, headers=STRANGER)
        assert refused.status_code == 404, refused.text
    token = await issued(scheduling, CASE_TOKENS)
    theirs = await scheduling.delete(f"{CASE_TOKENS}/{token['token_id']}", headers=STRANGER)
    assert theirs.status_code == 404
    assert (await scheduling.get(token["url"])).status_code == 200


async def test_every_fetch_is_access_logged_as_the_token_owners_calendar_feed_read(scheduling) -> None:
    url = (await issued(scheduling, STAFF_TOKENS))["url"]
    before = len(access_records(scheduling))
    await scheduling.get(url)
    [record] = access_records(scheduling)[before:]
    assert (record.case_id, record.actor, record.purpose) == ("0380-77", "coordinator-anna", "calendar feed")
    assert record.resource.endswith("/feeds/{token}.ics")  # the route template, never the token


async def test_a_fetch_answers_503_and_no_feed_when_its_access_record_cannot_be_stored(
    scheduling, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = (await issued(scheduling, STAFF_TOKENS))["url"]

    def refused(*_: object, **__: object) -> None:
        raise OperationalError("disk I/O error")

    monkeypatch.setattr(scheduling.app.state.runtime.app, "record_access", refused)
    failed = await scheduling.get(url)
    assert failed.status_code == 503 and "VEVENT" not in failed.text


async def test_the_token_appears_in_no_log_line_metric_or_error(scheduling) -> None:
    lines = io.StringIO()
    configure_logging("scheduling", "DEBUG", stream=lines)
    token = await issued(scheduling, STAFF_TOKENS)
    secret = token["url"].removeprefix("/api/v1/feeds/").removesuffix(".ics")
    answers = [await scheduling.get(token["url"])]
    await scheduling.delete(f"{STAFF_TOKENS}/{token['token_id']}", headers=COORDINATOR)
    answers += [await scheduling.get(token["url"]), await scheduling.get(token["url"], headers=STRANGER)]
    metrics = generate_latest(scheduling.app.state.runtime.metrics.registry).decode()
    assert '/feeds/{token}.ics",status="2xx"' in metrics  # the route template is the label
    for text in (lines.getvalue(), metrics, *(a.text for a in answers[1:])):
        assert secret not in text
    assert all(secret not in str(r.actor) + r.resource for r in access_records(scheduling))


async def test_a_feed_url_stops_working_when_its_owner_is_removed_from_the_roster(scheduling) -> None:
    as_therapist = bearer("0380", ("case_worker",), subject=THERAPIST)
    token = (await scheduling.post(CASE_TOKENS, headers=as_therapist)).json()
    assert (await scheduling.get(token["url"])).status_code == 200
    removed = await scheduling.delete(f"/api/v1/staff/{THERAPIST}", headers=COORDINATOR)
    assert removed.status_code == 204
    before = len(access_records(scheduling))
    gone = await scheduling.get(token["url"])
    made_up = await scheduling.get("/api/v1/feeds/made-up-token-of-no-one.ics")
    assert (gone.status_code, gone.json()) == (404, made_up.json())
    assert len(access_records(scheduling)) == before  # nobody read anything as the removed member


async def test_removing_a_staff_member_revokes_their_feed_tokens_for_good(scheduling) -> None:
    as_therapist = bearer("0380", ("case_worker",), subject=THERAPIST)
    owned = (await scheduling.post(CASE_TOKENS, headers=as_therapist)).json()
    of_their_calendar = await issued(scheduling, STAFF_TOKENS)
    assert (await scheduling.delete(f"/api/v1/staff/{THERAPIST}", headers=COORDINATOR)).status_code == 204
    back = {"staff_id": THERAPIST, "role": "family_therapist"}
    assert (await scheduling.post("/api/v1/staff", json=back, headers=COORDINATOR)).status_code == 201
    for token, path in ((owned, CASE_TOKENS), (of_their_calendar, STAFF_TOKENS)):
        assert (await scheduling.get(token["url"])).status_code == 404
        again = await scheduling.delete(f"{path}/{token['token_id']}", headers=COORDINATOR)
        assert again.status_code == 409  # revoked already, and stored so


async def test_a_feed_url_of_an_owner_never_on_the_roster_outlives_a_removal(scheduling) -> None:
    token = await issued(scheduling, CASE_TOKENS)  # coordinator-anna is no staff id
    assert (await scheduling.delete(f"/api/v1/staff/{THERAPIST}", headers=COORDINATOR)).status_code == 204
    assert (await scheduling.get(token["url"])).status_code == 200


def issued_tokens(client: httpx.AsyncClient) -> list[FeedToken.Issued]:
    store = client.app.state.runtime.app  # type: ignore[attr-defined]
    events = [store.mapper.to_domain_event(n) for n in store.recorder.select_notifications(1, 100_000)]
    return [e for e in events if isinstance(e, FeedToken.Issued)]


async def test_a_removed_staff_member_gets_no_feed_token_with_their_still_valid_jwt(scheduling) -> None:
    """It was 201 with a token dead on arrival: a feed URL outlives no one's place on the roster."""
    as_therapist = bearer("0380", ("network_centre",), subject=THERAPIST)
    assert (await scheduling.delete(f"/api/v1/staff/{THERAPIST}", headers=COORDINATOR)).status_code == 204
    before = len(issued_tokens(scheduling))
    for path in (CASE_TOKENS, "/api/v1/staff/0380-family-pedagogue-1/feed-tokens", STAFF_TOKENS):
        refused = await scheduling.post(path, headers=as_therapist)
        assert refused.status_code == 409, refused.text
        assert refused.json()["error"]["code"] == "staff_member_removed"
        assert THERAPIST not in refused.text
    assert len(issued_tokens(scheduling)) == before


async def test_an_auditor_reads_a_cases_calendar_but_gets_no_standing_feed_url_for_it(scheduling) -> None:
    """An auditor reviews records when the review needs it; a feed URL reads the case for good."""
    auditor = bearer("0380", ("auditor",), subject="auditor-1")
    refused = await scheduling.post(CASE_TOKENS, headers=auditor)
    assert refused.status_code == 403, refused.text
    assert issued_tokens(scheduling) == []
    for calendar in ("/api/v1/cases/0380-77/calendar", "/api/v1/cases/0380-77/calendar.ics"):
        assert (await scheduling.get(calendar, headers=auditor)).status_code == 200
