"""How a service connects to Kafka as its own principal: the ``NATVERK_KAFKA_*`` security settings.

``PLAINTEXT`` (the default) is for the local broker.  Production connects with SASL
(``SASL_SSL``, or ``SASL_PLAINTEXT`` on a private network) as ``natverk-services``, whose ACLs
``deploy/kafka/acls.sh`` grants (docs/adr/0017).  Checked at start-up: SASL needs a user name
and a password, ``SASL_SSL`` a readable CA file, and credentials or a CA file that the chosen
protocol would ignore are refused rather than silently unused.  Messages name the variable and
never its value.
"""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_core import PydanticCustomError
from pydantic_settings import BaseSettings, SettingsConfigDict

SecurityProtocol = Literal["PLAINTEXT", "SASL_PLAINTEXT", "SASL_SSL"]
SaslMechanism = Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]
_OPTIONAL = ("kafka_sasl_username", "kafka_sasl_password", "kafka_ssl_cafile")


def ca_context(cafile: Path) -> ssl.SSLContext:
    """A client TLS context trusting the CA certificate(s) in ``cafile`` (PEM); host names checked."""
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=str(cafile))
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


class KafkaConnectionSettings(BaseSettings):
    """The security of the services' own Kafka connection (a base of ``ServiceSettings``)."""

    model_config = SettingsConfigDict(env_prefix="NATVERK_", extra="ignore", frozen=True)

    kafka_security_protocol: SecurityProtocol = Field(
        "PLAINTEXT", description="PLAINTEXT (local broker), SASL_PLAINTEXT or SASL_SSL"
    )
    kafka_sasl_mechanism: SaslMechanism = "SCRAM-SHA-512"
    kafka_sasl_username: str | None = Field(None, min_length=1, max_length=255)
    kafka_sasl_password: SecretStr | None = None
    kafka_ssl_cafile: Path | None = Field(
        None, description="PEM file of the CA that signed the broker's certificate (SASL_SSL)"
    )

    @field_validator(*_OPTIONAL, mode="before")
    @classmethod
    def _blank_is_unset(cls, value: Any) -> Any:
        # Empty means unset (e.g. "${NATVERK_KAFKA_SSL_CAFILE:-}" in a compose file).
        return None if value == "" else value

    @field_validator("kafka_ssl_cafile")
    @classmethod
    def _readable_ca_file(cls, value: Path | None) -> Path | None:
        if value is None:
            return value
        try:
            ca_context(value)
        except ssl.SSLError:
            raise ValueError("is not a PEM file of CA certificates") from None
        except OSError as error:
            raise ValueError(f"cannot be read ({type(error).__name__})") from None
        return value

    @model_validator(mode="after")
    def _connection_complete(self) -> KafkaConnectionSettings:
        problems = kafka_connection_problems(self)
        if problems:
            raise PydanticCustomError("kafka_connection", "\n".join(problems))
        return self


def kafka_connection_problems(settings: KafkaConnectionSettings) -> list[str]:
    """What keeps these settings from making one consistent connection (names only, no values)."""
    protocol = settings.kafka_security_protocol
    chosen = f"NATVERK_KAFKA_SECURITY_PROTOCOL is {protocol}"
    sasl = protocol.startswith("SASL_")
    given = {
        "NATVERK_KAFKA_SASL_USERNAME": settings.kafka_sasl_username is not None,
        "NATVERK_KAFKA_SASL_PASSWORD": bool(
            settings.kafka_sasl_password and settings.kafka_sasl_password.get_secret_value()
        ),
    }
    problems = []
    for name, present in given.items():
        if sasl and not present:
            problems.append(f"{name}: must be set when {chosen} (the services' own principal)")
        elif present and not sasl:
            problems.append(f"{name}: is set, but {chosen}; set it to SASL_SSL or SASL_PLAINTEXT")
    if protocol == "SASL_SSL" and settings.kafka_ssl_cafile is None:
        problems.append(
            f"NATVERK_KAFKA_SSL_CAFILE: must be set when {chosen} "
            "(the PEM file of the CA that signed the broker's certificate)"
        )
    elif protocol != "SASL_SSL" and settings.kafka_ssl_cafile is not None:
        problems.append(f"NATVERK_KAFKA_SSL_CAFILE: is set, but {chosen}; TLS is used only with SASL_SSL")
    return problems
