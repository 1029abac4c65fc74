"""The services' own Kafka connection: NATVERK_KAFKA_* settings, FastStream security, aiokafka kwargs."""

from __future__ import annotations

import contextlib
import datetime as dt
import ssl
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from faststream.security import SASLPlaintext, SASLScram256, SASLScram512

from services.kit.kafka_clients import InvalidKafkaConnection as Invalid
from services.kit.kafka_clients import broker_security, client_kwargs, connection_from_environment
from services.kit.kafka_settings import KafkaConnectionSettings
from services.kit.settings import ServiceSettings
from services.kit.settings_loader import load_settings

PASSWORD = "kafka-password-never-to-be-printed-42"
BROKER_HOST = "kafka.natverk.test"
# A good SASL_SSL connection as NATVERK_KAFKA_* variables ({ca}: the CA file)
SASL_SSL = {
    "SECURITY_PROTOCOL": "SASL_SSL",
    "SASL_USERNAME": "u",
    "SASL_PASSWORD": PASSWORD,
    "SSL_CAFILE": "{ca}",
}


def _certificate(
    subject: str, key: ec.EllipticCurvePrivateKey, issuer: tuple[str, ec.EllipticCurvePrivateKey] | None
) -> x509.Certificate:
    issuer_name, signer = issuer or (subject, key)
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer_name)]))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=issuer is None, path_length=None), critical=True)
    )
    if issuer is not None:  # the broker's: for its host name
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(subject)]), critical=False)
    return builder.sign(signer, hashes.SHA256())


@pytest.fixture
def tls(tmp_path: Path) -> dict[str, Path]:
    """A CA (its certificate is what NATVERK_KAFKA_SSL_CAFILE names) and a broker certificate it signed."""
    ca_key, broker_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    paths = {name: tmp_path / f"{name}.pem" for name in ("ca", "broker", "broker_key")}
    paths["ca"].write_bytes(_certificate("test CA", ca_key, None).public_bytes(serialization.Encoding.PEM))
    broker = _certificate(BROKER_HOST, broker_key, ("test CA", ca_key))
    paths["broker"].write_bytes(broker.public_bytes(serialization.Encoding.PEM))
    pem, pkcs8 = serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8
    paths["broker_key"].write_bytes(broker_key.private_bytes(pem, pkcs8, serialization.NoEncryption()))
    return paths


def _sasl_ssl(cafile: Path, mechanism: str = "SCRAM-SHA-512") -> KafkaConnectionSettings:
    values = {f"kafka_{name.lower()}": value.format(ca=cafile) for name, value in SASL_SSL.items()}
    return KafkaConnectionSettings(**values, kafka_sasl_mechanism=mechanism)


def _handshake(client: ssl.SSLContext, tls: dict[str, Path], host: str) -> None:
    """A TLS handshake in memory between ``client`` and a server with the broker's certificate."""
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(tls["broker"], tls["broker_key"])
    c_in, c_out, s_in, s_out = ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO()
    client_side = client.wrap_bio(c_in, c_out, server_hostname=host)
    server_side = server.wrap_bio(s_in, s_out, server_side=True)
    for _ in range(10):
        for side in (client_side, server_side):
            with contextlib.suppress(ssl.SSLWantReadError):
                side.do_handshake()
        s_in.write(c_out.read())
        c_in.write(s_out.read())
    client_side.do_handshake()  # raises if the handshake did not complete


def test_plaintext_is_the_default_and_adds_no_security() -> None:
    settings = KafkaConnectionSettings()
    assert settings.kafka_security_protocol == "PLAINTEXT"
    assert client_kwargs("kafka:9092", settings) == {"bootstrap_servers": "kafka:9092"}
    assert broker_security(settings) is None


def test_sasl_ssl_gives_mechanism_user_password_and_a_context_trusting_the_ca_file(
    tls: dict[str, Path],
) -> None:
    kwargs = client_kwargs("kafka:9093", _sasl_ssl(tls["ca"]))
    context = kwargs.pop("ssl_context")
    assert kwargs == {
        "bootstrap_servers": "kafka:9093",
        "security_protocol": "SASL_SSL",
        "sasl_mechanism": "SCRAM-SHA-512",
        "sasl_plain_username": "u",
        "sasl_plain_password": PASSWORD,
    }
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    _handshake(context, tls, BROKER_HOST)
    with pytest.raises(ssl.SSLCertVerificationError):  # the name must match the certificate
        _handshake(client_kwargs("x:1", _sasl_ssl(tls["ca"]))["ssl_context"], tls, "elsewhere.test")
    with pytest.raises(ssl.SSLCertVerificationError):  # the system's CAs alone do not do
        _handshake(ssl.create_default_context(), tls, BROKER_HOST)


