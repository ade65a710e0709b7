"""Choosing the grammar engine from the settings.

`--grammar` values:
- ``harper``: Harper only (embedded, always available).
- ``languagetool``: LanguageTool only; if no server can be had this is an error
  (exit 2) naming the fix, never a silent switch to another engine.
- ``both``: Harper and LanguageTool merged (`merge.BothEngine`, which drops the Harper
  rules left to LanguageTool); an error like ``languagetool`` when LanguageTool
  cannot be had.
- ``auto`` (default): `AUTO_PREFERENCE`, chosen from the `bench/grammar`
  measurements; when LanguageTool is needed but unavailable, Harper is used and
  the notice (shown in the report) says why.
- ``off``: no grammar check.

A LanguageTool server is found in the order of issue 3: the configured URL
(`Settings.languagetool_url`, else the ESSAYCOACH_LANGUAGETOOL_URL environment
variable; the CLI fills the setting from --languagetool-url, else that variable,
else the configuration file), then a local installation (`essaycoach languagetool install`).
"""

from __future__ import annotations

import contextlib
import logging
import os

from essaycoach.errors import EngineError
from essaycoach.grammar.base import GrammarEngine
from essaycoach.grammar.harper_engine import HarperEngine
from essaycoach.grammar.harper_server import HarperClient, server_enabled, start_server
from essaycoach.grammar.merge import BothEngine
from essaycoach.settings import Settings, redacted_url

logger = logging.getLogger(__name__)

URL_ENV = "ESSAYCOACH_LANGUAGETOOL_URL"

#: What "auto" runs when every engine is available, chosen from bench/grammar (docs/grammar.md
#: has the table). On FCE train (issue 3's scoring) LanguageTool and Harper merged had F0.5
#: 0.675, LanguageTool alone 0.668; on FCE dev 0.7005 (precision 0.908) and 0.699 (0.917),
#: Harper alone 0.670 (0.917). Harper catches learner errors LanguageTool has no rule for
#: ("informations", "one of the student", "good in"); its rules for errors LanguageTool
#: already flags are left to LanguageTool (`rules.HARPER_LEFT_TO_LANGUAGETOOL`).
AUTO_PREFERENCE = "both"


def languagetool_url(settings: Settings) -> str | None:
    """The configured LanguageTool server URL, if any: settings first, then the environment."""
    return settings.languagetool_url or os.environ.get(URL_ENV) or None


def open_languagetool_engine(settings: Settings, accept_words: tuple[str, ...]) -> GrammarEngine:
    """LanguageTool: the configured URL, else a local server; EngineError when neither works."""
    # imported here: language-tool-python costs a few hundred ms to import
    from essaycoach.grammar.languagetool import open_languagetool

    return open_languagetool(languagetool_url(settings), accept_words)


def open_engine(
    settings: Settings, accept_words: tuple[str, ...]
) -> tuple[GrammarEngine | None, str]:
    """Return (engine or None for "off", a one-line notice about the choice or "").

    Raises EngineError when LanguageTool was asked for explicitly and cannot be had.
    """
    choice = settings.grammar
    if choice == "off":
        return None, ""
    if choice == "harper":
        return open_harper(settings, accept_words), ""
    if choice in ("languagetool", "both"):
        try:
            languagetool = open_languagetool_engine(settings, accept_words)
        except EngineError as exc:
            raise EngineError(
                f"--grammar {choice} needs LanguageTool: {exc}. Run `essaycoach languagetool "
                "install`, set --languagetool-url, or use --grammar harper"
            ) from None
        if choice == "languagetool":
            return languagetool, ""
        return _both(settings, languagetool, accept_words)
    return _auto(settings, accept_words)


def start_harper_server_early(settings: Settings) -> None:
    """Start the Harper server now if these settings will use it.

    It then boots while the caller imports and builds everything else; a problem
    is left for `open_engine` to report.
    """
    if settings.grammar in ("off", "languagetool"):
        return
    if settings.harper_server and server_enabled():
        with contextlib.suppress(EngineError):
            start_server()


def open_harper(settings: Settings, accept_words: tuple[str, ...]) -> GrammarEngine:
    """Harper: through the warm server when the settings ask for it, else in this process."""
    if not (settings.harper_server and server_enabled()):
        return HarperEngine(accept_words)
    try:
        return HarperClient(accept_words)
    except EngineError as exc:
        # the same engine and results, only slower: logged (the CLI prints it), not a
        # report notice, which says why the engine asked for was not used
        logger.warning("Harper server unavailable (%s); Harper ran in-process.", exc)
        return HarperEngine(accept_words)


def _both(
    settings: Settings, languagetool: GrammarEngine, accept_words: tuple[str, ...]
) -> tuple[GrammarEngine, str]:
    try:
        harper = open_harper(settings, accept_words)
    except BaseException:
        languagetool.close()
        raise
    return BothEngine(languagetool, harper), ""


def _auto(settings: Settings, accept_words: tuple[str, ...]) -> tuple[GrammarEngine, str]:
    languagetool, unavailable = open_auto_languagetool(settings, accept_words)
    if languagetool is None:
        notice = ""
        if unavailable:
            notice = f"LanguageTool unavailable: {unavailable}; grammar checked with Harper only."
            source = languagetool_source(settings)
            if source is None:
                notice += " Run `essaycoach languagetool install` to use LanguageTool."
            elif source.startswith("url "):
                notice += " Check the LanguageTool URL you configured."
        return open_harper(settings, accept_words), notice
    if AUTO_PREFERENCE == "languagetool":
        return languagetool, ""
    return _both(settings, languagetool, accept_words)


# --- what --grammar auto runs, in one place: open_engine, the grade batch (its cache key,
# the shared server, regrading Harper-only reports) and `grade --model`'s check all ask here


def languagetool_source(settings: Settings) -> str | None:
    """The LanguageTool `--grammar auto` would try, found without starting anything:
    "url <url>" (configured), "installed <version>" (`essaycoach languagetool
    install`), or None when there is neither."""
    url = languagetool_url(settings)
    if url:
        return f"url {redacted_url(url)}"
    from essaycoach.grammar import lt_install

    installation = lt_install.find_installation()
    return f"installed {installation.version}" if installation else None


def open_auto_languagetool(
    settings: Settings, accept_words: tuple[str, ...]
) -> tuple[GrammarEngine | None, str]:
    """The LanguageTool engine `--grammar auto` runs with, or None and why not ("" when
    auto prefers Harper alone, else the EngineError's message). May start the local
    server (seconds); the caller closes the engine."""
    if AUTO_PREFERENCE == "harper":
        return None, ""
    try:
        return open_languagetool_engine(settings, accept_words), ""
    except EngineError as exc:
        return None, str(exc)


def auto_engine(settings: Settings) -> tuple[str, str]:
    """The engine `--grammar auto` would run now (`GrammarEngine.name`: AUTO_PREFERENCE
    when LanguageTool answers, else "harper") and why ("" when auto prefers Harper
    alone). Asks LanguageTool, only when one is configured or installed, by opening it
    (which may start the local server) and closing it again."""
    if AUTO_PREFERENCE == "harper":
        return "harper", ""
    if languagetool_source(settings) is None:
        return "harper", "no LanguageTool is configured or installed"
    languagetool, _ = open_auto_languagetool(settings, ())
    if languagetool is None:
        return "harper", "LanguageTool does not answer"
    languagetool.close()
    return AUTO_PREFERENCE, "LanguageTool answers"
