"""Stand-in HTTP services for the ops CLI's tests: one answering GETs with pages of a real report,
one refusing every request with the kit's error body."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@contextmanager
def answering(
    pages: dict[str, bytes],
    asked: list[tuple[str, dict[str, str]]] | None = None,
    authorizations: list[str] | None = None,
) -> Iterator[str]:
    """Serve each GET with the page its ``cursor`` names (``""``: none given); each request's path
    and query go into ``asked``, its Authorization header into ``authorizations``.  Yields the
    base URL."""

    class Answer(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = {name: values[0] for name, values in parse_qs(url.query).items()}
            (asked if asked is not None else []).append((url.path, query))
            (authorizations if authorizations is not None else []).append(self.headers["Authorization"])
            answer = pages[query.get("cursor", "")]
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


@contextmanager
def refusing(status: int, code: str, message: str, authorizations: list[str] | None = None) -> Iterator[str]:
    """Answer every GET and POST ``status`` with the kit's error body (``code``, ``message``), as a
    service does to a bad token (401) or when it cannot store an access record (503); each
    request's Authorization header goes into ``authorizations``.  Yields the base URL."""
    body = json.dumps({"error": {"code": code, "message": message, "details": []}}).encode()

    class Refuse(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            (authorizations if authorizations is not None else []).append(
                self.headers.get("Authorization", "")
            )
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_GET

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Refuse)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
