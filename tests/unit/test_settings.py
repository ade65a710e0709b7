"""Settings: every field is validated on construction, as a SettingsError naming it."""

from __future__ import annotations

from pathlib import Path

import pytest

import essaycoach
from essaycoach.errors import EssaycoachError, SettingsError
from essaycoach.settings import Settings


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"grammar": "harpr"},
            "grammar: must be one of auto, languagetool, harper, both, off, not 'harpr'",
        ),
        (
            {"grammar": None},
            "grammar: must be one of auto, languagetool, harper, both, off, not None",
        ),
        (
            {"languagetool_url": "localhost:8081"},
            "languagetool_url: must be an http:// or https:// URL with a host "
            "(http://host[:port]), not 'localhost:8081'",
        ),
        ({"languagetool_url": 8081}, "languagetool_url: must be a URL or None, not 8081"),
        ({"min_words": 0}, "min_words: must be an integer of at least 1, not 0"),
        ({"min_words": "50"}, "min_words: must be an integer of at least 1, not '50'"),
        ({"min_words": True}, "min_words: must be an integer of at least 1, not True"),
        ({"min_words": 50.0}, "min_words: must be an integer of at least 1, not 50.0"),
        (
            {"rubric": None},
            "rubric: must be a bundled rubric's name or a rubric file's path, not None",
        ),
        ({"exemplar": 3}, "exemplar: must be an essay file's path or None, not 3"),
        ({"harper_server": "no"}, "harper_server: must be True or False, not 'no'"),
        (
            {"accept_words": "Chrissie Rodney"},  # iterated, it accepted C, h, r, ...
            "accept_words: must be a list of words, not the string 'Chrissie Rodney' "
            "(for several words: ['Chrissie', 'Rodney'])",
        ),
        ({"accept_words": None}, "accept_words: must be a list of words, not None"),
        ({"accept_words": b"Chrissie"}, "accept_words: must be a list of words, not b'Chrissie'"),
        (
            {"accept_words": ("Chrissie", 3)},
            "accept_words: must hold only words (strings), not 3",
        ),
    ],
)
def test_an_invalid_field_is_a_settings_error_naming_it(
    values: dict[str, object], message: str
) -> None:
    with pytest.raises(SettingsError) as info:
        Settings(**values)  # type: ignore[arg-type]
    assert str(info.value) == message
    assert info.value.key == next(iter(values))
    assert isinstance(info.value, EssaycoachError)
    assert isinstance(info.value, ValueError)  # what Settings raised before SettingsError


def test_check_overrides_are_validated_the_same_way() -> None:
    with pytest.raises(SettingsError, match=r"^grammar: must be one of "):
        essaycoach.check("text " * 60, grammar="harpr")


def test_rubric_and_exemplar_paths_are_kept_as_strings() -> None:
    settings = Settings(rubric=Path("rubrics/x.toml"), exemplar=Path("examples/x.md"))  # type: ignore[arg-type]
    assert (settings.rubric, settings.exemplar) == ("rubrics/x.toml", "examples/x.md")
    assert settings == Settings(rubric="rubrics/x.toml", exemplar="examples/x.md")


@pytest.mark.parametrize(
    "words", [["Chrissie", "Rodney"], ("Chrissie", "Rodney"), (w for w in ("Chrissie", "Rodney"))]
)
def test_accept_words_takes_any_iterable_of_words_and_keeps_a_tuple(words: object) -> None:
    settings = Settings(accept_words=words)  # type: ignore[arg-type]
    assert settings.accept_words == ("Chrissie", "Rodney")
    assert hash(settings) == hash(Settings(accept_words=("Chrissie", "Rodney")))
