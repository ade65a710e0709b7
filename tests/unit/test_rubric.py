"""Rubrics load strictly: every malformed file is an error naming the file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from essaycoach.errors import RubricError
from essaycoach.rubric import list_rubrics, load_rubric

MINIMAL = """
id = "mini"
name = "Mini"

[[criterion]]
id = "thesis"
name = "Thesis"
weight = 2
required = true
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rubric.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_literary_analysis_rubric_is_valid():
    rubric = load_rubric("literary-analysis")
    ids = [c.id for c in rubric.criteria]
    assert ids == [
        "thesis",
        "conflict",
        "inciting_incident",
        "rising_action",
        "climax",
        "falling_action",
        "resolution",
    ]
    required = {c.id for c in rubric.criteria if c.required}
    assert required == {"thesis", "conflict", "climax", "resolution"}
    assert "Hailsham" in rubric.accept_words
    for criterion in rubric.criteria:
        assert criterion.exemplar_paragraphs, criterion.id
        assert criterion.feedback.missing and criterion.feedback.met, criterion.id


def test_every_bundled_rubric_loads():
    paths = list_rubrics()
    assert paths
    for path in paths:
        assert load_rubric(path).criteria


def test_minimal_rubric_gets_defaults(tmp_path):
    rubric = load_rubric(write(tmp_path, MINIMAL))
    assert rubric.criteria[0].weight == 2.0
    assert rubric.targets.similarity.copied_run_words == 8
    assert rubric.source.endswith("rubric.toml")


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        (MINIMAL + "\ncolour = 'red'\n", "colour", "unknown key"),
        (
            MINIMAL + "\n[targets.readability]\ngrade_mn = 3\n",
            "targets.readability.grade_mn",
            "unknown key",
        ),
        (
            MINIMAL.replace("weight = 2", "weight = 'heavy'"),
            "criterion[0].weight",
            "expected a number",
        ),
        (
            MINIMAL.replace("required = true", "required = 'yes'"),
            "criterion[0].required",
            "boolean",
        ),
        (
            MINIMAL + '\n[[criterion]]\nid = "thesis"\nname = "Again"\n',
            None,
            "duplicate criterion id",
        ),
        (MINIMAL.replace('name = "Mini"', ""), "name", "missing required key"),
        (MINIMAL + "\n[scoring]\nstructure_weight = true\n", "scoring.structure_weight", "number"),
        ('id = "x"\nname = "X"\ncriterion = []\n', None, "at least one criterion"),
        (MINIMAL + '\n[criterion.levels]\n7 = "too high"\n', None, "level keys must be 0-4"),
        (MINIMAL.replace('id = "thesis"', 'id = "the sis"'), None, "must be letters"),
    ],
)
def test_invalid_rubric_names_file_and_key(tmp_path, text, key, words):
    path = write(tmp_path, text)
    with pytest.raises(RubricError) as caught:
        load_rubric(path)
    message = str(caught.value)
    assert str(path) in message
    assert words in message
    if key:
        assert key in message
    assert "\n" not in message


def test_malformed_toml_names_file(tmp_path):
    path = write(tmp_path, "id = \n")
    with pytest.raises(RubricError, match="invalid TOML") as caught:
        load_rubric(path)
    assert str(path) in str(caught.value)


def test_unknown_rubric_name_lists_bundled_ones():
    with pytest.raises(RubricError, match="literary-analysis"):
        load_rubric("no-such-rubric")


def test_missing_rubric_file(tmp_path):
    with pytest.raises(RubricError, match="no such file"):
        load_rubric(tmp_path / "absent.toml")
