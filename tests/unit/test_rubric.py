"""Rubrics load strictly: every malformed file is an error naming the file and key."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import essaycoach
from essaycoach.cli import main
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


def test_rubric_saved_with_a_byte_order_mark_loads(tmp_path):
    path = tmp_path / "notepad.toml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode("utf-8"))  # as Windows Notepad saves it
    assert load_rubric(path).criteria[0].weight == 2.0


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
        (
            MINIMAL
            + '\n[targets.similarity]\ntopic_words = ["claim", "should", "evidence", "x"]\n',
            "targets.similarity",
            "'should' is a stop word",
        ),
        (
            MINIMAL.replace('name = "Mini"', 'name = "Mini"\nstory_analysis = "yes"'),
            "story_analysis",
            "boolean",
        ),
        (MINIMAL + "\n[scoring]\nstructure_weight = true\n", "scoring.structure_weight", "number"),
        ('id = "x"\nname = "X"\ncriterion = []\n', None, "at least one criterion"),
        (MINIMAL + '\n[criterion.levels]\n7 = "too high"\n', None, "level keys must be 0-4"),
        (MINIMAL.replace('id = "thesis"', 'id = "the sis"'), None, "must be letters"),
        # QA (a teacher's rubric): these were accepted and did nothing, or too much
        (
            MINIMAL + '\n[[criterion]]\nid = "Thesis"\nname = "Again"\n',
            None,
            "duplicate criterion id 'Thesis' (as 'thesis': ids are case-blind)",
        ),
        (
            MINIMAL.replace("required = true", 'required = true\ncues = ["claim", ""]'),
            None,
            "cues entries must be words or phrases",
        ),
        (
            MINIMAL.replace("required = true", 'required = true\nmet_requires = ["*"]'),
            None,
            "met_requires entries must be words",
        ),
        (
            MINIMAL.replace("required = true", 'required = true\nmet_requires = ["-*"]'),
            None,
            "met_requires entries must be words",
        ),
        (
            MINIMAL.replace("required = true", 'required = true\ncues = ["argu*"]'),
            None,
            "cues are matched as written, so 'argu*' would never match",
        ),
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


def criterion(key: str, value: str) -> str:
    """MINIMAL with one more key in its criterion (or `weight` replaced)."""
    if key == "weight":
        return MINIMAL.replace("weight = 2", f"weight = {value}")
    return MINIMAL.replace("required = true", f"required = true\n{key} = {value}")


def section(table: str, body: str) -> str:
    return MINIMAL + f"\n[{table}]\n{body}\n"


def scoring(**weights: object) -> str:
    return section("scoring", "\n".join(f"{k} = {v}" for k, v in weights.items()))


# Values that decode to the right type but make no sense: (text, table, key, words).
# The message must name the file, the table the key is in and the key.
NONSENSE = {
    "criterion weight nan": (criterion("weight", "nan"), "criterion[0]", "weight", "finite"),
    "criterion weight inf": (criterion("weight", "inf"), "criterion[0]", "weight", "finite"),
    "criterion weight -inf": (criterion("weight", "-inf"), "criterion[0]", "weight", "finite"),
    "criterion weight negative": (
        criterion("weight", "-1"),
        "criterion[0]",
        "weight",
        "must not be negative",
    ),
    "all criterion weights 0": (criterion("weight", "0"), None, "criterion weights", "above 0"),
    "criterion order negative": (
        criterion("order", "-1"),
        "criterion[0]",
        "order",
        "must not be negative",
    ),
    "exemplar paragraph 0": (
        criterion("exemplar_paragraphs", "[0]"),
        "criterion[0]",
        "exemplar_paragraphs",
        "at least 1",
    ),
    "exemplar paragraph -1": (
        criterion("exemplar_paragraphs", "[-1]"),
        "criterion[0]",
        "exemplar_paragraphs",
        "at least 1",
    ),
    "exemplar paragraph 0 after a valid one": (
        criterion("exemplar_paragraphs", "[2, 0]"),
        "criterion[0]",
        "exemplar_paragraphs",
        "at least 1",
    ),
    "criterion level 5": (
        section("criterion.levels", '5 = "beyond"'),
        "criterion[0]",
        "level keys must be 0-4",
        "['5']",
    ),
    "criterion level x": (
        section("criterion.levels", 'x = "what"'),
        "criterion[0]",
        "level keys must be 0-4",
        "['x']",
    ),
    "default level 5": (
        section("default_levels", '4 = "top"\n5 = "beyond"'),
        None,
        "default_levels",
        "level keys must be 0-4, got ['5']",
    ),
    "default level x": (
        section("default_levels", 'x = "what"'),
        None,
        "default_levels",
        "level keys must be 0-4, got ['x']",
    ),
    "version negative": (
        MINIMAL.replace('name = "Mini"', 'name = "Mini"\nversion = -1'),
        None,
        "version",
        "must not be negative",
    ),
    "readability grade_min nan": (
        section("targets.readability", "grade_min = nan"),
        "targets.readability",
        "grade_min",
        "finite",
    ),
    "readability grade_max inf": (
        section("targets.readability", "grade_max = inf"),
        "targets.readability",
        "grade_max",
        "finite",
    ),
    "grammar target nan": (
        section("targets.grammar", "max_issues_per_100_words = nan"),
        "targets.grammar",
        "max_issues_per_100_words",
        "finite",
    ),
    "grammar target 0": (
        section("targets.grammar", "max_issues_per_100_words = 0"),
        "targets.grammar",
        "max_issues_per_100_words",
        "above 0",
    ),
    "grammar target negative": (
        section("targets.grammar", "max_issues_per_100_words = -1.5"),
        "targets.grammar",
        "max_issues_per_100_words",
        "above 0",
    ),
    "similarity off_topic_below nan": (
        section("targets.similarity", "off_topic_below = nan"),
        "targets.similarity",
        "off_topic_below",
        "finite",
    ),
    "similarity too_similar_above inf": (
        section("targets.similarity", "too_similar_above = inf"),
        "targets.similarity",
        "too_similar_above",
        "finite",
    ),
    "similarity topic_words_min_share above 1": (
        section("targets.similarity", "topic_words_min_share = 1.5"),
        "targets.similarity",
        "topic_words_min_share",
        "between 0 and 1",
    ),
    "similarity topic_words_min_distinct negative": (
        section("targets.similarity", "topic_words_min_distinct = -1"),
        "targets.similarity",
        "topic_words_min_distinct",
        "must not be negative",
    ),
    "similarity topic_words_min_distinct above the topic words": (
        section(
            "targets.similarity",
            'topic_words = ["novel", "novels", "plot"]\ntopic_words_min_distinct = 3',
        ),
        "targets.similarity",
        "topic_words_min_distinct",
        "topic_words has 2 distinct words (forms of one word count once)",
    ),
    "similarity topic_words fewer than the default topic_words_min_distinct": (
        section("targets.similarity", 'topic_words = ["novel", "plot"]'),
        "targets.similarity",
        "topic_words_min_distinct",
        "is 3 (3 when not set), but topic_words has 2 distinct words",
    ),
    "similarity copied_run_words 2": (
        section("targets.similarity", "copied_run_words = 2"),
        "targets.similarity",
        "copied_run_words",
        "at least 3",
    ),
    **{
        f"scoring {key} {value}": (scoring(**{key: value}), "scoring", key, "finite")
        for key in (
            "structure_weight",
            "readability_weight",
            "grammar_weight",
            "off_topic_cap",
            "order_penalty",
            "copy_deduction",
        )
        for value in ("nan", "inf")
    },
    **{
        f"scoring {key} negative": (scoring(**{key: value}), "scoring", key, "must not be negative")
        for key, value in (
            ("order_penalty", -400),
            ("structure_weight", -70),
            ("readability_weight", -10),
            ("grammar_weight", -20),
        )
    },
    "scoring off_topic_cap negative": (
        scoring(off_topic_cap=-30),
        "scoring",
        "off_topic_cap",
        "between 0 and 100",
    ),
    "scoring off_topic_cap above 100": (
        scoring(off_topic_cap=100.5),
        "scoring",
        "off_topic_cap",
        "between 0 and 100",
    ),
    "met_requires with a * inside": (
        criterion("met_requires", '["ar*gue"]'),
        "criterion[0]",
        "met_requires",
        "a * only at the end",
    ),
    "opinion_markers with a * inside": (
        criterion("opinion_markers", '["I th*nk"]\nmet_requires = ["argu*"]'),
        "criterion[0]",
        "opinion_markers",
        "a * only at the end",
    ),
    "opinion_markers without met_requires": (
        criterion("opinion_markers", '["I think"]'),
        "criterion[0]",
        "opinion_markers",
        "only add to met_requires",
    ),
    "taste_words without opinion_markers": (
        criterion("taste_words", '["a good"]'),
        "criterion[0]",
        "taste_words",
        "only qualify opinion_markers",
    ),
    "met_requires empty entry": (
        criterion("met_requires", '[" "]'),
        "criterion[0]",
        "met_requires",
        "words or phrases",
    ),
    "scoring copy_deduction negative": (
        scoring(copy_deduction=-0.5),
        "scoring",
        "copy_deduction",
        "between 0 and 1",
    ),
    "scoring copy_deduction above 1": (
        scoring(copy_deduction=2),
        "scoring",
        "copy_deduction",
        "between 0 and 1",
    ),
    "scoring weights all 0": (
        scoring(structure_weight=0, readability_weight=0, grammar_weight=0),
        "scoring",
        "structure_weight + scoring.readability_weight",
        "above 0",
    ),
    # with --grammar off only structure and readability are scored
    "scoring only grammar weighted": (
        scoring(structure_weight=0, readability_weight=0, grammar_weight=20),
        "scoring",
        "structure_weight + scoring.readability_weight",
        "above 0",
    ),
}


@pytest.mark.parametrize(("text", "table", "key", "words"), NONSENSE.values(), ids=NONSENSE)
def test_nonsense_value_names_file_and_key(tmp_path, text, table, key, words):
    path = write(tmp_path, text)
    with pytest.raises(RubricError) as caught:
        load_rubric(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    if table:
        assert message.startswith(f"{path}: {table}: ")
    assert key in message
    assert words in message
    assert "\n" not in message


# Boundary values that are valid: (text, check on the loaded rubric).
SENSIBLE = {
    "criterion weight 0 beside a weighted one": (
        MINIMAL + '\n[[criterion]]\nid = "extra"\nname = "Extra"\nweight = 0\n',
        lambda r: [c.weight for c in r.criteria] == [2.0, 0.0],
    ),
    "criterion order 0": (criterion("order", "0"), lambda r: r.criteria[0].order == 0),
    "exemplar paragraph 1": (
        criterion("exemplar_paragraphs", "[1, 2]"),
        lambda r: r.criteria[0].exemplar_paragraphs == (1, 2),
    ),
    "no exemplar paragraphs": (
        criterion("exemplar_paragraphs", "[]"),
        lambda r: r.criteria[0].exemplar_paragraphs == (),
    ),
    "version 0": (
        MINIMAL.replace('name = "Mini"', 'name = "Mini"\nversion = 0'),
        lambda r: r.version == 0,
    ),
    "every level key 0-4": (
        section("default_levels", "\n".join(f'{n} = "level {n}"' for n in range(5)))
        + '\n[criterion.levels]\n0 = "none"\n4 = "top"\n',
        lambda r: (
            set(r.default_levels) == {"0", "1", "2", "3", "4"}
            and set(r.criteria[0].levels) == {"0", "4"}
        ),
    ),
    "grammar target just above 0": (
        section("targets.grammar", "max_issues_per_100_words = 0.01"),
        lambda r: r.targets.grammar.max_issues_per_100_words == 0.01,
    ),
    "similarity shares at 0 and 1": (
        section("targets.similarity", "off_topic_below = 0\ntoo_similar_above = 1"),
        lambda r: r.targets.similarity.too_similar_above == 1.0,
    ),
    "off_topic_cap 0": (scoring(off_topic_cap=0), lambda r: r.scoring.off_topic_cap == 0),
    "off_topic_cap 100": (scoring(off_topic_cap=100), lambda r: r.scoring.off_topic_cap == 100),
    "order_penalty 0": (scoring(order_penalty=0), lambda r: r.scoring.order_penalty == 0),
    "copy_deduction 0": (scoring(copy_deduction=0), lambda r: r.scoring.copy_deduction == 0),
    "structure only": (
        scoring(readability_weight=0, grammar_weight=0),
        lambda r: r.scoring.structure_weight == 70.0,
    ),
    "readability only": (
        scoring(structure_weight=0, grammar_weight=0),
        lambda r: r.scoring.readability_weight == 10.0,
    ),
}


@pytest.mark.parametrize(("text", "check"), SENSIBLE.values(), ids=SENSIBLE)
def test_boundary_values_load(tmp_path, text, check):
    assert check(load_rubric(write(tmp_path, text)))


def test_every_bundled_rubric_passes_validate():
    paths = [str(p) for p in list_rubrics()]
    result = CliRunner().invoke(main, ["rubric", "validate", *paths])
    assert result.exit_code == 0, result.output


def test_validate_says_which_exemplar_the_paragraph_map_was_checked_on(tmp_path):
    """QA: a persuasive rubric validated "ok" against the bundled Never Let Me Go
    exemplar without saying so. A rubric may name its own (`exemplar`), and
    --exemplar wins over it."""
    persuasive = Path(__file__).resolve().parents[1] / "fixtures" / "persuasive"
    rubric = str(persuasive / "rubric.toml")
    own = CliRunner().invoke(main, ["rubric", "validate", rubric, "--no-config"])
    assert own.output == (
        f"{rubric}: ok (persuasive, 4 criteria; paragraphs mapped on the exemplar "
        f"{persuasive / 'exemplar.txt'})\n"
    )
    unnamed = tmp_path / "rubric.toml"
    unnamed.write_text(
        Path(rubric).read_text(encoding="utf-8").replace('exemplar = "exemplar.txt"\n', ""),
        encoding="utf-8",
    )
    bundled = CliRunner().invoke(main, ["rubric", "validate", str(unnamed), "--no-config"])
    assert bundled.stdout.endswith("paragraphs mapped on the bundled exemplar (Never Let Me Go))\n")
    # QA: a persuasive essay then scored 78.1 against the novel's analysis, not 89.1
    assert bundled.stderr == (
        f"essaycoach: warning: {unnamed}: the rubric names no exemplar, so essays are compared "
        "with the bundled one, an analysis of Never Let Me Go: name the task's model essay "
        'with exemplar = "..." in the rubric, or --exemplar\n'
    )
    assert bundled.exit_code == 0
    checked = CliRunner().invoke(
        main, ["check", str(persuasive / "strong.txt"), "--rubric", str(unnamed), "--grammar",
               "off", "--no-config"],
    )  # fmt: skip
    assert bundled.stderr in checked.stderr
    assert "warning" not in own.stderr
    other = str(persuasive / "strong.txt")  # one paragraph too few for the rubric's map
    given = CliRunner().invoke(main, ["rubric", "validate", rubric, "--exemplar", other])
    assert given.exit_code == 2 and other in given.output


def test_validate_notes_a_rubric_that_maps_no_exemplar_paragraphs(tmp_path):
    """QA: a rubric without any exemplar_paragraphs validated "ok (... paragraphs mapped
    on the exemplar ...)", and check then silently gave no coverage."""
    import re

    persuasive = Path(__file__).resolve().parents[1] / "fixtures" / "persuasive"
    text = (persuasive / "rubric.toml").read_text(encoding="utf-8")
    unmapped = tmp_path / "rubric.toml"
    unmapped.write_text(
        re.sub(r"exemplar_paragraphs = \[[^\]]*\]\n", "", text).replace(
            'exemplar = "exemplar.txt"', f'exemplar = "{(persuasive / "exemplar.txt").as_posix()}"'
        ),
        encoding="utf-8",
    )
    assert "exemplar_paragraphs" not in unmapped.read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["rubric", "validate", str(unmapped), "--no-config"])
    assert result.exit_code == 0, result.output
    assert "note: no criterion maps paragraphs" in result.output
    assert "paragraphs mapped on" not in result.output


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        (criterion("weight", "nan"), "criterion[0]: criterion 'thesis': weight"),
        (scoring(order_penalty=-400), "scoring: scoring.order_penalty"),
    ],
)
def test_rubric_validate_rejects_nonsense_with_exit_2(tmp_path, text, phrase):
    path = write(tmp_path, text)
    result = CliRunner().invoke(main, ["rubric", "validate", str(path)])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert str(path) in lines[0] and phrase in lines[0]


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


