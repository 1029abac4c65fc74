"""``natverk``: the command line for running and operating the stack."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time

from services.kit.auth import KNOWN_ROLES, mint_token
from services.kit.settings import ServiceSettings, load_settings
from services.stack import Stack, available_services


def _up(args: argparse.Namespace) -> int:
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
        print("a process exited; stopping the stack", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stack.stop()
        print("stopped", flush=True)


def _token(args: argparse.Namespace) -> int:
    settings = load_settings(ServiceSettings)
    unknown = set(args.roles) - KNOWN_ROLES
    if unknown:
        print(f"natverk token: unknown roles {sorted(unknown)}; known: {sorted(KNOWN_ROLES)}", file=sys.stderr)
        return 2
    secret = settings.jwt_secret.get_secret_value()
    print(mint_token(secret, args.subject, args.municipality, args.roles, args.lifetime))
    return 0


def _demo(args: argparse.Namespace) -> int:
    from services.demo import run_demo

    settings = load_settings(ServiceSettings)
    timeline = run_demo(settings, start_stack=args.start)
    print(json.dumps(timeline, indent=2, ensure_ascii=False))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="natverk", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    up = commands.add_parser("up", help="start the broker and every service; Ctrl-C stops them")
    up.add_argument("services", nargs="*", help="only these services (default: all)")
    up.set_defaults(run=_up)

    token = commands.add_parser("token", help="mint a development bearer token")
    token.add_argument("--subject", default="dev-user")
    token.add_argument("--municipality", choices=["0380", "1980", "2180"], default="0380")
    token.add_argument("--roles", nargs="+", default=["case_worker"])
    token.add_argument("--lifetime", type=int, default=3600, help="seconds")
    token.set_defaults(run=_token)

    demo = commands.add_parser("demo", help="publish a realistic scenario and print the case timeline")
    demo.add_argument("--start", action="store_true", help="start the stack if it is not running")
    demo.set_defaults(run=_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
