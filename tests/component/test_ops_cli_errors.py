"""The ops CLI says in one line which service it could not reach, or what it answered: no traceback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from services.cli import main
from tests.support.ports import free_port
from tests.support.stub_server import refusing


@pytest.fixture
def refusing_case_store() -> Iterator[str]:
    """Answers every request 401 with the kit's error body, as a case store does to a bad token."""
    with refusing(401, "unauthorized", "token expired") as url:
        yield url


@pytest.mark.parametrize("command", [["verify"], ["stats", "--from", "2026-01-01", "--to", "2026-06-30"]])
def test_a_case_store_that_is_not_running_is_named_with_exit_code_2(command: list[str], capsys) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    assert main([*command, "--url", url]) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"natverk {command[0]}: cannot reach {url}/api/v1/"), error
    assert "is the stack running" in error and "Traceback" not in error


@pytest.mark.parametrize("command", [["verify"], ["stats", "--from", "2026-01-01", "--to", "2026-06-30"]])
def test_a_refusal_from_the_case_store_is_quoted_with_exit_code_2(
    command: list[str], refusing_case_store: str, capsys
) -> None:
    assert main([*command, "--url", refusing_case_store]) == 2
    error = capsys.readouterr().err
    assert f"{refusing_case_store}/api/v1/" in error and "answered 401: token expired" in error, error


def test_a_broker_that_is_not_running_is_named_with_exit_code_2(monkeypatch, capsys) -> None:
    monkeypatch.setenv("NATVERK_KAFKA_BOOTSTRAP", f"127.0.0.1:{free_port()}")
    assert main(["dlq", "list", "ext.placements.v1.dlq"]) == 2
    error = capsys.readouterr().err
    assert "natverk dlq: cannot reach the broker" in error and "is the stack running" in error, error


def _outside_development_mode_without_token_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NATVERK_DEV", raising=False)
    for name in ("JWKS", "JWT_SECRET", "JWT_AUDIENCE", "JWT_ISSUER", "OPS_TOKEN"):
        monkeypatch.delenv(f"NATVERK_{name}", raising=False)
    monkeypatch.setenv("NATVERK_KAFKA_BOOTSTRAP", f"127.0.0.1:{free_port()}")


def test_listing_dead_letters_needs_only_the_broker_not_the_settings_for_verifying_tokens(
    monkeypatch, capsys
) -> None:
    """`dlq list` and `redrive` only talk to the broker: they were refused for want of NATVERK_JWKS."""
    _outside_development_mode_without_token_settings(monkeypatch)
    assert main(["dlq", "list", "ext.placements.v1.dlq"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("natverk dlq: cannot reach the broker"), error


def test_showing_dead_letters_without_an_ops_token_names_that_setting_and_reads_nothing(
    monkeypatch, capsys
) -> None:
    _outside_development_mode_without_token_settings(monkeypatch)
    assert main(["dlq", "show", "ext.placements.v1.dlq"]) == 2
    out = capsys.readouterr()
    assert out.err.strip() == "natverk dlq: set NATVERK_OPS_TOKEN to an ops token from your identity provider"
    assert out.out == ""


def test_up_refuses_ports_already_in_use_before_starting_anything(tmp_path, monkeypatch, capsys) -> None:
    """A second `natverk up` must say the stack is already running, not die on bind later."""
    import signal
    import socket

    monkeypatch.setattr(signal, "signal", lambda *_: None)  # `up` would take over this process's SIGTERM
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        monkeypatch.setenv("NATVERK_CASE_STORE_PORT", str(port))
        monkeypatch.setenv("NATVERK_DATA_DIR", str(tmp_path))
        monkeypatch.setenv("NATVERK_KAFKA_BOOTSTRAP", f"127.0.0.1:{free_port()}")
        assert main(["up", "case_store"]) == 1
    out = capsys.readouterr()
    assert (
        f"natverk up: port(s) already in use: case_store on {port}; is the stack already running?" in out.err
    ), out.err
    assert not (tmp_path / "logs").exists()  # nothing was started, not even the broker


def test_up_names_an_unknown_service(capsys) -> None:
    assert main(["up", "billing"]) == 2
    assert "natverk up: unknown service(s) ['billing']; known: ['referrals'," in capsys.readouterr().err
