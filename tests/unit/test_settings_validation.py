from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat
from eventsourcing.cipher import AESCipher
from jwt.algorithms import ECAlgorithm

from services.cli import main
from services.kit.settings import DEV_JWT_SECRET, ServiceSettings
from services.kit.settings_loader import load_settings


def test_defaults_describe_a_local_stack() -> None:
    settings = ServiceSettings()
    assert settings.kafka_bootstrap == "127.0.0.1:9092"
    assert settings.port_of("case_store") == 8005


def test_environment_variables_with_the_prefix_configure_the_service(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NATVERK_REFERRALS_PORT", "9101")
    monkeypatch.setenv("NATVERK_KAFKA_BOOTSTRAP", "kafka:9092,kafka2:9092")
    settings = load_settings(ServiceSettings)
    assert (settings.referrals_port, settings.kafka_bootstrap) == (9101, "kafka:9092,kafka2:9092")


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("NATVERK_REFERRALS_PORT", "eighty", "NATVERK_REFERRALS_PORT"),
        ("NATVERK_REFERRALS_PORT", "70000", "NATVERK_REFERRALS_PORT"),
        ("NATVERK_JWT_SECRET", "short", "at least 32 characters"),
        ("NATVERK_DATABASE_URL", "mysql://x", "postgresql://"),
        ("NATVERK_KAFKA_BOOTSTRAP", "nohostport", "host:port"),
        ("NATVERK_LOG_LEVEL", "LOUD", "NATVERK_LOG_LEVEL"),
    ],
)
def test_a_bad_setting_stops_start_up_naming_the_variable_without_its_value(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    variable: str,
    value: str,
    expected: str,
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SystemExit) as stopped:
        load_settings(ServiceSettings)
    assert stopped.value.code == 2
    message = capsys.readouterr().err
    assert "invalid configuration" in message and expected in message
    if variable == "NATVERK_JWT_SECRET":
        assert value not in message.split("NATVERK_JWT_SECRET")[1]


PRODUCTION_SECRET = "production-secret-never-to-be-printed-0123456789"


def _refusal(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], **env: str) -> str:
    """Start-up outside development mode with these variables: the message it stops with."""
    monkeypatch.setenv("NATVERK_DEV", "0")
    for name, value in env.items():
        monkeypatch.setenv(f"NATVERK_{name}", value)
    with pytest.raises(SystemExit) as stopped:
        load_settings(ServiceSettings)
    assert stopped.value.code == 2
    return capsys.readouterr().err


def _jwks_file(folder: Path, **jwk: str) -> Path:
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    path = folder / "jwks.json"
    path.write_text(json.dumps({"keys": [{**ECAlgorithm.to_jwk(key, as_dict=True), "kid": "k1", **jwk}]}))
    return path


def test_the_development_secret_outside_development_mode_stops_start_up(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    message = _refusal(
        monkeypatch, capsys, JWT_SECRET=DEV_JWT_SECRET, JWT_AUDIENCE="natverk", JWT_ISSUER="https://idp.test"
    )
    assert "NATVERK_JWT_SECRET" in message and "development secret" in message
    assert DEV_JWT_SECRET not in message


def test_without_a_secret_or_a_jwks_outside_development_mode_start_up_stops(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    message = _refusal(monkeypatch, capsys, JWT_AUDIENCE="natverk", JWT_ISSUER="https://idp.test")
    assert "NATVERK_JWKS" in message and "NATVERK_JWT_SECRET" in message and "NATVERK_DEV=1" in message


@pytest.mark.parametrize("missing", ["JWT_AUDIENCE", "JWT_ISSUER"])
def test_without_audience_or_issuer_outside_development_mode_start_up_stops_naming_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], missing: str
) -> None:
    env = {"JWT_SECRET": PRODUCTION_SECRET, "JWT_AUDIENCE": "natverk", "JWT_ISSUER": "https://idp.test"}
    env[missing] = ""  # empty counts as unset
    message = _refusal(monkeypatch, capsys, **env)
    assert f"NATVERK_{missing}" in message
    assert PRODUCTION_SECRET not in message


