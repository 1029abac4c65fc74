"""Outside development mode the ops CLI needs what it uses (the services' addresses and a token),
not the settings a service verifies tokens with (NATVERK_JWKS, audience, issuer): it verifies none."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import jwt
import pytest

from services.cli import main
from tests.support.events import valid_pin
from tests.support.stub_server import refusing

TOKENS = {
    "NATVERK_OPS_TOKEN": "ops-from-idp",
    "NATVERK_AUDITOR_TOKEN": "auditor-from-idp",
    "NATVERK_REGISTRAR_TOKEN": "registrar-from-idp",
}
PORTS = ("REFERRALS", "SCHEDULING", "NETWORK_SUPPORT", "COLLABORATION", "CASE_STORE")
OWN_SECRET = "a-secret-of-this-site-not-the-development-one"


@pytest.fixture
def service() -> Iterator[tuple[int, list[str]]]:
    """Every service at one port, refusing every request as a service refuses a bad token (401);
    the Authorization header of each request is noted."""
    seen: list[str] = []
    with refusing(401, "unauthorized", "no", authorizations=seen) as url:
        yield int(url.rsplit(":", 1)[1]), seen


@pytest.fixture
def production(monkeypatch: pytest.MonkeyPatch, service: tuple[int, list[str]]) -> None:
    """Not development mode, no token settings of a service, every service at ``service``'s port."""
    monkeypatch.delenv("NATVERK_DEV", raising=False)
    for name in ("NATVERK_JWKS", "NATVERK_JWT_SECRET", "NATVERK_JWT_AUDIENCE", "NATVERK_JWT_ISSUER", *TOKENS):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NATVERK_HOST", "127.0.0.1")
    for name in PORTS:
        monkeypatch.setenv(f"NATVERK_{name}_PORT", str(service[0]))


def _command(name: str, tmp_path: Path) -> list[str]:
    pin_file = tmp_path / "pin"
    pin_file.write_text(valid_pin(1), encoding="utf-8")
    return {
        "verify": ["verify"],
        "checkpoint": ["checkpoint"],
        "export-checkpoint": ["export-checkpoint", "case-1", "--out", str(tmp_path / "export")],
        "export-timeline": ["export-timeline", "case-1", "--out", str(tmp_path / "timeline.json")],
        "stats": ["stats", "--from", "2026-01-01", "--to", "2026-06-30"],
        "stats --report": ["stats", "--report", "school-start", "--month", "2026-11"],
        "outbox": ["outbox", "list", "--service", "referrals"],
        "subject-access": ["subject-access", "--pin-file", str(pin_file), "--out", str(tmp_path / "out")],
    }[name]


@pytest.mark.usefixtures("production")
@pytest.mark.parametrize(
    ("command", "variable"),
    [
        ("verify", "NATVERK_OPS_TOKEN"),
        ("checkpoint", "NATVERK_OPS_TOKEN"),
        ("export-checkpoint", "NATVERK_AUDITOR_TOKEN"),
        ("export-timeline", "NATVERK_AUDITOR_TOKEN"),
        ("stats", "NATVERK_OPS_TOKEN"),
        ("stats --report", "NATVERK_OPS_TOKEN"),
        ("outbox", "NATVERK_OPS_TOKEN"),
        ("subject-access", "NATVERK_REGISTRAR_TOKEN"),
    ],
)
def test_an_ops_command_outside_development_mode_calls_its_service_with_only_a_token_from_the_identity_provider(
    command: str, variable: str, service, tmp_path, monkeypatch, capsys
) -> None:
    for name, token in TOKENS.items():
        monkeypatch.setenv(name, token)
    main(_command(command, tmp_path))
    error = capsys.readouterr().err
    assert "invalid configuration" not in error, error
    assert service[1] and set(service[1]) == {f"Bearer {TOKENS[variable]}"}, error


@pytest.mark.usefixtures("production")
@pytest.mark.parametrize(
    ("command", "wanted"),
    [
        ("verify", "set NATVERK_OPS_TOKEN to an ops token"),
        ("export-timeline", "set NATVERK_AUDITOR_TOKEN to an auditor token"),
        ("subject-access", "set NATVERK_REGISTRAR_TOKEN to a registrar token"),
    ],
)
def test_without_a_token_or_a_secret_a_command_asks_for_its_roles_token_and_calls_nothing(
    command: str, wanted: str, service, tmp_path, capsys
) -> None:
    assert main(_command(command, tmp_path)) == 2
    name = command.split()[0]
    assert capsys.readouterr().err == f"natverk {name}: {wanted} from your identity provider\n"
    assert service[1] == []


@pytest.mark.usefixtures("production")
def test_outside_development_mode_the_cli_signs_its_token_for_the_configured_audience_and_issuer(
    service, tmp_path, monkeypatch
) -> None:
    """No ops token: a five-minute one signed with the site's own secret, as before."""
    for name, value in {
        "JWT_SECRET": OWN_SECRET,
        "JWT_AUDIENCE": "natverk-prod",
        "JWT_ISSUER": "idp",
    }.items():
        monkeypatch.setenv(f"NATVERK_{name}", value)
    main(_command("outbox", tmp_path))
    token = service[1][0].removeprefix("Bearer ")
    claims = jwt.decode(token, OWN_SECRET, algorithms=["HS256"], audience="natverk-prod", issuer="idp")
    assert (claims["roles"], claims["exp"] - claims["iat"]) == (["ops"], 300)


@pytest.mark.usefixtures("production")
def test_a_secret_without_the_audience_and_issuer_its_tokens_must_carry_is_named_before_any_call(
    service, tmp_path, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("NATVERK_JWT_SECRET", OWN_SECRET)
    assert main(_command("verify", tmp_path)) == 2
    assert capsys.readouterr().err == (
        "natverk verify: set NATVERK_OPS_TOKEN to an ops token from your identity provider "
        "(NATVERK_JWT_AUDIENCE and NATVERK_JWT_ISSUER must be set for the tokens NATVERK_JWT_SECRET signs)\n"
    )
    assert service[1] == []


@pytest.mark.usefixtures("production")
def test_natverk_token_outside_development_mode_needs_the_audience_and_issuer_beside_the_secret(
    monkeypatch, capsys
) -> None:
    monkeypatch.setenv("NATVERK_JWT_SECRET", OWN_SECRET)
    assert main(["token", "--roles", "ops"]) == 2
    assert capsys.readouterr().err.startswith("natverk token: NATVERK_JWT_AUDIENCE and NATVERK_JWT_ISSUER")


@pytest.mark.usefixtures("production")
def test_natverk_token_without_a_secret_outside_development_mode_says_how_to_get_development_tokens(
    capsys,
) -> None:
    assert main(["token", "--roles", "coordinator"]) == 2
    told = capsys.readouterr().err
    assert told.startswith("natverk token: NATVERK_JWT_SECRET is not set")
    assert "export NATVERK_DEV=1" in told


@pytest.mark.usefixtures("production")
def test_a_bad_setting_stops_an_ops_command_naming_the_command_and_the_variable(monkeypatch, capsys) -> None:
    monkeypatch.setenv("NATVERK_CASE_STORE_PORT", "0")
    with pytest.raises(SystemExit) as stopped:
        main(["verify"])
    assert stopped.value.code == 2
    error = capsys.readouterr().err
    assert error.startswith("natverk verify: invalid configuration:\n  NATVERK_CASE_STORE_PORT: "), error
