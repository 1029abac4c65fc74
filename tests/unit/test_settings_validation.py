from __future__ import annotations

import pytest

from services.kit.settings import ServiceSettings, load_settings


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
