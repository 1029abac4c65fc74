"""Refusing oversized request bodies before they are read."""

from __future__ import annotations

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.kit.errors import error_body


class BodySizeLimit:
    """Refuse request bodies over ``limit`` bytes with 413, before reading them all.

    A declared ``Content-Length`` over the limit is refused at once.  A body without one
    (chunked) is counted as it arrives: past the limit the app is told the client has gone
    (an error raised instead would reach FastAPI's body parsing as a 400, wrapped by the
    middleware in between), and whatever it answers is replaced by the 413.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self.too_large(send)
            return
        await _CountedRequest(self, receive, send).run(scope)

    async def too_large(self, send: Send) -> None:
        response = JSONResponse(
            error_body("payload_too_large", f"request body exceeds {self.limit} bytes"), status_code=413
        )
        await response({"type": "http"}, _empty_receive, send)


class _CountedRequest:
    """One request whose body is counted; once over the limit, the answer is the 413."""

    def __init__(self, limit: BodySizeLimit, receive: Receive, send: Send) -> None:
        self._limit, self._receive, self._send = limit, receive, send
        self._received, self._over, self._started = 0, False, False

    async def run(self, scope: Scope) -> None:
        try:
            await self._limit.app(scope, self.receive, self.send)
        except Exception:
            if not self._over:
                raise
        if self._over and not self._started:
            await self._refuse()

    async def receive(self) -> Message:
        if self._over:
            return {"type": "http.disconnect"}
        message = await self._receive()
        self._received += len(message.get("body", b""))
        if self._received > self._limit.limit:
            self._over = True
            return {"type": "http.disconnect"}
        return message

    async def send(self, message: Message) -> None:
        if self._over:
            if not self._started:
                await self._refuse()
            return
        self._started = self._started or message["type"] == "http.response.start"
        await self._send(message)

    async def _refuse(self) -> None:
        self._started = True
        await self._limit.too_large(self._send)


async def _empty_receive() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}
