"""Configuration from environment variables with the one prefix ``NATVERK_``.

A wrong value stops start-up (``services.kit.settings_loader``), naming the variable and what is wrong,
never its value (it may be secret). Outside development mode (``NATVERK_DEV=1``) a service needs a key to
verify tokens with (``NATVERK_JWKS`` or a secret of its own) and the audience and issuer tokens must carry.
What a client of the services needs (addresses, the broker, signing a token) is ``ClientSettings``
(``services.kit.client_settings``), the base of ``ServiceSettings``: the ops CLI loads only that.
Kafka's security settings and the worklists' deadlines live in ``services.kit.kafka_settings`` and
``services.kit.deadline_settings``, the stores' cipher key and the case store's signing key in
``services.kit.key_settings``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError
from pydantic_settings import SettingsConfigDict

from services.kit.client_settings import (
    DEV_JWT_AUDIENCE,
    DEV_JWT_ISSUER,
    DEV_JWT_SECRET,
    ENV_PREFIX,
    ClientSettings,
)
from services.kit.deadline_settings import DeadlineSettings
from services.kit.jwks import is_url, read_key_file
from services.kit.key_settings import KeySettings

# The development defaults and the prefix are defined with ClientSettings; imported from here too.
__all__ = ["DEV_JWT_AUDIENCE", "DEV_JWT_ISSUER", "DEV_JWT_SECRET", "ENV_PREFIX", "ServiceSettings"]


class ServiceSettings(DeadlineSettings, KeySettings, ClientSettings):
    """Settings every service shares; a service subclass sets ``service_name``."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore", frozen=True)

    data_dir: Path = Path("var")
    database_url: str | None = Field(
        None, description="postgresql://user:password@host:port/db; unset means SQLite in data_dir"
    )
    jwks: str | None = Field(None, description="the identity provider's JWKS: an https:// URL or a file")
    jwt_require_audience_and_issuer: bool = True
    jwt_leeway_seconds: int = Field(60, ge=0, le=600)
    jwks_refresh_cooldown_seconds: int = Field(30, ge=0, le=3600, description="least time between refreshes")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    consumer_group_prefix: str = Field(
        "", max_length=50, pattern=r"^[A-Za-z0-9._-]*$", description="prefix of consumer-group ids"
    )
    # Four, as the local broker gives a topic any client asks for after a restart: whoever
    # re-creates a topic first, its shape is the same (docs/adr/0011).
    topic_partitions: int = Field(4, ge=1, le=64)
    relay_poll_interval_ms: int = Field(50, ge=5, le=60_000)
    lag_interval_ms: int = Field(5_000, ge=100, le=60_000, description="how often lag is measured")
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
    offer_hold_hours: int = Field(336, ge=1, le=2160)  # collaboration: an accepted offer holds a place
    audit_checkpoint_file: Path | None = None  # case store: where checkpoints go, outside the event store
    audit_checkpoint_interval_seconds: int = Field(3600, ge=10, le=7 * 24 * 3600)
    inbound_sources: dict[
        Annotated[str, Field(min_length=1, max_length=200)], list[Literal["0380", "1980", "2180"]]
    ] = Field(
        default_factory=dict,
        max_length=100,
        description="JSON: outside sources not of the shape urn:se:kommun:<code>:<system>, and the "
        "municipalities each may publish placement events for",
    )

    @field_validator("jwks", mode="before")
    @classmethod
    def _blank_jwks_is_unset(cls, value: Any) -> Any:
        return None if value == "" else value  # e.g. "${NATVERK_JWKS:-}" in a compose file

    @field_validator("jwks")
    @classmethod
    def _jwks_url_or_file(cls, value: str | None) -> str | None:
        if value is None or (is_url(value) and urlsplit(value).hostname):
            return value
        if "://" in value:
            raise ValueError("must be an https:// or http:// URL with a host, or the path of a JWKS file")
        read_key_file(Path(value))  # a ValueError names what is wrong with the file
        return value

    @model_validator(mode="after")
    def _tokens_verifiable(self) -> ServiceSettings:
        problems = [] if self.dev else _production_token_problems(self)
        if problems:
            raise PydanticCustomError("token_settings", "\n".join(problems))
        return self

    @field_validator("database_url")
    @classmethod
    def _postgres_only(cls, value: str | None) -> str | None:
        if value and not value.startswith(("postgresql://", "postgres://")):
            raise ValueError("must start with postgresql:// (leave unset for SQLite)")
        return value or None


def _production_token_problems(settings: ServiceSettings) -> list[str]:
    """What keeps a service outside development mode from verifying tokens as it must."""
    secret = settings.jwt_secret.get_secret_value() if settings.jwt_secret else None
    problems = []
    if secret == DEV_JWT_SECRET:
        problems.append(
            "NATVERK_JWT_SECRET: is the published development secret; set NATVERK_JWKS or a secret "
            "of your own (NATVERK_DEV=1 is for development only)"
        )
    elif secret is None and settings.jwks is None:
        problems.append(
            "NATVERK_JWKS: neither it nor NATVERK_JWT_SECRET is set, so no token can be verified "
            "(set it to the identity provider's JWKS URL; NATVERK_DEV=1 for development)"
        )
    if not settings.jwt_require_audience_and_issuer:
        problems.append("NATVERK_JWT_REQUIRE_AUDIENCE_AND_ISSUER: may be false only with NATVERK_DEV=1")
    required = (("AUDIENCE", settings.jwt_audience), ("ISSUER", settings.jwt_issuer))
    problems += [
        f"NATVERK_JWT_{name}: must be set: tokens must carry it" for name, v in required if v is None
    ]
    return problems
