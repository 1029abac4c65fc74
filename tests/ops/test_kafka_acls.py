"""deploy/kafka/acls.sh, run against a fake kafka-acls.sh that records its calls (no broker here)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import NamedTuple

from contracts.common import MUNICIPALITIES
from contracts.topics import (
    ALL_TOPICS,
    AUDIT_CHECKPOINTS,
    DLQ_SUFFIX,
    PARTNER_TOPICS,
    PLACEMENTS,
    PLACEMENTS_DLQ,
    SERVICE_TOPICS,
)
from services.stack import available_services
from tests.ops.kafka_tools import KAFKA, fake_tool, run_script

SERVICES_GROUP_PREFIX = "natverk-"  # docker-compose.yml's NATVERK_CONSUMER_GROUP_PREFIX


class Grant(NamedTuple):
    operation: str
    kind: str  # topic or group
    name: str
    pattern: str  # literal or prefixed


def _grants(tmp_path: Path) -> dict[str, set[Grant]]:
    fake, calls = fake_tool(tmp_path, "kafka-acls")
    env = {**os.environ, "KAFKA_ACLS": str(fake), "SERVICES_GROUP_PREFIX": SERVICES_GROUP_PREFIX}
    subprocess.run([str(KAFKA / "acls.sh"), "kafka:9092"], check=True, env=env)
    grants: dict[str, set[Grant]] = {}
    for line in calls.read_text().splitlines():
        args = line.split()
        value = {flag: args[i + 1] for i, flag in enumerate(args[:-1]) if flag.startswith("--")}
        assert "--add" in args and "--deny-principal" not in args and "--cluster" not in args, line
        assert value["--bootstrap-server"] == "kafka:9092"
        kind = "topic" if "--topic" in value else "group"
        name = value["--topic"] if kind == "topic" else value["--group"]
        operations = [a for i, a in enumerate(args) if args[i - 1] == "--operation"]
        assert operations and "All" not in operations and "*" not in name, line
        principal = value["--allow-principal"].removeprefix("User:")
        grants.setdefault(principal, set()).update(
            Grant(op, kind, name, value["--resource-pattern-type"]) for op in operations
        )
    return grants


def _may(grants: set[Grant], operation: str, kind: str, name: str) -> bool:
    """Kafka's rule: a literal grant names the resource, a prefixed one starts it; Read and
    Write imply Describe."""
    implied = {operation} | ({"Read", "Write"} if operation == "Describe" else set())
    return any(
        g.operation in implied
        and g.kind == kind
        and (g.name == name if g.pattern == "literal" else name.startswith(g.name))
        for g in grants
    )


def test_each_principal_gets_exactly_its_grants(tmp_path: Path) -> None:
    grants = _grants(tmp_path)
    partners = {f"partner-{c}" for c in MUNICIPALITIES}
    case_systems = {f"case-system-{c}" for c in MUNICIPALITIES}
    assert set(grants) == partners | case_systems | {"natverk-services", "natverk-ops"}
    for code in MUNICIPALITIES:
        assert grants[f"partner-{code}"] == {
            Grant("Read", "topic", f"partner.{code}.v1", "literal"),
            Grant("Describe", "topic", f"partner.{code}.v1", "literal"),
            Grant("Read", "group", f"partner-{code}-", "prefixed"),
        }
        assert grants[f"case-system-{code}"] == {
            Grant("Write", "topic", PLACEMENTS, "literal"),
            Grant("Describe", "topic", PLACEMENTS, "literal"),
        }


def test_partners_read_only_their_topic_and_case_systems_only_write_placements(tmp_path: Path) -> None:
    grants = _grants(tmp_path)
    topics = [*ALL_TOPICS, AUDIT_CHECKPOINTS, "some.topic.v1"]
    for code in MUNICIPALITIES:
        partner, case_system = grants[f"partner-{code}"], grants[f"case-system-{code}"]
        for topic in topics:
            assert _may(partner, "Read", "topic", topic) == (topic == f"partner.{code}.v1"), topic
            assert _may(case_system, "Write", "topic", topic) == (topic == PLACEMENTS), topic
            for operation in ("Write", "Create", "Delete", "Alter"):
                assert not _may(partner, operation, "topic", topic)
            for operation in ("Read", "Create", "Delete", "Alter"):
                assert not _may(case_system, operation, "topic", topic)
        assert not any(g.kind == "group" for g in case_system)
        for group in (f"{SERVICES_GROUP_PREFIX}case_store", "partner-0380-", f"partner-{code}-x"):
            assert _may(partner, "Read", "group", group) == group.startswith(f"partner-{code}-")


def test_the_services_get_what_they_need_and_no_more(tmp_path: Path) -> None:
    services = _grants(tmp_path)["natverk-services"]
    natverk = [*SERVICE_TOPICS, AUDIT_CHECKPOINTS, *(t + DLQ_SUFFIX for t in SERVICE_TOPICS)]
    for topic in [*natverk, PLACEMENTS]:
        assert _may(services, "Read", "topic", topic), topic
    for topic in [*natverk, PLACEMENTS_DLQ, *PARTNER_TOPICS]:
        assert _may(services, "Write", "topic", topic), topic
    for topic in [*ALL_TOPICS, AUDIT_CHECKPOINTS]:  # ensure_topics creates what is missing
        assert _may(services, "Create", "topic", topic) and _may(services, "Describe", "topic", topic)
    assert not _may(services, "Write", "topic", PLACEMENTS)  # only case systems publish placements
    assert not any(_may(services, "Read", "topic", t) for t in [*PARTNER_TOPICS, PLACEMENTS_DLQ])
    assert not any(_may(services, op, "topic", "ext.other.v1") for op in ("Read", "Write", "Create"))
    for service in available_services():
        assert _may(services, "Read", "group", SERVICES_GROUP_PREFIX + service)
    assert not _may(services, "Read", "group", "partner-0380-reader")
    assert not _may(services, "Read", "group", "rebuild-0123abcd-case_store")  # rebuild joins no group
    assert {g.operation for g in services} <= {"Read", "Write", "Describe", "Create"}


def test_ops_may_read_dead_letters_and_redrive_them_only(tmp_path: Path) -> None:
    ops = _grants(tmp_path)["natverk-ops"]
    dead_letter_topics = [t for t in ALL_TOPICS if t.endswith(DLQ_SUFFIX)]
    assert PLACEMENTS_DLQ in dead_letter_topics and len(dead_letter_topics) == 1 + len(SERVICE_TOPICS)
    originals = {t.removesuffix(DLQ_SUFFIX) for t in dead_letter_topics}  # where a re-drive writes
    for topic in [*ALL_TOPICS, AUDIT_CHECKPOINTS]:
        assert _may(ops, "Read", "topic", topic) == (topic in dead_letter_topics), topic
        assert _may(ops, "Write", "topic", topic) == (topic in originals), topic
    assert not any(g.kind == "group" or g.operation == "Create" for g in ops)


def test_the_acl_script_refuses_a_group_prefix_that_would_cover_others(tmp_path: Path) -> None:
    fake, calls = fake_tool(tmp_path, "kafka-acls")
    for prefix in ("partner-", "partner-x", "natverk *"):
        env = {**os.environ, "KAFKA_ACLS": str(fake), "SERVICES_GROUP_PREFIX": prefix}
        run = run_script("acls.sh", env, "kafka:9092")
        assert run.returncode == 2 and "SERVICES_GROUP_PREFIX" in run.stderr
    assert not calls.exists()