def test_rubric_mapping_past_the_default_exemplar_blames_the_rubric_and_key(tmp_path):
    from essaycoach.exemplar import load_exemplar

    path = write(tmp_path, criterion("exemplar_paragraphs", "[1, 99]"))
    with pytest.raises(RubricError) as caught:
        load_exemplar(load_rubric(path))
    message = str(caught.value)
    assert message.startswith(f"{path}: criterion[0].exemplar_paragraphs: criterion 'thesis' ")
    assert "maps to exemplar paragraph 99, but the exemplar" in message
    assert message.endswith("has 8 paragraphs")


def test_a_given_exemplar_too_short_for_the_rubric_blames_the_exemplar(tmp_path):
    from essaycoach.errors import InputError
    from essaycoach.exemplar import load_exemplar

    exemplar = tmp_path / "short.txt"
    exemplar.write_text("Kathy narrates.\n\nTommy rages.\n", encoding="utf-8")
    rubric = load_rubric("literary-analysis")
    with pytest.raises(InputError) as caught:
        load_exemplar(rubric, exemplar)
    assert str(caught.value) == (
        f"{exemplar}: the exemplar has 2 paragraphs, but the rubric ({rubric.source}, "
        "criterion[2].exemplar_paragraphs) maps criterion 'inciting_incident' to paragraph 3; "
        "use an exemplar with the paragraphs the rubric maps, or a rubric mapped to this "
        "exemplar"
    )
    assert load_exemplar(rubric).essay.paragraphs  # the bundled pair fits


