"""How the ``natverk`` commands say, in one line, that a service or the broker did not answer."""

from __future__ import annotations

import httpx
from aiokafka.errors import KafkaConnectionError


def unreachable(error: Exception) -> str:
    """One line for an operator: which service did not answer, or what it answered."""
    if isinstance(error, KafkaConnectionError):
        return f"cannot reach the broker ({error}); is the stack running (make up)?"
    if isinstance(error, httpx.HTTPStatusError):
        response = error.response
        try:
            error_info = response.json()["error"]  # its details name fields and why, never a value
            said = "; ".join(f"{d['field']}: {d['message']}" for d in error_info.get("details") or [])
            detail = error_info["message"] + (f" ({said})" if said else "")
        except (ValueError, KeyError, TypeError, AttributeError):
            detail = response.reason_phrase
        return f"{response.request.url.copy_with(query=None)} answered {response.status_code}: {detail}"
    try:
        where = str(error.request.url.copy_with(query=None))  # type: ignore[attr-defined]
    except RuntimeError:  # no request attached
        where = "the service"
    return f"cannot reach {where} ({error or type(error).__name__}); is the stack running (make up)?"
