"""Generate the committed JSON Schemas and the AsyncAPI document from the models.

``python -m contracts.generate [--check]`` writes ``contracts/schemas/*.json``
and ``contracts/asyncapi.json``; with ``--check`` it writes nothing and exits
1 if any committed file differs (the test suite runs this check).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from contracts.envelope import CloudEvent
from contracts.registry import EVENT_TYPES, TOPIC_SPECS

CONTRACTS_DIR = Path(__file__).resolve().parents[2]
SCHEMA_DIR = CONTRACTS_DIR / "schemas"
ASYNCAPI_PATH = CONTRACTS_DIR / "asyncapi.json"


def event_schema(event_type: str) -> dict[str, Any]:
    """The whole record value: the CloudEvent envelope with this type's ``data``."""
    envelope = CloudEvent.model_json_schema()
    data = EVENT_TYPES[event_type].model_json_schema(ref_template="#/$defs/{model}")
    definitions = {**envelope.pop("$defs", {}), **data.pop("$defs", {})}
    envelope["properties"]["type"] = {"const": event_type, "title": "Type", "type": "string"}
    envelope["properties"]["data"] = data
    envelope["title"] = event_type
    envelope["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    envelope["$id"] = f"https://natverk.example/schemas/{event_type}.json"
    if definitions:
        envelope["$defs"] = definitions
    return envelope


def asyncapi_document() -> dict[str, Any]:
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for topic in TOPIC_SPECS:
        channel_id = topic.name.replace(".", "_")
        channel_messages = {}
        for event_type in topic.event_types:
            message_id = event_type.replace(".", "_")
            messages[message_id] = {
                "name": event_type,
                "contentType": "application/cloudevents+json",
                "payload": {"$ref": f"schemas/{event_type}.json"},
            }
            channel_messages[message_id] = {"$ref": f"#/components/messages/{message_id}"}
        channels[channel_id] = {
            "address": topic.name,
            "description": f"{topic.description} Published by: {topic.publisher}. Record key: case id.",
            "messages": channel_messages,
        }
        operations[f"publish_{channel_id}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{channel_id}"},
        }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "natverk events",
            "version": "1.0.0",
            "description": "CloudEvents 1.0 (structured JSON mode) on Kafka; record key = case id (UTF-8).",
        },
        "defaultContentType": "application/cloudevents+json",
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages},
    }


def rendered_files() -> dict[Path, str]:
    files = {
        SCHEMA_DIR / f"{event_type}.json": _render(event_schema(event_type)) for event_type in EVENT_TYPES
    }
    files[SCHEMA_DIR / "cloudevent.json"] = _render(CloudEvent.model_json_schema())
    files[ASYNCAPI_PATH] = _render(asyncapi_document())
    return files


def _render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def differences() -> list[str]:
    """Files that are missing, stale, or no longer generated."""
    expected = rendered_files()
    stale = [str(p) for p, text in expected.items() if not p.exists() or p.read_text("utf-8") != text]
    extra = [str(p) for p in SCHEMA_DIR.glob("*.json") if p not in expected]
    return stale + extra


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 on any difference")
    args = parser.parse_args(argv)
    if args.check:
        changed = differences()
        for path in changed:
            print(f"out of date: {path}", file=sys.stderr)
        return 1 if changed else 0
    SCHEMA_DIR.mkdir(parents=True, exist_ok=True)
    for path in SCHEMA_DIR.glob("*.json"):
        path.unlink()
    for path, text in rendered_files().items():
        path.write_text(text, "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
