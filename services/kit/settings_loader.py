"""Settings read at start-up: a bad one stops the process with its variable's name, never its value."""

from __future__ import annotations

import re
import sys
from typing import TypeVar

from pydantic import ValidationError
from pydantic_settings import BaseSettings, SettingsError

from services.kit.settings import ENV_PREFIX

SettingsT = TypeVar("SettingsT", bound=BaseSettings)  # ServiceSettings, or the CLI's ClientSettings


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


def describe_unparsable(error: SettingsError, prefix: str = ENV_PREFIX) -> list[str]:
    """A list or mapping setting that is not JSON: pydantic-settings names the field, never the value."""
    field = re.search(r'field "(\w+)"', str(error))
    name = prefix + field.group(1).upper() if field else "a setting"
    return [f"{name}: is not valid JSON (a list or a mapping is written as JSON)"]


class StartupRefused(RuntimeError):
    """A service cannot start with its configuration; the message names the setting, never a value."""


def load_settings(cls: type[SettingsT], *, command: str | None = None, **overrides: object) -> SettingsT:
    """Read settings or stop the process with exit status 2 and a clear message (naming ``command``,
    a CLI command that starts no service, instead of saying "not starting")."""
    try:
        return cls(**overrides)
    except ValidationError as error:
        problems = describe_errors(error)
    except SettingsError as error:
        problems = describe_unparsable(error)
    who, what = (f"natverk {command}", "") if command else ("natverk", ", not starting")
    print(f"{who}: invalid configuration{what}:", file=sys.stderr)
    for line in problems:
        print(f"  {line}", file=sys.stderr)
    raise SystemExit(2) from None
