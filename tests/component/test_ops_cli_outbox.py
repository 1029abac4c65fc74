"""``natverk outbox`` lists every page of a service's parked records and shows one by asking for it."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from services.cli import main

PARKED = [
    {
        "notification_id": n,
        "event_topic": "natverk.referrals.v1",
        "reason": "ValidationError: the event breaks its contract at case_id",
        "attempts": 1,
        "released": False,
        "parked_at": "2026-12-03T08:00:00+00:00",
    }
    for n in (7, 9)
]
PAGES = {"": {"items": PARKED[:1], "next_cursor": "Nw"}, "Nw": {"items": PARKED[1:], "next_cursor": None}}


@pytest.fixture
def referrals(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, list[str]]]:
    """A referrals service with two parked records, one per page; the paths it was asked are noted."""
    asked: list[str] = []

    class Outbox(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            where = urlsplit(self.path)
            cursor = parse_qs(where.query).get("cursor", [""])[0]
            one = {f"/api/v1/ops/outbox/{r['notification_id']}": r for r in PARKED}
            answer = PAGES.get(cursor) if where.path == "/api/v1/ops/outbox" else one.get(where.path)
            body = json.dumps(answer or {"error": {"code": "not_parked", "message": "no", "details": []}})
            self.send_response(200 if answer else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Outbox)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", asked
    finally:
        server.shutdown()


def test_the_list_shows_the_records_of_every_page_and_exits_1(referrals, capsys) -> None:
    url, asked = referrals
    assert main(["outbox", "list", "--service", "referrals", "--url", url]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines[1:]] == ["7", "9"]
    assert asked == ["/api/v1/ops/outbox?limit=200", "/api/v1/ops/outbox?limit=200&cursor=Nw"]


def test_show_asks_for_the_one_record_and_says_so_when_it_is_not_parked(referrals, capsys) -> None:
    url, asked = referrals
    assert main(["outbox", "show", "--service", "referrals", "--notification", "9", "--url", url]) == 0
    assert json.loads(capsys.readouterr().out) == PARKED[1]
    assert main(["outbox", "show", "--service", "referrals", "--notification", "8", "--url", url]) == 2
    assert capsys.readouterr().out.strip() == "referrals: no parked record 8"
    assert asked == ["/api/v1/ops/outbox/9", "/api/v1/ops/outbox/8"]  # never the whole list
