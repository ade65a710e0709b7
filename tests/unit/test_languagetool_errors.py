"""How LanguageTool connection failures read in one line."""

from __future__ import annotations

import pytest
import requests

from essaycoach.grammar.languagetool import _first_line


def test_a_refused_connection_reads_as_its_cause_not_urllib3_reprs() -> None:
    with pytest.raises(requests.ConnectionError) as caught:
        requests.get("http://127.0.0.1:1/v2/languages", timeout=5)
    assert _first_line(caught.value) == "Connection refused"


def test_other_errors_keep_their_first_line_with_the_file_they_name() -> None:
    error = FileNotFoundError(2, "No such file or directory", "java")
    assert _first_line(error) == "[Errno 2] No such file or directory: 'java'"
    assert _first_line(RuntimeError("the server timed out twice\nmore")) == (
        "the server timed out twice"
    )


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("http://u:secret@127.0.0.1:1/v2", "http://***@127.0.0.1:1/v2"),
        ("https://token@lt.example.org", "https://***@lt.example.org"),
        ("http://127.0.0.1:8081", "http://127.0.0.1:8081"),
    ],
)
def test_a_configured_urls_credentials_are_never_shown(url: str, shown: str) -> None:
    """QA: "http://u:secret@..." was copied into the report's grammar notice."""
    from essaycoach.grammar.languagetool import _connect_failure
    from essaycoach.settings import redacted_url

    assert redacted_url(url) == shown
    message = _connect_failure(url, ConnectionError("Connection refused"))
    assert shown in message and ("secret" not in message and "token" not in message)


@pytest.mark.parametrize(
    ("url", "bypass"),
    [
        ("http://127.0.0.1:8081", True),
        ("http://localhost:8081", True),
        ("http://[::1]:8081", True),
        ("http://127.0.0.2:8081", True),
        ("https://lt.example.org", False),  # a server elsewhere: as the environment says
        ("http://10.0.0.5:8081", False),
    ],
)
def test_a_server_on_this_machine_is_reached_without_a_proxy(url: str, bypass: bool) -> None:
    from essaycoach.grammar.languagetool import proxies_for

    proxies = proxies_for(url)
    if bypass:
        assert proxies == {"http": None, "https": None, "all": None}
    else:
        assert proxies is None


@pytest.mark.parametrize("url", ["http://[::1", "http://u:secret@[::1", "http://host:99999"])
def test_a_url_python_cannot_take_apart_is_refused_not_a_traceback(url: str) -> None:
    """Review: "http://[::1" raised ValueError out of urlsplit."""
    from essaycoach.settings import languagetool_url_problem

    problem = languagetool_url_problem(url)
    assert problem is not None and problem.startswith("must be an http:// or https:// URL")
    assert "secret" not in problem
