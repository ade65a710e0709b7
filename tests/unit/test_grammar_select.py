"""Engine selection: --grammar values, URL resolution, and the notice on every fallback.

LanguageTool's availability is forced here by replacing the opener with one that
raises EngineError; that tests the selection logic only, not LanguageTool.
"""

from __future__ import annotations

import pytest

from essaycoach.errors import EngineError
from essaycoach.grammar import select
from essaycoach.grammar.harper_engine import HarperEngine
from essaycoach.settings import Settings


def unavailable(settings: Settings, accept_words: tuple[str, ...]) -> HarperEngine:
    raise EngineError("no LanguageTool server configured or installed")


def test_off_opens_nothing() -> None:
    assert select.open_engine(Settings(grammar="off"), ()) == (None, "")


def test_harper_is_opened_with_the_accepted_words() -> None:
    engine, notice = select.open_engine(Settings(grammar="harper"), ("Hailsham",))
    assert isinstance(engine, HarperEngine)
    assert engine.accept_words == ("Hailsham",)
    assert notice == ""
    assert engine.check("Kathy grew up at Hailsham.") == []


@pytest.mark.parametrize("choice", ["languagetool", "both"])
def test_explicit_languagetool_unavailable_is_an_error(
    monkeypatch: pytest.MonkeyPatch, choice: str
) -> None:
    monkeypatch.setattr(select, "open_languagetool_engine", unavailable)
    with pytest.raises(EngineError) as caught:
        select.open_engine(Settings(grammar=choice), ())
    message = str(caught.value)
    assert f"--grammar {choice}" in message
    assert "no LanguageTool server" in message
    assert "--grammar harper" in message
    assert "\n" not in message


@pytest.mark.parametrize("preference", ["languagetool", "both"])
def test_auto_falls_back_to_harper_with_a_notice(
    monkeypatch: pytest.MonkeyPatch, preference: str
) -> None:
    monkeypatch.delenv(select.URL_ENV, raising=False)
    monkeypatch.setattr(select, "AUTO_PREFERENCE", preference)
    monkeypatch.setattr(select, "open_languagetool_engine", unavailable)
    engine, notice = select.open_engine(Settings(grammar="auto"), ())
    assert isinstance(engine, HarperEngine)
    assert "LanguageTool unavailable" in notice and "Harper" in notice
    assert "\n" not in notice
    assert "languagetool install" in notice
    configured = Settings(grammar="auto", languagetool_url="http://127.0.0.1:9")
    _, notice = select.open_engine(configured, ())
    assert "URL you configured" in notice


def test_url_from_settings_before_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(select.URL_ENV, "http://127.0.0.1:8099")
    assert select.languagetool_url(Settings()) == "http://127.0.0.1:8099"
    configured = Settings(languagetool_url="http://127.0.0.1:8081")
    assert select.languagetool_url(configured) == "http://127.0.0.1:8081"
    monkeypatch.delenv(select.URL_ENV)
    assert select.languagetool_url(Settings()) is None