def test_switching_the_audience_and_issuer_off_outside_development_mode_stops_start_up(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    message = _refusal(
        monkeypatch,
        capsys,
        JWT_SECRET=PRODUCTION_SECRET,
        JWT_AUDIENCE="natverk",
        JWT_ISSUER="https://idp.test",
        JWT_REQUIRE_AUDIENCE_AND_ISSUER="false",
    )
    assert "NATVERK_JWT_REQUIRE_AUDIENCE_AND_ISSUER" in message and "NATVERK_DEV=1" in message
    assert PRODUCTION_SECRET not in message


def test_every_token_refusal_is_listed_at_once_and_none_shows_the_secret(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    message = _refusal(monkeypatch, capsys, JWT_SECRET=PRODUCTION_SECRET, JWT_REQUIRE_AUDIENCE_AND_ISSUER="0")
    lines = [line.strip() for line in message.splitlines()[1:]]
    assert [line.split(":")[0] for line in lines] == [
        "NATVERK_JWT_REQUIRE_AUDIENCE_AND_ISSUER",
        "NATVERK_JWT_AUDIENCE",
        "NATVERK_JWT_ISSUER",
    ]
    assert PRODUCTION_SECRET not in message


@pytest.mark.parametrize(
    ("jwks", "expected"),
    [
        ("file:///etc/jwks.json", "URL"),
        ("https://", "URL"),
        ("/no/such/jwks.json", "cannot be read"),
    ],
)
def test_a_jwks_that_is_neither_a_url_nor_a_readable_file_stops_start_up(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], jwks: str, expected: str
) -> None:
    message = _refusal(monkeypatch, capsys, JWKS=jwks, JWT_AUDIENCE="natverk", JWT_ISSUER="https://idp.test")
    assert "NATVERK_JWKS" in message and expected in message


def test_a_jwks_file_without_an_rs256_or_es256_signing_key_stops_start_up(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    jwks = _jwks_file(tmp_path, use="enc")
    message = _refusal(monkeypatch, capsys, JWKS=str(jwks), JWT_AUDIENCE="n", JWT_ISSUER="i")
    assert "NATVERK_JWKS" in message and "no RS256 or ES256 signing key" in message


def test_a_production_configuration_with_a_jwks_starts(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("NATVERK_DEV", "0")
    monkeypatch.setenv("NATVERK_JWKS", str(_jwks_file(tmp_path)))
    monkeypatch.setenv("NATVERK_JWT_AUDIENCE", "natverk")
    monkeypatch.setenv("NATVERK_JWT_ISSUER", "https://idp.test")
    settings = load_settings(ServiceSettings)
    assert (settings.dev, settings.jwt_secret, settings.jwt_max_lifetime_seconds) == (False, None, 43200)
    assert settings.jwt_leeway_seconds == 60


def test_development_mode_defaults_to_the_development_secret_audience_and_issuer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NATVERK_DEV", "1")
    settings = load_settings(ServiceSettings)
    assert settings.jwt_secret is not None and settings.jwt_secret.get_secret_value() == DEV_JWT_SECRET
    assert (settings.jwt_audience, settings.jwt_issuer) == ("natverk", "natverk-dev")
    assert settings.jwt_require_audience_and_issuer


def _refusal_in_development_mode(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], variable: str, value: str
) -> str:
    monkeypatch.setenv("NATVERK_DEV", "1")
    monkeypatch.setenv(variable, value)
    with pytest.raises(SystemExit) as stopped:
        load_settings(ServiceSettings)
    assert stopped.value.code == 2
    return capsys.readouterr().err


@pytest.mark.parametrize("cipher_key", ["abc", "YWJj", "not base64 at all!"])
def test_a_cipher_key_that_is_not_base64_of_an_aes_key_stops_start_up_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], cipher_key: str
) -> None:
    message = _refusal_in_development_mode(monkeypatch, capsys, "NATVERK_CIPHER_KEY", cipher_key)
    assert "not starting" in message and "NATVERK_CIPHER_KEY" in message
    assert cipher_key not in message.split("NATVERK_CIPHER_KEY")[1]


