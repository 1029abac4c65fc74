"""Prometheus configuration and alert rules, checked and unit-tested by promtool (Debian's prometheus package)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "prometheus"


def promtool(*args: str) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("promtool")
    assert binary, "promtool is missing: `make setup` installs Debian's prometheus package"
    return subprocess.run(
        [binary, *args], cwd=DEPLOY, capture_output=True, text=True, timeout=120, check=False
    )


def test_the_prometheus_config_and_every_rule_file_are_valid() -> None:
    result = promtool("check", "config", "prometheus.yml")
    assert result.returncode == 0, result.stdout + result.stderr
    rule_files = sorted(str(p.relative_to(DEPLOY)) for p in (DEPLOY / "rules").glob("*.yml"))
    assert {
        "rules/platform.yml",
        "rules/scheduling.yml",
        "rules/network_support.yml",
        "rules/collaboration.yml",
    } <= set(rule_files)
    checked = promtool("check", "rules", *rule_files)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_alert_rule_unit_tests_pass() -> None:
    tests = sorted(str(p.relative_to(DEPLOY)) for p in (DEPLOY / "tests").glob("*.yml"))
    assert tests, "no promtool rule tests found"
    result = promtool("test", "rules", *tests)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("SUCCESS") == len(tests)


def test_every_rule_file_is_covered_by_a_rule_test() -> None:
    covered = "".join(
        (DEPLOY / "tests" / name).read_text() for name in ("platform_test.yml", "business_test.yml")
    )
    for rules in (DEPLOY / "rules").glob("*.yml"):
        assert f"../rules/{rules.name}" in covered, f"{rules.name} has no promtool test"