def test_a_folder_named_like_a_bundled_rubric_does_not_hide_it(tmp_path, monkeypatch):
    (tmp_path / "literary-analysis").mkdir()  # the class's essays, say
    monkeypatch.chdir(tmp_path)
    assert load_rubric("literary-analysis").id == "literary-analysis"


MAPPED = MINIMAL + "exemplar_paragraphs = [{}]\n"


def validate(*args: str | Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["rubric", "validate", *map(str, args)])
    return result.exit_code, [line for line in result.output.splitlines() if line.strip()]


def test_rubric_validate_checks_the_paragraphs_it_maps_against_the_exemplar_check_uses(
    tmp_path, monkeypatch
):
    """It said ok for a rubric that `check` refused (paragraph 99 of an 8-paragraph exemplar)."""
    from essaycoach.exemplar import load_exemplar

    monkeypatch.chdir(tmp_path)
    path = write(tmp_path, MAPPED.format(99))
    with pytest.raises(RubricError) as caught:  # what check, grade and calibrate say
        load_exemplar(load_rubric(path))
    assert "maps to exemplar paragraph 99" in str(caught.value)
    assert validate(path) == (2, [f"essaycoach: error: {caught.value}"])
    assert validate(write(tmp_path, MAPPED.format(8)))[0] == 0