@pytest.mark.parametrize(
    ("mechanism", "kind"),
    [("PLAIN", SASLPlaintext), ("SCRAM-SHA-256", SASLScram256), ("SCRAM-SHA-512", SASLScram512)],
)
def test_the_broker_gets_the_same_connection_as_faststream_security(
    tls: dict[str, Path], mechanism: str, kind: type
) -> None:
    security = broker_security(_sasl_ssl(tls["ca"], mechanism))
    assert type(security) is kind and security.use_ssl
    assert (security.username, security.password) == ("u", PASSWORD)
    _handshake(security.ssl_context, tls, BROKER_HOST)


def test_sasl_plaintext_has_no_tls() -> None:
    plain = {"security_protocol": "SASL_PLAINTEXT", "sasl_mechanism": "PLAIN", "sasl_username": "u"}
    settings = KafkaConnectionSettings(**{f"kafka_{k}": v for k, v in plain.items()}, kafka_sasl_password="p")
    kwargs = client_kwargs("kafka:9092", settings)
    assert "ssl_context" not in kwargs and kwargs["security_protocol"] == "SASL_PLAINTEXT"
    security = broker_security(settings)
    assert isinstance(security, SASLPlaintext) and not security.use_ssl and security.ssl_context is None


def test_without_settings_the_clients_read_the_environment(
    monkeypatch: pytest.MonkeyPatch, tls: dict[str, Path]
) -> None:
    assert client_kwargs("kafka:9092") == {"bootstrap_servers": "kafka:9092"}
    for name, value in SASL_SSL.items():
        monkeypatch.setenv(f"NATVERK_KAFKA_{name}", value.format(ca=tls["ca"]))
    kwargs = client_kwargs("kafka:9093")
    assert kwargs["sasl_plain_username"] == "u" and isinstance(kwargs["ssl_context"], ssl.SSLContext)
    monkeypatch.delenv("NATVERK_KAFKA_SSL_CAFILE")
    with pytest.raises(Invalid) as refused:
        connection_from_environment()
    assert "NATVERK_KAFKA_SSL_CAFILE" in str(refused.value) and PASSWORD not in str(refused.value)


@pytest.mark.parametrize(
    ("changes", "named"),  # changes to a good SASL_SSL connection (None: unset), the variable named
    [
        ({"SASL_USERNAME": None}, "SASL_USERNAME"),
        ({"SECURITY_PROTOCOL": "SASL_PLAINTEXT", "SASL_PASSWORD": None, "SSL_CAFILE": None}, "SASL_PASSWORD"),
        ({"SSL_CAFILE": None}, "SSL_CAFILE"),
        ({"SECURITY_PROTOCOL": None, "SASL_USERNAME": None, "SSL_CAFILE": None}, "SASL_PASSWORD"),
        ({"SECURITY_PROTOCOL": "SASL_PLAINTEXT"}, "SSL_CAFILE"),  # TLS it would not use
        ({"SECURITY_PROTOCOL": "SSL"}, "SECURITY_PROTOCOL"),
        ({"SASL_MECHANISM": "GSSAPI"}, "SASL_MECHANISM"),
        ({"SSL_CAFILE": "{missing}"}, "SSL_CAFILE"),
        ({"SSL_CAFILE": "{key}"}, "SSL_CAFILE"),  # a key, not a certificate
    ],
)
def test_a_bad_connection_stops_start_up_naming_the_variable_never_the_password(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tls: dict[str, Path],
    changes: dict[str, str | None],
    named: str,
) -> None:
    monkeypatch.setenv("NATVERK_DEV", "1")
    paths = {"ca": tls["ca"], "key": tls["broker_key"], "missing": tls["ca"].with_name("absent.pem")}
    for name, value in (SASL_SSL | changes).items():
        if value is not None:
            monkeypatch.setenv(f"NATVERK_KAFKA_{name}", value.format(**paths))
    with pytest.raises(SystemExit) as stopped:
        load_settings(ServiceSettings)
    assert stopped.value.code == 2
    message = capsys.readouterr().err
    assert f"NATVERK_KAFKA_{named}:" in message and PASSWORD not in message


def test_a_service_connects_with_sasl_ssl_when_everything_is_given(
    monkeypatch: pytest.MonkeyPatch, tls: dict[str, Path]
) -> None:
    monkeypatch.setenv("NATVERK_DEV", "1")
    monkeypatch.setenv("NATVERK_KAFKA_SASL_USERNAME", "")  # blank is unset (a compose "${VAR:-}")
    assert load_settings(ServiceSettings).kafka_sasl_username is None
    for name, value in SASL_SSL.items():
        monkeypatch.setenv(f"NATVERK_KAFKA_{name}", value.format(ca=tls["ca"]))
    settings = load_settings(ServiceSettings)
    assert PASSWORD not in repr(settings) and PASSWORD not in str(settings.model_dump())
    security = broker_security(settings)
    assert isinstance(security, SASLScram512) and security.password == PASSWORD
    assert settings.kafka_sasl_username == "u"
