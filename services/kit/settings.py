"""Configuration from environment variables with the one prefix ``NATVERK_``.

A wrong value stops the service at start-up with a message that names the
variable and what is wrong with it (never its value: it may be a secret).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ENV_PREFIX = "NATVERK_"
DEV_JWT_SECRET = "dev-only-secret-do-not-use-in-production-0123456789"


class ServiceSettings(BaseSettings):
    """Settings every service shares; a service subclass sets ``service_name``."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore", frozen=True)

    kafka_bootstrap: str = Field("127.0.0.1:9092", min_length=3)
    data_dir: Path = Path("var")
    database_url: str | None = Field(
        None, description="postgresql://user:password@host:port/db; unset means SQLite in data_dir"
    )
    cipher_key: SecretStr | None = Field(
        None, description="base64 AES key (eventsourcing's AESCipher) to encrypt stored events"
    )
    jwt_secret: SecretStr = SecretStr(DEV_JWT_SECRET)
    jwt_audience: str | None = None
    jwt_issuer: str | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    host: str = "127.0.0.1"
    referrals_port: int = Field(8001, ge=1, le=65535)
    scheduling_port: int = Field(8002, ge=1, le=65535)
    network_support_port: int = Field(8003, ge=1, le=65535)
    collaboration_port: int = Field(8004, ge=1, le=65535)
    case_store_port: int = Field(8005, ge=1, le=65535)
    consumer_group_prefix: str = Field(
        "", max_length=50, pattern=r"^[A-Za-z0-9._-]*$", description="prefix of consumer-group ids"
    )
    # Four, as the local broker gives a topic any client asks for after a restart: whoever
    # re-creates a topic first, its shape is the same (docs/adr/0011).
    topic_partitions: int = Field(4, ge=1, le=64)
    relay_poll_interval_ms: int = Field(50, ge=5, le=60_000)
    relay_batch_size: int = Field(500, ge=1, le=10_000)
    consumer_fetch_max_wait_ms: int = Field(
        20,
        ge=1,
        le=5_000,
        description="how long a fetch waits for data; the local broker always waits it out",
    )
    consumer_max_attempts: int = Field(3, ge=1, le=20)
    max_record_bytes: int = Field(
        4 * 1024 * 1024, ge=1024, le=100 * 1024 * 1024, description="largest record the services publish"
    )
    max_body_bytes: int = Field(1_000_000, ge=1_024, le=50_000_000)
    matching_request_lifetime_hours: int = Field(
        72, ge=1, le=24 * 90, description="collaboration: an unanswered matching request expires after this"
    )

    @field_validator("jwt_secret")
    @classmethod
    def _secret_long_enough(cls, value: SecretStr) -> SecretStr:
        if len(value.get_secret_value()) < 32:
            raise ValueError("must be at least 32 characters for HS256")
        return value

    @field_validator("database_url")
    @classmethod
    def _postgres_only(cls, value: str | None) -> str | None:
        if value and not value.startswith(("postgresql://", "postgres://")):
            raise ValueError("must start with postgresql:// (leave unset for SQLite)")
        return value or None

    @field_validator("kafka_bootstrap")
    @classmethod
    def _host_port_list(cls, value: str) -> str:
        for server in value.split(","):
            host, _, port = server.strip().rpartition(":")
            if not host or not port.isdigit():
                raise ValueError("must be host:port[,host:port...]")
        return value

    def port_of(self, service: str) -> int:
        return int(getattr(self, f"{service}_port"))


SettingsT = TypeVar("SettingsT", bound=ServiceSettings)


def describe_errors(error: ValidationError, prefix: str = ENV_PREFIX) -> list[str]:
    """One line per bad setting: the variable's name and the reason, never the value."""
    lines = []
    for item in error.errors(include_input=False, include_url=False):
        name = prefix + "_".join(str(part) for part in item["loc"]).upper()
        lines.append(f"{name}: {item['msg']}")
    return lines


def load_settings(cls: type[SettingsT], **overrides: object) -> SettingsT:
    """Read settings or stop the process with exit status 2 and a clear message."""
    try:
        return cls(**overrides)
    except ValidationError as error:
        print("natverk: invalid configuration, not starting:", file=sys.stderr)
        for line in describe_errors(error):
            print(f"  {line}", file=sys.stderr)
        raise SystemExit(2) from None
