"""The real LanguageTool engine on learner sentences: flags, offsets, accepted words, privacy."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from essaycoach.essay import Essay
from essaycoach.exemplar import Exemplar
from essaycoach.grammar import select
from essaycoach.grammar.languagetool import (
    DEFAULT_ENABLED_RULES,
    LanguageToolEngine,
    open_languagetool,
)
from essaycoach.grammar.lt_server import ServerState
from essaycoach.resources import default_exemplar_path
from essaycoach.settings import Settings

pytestmark = [pytest.mark.integration, pytest.mark.languagetool]

# Text before the error: an emoji (two UTF-16 code units in LanguageTool's offsets)
# and curly quotes, so a wrong offset conversion shows up as a shifted span.
PREFIX = "Today 😀 my teacher said “write more”. "


@pytest.fixture(scope="module")
def engine(languagetool_server: ServerState) -> Iterator[LanguageToolEngine]:
    opened = open_languagetool(None, ())
    yield opened
    opened.close()


@pytest.mark.parametrize(
    ("sentence", "flagged", "category"),
    [
        ("He go to school every day.", "go", "grammar"),
        ("Their is a problem with the plan.", "Their", "grammar"),
        ("We was late for the concert.", "was", "grammar"),
        ("This is an university.", "an", "grammar"),
        ("He is more taller than his brother.", "more taller", "grammar"),
        ("I look forward to hear from you.", "to hear", "grammar"),
        ("It was fun for me and my freinds.", "freinds", "spelling"),
        ("I could of done better.", "could of", "grammar"),
    ],
)
def test_flags_learner_errors_at_the_right_offsets(
    engine: LanguageToolEngine, sentence: str, flagged: str, category: str
) -> None:
    text = PREFIX + sentence
    issues = engine.check(text)
    spans = [(text[i.start : i.end], i.category) for i in issues]
    assert (flagged, category) in spans
    issue = next(i for i in issues if text[i.start : i.end] == flagged)
    assert issue.start == len(PREFIX) + sentence.index(flagged)
    assert issue.engine == "languagetool" and issue.rule and issue.message


def test_several_emoji_before_the_error(engine: LanguageToolEngine) -> None:
    text = "🎉🎉 Honestly 😀, I am agree with you 👍."
    issue = next(i for i in engine.check(text) if i.rule == "I_AM_VB")
    assert (issue.start, text[issue.start : issue.end]) == (text.index("am agree"), "am agree")


@pytest.mark.parametrize(
    "sentence",
    [
        "The students who live near the school walk there every morning.",
        "In my opinion, the novel shows how memory shapes identity.",
        "Although it rained, we enjoyed the trip.",
        "She has lived in London since 2010.",
    ],
)
def test_passes_correct_sentences(engine: LanguageToolEngine, sentence: str) -> None:
    assert engine.check(PREFIX + sentence) == []


def _exemplar() -> Exemplar:
    return Exemplar(Essay.from_text(default_exemplar_path().read_text(encoding="utf-8")), {})


def test_exemplar_proper_nouns_are_not_flagged_when_accepted(
    languagetool_server: ServerState,
) -> None:
    exemplar = _exemplar()
    text = exemplar.essay.text
    plain = open_languagetool(None, ())
    flagged = {text[i.start : i.end] for i in plain.check(text) if i.category == "spelling"}
    assert "Hailsham" in flagged  # LanguageTool's dictionary lacks it, so the filter matters

    accepting = open_languagetool(None, tuple(exemplar.proper_nouns()))
    spelling = [text[i.start : i.end] for i in accepting.check(text) if i.category == "spelling"]
    assert spelling == []


def test_default_engine_is_both_and_spares_the_exemplars_proper_nouns(
    languagetool_server: ServerState, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(select.URL_ENV, raising=False)
    exemplar = _exemplar()
    text = exemplar.essay.text
    engine, notice = select.open_engine(Settings(), tuple(exemplar.proper_nouns()))
    try:
        assert (engine.name, notice) == ("both", "")
        issues = engine.check(text)
    finally:
        engine.close()
    assert [text[i.start : i.end] for i in issues if i.category == "spelling"] == []
    # Harper's speller is left to LanguageTool under both
    assert not any(i.engine == "harper" and i.rule == "SpellCheck" for i in issues)


def test_disabled_rules_and_categories_are_sent_per_request(
    languagetool_server: ServerState,
) -> None:
    text = "Their is a problm here."
    rules = {i.rule for i in open_languagetool(None, (), ("THEIR_IS",)).check(text)}
    assert "THEIR_IS" not in rules and "MORFOLOGIK_RULE_EN_US" in rules
    categories = {i.category for i in open_languagetool(None, (), (), ("TYPOS",)).check(text)}
    assert "spelling" not in categories and "grammar" in categories


@pytest.mark.parametrize(
    ("sentence", "rule"),
    [
        ("We can not come to your party.", "CAN_NOT"),
        ("I am looking forward for your reply.", "LOOK_FORWARD_NOT_FOLLOWED_BY_TO"),
    ],
)
def test_rules_languagetool_ships_off_are_turned_on(
    engine: LanguageToolEngine, sentence: str, rule: str
) -> None:
    assert rule in DEFAULT_ENABLED_RULES
    assert rule in {i.rule for i in engine.check(sentence)}
    as_languagetool_ships = open_languagetool(None, (), default_enabled_rules=False)
    assert rule not in {i.rule for i in as_languagetool_ships.check(sentence)}
    rubric_disables_it = open_languagetool(None, (), (rule,))
    assert rule not in {i.rule for i in rubric_disables_it.check(sentence)}


@pytest.mark.parametrize(
    "sentence", ["We cannot come to your party.", "I am looking forward to your reply."]
)
def test_turned_on_rules_pass_correct_sentences(engine: LanguageToolEngine, sentence) -> None:
    assert engine.check(sentence) == []


def test_configured_url_is_used_as_given(languagetool_server: ServerState) -> None:
    engine = open_languagetool(languagetool_server.url, ())
    assert not engine.server.local and engine.server.url == languagetool_server.url
    assert [i.rule for i in engine.check("He go home.")] == ["HE_VERB_AGR"]


def test_default_check_makes_no_outbound_connection(
    languagetool_server: ServerState, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ESSAYCOACH_LANGUAGETOOL_URL", raising=False)
    connected: list[str] = []
    real_connect = socket.socket.connect

    def recording_connect(sock: socket.socket, address: object) -> None:
        host = address[0] if isinstance(address, tuple) else str(address)
        connected.append(host)
        internet = sock.family in (socket.AF_INET, socket.AF_INET6)
        if internet and not ipaddress.ip_address(host).is_loopback:
            raise OSError(f"test refused a non-loopback connection to {host}")
        real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", recording_connect)
    engine = open_languagetool(None, ())
    assert engine.check("He go to school.")
    assert connected, "the check connected nowhere, so this test proves nothing"
    assert all(ipaddress.ip_address(h).is_loopback for h in connected), connected


@pytest.fixture
def logging_proxy() -> Iterator[tuple[str, list[str]]]:
    """An HTTP proxy on loopback that records each request it is asked to forward and
    answers 502: a request sent through it shows, and the essay gets no further."""
    import http.server
    import threading

    seen: list[str] = []

    class Proxy(http.server.BaseHTTPRequestHandler):
        def _refuse(self) -> None:
            seen.append(f"{self.command} {self.path}")
            self.send_response(502)
            self.end_headers()

        do_GET = do_POST = do_CONNECT = _refuse

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()
    server.server_close()


def test_the_local_server_is_never_reached_through_a_proxy(
    languagetool_server: ServerState,
    logging_proxy: tuple[str, list[str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """QA: with http_proxy set, requests sent the essay to the proxy on its way to
    127.0.0.1, and the health probe through it made a warm server look dead."""
    from essaycoach.grammar import lt_server

    proxy, seen = logging_proxy
    monkeypatch.delenv("ESSAYCOACH_LANGUAGETOOL_URL", raising=False)
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.setenv(name, proxy)
    monkeypatch.setenv("ALL_PROXY", proxy)
    for name in ("no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    import requests  # what language-tool-python sends with: would it use the proxy?

    assert requests.get(f"{languagetool_server.url}/v2/languages", timeout=10).status_code == 502
    assert seen, "the proxy saw nothing even without the bypass: this test proves nothing"
    seen.clear()
    assert lt_server.healthy(languagetool_server.port)
    engine = open_languagetool(None, ())
    assert [i.rule for i in engine.check("He go home.")] == ["HE_VERB_AGR"]
    configured = open_languagetool(languagetool_server.url, ())  # a URL the user gave
    assert configured.check("He go home.")
    assert seen == []


@pytest.mark.parametrize(
    "name", ["ESSAYCOACH_LANGUAGETOOL_IDLE_TIMEOUT", "ESSAYCOACH_LANGUAGETOOL_START_TIMEOUT"]
)
def test_a_bad_timeout_is_an_error_when_the_warm_server_is_reused(
    languagetool_server: ServerState, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """QA: "nan" was checked only when a server started, so a warm one hid it."""
    from essaycoach.errors import EngineError

    monkeypatch.delenv("ESSAYCOACH_LANGUAGETOOL_URL", raising=False)
    monkeypatch.setenv(name, "nan")
    with pytest.raises(EngineError, match=name):
        open_languagetool(None, ())


def test_source_never_names_the_public_api() -> None:
    source = Path(__file__).resolve().parents[2] / "src" / "essaycoach"
    for path in source.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "LanguageToolPublicAPI" not in text, path
        assert "api.languagetool" not in text and "languagetool.org/api" not in text, path


BRITISH = "The colour of the centre was realised by my neighbour."


def test_other_variants_spellings_are_accepted_by_default(engine: LanguageToolEngine) -> None:
    assert engine.check(BRITISH) == []
    text = "My neighbour recieved the colour photos."
    assert [text[i.start : i.end] for i in engine.check(text)] == ["recieved"]


def test_strict_variant_flags_the_other_spellings(languagetool_server: ServerState) -> None:
    strict = open_languagetool(None, (), accept_other_variant=False)
    flagged = {BRITISH[i.start : i.end] for i in strict.check(BRITISH)}
    assert flagged == {"colour", "centre", "realised", "neighbour"}


BRITISH_WORDS = (
    "Kathy drives along the motorway past a lorry. They go on holiday by aeroplane. "
    "At the weekend she will have a shower."
)


def test_other_variants_words_are_accepted_by_default(engine: LanguageToolEngine) -> None:
    """QA: "motorway", "lorry" and "aeroplane" were "corrected" to American English
    (EN_US_SIMPLE_REPLACE_*), counting as issues against a British student."""
    assert engine.check(BRITISH_WORDS) == []
    american = "I drove my truck on the freeway on the weekend."
    british = open_languagetool(None, (), language="en-GB")
    try:
        assert british.check(american) == []
    finally:
        british.close()
    strict = open_languagetool(None, (), accept_other_variant=False)
    flagged = {BRITISH_WORDS[i.start : i.end] for i in strict.check(BRITISH_WORDS)}
    assert {"motorway", "lorry", "aeroplane", "At the weekend"} <= flagged
