"""Durations read from the environment (the servers' idle and start timeouts)."""

from __future__ import annotations

import pytest

from essaycoach.errors import EngineError
from essaycoach.processes import env_seconds

NAME = "ESSAYCOACH_LANGUAGETOOL_IDLE_TIMEOUT"


@pytest.mark.parametrize("raw", ["nan", "inf", "-inf", "NaN", "0", "-3", "soon", "1e400"])
def test_unusable_durations_are_errors_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv(NAME, raw)
    with pytest.raises(EngineError, match=NAME) as caught:
        env_seconds(NAME, 1800.0)
    assert repr(raw) in str(caught.value)


@pytest.mark.parametrize(
    ("raw", "expected"), [(None, 1800.0), ("", 1800.0), ("3", 3.0), ("0.25", 0.25)]
)
def test_durations(monkeypatch, raw, expected):
    if raw is None:
        monkeypatch.delenv(NAME, raising=False)
    else:
        monkeypatch.setenv(NAME, raw)
    assert env_seconds(NAME, 1800.0) == expected


def test_minimum_is_inclusive(monkeypatch):
    monkeypatch.setenv(NAME, "1")
    assert env_seconds(NAME, 900.0, minimum=1.0) == 1.0
    monkeypatch.setenv(NAME, "0.99")
    with pytest.raises(EngineError, match="at least 1,"):
        env_seconds(NAME, 900.0, minimum=1.0)
