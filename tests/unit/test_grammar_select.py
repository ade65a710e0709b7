"""Engine selection: --grammar values, URL resolution, and the notice on every fallback.

LanguageTool's availability is forced here by replacing the opener with one that
raises EngineError; that tests the selection logic only, not LanguageTool.
"""

from __future__ import annotations

import json
from pathlib import Path

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
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, preference: str
) -> None:
    monkeypatch.delenv(select.URL_ENV, raising=False)
    monkeypatch.setenv("ESSAYCOACH_LANGUAGETOOL_DIR", str(tmp_path))  # nothing installed
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


def test_auto_does_not_suggest_installing_an_installed_languagetool(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Installed but not answering (Java missing, an unwritable data folder): the reason
    is in the notice, and "run `essaycoach languagetool install`" would mislead."""
    monkeypatch.delenv(select.URL_ENV, raising=False)
    monkeypatch.setattr(select, "AUTO_PREFERENCE", "both")
    monkeypatch.setenv("ESSAYCOACH_LANGUAGETOOL_DIR", str(tmp_path))
    marker = {"version": "6.8", "method": "maven", "classpath": "lib/*"}
    (tmp_path / "installed.json").write_text(json.dumps(marker), encoding="utf-8")
    monkeypatch.setattr(select, "open_languagetool_engine", unavailable)
    engine, notice = select.open_engine(Settings(grammar="auto"), ())
    assert isinstance(engine, HarperEngine)
    assert notice.startswith("LanguageTool unavailable: no LanguageTool server")
    assert "languagetool install" not in notice and "URL" not in notice


def test_url_from_settings_before_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(select.URL_ENV, "http://127.0.0.1:8099")
    assert select.languagetool_url(Settings()) == "http://127.0.0.1:8099"
    configured = Settings(languagetool_url="http://127.0.0.1:8081")
    assert select.languagetool_url(configured) == "http://127.0.0.1:8081"
    monkeypatch.delenv(select.URL_ENV)
    assert select.languagetool_url(Settings()) is None


class Answering:
    """A LanguageTool that answers (the opener's stand-in); records whether it was closed."""

    name = "languagetool"
    closed = False

    def close(self) -> None:
        self.closed = True


def test_auto_engine_names_what_auto_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The one place the grade cache, its regrading and `grade --model`'s check learn
    what --grammar auto runs."""
    from essaycoach.grammar import lt_install

    monkeypatch.setattr(select, "AUTO_PREFERENCE", "both")
    monkeypatch.delenv(select.URL_ENV, raising=False)
    monkeypatch.setattr(lt_install, "find_installation", lambda *a, **k: None)
    asked: list[Answering] = []

    def answering(settings: Settings, accept_words: tuple[str, ...]) -> Answering:
        asked.append(Answering())
        return asked[-1]

    monkeypatch.setattr(select, "open_languagetool_engine", answering)
    auto = Settings(grammar="auto")
    assert select.languagetool_source(auto) is None
    assert select.auto_engine(auto) == ("harper", "no LanguageTool is configured or installed")
    assert asked == []  # nothing to ask
    configured = Settings(grammar="auto", languagetool_url="http://127.0.0.1:9")
    assert select.languagetool_source(configured) == "url http://127.0.0.1:9"
    assert select.auto_engine(configured) == ("both", "LanguageTool answers")
    assert len(asked) == 1 and asked[0].closed
    monkeypatch.setattr(select, "open_languagetool_engine", unavailable)
    assert select.auto_engine(configured) == ("harper", "LanguageTool does not answer")
    assert select.open_auto_languagetool(configured, ()) == (
        None,
        "no LanguageTool server configured or installed",
    )
    monkeypatch.setattr(select, "AUTO_PREFERENCE", "harper")
    monkeypatch.setattr(select, "open_languagetool_engine", answering)
    assert select.auto_engine(configured) == ("harper", "")
    assert select.open_auto_languagetool(configured, ()) == (None, "")
    assert len(asked) == 1  # auto runs Harper alone: LanguageTool is not asked
