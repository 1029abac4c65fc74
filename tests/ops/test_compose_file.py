"""docker-compose.yml cannot run here (no container engine): check what can be checked."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from services.kit.settings import ServiceSettings
from services.stack import available_services

ROOT = Path(__file__).resolve().parents[2]


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_runs_kafka_postgres_and_every_service() -> None:
    services = _compose()["services"]
    assert {"kafka", "postgres"} <= set(services)
    assert set(available_services()) <= set(services)


def test_each_service_gets_its_module_port_and_valid_settings() -> None:
    services = _compose()["services"]
    for name in available_services():
        service = services[name]
        assert service["build"]["args"]["SERVICE"] == name
        environment = service["environment"]
        port = int(environment[f"NATVERK_{name.upper()}_PORT"])
        assert service["ports"] == [f"{port}:{port}"]
        values = {
            k[len("NATVERK_") :].lower(): _deployed(v)
            for k, v in environment.items()
            if k.startswith("NATVERK_")
        }
        # outside development mode, as in production (the tests' own NATVERK_DEV=1 does not count)
        assert ServiceSettings(**values, dev=False).port_of(name) == port


DEPLOYED = {  # what an operator supplies for the compose file's required variables
    "NATVERK_JWKS": "https://idp.example.se/certs",
    "NATVERK_JWT_AUDIENCE": "natverk",
    "NATVERK_JWT_ISSUER": "https://idp.example.se",
    "NATVERK_JWT_SECRET": "x" * 32,
    "POSTGRES_PASSWORD": "pw",
}


def _deployed(value: str) -> str:
    """``${VAR:?message}`` and ``${VAR:-default}`` as compose resolves them at deploy time."""
    return re.sub(
        r"\$\{(\w+):([?-])([^}]*)\}",
        lambda m: DEPLOYED[m[1]] if m[2] == "?" else DEPLOYED.get(m[1], m[3]),
        value,
    )


def test_production_tokens_need_the_identity_provider_and_never_development_mode() -> None:
    environment = _compose()["x-service"]["environment"]
    required = ("NATVERK_JWKS", "NATVERK_JWT_AUDIENCE", "NATVERK_JWT_ISSUER", "NATVERK_JWT_SECRET")
    for variable in required:  # ${VAR:?message}: compose refuses to start without it
        assert environment[variable].startswith(f"${{{variable}:?"), variable
    config, texts = {}, [(ROOT / "docker-compose.yml").read_text(), (ROOT / "Dockerfile").read_text()]
    for path in (ROOT / "deploy" / "kubernetes").glob("*.yaml"):
        texts.append(path.read_text())
        for document in yaml.safe_load_all(texts[-1]):
            config |= document.get("data", {}) | document.get("stringData", {})
    assert set(required) <= set(config)
    for text in texts:
        assert not re.search(r"NATVERK_DEV\s*[:=]|name:\s*NATVERK_DEV\b", text)


def test_the_image_starts_the_module_named_by_its_build_argument() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "ARG SERVICE" in dockerfile and "python -m services.${SERVICE}" in dockerfile


def test_compose_runs_prometheus_with_the_repository_config_and_grafana_provisioned() -> None:
    services = _compose()["services"]
    assert "./deploy/prometheus:/etc/prometheus:ro" in services["prometheus"]["volumes"]
    mounts = services["grafana"]["volumes"]
    assert "./deploy/grafana/provisioning:/etc/grafana/provisioning:ro" in mounts
    assert "./deploy/grafana/dashboards:/var/lib/grafana/dashboards:ro" in mounts


def test_the_partner_listener_needs_sasl_and_denies_what_no_acl_allows() -> None:
    kafka = _compose()["services"]["kafka"]["environment"]
    assert "PARTNER:SASL_PLAINTEXT" in kafka["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"]
    assert kafka["KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND"] == "false"
    assert "StandardAuthorizer" in kafka["KAFKA_AUTHORIZER_CLASS_NAME"]
    for code in ("0380", "1980", "2180"):
        assert f"user_partner-{code}=" in kafka["KAFKA_LISTENER_NAME_PARTNER_PLAIN_SASL_JAAS_CONFIG"]


def test_each_partner_principal_may_read_only_its_own_topic(tmp_path: Path) -> None:
    calls = tmp_path / "calls"
    fake = tmp_path / "kafka-acls.sh"
    fake.write_text(f'#!/usr/bin/env bash\necho "$*" >> {calls}\n')
    fake.chmod(0o755)
    import os
    import subprocess

    subprocess.run(
        [str(ROOT / "deploy" / "kafka" / "partner-acls.sh"), "kafka:9092"],
        check=True,
        env={**os.environ, "KAFKA_ACLS": str(fake)},
    )
    grants: dict[str, set[str]] = {}
    for line in calls.read_text().splitlines():
        args = line.split()
        principal = args[args.index("--allow-principal") + 1]
        assert "--add" in args and "--deny-principal" not in args
        assert {a for i, a in enumerate(args) if args[i - 1] == "--operation"} <= {"Read", "Describe"}
        if "--topic" in args:
            grants.setdefault(principal, set()).add(args[args.index("--topic") + 1])
    assert grants == {f"User:partner-{c}": {f"partner.{c}.v1"} for c in ("0380", "1980", "2180")}


def test_kubernetes_runs_every_service_with_several_replicas_probes_and_its_own_port() -> None:
    documents = {}
    for path in (ROOT / "deploy" / "kubernetes").glob("*.yaml"):
        for document in yaml.safe_load_all(path.read_text()):
            documents[(document["kind"], document["metadata"]["name"])] = document
    for name in available_services():
        deployment = documents[("Deployment", name.replace("_", "-"))]
        assert deployment["spec"]["replicas"] >= 2
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        port = container["ports"][0]["containerPort"]
        env = {e["name"]: e["value"] for e in container["env"]}
        assert int(env[f"NATVERK_{name.upper()}_PORT"]) == port == ServiceSettings().port_of(name)
        assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
        assert ("Service", name.replace("_", "-")) in documents
