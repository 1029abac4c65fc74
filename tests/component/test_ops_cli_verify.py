"""``natverk verify`` names each broken timeline as municipality/case id (ADR 0016).

The report comes from a real case store (SQLite, no broker) holding the same case id in
two municipalities, one of them tampered with; the CLI reads it over HTTP.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

from services.case_store.app import create_app
from services.case_store.domain.timeline import CaseTimeline
from services.cli import main
from tests.conftest import make_settings
from tests.support.tokens import bearer

NOW = datetime(2026, 11, 20, 10, tzinfo=UTC)


@contextmanager
def answering(body: bytes) -> Iterator[str]:
    """An HTTP server that answers every GET with ``body`` (the case store's chain report)."""

    class Answer(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


async def _chain_report_of_a_store_with_one_broken_twin(data_dir: Path) -> bytes:
    app = create_app(make_settings(data_dir), start_runtime=False)
    store = app.state.runtime.app
    try:
        for municipality in ("0380", "1980"):
            for n in range(3):
                store.record_event("C-1", municipality, f"k{n}", NOW, "referrals", "se.x.v1", "cw", f"s{n}")
        with sqlite3.connect(data_dir / "case_store.sqlite") as connection:
            connection.execute(
                "DELETE FROM stored_events WHERE originator_id = ? AND originator_version = 3",
                (CaseTimeline.id_for("1980", "C-1").hex,),
            )
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://case-store") as client:
            response = await client.get("/api/v1/audit/verify", headers=bearer("0380", ("ops",)))
    finally:
        store.close()
    return response.content


async def test_verify_prints_the_broken_case_as_municipality_slash_case_id(tmp_path: Path, capsys) -> None:
    report = await _chain_report_of_a_store_with_one_broken_twin(tmp_path)
    with answering(report) as url:
        assert main(["verify", "--url", url]) == 1
    printed = capsys.readouterr().out.splitlines()
    assert [line for line in printed if "BROKEN" in line or "checked" in line] == [
        "BROKEN 1980/C-1: first broken link at position 2: entry missing or out of order",
        "2 timeline(s) checked, 1 broken",
    ]