def test_a_cipher_key_as_aes_cipher_makes_it_is_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    key = AESCipher.create_key(32)
    monkeypatch.setenv("NATVERK_CIPHER_KEY", key)
    settings = load_settings(ServiceSettings)
    assert settings.cipher_key is not None and settings.cipher_key.get_secret_value() == key


def _pem_file(folder: Path, key: ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey) -> Path:
    path = folder / "key.pem"
    path.write_bytes(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    return path


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "cannot be read"),
        (b"not a key", "PEM private key"),
        (ec.generate_private_key(ec.SECP256R1()), "not an Ed25519 private key"),
    ],
)
def test_a_signing_key_file_that_is_missing_or_not_an_ed25519_key_stops_start_up_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    content: bytes | ec.EllipticCurvePrivateKey | None,
    expected: str,
) -> None:
    path = tmp_path / "key.pem"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path = _pem_file(tmp_path, content)
    message = _refusal_in_development_mode(monkeypatch, capsys, "NATVERK_AUDIT_SIGNING_KEY_FILE", str(path))
    assert "NATVERK_AUDIT_SIGNING_KEY_FILE" in message and expected in message
    assert str(path) not in message and "Traceback" not in message


def test_an_ed25519_signing_key_file_is_accepted(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = _pem_file(tmp_path, ed25519.Ed25519PrivateKey.generate())
    monkeypatch.setenv("NATVERK_AUDIT_SIGNING_KEY_FILE", str(path))
    assert load_settings(ServiceSettings).audit_signing_key_file == path


def test_a_cli_command_that_starts_nothing_refuses_a_bad_setting_without_saying_not_starting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NATVERK_JWT_SECRET", "too-short-for-hs256")
    with pytest.raises(SystemExit) as stopped:
        main(["token"])
    assert stopped.value.code == 2
    message = capsys.readouterr().err
    assert message.startswith("natverk token: invalid configuration:\n") and "not starting" not in message


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ('["{missing}"]', "file 1: cannot be read"),
        ('["{public}", "{private}"]', "file 2: is not a PEM public key"),
        ("{public}", "JSON"),  # a list, written as JSON
    ],
    ids=["missing", "a private key", "not a JSON list"],
)
def test_a_retired_public_key_file_that_is_not_an_ed25519_public_key_stops_start_up_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    files: str,
    expected: str,
) -> None:
    private = _pem_file(tmp_path, ed25519.Ed25519PrivateKey.generate())
    public = tmp_path / "old.pub.pem"
    public.write_bytes(
        ed25519.Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    )
    value = files.format(missing=tmp_path / "nowhere.pem", public=public, private=private)
    message = _refusal_in_development_mode(
        monkeypatch, capsys, "NATVERK_AUDIT_RETIRED_PUBLIC_KEY_FILES", value
    )
    assert "NATVERK_AUDIT_RETIRED_PUBLIC_KEY_FILES" in message and expected in message, message
    assert str(tmp_path) not in message and "Traceback" not in message


def test_retired_public_key_files_are_accepted_as_a_json_list(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    public = tmp_path / "old.pub.pem"
    public.write_bytes(
        ed25519.Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    )
    monkeypatch.setenv("NATVERK_AUDIT_RETIRED_PUBLIC_KEY_FILES", json.dumps([str(public)]))
    assert load_settings(ServiceSettings).audit_retired_public_key_files == [public]


def test_a_mapping_setting_that_is_not_json_stops_start_up_naming_the_variable_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    message = _refusal_in_development_mode(monkeypatch, capsys, "NATVERK_INBOUND_SOURCES", "{case-system-7")
    assert message.splitlines()[1:] == [
        "  NATVERK_INBOUND_SOURCES: is not valid JSON (a list or a mapping is written as JSON)"
    ]
    assert "case-system-7" not in message