def test_rubric_validate_uses_the_exemplar_given_or_configured(tmp_path, monkeypatch):
    from essaycoach.errors import InputError
    from essaycoach.exemplar import load_exemplar

    monkeypatch.chdir(tmp_path)
    exemplar = tmp_path / "short.md"
    exemplar.write_text("One paragraph.\n\nTwo paragraphs.\n\nThree.\n", encoding="utf-8")
    path, fits = tmp_path / "eight.toml", tmp_path / "three.toml"
    path.write_text(MAPPED.format(8), encoding="utf-8")
    fits.write_text(MAPPED.format(3), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_exemplar(load_rubric(path), exemplar)
    assert validate(path, "--exemplar", exemplar) == (2, [f"essaycoach: error: {caught.value}"])
    assert "the exemplar has 3 paragraphs" in str(caught.value)
    assert validate(fits, "--exemplar", exemplar)[0] == 0
    # the configuration's exemplar is the one check would use
    (tmp_path / "essaycoach.toml").write_text('exemplar = "short.md"\n', encoding="utf-8")
    assert validate(path) == (2, [f"essaycoach: error: {caught.value}"])
    assert validate(path, "--no-config")[0] == 0
    assert validate(fits)[0] == 0


def test_rubric_validate_names_a_missing_exemplar_once(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = write(tmp_path, MINIMAL)
    missing = tmp_path / "gone.md"
    assert validate(path, path, "--exemplar", missing) == (
        2,
        [f"essaycoach: error: {missing}: exemplar: no such file"],
    )


@pytest.mark.parametrize(
    ("text", "meets"),
    [
        ("Miller argues that fear spreads.", True),  # argu*
        ("It is arguably his best play.", True),
        ("I  think\\nit is about pride.", True),  # a phrase across any whitespace
        ("They took a shower before the trial.", False),  # "show" is a whole word
        ("The Crucible is a play by Arthur Miller.", False),
    ],
)
def test_met_requires_matches_words_phrases_and_endings(text, meets):
    from essaycoach.rubric import Criterion

    criterion = Criterion("thesis", "Thesis", met_requires=("argu*", "show", "I think"))
    assert criterion.meets_requirement(text.replace("\\n", "\n")) is meets
    assert Criterion("thesis", "Thesis").meets_requirement(text)  # no list: always met


OPINION_CRITERION = dict(
    met_requires=("shows",),
    opinion_markers=("I think", "in my opinion"),
    taste_words=("a good", "boring", "enjoy*"),
)


@pytest.mark.parametrize(
    ("text", "meets", "taste"),
    [
        # should pass: an opinion that says what the work means is a claim
        ("I think the novel is about accepting fate.", True, None),
        ("In my opinion the ending is about hope.", True, None),
        # should pass: a claim word counts even beside a judgement of taste
        ("I think it is a good book because it shows how fate works.", True, None),
        # should pass: the judgement in one sentence, the opinion in another
        ("It was a good book. I think it is about fate.", True, None),
        # should flag: an opinion of taste is no claim
        ("I think it was a good book.", False, "I think it was a good book."),
        ("In my opinion the novel is boring.", False, "In my opinion the novel is boring."),
        ("It has clones. I think you will enjoy it.", False, "I think you will enjoy it."),
    ],
)
def test_an_opinion_is_a_claim_unless_it_judges_taste(text, meets, taste):
    from essaycoach.essay import split_sentences
    from essaycoach.rubric import Criterion

    criterion = Criterion("thesis", "Thesis", **OPINION_CRITERION)
    assert criterion.meets_requirement(text) is meets
    sentences = [text[start:end] for start, end in split_sentences(text)]
    assert next((s for s in sentences if criterion.judges_taste(s)), None) == taste


def test_rubric_show_says_when_the_task_analyses_a_story():
    persuasive = Path(__file__).resolve().parents[1] / "fixtures" / "persuasive" / "rubric.toml"
    marker = "task: an analysis of a story"
    assert marker in CliRunner().invoke(main, ["rubric", "show", "literary-analysis"]).output
    assert marker not in CliRunner().invoke(main, ["rubric", "show", str(persuasive)]).output


def test_a_missing_exemplar_the_rubric_names_is_the_rubrics_error(tmp_path):
    """QA: "nope.txt: exemplar: no such file" did not say the rubric named it."""
    rubric = tmp_path / "unit" / "rubric.toml"
    rubric.parent.mkdir()
    rubric.write_text('exemplar = "nope.txt"\n' + MINIMAL, encoding="utf-8")
    line = f"essaycoach: error: {rubric}: exemplar: {rubric.parent / 'nope.txt'}: no such file\n"
    validate = CliRunner().invoke(main, ["rubric", "validate", str(rubric), "--no-config"])
    assert (validate.exit_code, validate.output) == (2, line)
    with pytest.raises(RubricError, match=r"exemplar: .*nope\.txt: no such file"):
        essaycoach.check(text="Kathy remembers Hailsham.", rubric=str(rubric), grammar="off")


def test_show_leaves_no_colon_after_a_criterion_without_description(tmp_path):
    """QA: "Central conflict: " ended with a colon and a space."""
    result = CliRunner().invoke(main, ["rubric", "show", str(write(tmp_path, MINIMAL))])
    lines = [line for line in result.output.splitlines() if line.startswith("  thesis ")]
    assert lines and not lines[0].endswith((":", ": ", " "))


def test_rubric_show_names_the_exemplar_and_what_finds_and_judges_each_criterion():
    """QA: `rubric show` named no exemplar, cues or claim words, so a teacher could not
    see which essay their criteria were modelled on."""
    persuasive = Path(__file__).resolve().parents[1] / "fixtures" / "persuasive"
    own = CliRunner().invoke(main, ["rubric", "show", str(persuasive / "rubric.toml")]).output
    assert f"exemplar: {persuasive / 'exemplar.txt'}\n" in own
    assert "      met needs one of: argu*, should, must, believe*, I think" in own
    assert "      cues: I argue, I believe, should" in own
    bundled = CliRunner().invoke(main, ["rubric", "show", "literary-analysis"]).output
    assert "exemplar: the bundled one (Never Let Me Go)\n" in bundled
    assert "      or, in a sentence without taste words: I think, I believe" in bundled
    assert max(len(line) for line in bundled.splitlines() if line.startswith("      ")) <= 100
