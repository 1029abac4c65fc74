"""Every Kafka client the services and the ops CLI make connects the same way.

``broker_security`` gives FastStream's ``KafkaBroker`` its ``security=``; ``client_kwargs`` gives
the raw aiokafka clients (end-offsets reader, topic admin, dead-letter reader and re-driver)
the same connection as keyword arguments.  Without explicit settings both read the
``NATVERK_KAFKA_*`` environment, as the ops CLI's commands are configured.
"""

from __future__ import annotations

import ssl
from typing import Any

from faststream.security import BaseSecurity, SASLPlaintext, SASLScram256, SASLScram512
from pydantic import ValidationError

from services.kit.kafka_settings import KafkaConnectionSettings, ca_context
from services.kit.settings_loader import describe_errors

_SASL = {"PLAIN": SASLPlaintext, "SCRAM-SHA-256": SASLScram256, "SCRAM-SHA-512": SASLScram512}


class InvalidKafkaConnection(ValueError):
    """The NATVERK_KAFKA_* settings do not make a connection (the message names them, no values)."""


def connection_from_environment() -> KafkaConnectionSettings:
    try:
        return KafkaConnectionSettings()
    except ValidationError as error:  # its own text would repeat the values, password included
        raise InvalidKafkaConnection("; ".join(describe_errors(error))) from None


def _resolved(connection: KafkaConnectionSettings | None) -> KafkaConnectionSettings:
    return connection if connection is not None else connection_from_environment()


def broker_security(connection: KafkaConnectionSettings | None = None) -> BaseSecurity | None:
    """FastStream's ``security=`` for the connection; None for PLAINTEXT."""
    connection = _resolved(connection)
    if connection.kafka_security_protocol == "PLAINTEXT":
        return None
    username, password = _credentials(connection)
    return _SASL[connection.kafka_sasl_mechanism](
        username=username, password=password, ssl_context=_tls(connection), use_ssl=_uses_tls(connection)
    )


def client_kwargs(bootstrap: str, connection: KafkaConnectionSettings | None = None) -> dict[str, Any]:
    """aiokafka keyword arguments: the bootstrap servers and, unless PLAINTEXT, the SASL/TLS ones."""
    connection = _resolved(connection)
    kwargs: dict[str, Any] = {"bootstrap_servers": bootstrap}
    if connection.kafka_security_protocol == "PLAINTEXT":
        return kwargs
    username, password = _credentials(connection)
    kwargs |= {
        "security_protocol": connection.kafka_security_protocol,
        "sasl_mechanism": connection.kafka_sasl_mechanism,
        "sasl_plain_username": username,
        "sasl_plain_password": password,
    }
    if _uses_tls(connection):
        kwargs["ssl_context"] = _tls(connection)
    return kwargs


def _credentials(connection: KafkaConnectionSettings) -> tuple[str, str]:
    username, password = connection.kafka_sasl_username, connection.kafka_sasl_password
    if username is None or password is None:  # the settings refuse this; a copy could bypass them
        raise InvalidKafkaConnection(
            "NATVERK_KAFKA_SASL_USERNAME and NATVERK_KAFKA_SASL_PASSWORD: must be set"
        )
    return username, password.get_secret_value()


def _uses_tls(connection: KafkaConnectionSettings) -> bool:
    return connection.kafka_security_protocol == "SASL_SSL"


def _tls(connection: KafkaConnectionSettings) -> ssl.SSLContext | None:
    if not _uses_tls(connection):
        return None
    if connection.kafka_ssl_cafile is None:
        raise InvalidKafkaConnection("NATVERK_KAFKA_SSL_CAFILE: must be set with SASL_SSL")
    return ca_context(connection.kafka_ssl_cafile)
