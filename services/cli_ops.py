"""The ``natverk`` sub-commands that operate a running stack: dlq, verify, rebuild, stats, outbox,
subject-access."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from services.cli_dlq import add_dead_letter_commands
from services.kit.client_settings import ClientSettings
from services.kit.settings import ServiceSettings
from services.kit.settings_loader import load_settings
from services.stack import available_services


def _rebuild(args: argparse.Namespace) -> int:
    from pathlib import Path

    from services import ops

    # The case store's own settings: it opens a store as the case store does (its cipher key, its
    # checkpoint file and signing key, its consumer group), on the host configured as the case store.
    settings = load_settings(ServiceSettings, command="rebuild")
    target = Path(args.into)
    if target.exists() and any(target.iterdir()):
        print(f"natverk rebuild: {target} is not empty; rebuild into a fresh directory", file=sys.stderr)
        return 2
    fresh = settings.model_copy(update={"data_dir": target, "database_url": None})
    checkpoints = _live_checkpoints(settings)
    try:
        result = asyncio.run(
            ops.rebuild_case_store(fresh, hand_over_positions=args.hand_over, checkpoints=checkpoints)
        )
    except ops.GroupStillActive as active:
        print(f"natverk rebuild: rebuilt in {target}, but not handed over: {active}", file=sys.stderr)
        return 2
    print(json.dumps(result))
    return 1 if result["broken"] else 0


def _live_checkpoints(settings: ServiceSettings) -> object:
    """The live case store's checkpoint file, checked with its key (ADR 0019)."""
    from services.case_store.checkpoints import CheckpointFile
    from services.case_store.signing import CheckpointSigner

    return CheckpointFile.from_settings(settings).standing(CheckpointSigner.from_settings(settings).keys)


def _stats(args: argparse.Namespace) -> int:
    from services import ops
    from services.ops.reports import MONTHLY, fetch_report, render_report

    monthly = args.report in MONTHLY
    if (monthly and not args.month) or (not monthly and not (args.period_from and args.period_to)):
        wanted = "--month" if monthly else "--from and --to"
        print(f"natverk stats --report {args.report}: say {wanted}", file=sys.stderr)
        return 2
    settings = load_settings(ClientSettings, command="stats")
    if args.report == "placements":
        report = ops.fetch_statistics(settings, args.period_from, args.period_to, args.url)
        print(ops.render_statistics(report, args.format))
        return 0
    period = {"month": args.month} if monthly else {"from": args.period_from, "to": args.period_to}
    text = fetch_report(settings, args.report, period, args.format, args.url, args.municipality)
    print(render_report(args.report, text, args.format, period))
    return 0


def _outbox(args: argparse.Namespace) -> int:
    from services.ops import outbox

    settings = load_settings(ClientSettings, command="outbox")
    if args.action == "list":
        records = outbox.parked(settings, args.service, args.url)
        print(outbox.describe(records) if records else f"{args.service}: nothing parked")
        return 1 if records else 0
    if args.notification is None:
        print(f"natverk outbox {args.action}: name --notification", file=sys.stderr)
        return 2
    if args.action == "show":
        chosen = outbox.parked_one(settings, args.service, args.notification, args.url)
        print(
            json.dumps(chosen, indent=2)
            if chosen is not None
            else f"{args.service}: no parked record {args.notification}"
        )
        return 0 if chosen is not None else 2
    released = outbox.release(settings, args.service, args.notification, args.url)
    print(f"{args.service}: released notification {released['notification_id']} (published again)")
    return 0


def _subject_access(args: argparse.Namespace) -> int:
    from pathlib import Path

    from services.ops import subject_access as access

    settings = load_settings(ClientSettings, command="subject-access")
    out = Path(args.out)
    try:
        pin = access.read_pin(Path(args.pin_file))
        access.check_out(out, pin)
        bundle = access.gather(settings, pin, access.registrar_headers(settings, args.municipality))
        written = access.write_bundle(bundle, out, pin)
    except access.SubjectAccessRefused as refused:
        print(f"natverk subject-access: {refused}", file=sys.stderr)
        return 2
    if bundle["marking"]:
        print(f"{bundle['marking']}: handle every page accordingly")
    for case_id in bundle["check_before_release"]:  # found only by a number its latest record replaced
        print(f"check case {case_id} before release: its latest record names another child")
    print(f"{len(bundle['case_ids'])} case(s), parts from {', '.join(bundle['parts'])}")
    print("\n".join(str(path) for path in written))
    return 0


def add_operations(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The sub-commands for operating a running stack."""
    add_dead_letter_commands(commands)

    outbox = commands.add_parser(
        "outbox", help="records a service's relay parked (list exits 1 when any); show or release one"
    )
    outbox.add_argument("action", choices=["list", "show", "release"])
    outbox.add_argument("--service", required=True, choices=available_services())
    outbox.add_argument("--notification", type=int, help="show/release: the parked notification id")
    outbox.add_argument("--url", help="the service (default: from NATVERK_ settings)")
    outbox.set_defaults(run=_outbox)

    access = commands.add_parser(
        "subject-access", help="a child's registerutdrag (GDPR art. 15) from every service, as JSON and HTML"
    )
    access.add_argument(
        "--pin-file", required=True, help="a file holding the child's personal identity number"
    )
    access.add_argument("--out", required=True, help="the directory for bundle.json and index.html")
    access.add_argument(
        "--municipality",
        choices=["0380", "1980", "2180"],
        default="0380",
        help="the registrar's municipality (development tokens; NATVERK_REGISTRAR_TOKEN names its own)",
    )
    access.set_defaults(run=_subject_access)
