"""The ``natverk`` sub-commands of the audit trail: verify, checkpoint, export-checkpoint, export-timeline.

``natverk verify`` asks the running case store (every chain against the latest checkpoint) or,
given ``--checkpoint`` and ``--public-key``, checks exported files with no service at all.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import httpx

from contracts.common import MUNICIPALITIES
from services.kit.client_settings import ClientSettings
from services.kit.settings_loader import load_settings

AUDITOR = "the auditor's municipality (development tokens; NATVERK_AUDITOR_TOKEN names its own)"


def _verify(args: argparse.Namespace) -> int:
    from services import ops
    from services.ops.access_chains import verify_access_chains

    if args.checkpoint or args.public_key or args.timeline:
        return _verify_offline(args)
    settings = load_settings(ClientSettings, command="verify")
    report = ops.fetch_chain_report(settings, args.url)
    print("\n".join(ops.describe_chain_report(report)))
    # Each service's access chains too (ADR 0020); given --url, only that case store is checked.
    access_broken = args.url is None and verify_access_chains(settings)
    return 1 if ops.anything_wrong(report) or access_broken else 0


def _verify_offline(args: argparse.Namespace) -> int:
    from services.ops.offline_verify import CannotRead, verify_offline

    if not (args.checkpoint and args.public_key):
        print("natverk verify: --checkpoint and --public-key go together", file=sys.stderr)
        return 2
    timeline = Path(args.timeline) if args.timeline else None
    try:
        problems = verify_offline(Path(args.checkpoint), Path(args.public_key), timeline)
    except CannotRead as error:
        print(f"natverk verify: {error}", file=sys.stderr)
        return 2
    for line in problems:
        print(line)
    if not problems:
        print(
            "checkpoint signature and chain heads verify"
            + (", and the timeline with them" if timeline else "")
        )
    return 1 if problems else 0


def _case_store(args: argparse.Namespace) -> tuple[str, dict[str, str]]:
    """The case store's address, and ops's token, or an auditor's of ``--municipality``."""
    from services.ops import client

    settings = load_settings(ClientSettings, command=args.command)
    municipality = getattr(args, "municipality", None)
    headers = client.auditor_headers(settings, municipality) if municipality else client.ops_headers(settings)
    return args.url or client.case_store_url(settings), headers


def _checkpoint(args: argparse.Namespace) -> int:
    url, headers = _case_store(args)
    response = httpx.post(f"{url}/api/v1/audit/checkpoints", headers=headers, timeout=120)
    if response.status_code != 201:
        print(f"natverk checkpoint: {response.json()['error']['message']}", file=sys.stderr)
        return 1
    print(json.dumps(response.json()["summary"]))
    return 0


def _export_checkpoint(args: argparse.Namespace) -> int:
    """The latest checkpoint (a case's heads, with their proofs) and the public key it was signed with
    (the current key, or a retired one after a rotation: ADR 0030)."""
    url, headers = _case_store(args)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    latest = f"{url}/api/v1/audit/checkpoints/latest"
    checkpoint = httpx.get(latest, params={"case_id": args.case_id}, headers=headers, timeout=60)
    key = httpx.get(f"{url}/api/v1/audit/public-key", headers=headers, timeout=60)
    for response in (checkpoint, key):
        response.raise_for_status()
    (out / "checkpoint.json").write_text(json.dumps(checkpoint.json(), indent=1), encoding="utf-8")
    signed_with = checkpoint.json()["summary"]["key_id"]
    keys = {k["key_id"]: k["public_key_pem"] for k in (key.json(), *key.json()["retired"])}
    (out / "public-key.pem").write_text(keys.get(signed_with, key.json()["public_key_pem"]), encoding="utf-8")
    print(f"{out / 'checkpoint.json'}\n{out / 'public-key.pem'}")
    return 0


def _export_timeline(args: argparse.Namespace) -> int:
    from services.ops.client import every_page

    url, headers = _case_store(args)
    items: list[dict[str, object]] = []
    municipality = None
    for page in every_page(f"{url}/api/v1/cases/{args.case_id}/timeline", headers):
        items += page["items"]
        municipality = page["municipality"]
    timeline = {"case_id": args.case_id, "municipality": municipality, "items": items}
    Path(args.out).write_text(json.dumps(timeline, indent=1), encoding="utf-8")
    print(f"{len(items)} entries of {municipality}/{args.case_id} to {args.out}")
    return 0


def add_audit_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    verify = commands.add_parser(
        "verify",
        help="check every audit chain against the latest signed checkpoint (exit 1 if anything is wrong); "
        "with --checkpoint and --public-key, check exported files offline",
    )
    verify.add_argument("--url", help="the case store (default: from NATVERK_ settings)")
    verify.add_argument("--checkpoint", help="offline: a checkpoint file (natverk export-checkpoint)")
    verify.add_argument("--public-key", help="offline: the case store's public key (PEM)")
    verify.add_argument(
        "--timeline", help="offline: a timeline file (natverk export-timeline) to hold against it"
    )
    verify.set_defaults(run=_verify)

    checkpoint = commands.add_parser("checkpoint", help="sign a checkpoint of every audit chain now")
    checkpoint.add_argument("--url", help="the case store (default: from NATVERK_ settings)")
    checkpoint.set_defaults(run=_checkpoint)

    export = commands.add_parser(
        "export-checkpoint",
        help="the latest checkpoint with a case's chain heads, and the public key, to a folder",
    )
    export.add_argument("case_id", help="the case whose chain heads (and their proofs) to take along")
    export.add_argument("--out", required=True, help="the folder for checkpoint.json and public-key.pem")
    export.add_argument("--url", help="the case store (default: from NATVERK_ settings)")
    export.add_argument("--municipality", choices=MUNICIPALITIES, default="0380", help=AUDITOR)
    export.set_defaults(run=_export_checkpoint)

    timeline = commands.add_parser("export-timeline", help="every entry of a case's timeline, to a file")
    timeline.add_argument("case_id")
    timeline.add_argument("--out", required=True, help="the file to write")
    timeline.add_argument("--url", help="the case store (default: from NATVERK_ settings)")
    timeline.add_argument("--municipality", choices=MUNICIPALITIES, default="0380", help=AUDITOR)
    timeline.set_defaults(run=_export_timeline)
