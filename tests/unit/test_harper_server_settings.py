"""Switches of the warm Harper server that need no engine."""

from __future__ import annotations

import pytest

from essaycoach.config import load_config
from essaycoach.errors import ConfigError, EngineError
from essaycoach.grammar import harper_server


@pytest.mark.parametrize(
    ("value", "enabled"), [("1", True), ("", True), ("0", False), ("off", False), ("False", False)]
)
def test_environment_switch(monkeypatch, value, enabled):
    monkeypatch.setenv(harper_server.ENABLE_ENV, value)
    assert harper_server.server_enabled() is enabled


@pytest.mark.parametrize("value", ["soon", "nan", "inf", "-inf", "-5", "0", "0.5"])
def test_bad_idle_timeout_is_an_engine_error(monkeypatch, value):
    monkeypatch.setenv(harper_server.IDLE_ENV, value)
    with pytest.raises(EngineError, match=harper_server.IDLE_ENV):
        harper_server._idle_timeout()


@pytest.mark.parametrize(("value", "seconds"), [("", 900.0), ("1", 1.0), (" 120.5 ", 120.5)])
def test_idle_timeout_from_the_environment(monkeypatch, value, seconds):
    monkeypatch.setenv(harper_server.IDLE_ENV, value)
    assert harper_server._idle_timeout() == seconds


def test_too_long_socket_path_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("ESSAYCOACH_HOME", str(tmp_path / ("x" * 120)))
    with pytest.raises(EngineError, match="too long"):
        harper_server.ensure_server()


def test_config_accepts_harper_server_switch(tmp_path):
    path = tmp_path / "essaycoach.toml"
    path.write_text("harper_server = false\n", encoding="utf-8")
    assert load_config(path).harper_server is False


def test_config_rejects_a_wrong_type_naming_the_key(tmp_path):
    path = tmp_path / "essaycoach.toml"
    path.write_text('harper_server = "yes"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="harper_server"):
        load_config(path)
