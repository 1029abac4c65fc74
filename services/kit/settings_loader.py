"""Settings read at start-up: a bad one stops the process with its variable's name, never its value."""

from __future__ import annotations

import sys
from typing import TypeVar

from pydantic import ValidationError

from services.kit.settings import ENV_PREFIX, ServiceSettings

SettingsT = TypeVar("SettingsT", bound=ServiceSettings)


def describe_errors(error: ValidationError, prefix: str = ENV_PREFIX) -> list[str]:
    """One line per bad setting: the variable's name and the reason, never the value."""
    lines = []
    for item in error.errors(include_input=False, include_url=False):
        if not item["loc"]:  # a check of several settings: its message names them
            lines += item["msg"].splitlines()
            continue
        name = prefix + "_".join(str(part) for part in item["loc"]).upper()
        lines.append(f"{name}: {item['msg']}")
    return lines


class StartupRefused(RuntimeError):
    """A service cannot start with its configuration; the message names the setting, never a value."""


def load_settings(cls: type[SettingsT], *, command: str | None = None, **overrides: object) -> SettingsT:
    """Read settings or stop the process with exit status 2 and a clear message (naming ``command``,
    a CLI command that starts no service, instead of saying "not starting")."""
    try:
        return cls(**overrides)
    except ValidationError as error:
        who, what = (f"natverk {command}", "") if command else ("natverk", ", not starting")
        print(f"{who}: invalid configuration{what}:", file=sys.stderr)
        for line in describe_errors(error):
            print(f"  {line}", file=sys.stderr)
        raise SystemExit(2) from None
