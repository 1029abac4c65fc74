"""The ops CLI says in one line which service it could not reach, or what it answered: no traceback."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from services.cli import main
from tests.support.broker import free_port


@pytest.fixture
def refusing_case_store() -> Iterator[str]:
    """Answers every request 401 with the kit's error body, as a case store does to a bad token."""

    class Refuse(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server protocol
            body = json.dumps({"error": {"code": "unauthorized", "message": "token expired", "details": []}}).encode()
            self.send_response(401)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Refuse)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.mark.parametrize("command", [["verify"], ["stats", "--from", "2026-01-01", "--to", "2026-06-30"]])
def test_a_case_store_that_is_not_running_is_named_with_exit_code_2(command: list[str], capsys) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    assert main([*command, "--url", url]) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"natverk {command[0]}: cannot reach {url}/api/v1/"), error
    assert "is the stack running" in error and "Traceback" not in error


@pytest.mark.parametrize("command", [["verify"], ["stats", "--from", "2026-01-01", "--to", "2026-06-30"]])
def test_a_refusal_from_the_case_store_is_quoted_with_exit_code_2(command: list[str], refusing_case_store: str,
                                                                  capsys) -> None:
    assert main([*command, "--url", refusing_case_store]) == 2
    error = capsys.readouterr().err
    assert f"{refusing_case_store}/api/v1/" in error and "answered 401: token expired" in error, error


def test_a_broker_that_is_not_running_is_named_with_exit_code_2(monkeypatch, capsys) -> None:
    monkeypatch.setenv("NATVERK_KAFKA_BOOTSTRAP", f"127.0.0.1:{free_port()}")
    assert main(["dlq", "list", "ext.placements.v1.dlq"]) == 2
    error = capsys.readouterr().err
    assert "natverk dlq: cannot reach the broker" in error and "is the stack running" in error, error
