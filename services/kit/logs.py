"""JSON logs with a correlation id, scrubbed of personal identity numbers.

Call sites never log personal data; the scrubber is a second line of
defence for anything that slips into a message or a field.
"""

from __future__ import annotations

import logging
import re
import sys
from typing import Any, TextIO

import structlog

# 12 digits (optionally YYYYMMDD-NNNN) or 10 digits (YYMMDD-NNNN): a personnummer's shapes.
_PIN_SHAPES = re.compile(r"(?<![0-9A-Za-z])(\d{8}[-+]?\d{4}|\d{6}[-+]\d{4}|\d{10})(?![0-9A-Za-z])")
REDACTED = "[redacted]"
# A calendar feed's URL holds its secret token (services.kit.path_tokens): any line naming one.
_FEED_TOKENS = re.compile(r"(?<=/feeds/)[^/\s\"'?#]+(?=\.ics)")


def scrub(text: str) -> str:
    return _FEED_TOKENS.sub(REDACTED, _PIN_SHAPES.sub(REDACTED, text))


def _scrub_values(_: Any, __: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    for key, value in list(event_dict.items()):
        if isinstance(value, str):
            event_dict[key] = scrub(value)
    return event_dict


def configure_logging(service: str, level: str = "INFO", stream: TextIO | None = None) -> None:
    """Route stdlib and structlog records through one JSON renderer on ``stream`` (stderr)."""
    shared = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
        _scrub_values,
    ]
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[structlog.stdlib.add_logger_name, *shared],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.JSONRenderer(ensure_ascii=False),
        ],
    )
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("aiokafka", "uvicorn.access"):
        logging.getLogger(noisy).setLevel("WARNING")
    # FastStream installs a colourised handler of its own at import: route it through ours.
    faststream_logger = logging.getLogger("faststream")
    faststream_logger.handlers.clear()
    faststream_logger.propagate = True
    structlog.contextvars.bind_contextvars(service=service)


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    return structlog.get_logger(name)


def bind_correlation_id(correlation_id: str) -> None:
    structlog.contextvars.bind_contextvars(correlation_id=correlation_id)
