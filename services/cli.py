"""``natverk``: the command line for running and operating the stack."""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import time
from datetime import date

import httpx
from aiokafka.errors import KafkaConnectionError

from contracts.common import MUNICIPALITIES
from services.cli_audit import add_audit_commands
from services.cli_errors import unreachable
from services.cli_ops import _rebuild, _stats, add_operations
from services.kit.auth import KNOWN_ROLES
from services.kit.client_settings import ClientSettings
from services.kit.settings import ServiceSettings
from services.kit.settings_loader import load_settings
from services.kit.token_minting import mint_token
from services.ops.client import NoOpsToken
from services.stack import Stack, available_services


def _up(args: argparse.Namespace) -> int:
    unknown = sorted(set(args.services) - set(available_services()))
    if unknown:
        print(f"natverk up: unknown service(s) {unknown}; known: {available_services()}", file=sys.stderr)
        return 2
    settings = load_settings(ServiceSettings)
    stack = Stack(settings, args.services or available_services())
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        stack.start()
        print(f"broker      {settings.kafka_bootstrap}")
        for service in stack.services:
            print(f"{service:<15} {stack.url(service)}   (docs: {stack.url(service)}/docs)")
        print(f"logs and stores under {settings.data_dir}/ ; Ctrl-C stops everything", flush=True)
        while all(p.poll() is None for p in stack.processes.values()):
            time.sleep(0.5)
        exited = [name for name, process in stack.processes.items() if process.poll() is not None]
        print(f"{', '.join(exited)} exited (logs in {stack.log_dir}); stopping the stack", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    except RuntimeError as error:  # a port in use, a broker or service that would not start
        print(f"natverk up: {error}", file=sys.stderr)
        return 1
    finally:
        stack.stop()
        print("stopped", flush=True)


# A newcomer who forgot the README's `export NATVERK_DEV=1` is told so, not left to guess.
_WITHOUT_A_SECRET = (
    " (for development tokens against `make up`, export NATVERK_DEV=1; in production, tokens come from"
    " your identity provider)"
)


def _token(args: argparse.Namespace) -> int:
    settings = load_settings(ClientSettings, command="token")
    unknown = set(args.roles) - KNOWN_ROLES
    if unknown:
        print(
            f"natverk token: unknown roles {sorted(unknown)}; known: {sorted(KNOWN_ROLES)}", file=sys.stderr
        )
        return 2
    if problem := settings.signing_problem():  # without a secret, tokens come from the identity provider
        print(
            f"natverk token: {problem}{_WITHOUT_A_SECRET if settings.jwt_secret is None else ''}",
            file=sys.stderr,
        )
        return 2
    if not 0 < args.lifetime <= settings.jwt_max_lifetime_seconds:
        print(
            f"natverk token: --lifetime must be 1 to {settings.jwt_max_lifetime_seconds} seconds "
            "(NATVERK_JWT_MAX_LIFETIME_SECONDS)",
            file=sys.stderr,
        )
        return 2
    secret = settings.jwt_secret.get_secret_value()
    intended = {"audience": settings.jwt_audience, "issuer": settings.jwt_issuer}  # dev mode: the dev ones
    print(mint_token(secret, args.subject, args.municipality, args.roles, args.lifetime, **intended))
    return 0


def _demo(args: argparse.Namespace) -> int:
    from services.demo import run_demo

    settings = load_settings(ServiceSettings, command="demo")
    told = run_demo(settings, start_stack=args.start)
    print(json.dumps(told.timeline, indent=2, ensure_ascii=False) if args.json else told.story)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="natverk", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    up = commands.add_parser("up", help="start the broker and every service; Ctrl-C stops them")
    # (not argparse's choices: with nargs="*" it refuses the empty default on Python 3.11)
    up.add_argument(
        "services", nargs="*", help=f"only these services (default: all of {', '.join(available_services())})"
    )
    up.set_defaults(run=_up)

    token = commands.add_parser("token", help="mint a development bearer token (HS256, NATVERK_JWT_SECRET)")
    token.add_argument("--subject", default="dev-user")
    token.add_argument("--municipality", choices=["0380", "1980", "2180"], default="0380")
    token.add_argument("--roles", nargs="+", default=["case_worker"])
    token.add_argument("--lifetime", type=int, default=3600, help="seconds")
    token.set_defaults(run=_token)

    demo = commands.add_parser(
        "demo", help="play a realistic scenario against the stack and tell it as a story"
    )
    demo.add_argument("--start", action="store_true", help="start the stack if it is not running")
    demo.add_argument(
        "--json", action="store_true", help="print the case timeline as JSON instead of the story"
    )
    demo.set_defaults(run=_demo)

    add_operations(commands)

    add_audit_commands(commands)

    rebuild = commands.add_parser("rebuild", help="replay the topics into a fresh case store and verify it")
    rebuild.add_argument("--into", required=True, help="an empty directory for the rebuilt SQLite store")
    rebuild.add_argument(
        "--hand-over",
        action="store_true",
        help="then make the case store's consumer group carry on from where the rebuild stopped "
        "(the case store must be stopped; start it on the rebuilt store next)",
    )
    rebuild.set_defaults(run=_rebuild)

    stats = commands.add_parser("stats", help="placement statistics and the monthly follow-up reports")
    stats.add_argument(
        "--report",
        choices=["placements", "districts", "school-start", "parent-support"],
        default="placements",
        help="by municipality and type; by district (Stockholm table); SAMS; Stella",
    )
    stats.add_argument(
        "--from", dest="period_from", type=_iso_date, help="YYYY-MM-DD (placements, districts)"
    )
    stats.add_argument("--to", dest="period_to", type=_iso_date, help="YYYY-MM-DD (placements, districts)")
    stats.add_argument("--month", help="YYYY-MM (school-start, parent-support)")
    stats.add_argument(
        "--municipality",
        choices=MUNICIPALITIES,
        default="0380",
        help="whose monthly report (they name cases, so one municipality's at a time; a token from "
        "NATVERK_OPS_TOKEN is its own municipality's)",
    )
    stats.add_argument("--format", choices=["table", "csv", "json"], default="table")
    stats.add_argument("--url", help="the service (default: from NATVERK_ settings)")
    stats.set_defaults(run=_stats)
    return parser


def _iso_date(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-01-31") from None


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # A command reports a broker it cannot reach in one line of its own; aiokafka's log would add another.
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)
    try:
        return int(args.run(args))
    except (httpx.HTTPError, KafkaConnectionError) as error:
        print(f"natverk {args.command}: {unreachable(error)}", file=sys.stderr)
        return 2
    except NoOpsToken as error:
        print(f"natverk {args.command}: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
