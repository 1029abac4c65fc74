"""The command path's own request headers, checked before a body is read: the key and the why."""

from __future__ import annotations

import re

from contracts.pin import contains_personal_identity_number
from services.kit.errors import ApiError

DEFAULT_PURPOSE = "case work"
_KEY_SHAPE = re.compile(r"^[\x21-\x7e]{1,200}$")
PURPOSE_MAX = 200


def checked_idempotency_key(header: str | None) -> str | None:
    """``Idempotency-Key`` as sent, or absent; anything but 1-200 visible ASCII characters is refused."""
    if header is not None and not _KEY_SHAPE.fullmatch(header):
        raise ApiError(
            400, "invalid_idempotency_key", "Idempotency-Key must be 1-200 visible ASCII characters"
        )
    return header


def access_purpose(header: str) -> str:
    """The header's own text: Starlette reads header bytes as latin-1, clients send UTF-8.  Control
    characters (C0, DEL, C1) and other unprintable ones could forge lines or escapes in the log."""
    refused = ApiError(
        400, "invalid_access_purpose", f"X-Access-Purpose must be 1-{PURPOSE_MAX} printable UTF-8 characters"
    )
    try:
        purpose = header.encode("latin-1").decode("utf-8")
    except UnicodeError:
        raise refused from None
    if not 1 <= len(purpose) <= PURPOSE_MAX or not purpose.isprintable():
        raise refused
    if contains_personal_identity_number(purpose):
        # The purpose is stored with every event of the request and published in its access records.
        raise ApiError(
            400, "invalid_access_purpose", "X-Access-Purpose must not hold a personal identity number"
        )
    return purpose
