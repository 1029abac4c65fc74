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
        # A file in the container (a compose secret): checked by the test below, not readable here.
        values.pop("audit_signing_key_file", None)
        # outside development mode, as in production (the tests' own NATVERK_DEV=1 does not count)
        assert ServiceSettings(**values, dev=False).port_of(name) == port


DEPLOYED = {  # what an operator supplies for the compose file's required variables
    "NATVERK_JWKS": "https://idp.example.se/certs",
    "NATVERK_JWT_AUDIENCE": "natverk",
    "NATVERK_JWT_ISSUER": "https://idp.example.se",
    "NATVERK_JWT_SECRET": "x" * 32,
    "POSTGRES_PASSWORD": "pw",
    "KAFKA_SERVICES_PASSWORD": "services-password-0123456789",
}


def _deployed(value: str) -> str:
    """``${VAR:?message}`` and ``${VAR:-default}`` as compose resolves them at deploy time."""
    return re.sub(
        r"\$\{(\w+):([?-])([^}]*)\}",
        lambda m: DEPLOYED[m[1]] if m[2] == "?" else DEPLOYED.get(m[1], m[3]),
        value,
    )


def test_the_case_store_signs_with_a_key_from_a_secret_and_keeps_its_checkpoints_on_a_volume() -> None:
    compose = _compose()
    case_store = compose["services"]["case_store"]
    assert case_store["secrets"] == ["audit_signing_key"]
    assert case_store["environment"]["NATVERK_AUDIT_SIGNING_KEY_FILE"] == "/run/secrets/audit_signing_key"
    assert compose["secrets"]["audit_signing_key"]["file"].startswith("${NATVERK_AUDIT_SIGNING_KEY_PATH:?")
    assert "audit-checkpoints:/data" in case_store["volumes"]  # the image's data folder
    documents = list(yaml.safe_load_all((ROOT / "deploy" / "kubernetes" / "case-store.yaml").read_text()))
    [deployment] = [d for d in documents if d["kind"] == "Deployment"]
    pod = deployment["spec"]["template"]["spec"]
    env = {e["name"]: e["value"] for e in pod["containers"][0]["env"]}
    mounts = {m["name"]: m["mountPath"] for m in pod["containers"][0]["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    assert Path(env["NATVERK_AUDIT_SIGNING_KEY_FILE"]).parent == Path(mounts["audit-signing-key"])
    assert volumes["audit-signing-key"]["secret"]["secretName"] == "natverk-audit-signing-key"
    assert Path(env["NATVERK_AUDIT_CHECKPOINT_FILE"]).parent == Path(mounts["audit-checkpoints"])
    claim = volumes["audit-checkpoints"]["persistentVolumeClaim"]["claimName"]
    [pvc] = [d for d in documents if d["kind"] == "PersistentVolumeClaim"]
    assert pvc["metadata"]["name"] == claim and pvc["spec"]["accessModes"] == ["ReadWriteMany"]


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


def _kafka() -> dict[str, str]:
    return {k: str(v) for k, v in _compose()["services"]["kafka"]["environment"].items()}


def _listeners(kafka: dict[str, str]) -> dict[str, tuple[int, str]]:
    """Listener name -> (port, security protocol)."""
    protocols = dict(item.split(":") for item in kafka["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"].split(","))
    listeners = {}
    for listener in kafka["KAFKA_LISTENERS"].split(","):
        name, _, address = listener.partition("://")
        listeners[name] = (int(address.rpartition(":")[2]), protocols[name])
    return listeners


def test_every_listener_authenticates_and_every_outside_one_is_sasl_ssl() -> None:
    compose = _compose()["services"]
    kafka = _kafka()
    listeners = _listeners(kafka)
    assert all(protocol.startswith("SASL_") for _, protocol in listeners.values()), listeners
    published = {int(port.split(":")[-1]) for port in compose["kafka"]["ports"]}
    advertised = dict(item.split("://") for item in kafka["KAFKA_ADVERTISED_LISTENERS"].split(","))
    outside = {name for name, address in advertised.items() if not address.startswith("kafka:")}
    outside |= {name for name, (port, _) in listeners.items() if port in published}
    assert outside == {"OUTSIDE"}
    for name in outside:
        assert listeners[name][1] == "SASL_SSL"
        assert kafka[f"KAFKA_LISTENER_NAME_{name}_SASL_ENABLED_MECHANISMS"] == "SCRAM-SHA-512"
        assert kafka[f"KAFKA_LISTENER_NAME_{name}_SSL_KEYSTORE_LOCATION"].startswith("/etc/kafka/tls/")
    assert "./deploy/kafka/tls:/etc/kafka/tls:ro" in compose["kafka"]["volumes"]
    assert {advertised["INTERNAL"]} == {"kafka:9092"} and "CONTROLLER" not in advertised


def test_no_anonymous_super_user_and_what_no_acl_allows_is_denied() -> None:
    kafka = _kafka()
    assert kafka["KAFKA_SUPER_USERS"] == "User:kafka-admin"
    services = _compose()["services"].values()
    assert not any("ANONYMOUS" in str(v) for s in services for v in (s.get("environment") or {}).values())
    assert kafka["KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND"] == "false"
    assert kafka["KAFKA_AUTHORIZER_CLASS_NAME"].endswith("StandardAuthorizer")
    assert kafka["KAFKA_INTER_BROKER_LISTENER_NAME"] == "INTERNAL"
    assert kafka["KAFKA_SASL_MECHANISM_CONTROLLER_PROTOCOL"] == "PLAIN"


def test_every_kafka_password_is_a_required_compose_variable() -> None:
    services = _compose()["services"]
    values = [
        str(value)
        for name in ("kafka", "kafka-setup", *available_services())
        for key, value in services[name]["environment"].items()
        if "PASSWORD" in key and key != "NATVERK_DATABASE_URL"
    ]
    assert len(values) >= 13  # admin, services, ops, TLS keystore, 3 partners, 3 case systems...
    for value in values:
        assert re.fullmatch(r"\$\{\w+:\?[^}]+\}", value), value
    setup = services["kafka-setup"]["environment"]
    for code in ("0380", "1980", "2180"):
        assert {f"PARTNER_{code}_PASSWORD", f"CASE_SYSTEM_{code}_PASSWORD"} <= set(setup)


def test_the_services_connect_as_their_own_principal_after_the_acls() -> None:
    compose = _compose()
    environment = compose["x-service"]["environment"]
    values = {k[len("NATVERK_") :].lower(): _deployed(str(v)) for k, v in environment.items()}
    settings = ServiceSettings(**values, dev=False)
    assert settings.kafka_security_protocol.startswith("SASL_")
    assert settings.kafka_sasl_username == "natverk-services"
    setup = compose["services"]["kafka-setup"]
    assert settings.consumer_group_prefix == setup["environment"]["SERVICES_GROUP_PREFIX"]
    assert setup["entrypoint"] == ["/deploy/setup.sh", "kafka:9092"]
    assert compose["x-service"]["depends_on"]["kafka-setup"] == {
        "condition": "service_completed_successfully"
    }
    assert compose["services"]["kafka"]["entrypoint"] == ["/deploy/broker-start.sh"]


def test_kubernetes_connects_with_sasl_ssl_and_mounts_the_ca_file() -> None:
    config: dict[str, str] = {}
    deployments = []
    for path in (ROOT / "deploy" / "kubernetes").glob("*.yaml"):
        for document in yaml.safe_load_all(path.read_text()):
            config |= document.get("data", {}) | document.get("stringData", {})
            deployments += [document] if document["kind"] == "Deployment" else []
    assert config["NATVERK_KAFKA_SECURITY_PROTOCOL"] == "SASL_SSL"
    assert config["NATVERK_KAFKA_SASL_USERNAME"] == "natverk-services"
    assert "NATVERK_KAFKA_SASL_PASSWORD" in config and config["NATVERK_CONSUMER_GROUP_PREFIX"] == "natverk-"
    ca_folder = str(Path(config["NATVERK_KAFKA_SSL_CAFILE"]).parent)
    assert len(deployments) == len(available_services())
    for deployment in deployments:
        pod = deployment["spec"]["template"]["spec"]
        mounts = {m["mountPath"]: m["name"] for m in pod["containers"][0]["volumeMounts"]}
        volume = next(v for v in pod["volumes"] if v["name"] == mounts[ca_folder])
        assert volume["configMap"]["name"] == "natverk-kafka-ca"


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
