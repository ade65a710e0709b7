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
