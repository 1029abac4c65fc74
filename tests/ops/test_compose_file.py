"""docker-compose.yml cannot run here (no container engine): check what can be checked."""

from __future__ import annotations

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
        values = {k[len("NATVERK_"):].lower(): v for k, v in environment.items() if k.startswith("NATVERK_")}
        values["jwt_secret"] = "x" * 32  # supplied at deploy time
        values["database_url"] = values["database_url"].replace("${POSTGRES_PASSWORD:-natverk-dev}", "pw")
        assert ServiceSettings(**values).port_of(name) == port


def test_the_image_starts_the_module_named_by_its_build_argument() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "ARG SERVICE" in dockerfile and "python -m services.${SERVICE}" in dockerfile
