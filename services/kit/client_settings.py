"""What a client of the services needs from the ``NATVERK_`` variables: where the services and the
broker are, how to connect to the broker, and how to sign a short-lived token.

The ops CLI's commands that call the services or the broker (``verify``, ``stats``, ``outbox``,
``dlq``, ``checkpoint``, ``export-*``, ``subject-access``, ``token``) load these and nothing more:
they verify no token, so they do not need the settings a service verifies tokens with
(``NATVERK_JWKS``, and the audience and issuer that ``ServiceSettings`` requires outside development
mode).  ``ServiceSettings`` is these plus what a service needs, so the two read every variable
alike.  A wrong value stops the command as it stops a service (``settings_loader``).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, SecretStr, TypeAdapter, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.kit.kafka_settings import KafkaConnectionSettings

ENV_PREFIX = "NATVERK_"
DEV_JWT_SECRET = "dev-only-secret-do-not-use-in-production-0123456789"
DEV_JWT_AUDIENCE = "natverk"
DEV_JWT_ISSUER = "natverk-dev"
_DEV_DEFAULTS = {"jwt_secret": DEV_JWT_SECRET, "jwt_audience": DEV_JWT_AUDIENCE, "jwt_issuer": DEV_JWT_ISSUER}


class ClientSettings(KafkaConnectionSettings, BaseSettings):
    """The services' and the broker's addresses and the token-signing settings; no verification."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore", frozen=True)

    kafka_bootstrap: str = Field("127.0.0.1:9092", min_length=3)
    dev: bool = Field(False, description="development mode: the development secret, audience and issuer")
    jwt_secret: SecretStr | None = Field(None, description="HS256 key; the development secret in dev mode")
    jwt_audience: str | None = None
    jwt_issuer: str | None = None
    jwt_max_lifetime_seconds: int = Field(12 * 3600, ge=60, le=7 * 24 * 3600)
    host: str = "127.0.0.1"
    referrals_port: int = Field(8001, ge=1, le=65535)
    scheduling_port: int = Field(8002, ge=1, le=65535)
    network_support_port: int = Field(8003, ge=1, le=65535)
    collaboration_port: int = Field(8004, ge=1, le=65535)
    case_store_port: int = Field(8005, ge=1, le=65535)

    @model_validator(mode="before")
    @classmethod
    def _development_defaults(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        # Empty means unset (e.g. "${NATVERK_JWT_AUDIENCE:-}" in a compose file).
        data = {k: v for k, v in data.items() if k not in _DEV_DEFAULTS or (v is not None and v != "")}
        try:
            dev = TypeAdapter(bool).validate_python(data.get("dev", False))
        except ValidationError:
            return data  # the field's own validation names NATVERK_DEV
        return {**_DEV_DEFAULTS, **data} if dev else data

    @field_validator("jwt_secret")
    @classmethod
    def _secret_long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 32:
            raise ValueError("must be at least 32 characters for HS256")
        return value

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

    def signing_problem(self) -> str | None:
        """Why no token signed here would be accepted (checked only when one is to be signed), or None.

        Outside development mode every service requires ``aud`` and ``iss``, so a secret alone signs
        tokens that are refused."""
        if self.jwt_secret is None:
            return "NATVERK_JWT_SECRET is not set"
        if not self.dev and (self.jwt_audience is None or self.jwt_issuer is None):
            return "NATVERK_JWT_AUDIENCE and NATVERK_JWT_ISSUER must be set for the tokens NATVERK_JWT_SECRET signs"
        return None
