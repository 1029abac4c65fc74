"""How FastStream reads the tracking consumer's batches: bytes kept, unreadable headers read as empty."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any


async def headers_as_they_come(records: Any, parse: Callable[[Any], Awaitable[Any]]) -> Any:
    """FastStream's batch parser decodes every header value as UTF-8 text, and a partner's binary or
    null value makes it raise before any handler runs, on every redelivery: the partition would
    stall.  Headers are no part of the contract, so such values are parsed as empty; the records
    themselves (``raw_message``) keep them, for a dead letter to carry unchanged."""
    try:
        return await parse(records)
    except (UnicodeDecodeError, AttributeError):
        batch = records if isinstance(records, tuple) else (records,)
        message = await parse(tuple(replace(r, headers=_text_headers(r.headers)) for r in batch))
        message.raw_message = records
        return message


def _text_headers(headers: Any) -> list[tuple[str, bytes]]:
    def text(value: Any) -> bytes:
        if not isinstance(value, bytes):
            return b""
        try:
            value.decode("utf-8")
        except UnicodeDecodeError:
            return b""
        return value

    return [(name, text(value)) for name, value in headers or ()]


async def raw_body(message: Any) -> Any:
    # Keep the records' bytes as they are: FastStream must not try to decode them.
    return message.body
