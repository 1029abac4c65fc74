"""``natverk dlq``: list, show and re-drive the records of a dead-letter topic.

``list`` and ``redrive`` talk to the broker only.  ``show`` prints records that carry case data,
so it first has the case store log who reads which case and why (ops's token and purpose, as
every ops command's reads), and prints nothing if that cannot be done (ADR 0004 addendum).
"""

from __future__ import annotations

import argparse
import asyncio
import sys

import httpx

from services import ops
from services.cli_errors import unreachable
from services.kit.client_settings import ClientSettings
from services.kit.settings_loader import load_settings
from services.ops.client import ops_headers
from services.ops.dead_letter_reads import cases_named, log_reads

NOT_SHOWN = "(not shown: it names no case, by municipality and case id, that its read could be logged under)"


def _dlq(args: argparse.Namespace) -> int:
    settings = load_settings(ClientSettings, command="dlq")  # verifies no token: needs no JWKS, aud, iss
    headers = ops_headers(settings) if args.action == "show" else {}  # no token: say so before reading
    try:
        letters = asyncio.run(
            ops.read_dead_letters(settings.kafka_bootstrap, args.topic, args.limit, settings)
        )
    except ValueError as error:
        print(f"natverk dlq: {error}", file=sys.stderr)
        return 2
    if args.action == "list":
        print(ops.describe(letters) if letters else f"{args.topic} is empty")
        return 0
    chosen = [d for d in letters if args.offsets is None or d.offset in args.offsets]
    if args.partition is not None:
        chosen = [d for d in chosen if d.partition == args.partition]
    missing = set(args.offsets or ()) - {d.offset for d in chosen}
    if args.action == "redrive" and args.partition is None and len({d.partition for d in chosen}) > 1:
        # An offset is a place in one partition: offset 0 is in each of them.
        print(
            f"natverk dlq redrive: those offsets are in more than one partition of {args.topic}; "
            "name the partition with --partition",
            file=sys.stderr,
        )
        return 2
    if missing:
        print(f"natverk dlq: no record at offset(s) {sorted(missing)} in {args.topic}", file=sys.stderr)
        return 2
    if args.action == "show":
        return _show(settings, chosen, headers, args.url)
    if args.offsets is None and not args.all:
        print("natverk dlq redrive: name --offsets or say --all", file=sys.stderr)
        return 2
    count = asyncio.run(ops.redrive(settings.kafka_bootstrap, chosen, settings))
    print(f"re-drove {count} record(s) from {args.topic}")
    return 0


def _show(
    settings: ClientSettings, letters: list[ops.DeadLetter], headers: dict[str, str], url: str | None
) -> int:
    """Each letter, once the reads of the cases they name are logged; exit 1 if one names none."""
    named = [(letter, cases_named(letter)) for letter in letters]
    try:
        log_reads(settings, [case for _, cases in named for case in cases], headers, url)
    except httpx.HTTPError as error:
        print(
            f"natverk dlq show: nothing shown, as its read could not be logged: {unreachable(error)}",
            file=sys.stderr,
        )
        return 2
    for letter, cases in named:
        print(f"--- partition {letter.partition} offset {letter.offset}: {letter.error}")
        print(ops.show(letter) if cases else NOT_SHOWN)
    return 0 if all(cases for _, cases in named) else 1


def add_dead_letter_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    dlq = commands.add_parser(
        "dlq", help="inspect and re-drive a dead-letter topic (show logs its read in the case store)"
    )
    dlq.add_argument("action", choices=["list", "show", "redrive"])
    dlq.add_argument("topic", help="the dead-letter topic, e.g. ext.placements.v1.dlq")
    dlq.add_argument("--offsets", type=int, nargs="+", help="only these offsets")
    dlq.add_argument("--partition", type=int, help="only this partition")
    dlq.add_argument("--all", action="store_true", help="redrive: every record in the topic")
    dlq.add_argument("--limit", type=int, default=1000)
    dlq.add_argument(
        "--url", help="show: the case store that logs the read (default: from NATVERK_ settings)"
    )
    dlq.set_defaults(run=_dlq)
