"""deploy/kafka's set-up and broker entrypoint, run against fakes of the Kafka tools (no broker here)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from contracts.common import MUNICIPALITIES
from tests.ops.kafka_tools import KAFKA, fake_tool, run_script

PASSWORDS = {
    "BROKER_ADMIN_PASSWORD": "admin-secret-0123456789",
    **{f"PARTNER_{c}_PASSWORD": f"partner-secret-{c}-0123456789" for c in MUNICIPALITIES},
    **{f"CASE_SYSTEM_{c}_PASSWORD": f"case-system-secret-{c}-01234" for c in MUNICIPALITIES},
}


def _setup(tmp_path: Path, **overrides: str) -> tuple[subprocess.CompletedProcess[str], Path, Path]:
    configs, config_calls = fake_tool(tmp_path, "kafka-configs")
    acls, acl_calls = fake_tool(tmp_path, "kafka-acls")
    env = {**os.environ, **PASSWORDS, "KAFKA_CONFIGS": str(configs), "KAFKA_ACLS": str(acls), **overrides}
    run = run_script("setup.sh", env, "kafka:9092")
    return run, config_calls, acl_calls


def test_setup_gives_outside_parties_scram_credentials_then_grants_the_acls(tmp_path: Path) -> None:
    run, config_calls, acl_calls = _setup(tmp_path)
    assert run.returncode == 0, run.stderr
    credentials = {}
    for line in config_calls.read_text().splitlines():
        assert "--command-config" in line and "--alter" in line and "--entity-type users" in line
        principal = re.search(r"--entity-name (\S+)", line)[1]
        credentials[principal] = re.search(r"SCRAM-SHA-512=\[iterations=\d+,password=([^\]]+)\]", line)[1]
    assert credentials == {
        **{f"partner-{c}": PASSWORDS[f"PARTNER_{c}_PASSWORD"] for c in MUNICIPALITIES},
        **{f"case-system-{c}": PASSWORDS[f"CASE_SYSTEM_{c}_PASSWORD"] for c in MUNICIPALITIES},
    }
    acl_lines = acl_calls.read_text().splitlines()
    assert acl_lines and all("--command-config" in line for line in acl_lines)


@pytest.mark.parametrize("bad", ["", "short", "has,comma]and=more-0123456789"])
def test_setup_refuses_a_password_scram_would_misread_naming_only_the_variable(
    tmp_path: Path, bad: str
) -> None:
    run, config_calls, acl_calls = _setup(tmp_path, CASE_SYSTEM_1980_PASSWORD=bad)
    assert run.returncode == 2 and "CASE_SYSTEM_1980_PASSWORD" in run.stderr
    assert not bad or bad not in run.stderr
    assert not config_calls.exists() and not acl_calls.exists()  # all checked before any is set


def test_the_broker_knows_only_its_own_principals_by_password_and_outsiders_by_scram(
    tmp_path: Path,
) -> None:
    secrets, image_run = tmp_path / "secrets", tmp_path / "run"
    image_run.write_text(f'#!/usr/bin/env bash\necho "$KAFKA_OPTS" > {tmp_path}/opts\nenv > {tmp_path}/env\n')
    image_run.chmod(0o755)
    passwords = {
        "BROKER_ADMIN_PASSWORD": "admin-secret-0123456789",
        "BROKER_SERVICES_PASSWORD": "services-secret-0123456789",
        "BROKER_OPS_PASSWORD": "ops-secret-0123456789",
    }
    env = {**os.environ, **passwords, "BROKER_SECRETS_DIR": str(secrets), "KAFKA_RUN": str(image_run)}
    run = run_script("broker-start.sh", env)
    assert run.returncode == 0, run.stderr
    jaas = (secrets / "broker_jaas.conf").read_text()
    sections = dict(re.findall(r"(\w+)\.KafkaServer \{(.*?)\};\n", jaas, re.DOTALL))
    kafka = yaml.safe_load((KAFKA.parents[1] / "docker-compose.yml").read_text())["services"]["kafka"]
    listeners = {
        item.partition("://")[0].lower() for item in kafka["environment"]["KAFKA_LISTENERS"].split(",")
    }
    assert set(sections) == listeners == {"controller", "internal", "outside"}
    users = {name: set(re.findall(r"user_([\w-]+)=", body)) for name, body in sections.items()}
    assert users == {
        "controller": {"kafka-admin"},
        "internal": {"kafka-admin", "natverk-services", "natverk-ops"},
        "outside": set(),  # partners and case systems: SCRAM credentials in the cluster, not here
    }
    assert "ScramLoginModule" in sections["outside"] and "PlainLoginModule" not in sections["outside"]
    assert f'user_natverk-services="{passwords["BROKER_SERVICES_PASSWORD"]}"' in sections["internal"]
    assert (secrets / "broker_jaas.conf").stat().st_mode & 0o077 == 0
    assert 'username="kafka-admin"' in (secrets / "admin.properties").read_text()
    assert f"-Djava.security.auth.login.config={secrets}/broker_jaas.conf" in (tmp_path / "opts").read_text()
    started_with = (tmp_path / "env").read_text()
    assert not any(password in started_with for password in passwords.values())


def test_the_broker_refuses_to_start_with_a_weak_password_naming_the_variable(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "BROKER_ADMIN_PASSWORD": "admin-secret-0123456789",
        "BROKER_SERVICES_PASSWORD": 'quote"breaks-jaas-0123456789',
        "BROKER_OPS_PASSWORD": "ops-secret-0123456789",
        "BROKER_SECRETS_DIR": str(tmp_path / "secrets"),
        "KAFKA_RUN": "/bin/false",
    }
    run = run_script("broker-start.sh", env)
    assert run.returncode == 2 and "BROKER_SERVICES_PASSWORD" in run.stderr and "quote" not in run.stderr
    assert not (tmp_path / "secrets").exists()
