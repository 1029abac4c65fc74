"""A stand-in HTTP service for the ops CLI's tests: answers GETs with pages of a real report."""

from __future__ import annotations

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
