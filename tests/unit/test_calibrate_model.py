"""Calibration model: fitting, the plain JSON file format, refusing tampered files, trust."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.feature_extraction.text import TfidfVectorizer

from essaycoach.calibrate.agreement import quadratic_weighted_kappa
from essaycoach.calibrate.features import FEATURE_SCHEMA_VERSION, TEXT_FEATURES, FeatureExtractor
from essaycoach.calibrate.grid import (
    MAX_SCORE_LEVELS,
    ScoreGridError,
    lone_finer_scores,
    outlying_scores,
    score_grid,
)
from essaycoach.calibrate.model import (
    CalibrationModel,
    FitOptions,
    _cosine_without_self,
    _count_vectorizer,
    _export_gbm,
    _tfidf_transform,
    apply_cuts,
    calibrate,
    fit_model,
    optimise_cuts,
    repeated_sentences,
    score_step,
)
from essaycoach.calibrate.model_file import payload_digest
from essaycoach.calibrate.report_settings import make_record
from essaycoach.errors import ModelError
from essaycoach.essay import Essay
from essaycoach.exemplar import load_exemplar
from essaycoach.pipeline import accepted_words
from essaycoach.rubric import load_rubric
from essaycoach.settings import Settings
from tests.fixtures.calibration import OFF_TOPIC, graded_class

TOPIC = Path(__file__).parents[1] / "fixtures" / "topic"


@pytest.fixture(scope="module")
def fitted() -> CalibrationModel:
    essays = graded_class()
    return fit_model([t for _, t, _ in essays], [s for _, _, s in essays]).model


@pytest.fixture()
def saved(fitted: CalibrationModel, tmp_path: Path) -> Path:
    path = tmp_path / "model.json"
    fitted.save(path)
    return path


def test_save_creates_the_folder_and_leaves_no_temporary(
    fitted: CalibrationModel, tmp_path: Path
) -> None:
    path = tmp_path / "models" / "class-7b.json"
    fitted.save(path)
    assert CalibrationModel.load(path).digest == fitted.digest
    assert sorted(p.name for p in path.parent.iterdir()) == ["class-7b.json"]


def rewrite(path: Path, change, redigest: bool) -> None:  # type: ignore[no-untyped-def]
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document["payload"])
    if redigest:
        document["digest"] = payload_digest(document["payload"])
    path.write_text(json.dumps(document), encoding="utf-8")


def test_model_learns_development(fitted: CalibrationModel) -> None:
    parts = [
        p
        for p in (Path(__file__).parents[2] / "examples" / "never-let-me-go.txt")
        .read_text(encoding="utf-8")
        .split("\n\n")
        if p.strip()
    ]
    short = fitted.predict("\n\n".join(parts[:1]))
    full = fitted.predict("\n\n".join(parts))
    assert full.score > short.score
    assert 0.0 <= short.confidence <= 1.0
    # one value for every format: the gradebook's 0.70 and the report's 70% come from 0.705
    assert all(c == round(c, 3) for c in (short.confidence, full.confidence))


def test_confidence_is_the_chance_of_the_exact_score_not_of_the_cut_band(
    saved: Path,
) -> None:
    """QA: confidence was the chance that the raw value fell between the predicted
    score's cut points, which QWK places unevenly: it followed the band's width (0.68 for
    scores exact 25% of the time, 0.24 for scores exact 71% of the time)."""
    rewrite(saved, lambda p: p.update(cuts=[0.9, 1.2, 2.8], residual_sd=0.6), redigest=True)
    model = CalibrationModel.load(saved)
    in_the_middle = math.erf(0.5 / (0.6 * math.sqrt(2)))  # P(|error| < half a level)
    # level 1's band is 0.3 wide and level 2's 1.6: the same chance at each one's centre
    assert model._confidence(1.0, 1) == pytest.approx(in_the_middle)
    assert model._confidence(2.0, 2) == pytest.approx(in_the_middle)
    # the ends take what lies beyond them
    assert model._confidence(0.0, 0) == pytest.approx(0.5 + in_the_middle / 2)
    # half a level off the centre: from the score's lower half-level to the raw value
    assert model._confidence(1.5, 1) == pytest.approx(0.5 * math.erf(1.0 / (0.6 * math.sqrt(2))))


def test_scores_off_zero_are_predicted_on_the_teachers_own_grid() -> None:
    """QA: letter grades turned into 55, 65, 75, 85 made a grid of fives (60, 70, 80
    predicted, which no one was given), and a grid of whole points from 0.5 predicted
    whole numbers (level_to_score cut the half off)."""
    essays = graded_class()
    texts = [t for _, t, _ in essays]
    for to_score, step, given in (
        (lambda s: 45 + 10 * s, 10.0, {55.0, 65.0, 75.0, 85.0}),
        (lambda s: s - 0.5, 1.0, {0.5, 1.5, 2.5, 3.5}),
    ):
        model = fit_model(texts, [to_score(s) for _, _, s in essays]).model
        assert model.step == step
        assert {model.predict(text).score for text in texts} <= given


def test_a_model_saved_again_with_a_byte_order_mark_loads(saved: Path) -> None:
    """QA: an editor's BOM gave "Unexpected UTF-8 BOM (decode using utf-8-sig)"."""
    saved.write_bytes(b"\xef\xbb\xbf" + saved.read_bytes())
    assert CalibrationModel.load(saved).digest


def test_save_load_round_trip_predicts_the_same(fitted: CalibrationModel, saved: Path) -> None:
    loaded = CalibrationModel.load(saved)
    texts = [t for _, t, _ in graded_class()[:10]]
    assert np.allclose(loaded.raw_levels(texts), fitted.raw_levels(texts))
    assert loaded.payload["feature_schema"] == FEATURE_SCHEMA_VERSION


def test_file_is_plain_json_with_digest(saved: Path) -> None:
    document = json.loads(saved.read_text(encoding="utf-8"))
    assert set(document) == {"digest", "payload"}
    assert document["digest"] == payload_digest(document["payload"])


def test_tampered_coefficient_is_rejected(saved: Path) -> None:
    def change(payload):  # type: ignore[no-untyped-def]
        payload["ridge"]["coef"][0] += 1.0

    rewrite(saved, change, redigest=False)
    with pytest.raises(ModelError, match="digest mismatch"):
        CalibrationModel.load(saved)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda p: p.update(feature_schema="text-0"), "feature schema 'text-0'"),
        (
            lambda p: p.update(format_version=99),
            "format version 99 is not supported: the file was written by a newer essaycoach, "
            "this one reads version 4; upgrade essaycoach",
        ),
        (
            lambda p: p.update(format_version=3),
            "version 3 is not supported: the file was written by an older essaycoach, "
            "this one reads version 4; recalibrate",
        ),
        (lambda p: p.update(format="something-else"), "not a calibration model"),
        (lambda p: p["ridge"]["coef"].pop(), "damaged"),
        (lambda p: p["ridge_word"]["coef"].append(0.5), "damaged"),
        (lambda p: p["ridge_char"].pop("intercept"), "missing key"),
        (lambda p: p["cuts"].append(9.0), "damaged"),
        (lambda p: p["gbm"]["trees"][0]["left"].__setitem__(0, 10**6), "damaged"),
        (lambda p: p["dense_mean"].__setitem__(0, "x"), "damaged"),
        (lambda p: p.pop("training"), "missing key"),
        (lambda p: p.update(feature_names=list(reversed(TEXT_FEATURES))), "feature names"),
    ],
)
def test_mismatched_or_damaged_payload_is_rejected(saved: Path, change, message: str) -> None:  # type: ignore[no-untyped-def]
    rewrite(saved, change, redigest=True)
    with pytest.raises(ModelError, match=message) as info:
        CalibrationModel.load(saved)
    assert str(saved) in str(info.value)


def _without_word_terms(p: dict) -> None:  # type: ignore[type-arg]
    """Every word term gone, and every array sized by them cut to match."""
    words = len(p["word_vocabulary"])
    p["ridge"]["coef"] = p["ridge"]["coef"][words:]
    for key in ("word_vocabulary", "word_idf"):
        p[key] = []
    p["ridge_word"]["coef"] = []
    if len(p["training"]["centroid"]) == words:
        p["training"]["centroid"] = []


def test_a_model_without_word_terms_is_damaged_at_loading(saved: Path) -> None:
    """QA: such a file (digest recomputed) loaded, then failed every essay of the batch
    with "internal error: ValueError: empty vocabulary passed to fit"."""
    rewrite(saved, _without_word_terms, redigest=True)
    with pytest.raises(ModelError, match=r"damaged \(payload.word_vocabulary is empty\)"):
        CalibrationModel.load(saved)


def nested(depth: int) -> list:  # type: ignore[type-arg]
    value: list = []  # type: ignore[type-arg]
    for _ in range(depth):
        value = [value]
    return value


def set_key(path: str, value):  # type: ignore[no-untyped-def]
    """A change for `rewrite`: payload[a][b]... = value, for path "a.b..." (digits index lists)."""

    def change(payload):  # type: ignore[no-untyped-def]
        *parents, last = (int(k) if k.isdigit() else k for k in path.split("."))
        node = payload
        for key in parents:
            node = node[key]
        node[last] = value

    return change


# values that passed validation before and crashed (or misbehaved) later, in grade's summary;
# each message names the key path
@pytest.mark.parametrize(
    ("change", "message"),
    [
        (set_key("scores.step", 0), r"payload\.scores\.step must be 10, 5, 1, 0\.5, 0\.25 or 0\.1"),
        (set_key("scores.step", -1.0), r"payload\.scores\.step must be"),
        (set_key("scores.step", 0.3), r"payload\.scores\.step must be"),
        (
            set_key("scores.step", 1e308),
            r"payload\.scores\.step must be a finite number no larger than 1e\+12.*1e\+308",
        ),
        (set_key("scores.low", 1e308), r"payload\.scores\.low must be a finite number .*1e\+308"),
        (
            set_key("scores.low", 999_999.0),
            "payload.scores: scores must lie between -1,000,000 and 1,000,000",
        ),
        (
            set_key("scores.levels", 10**6),
            f"payload.scores.levels must be an integer from 2 to {MAX_SCORE_LEVELS}",
        ),
        (set_key("scores.levels", MAX_SCORE_LEVELS + 1), f"integer from 2 to {MAX_SCORE_LEVELS}"),
        (set_key("scores.levels", True), "payload.scores.levels must be an integer"),
        (set_key("scores.levels", 4.0), "payload.scores.levels must be an integer"),
        (set_key("scores", [1.0, 1.0, 4]), "payload.scores must be an object, found list"),
        (set_key("residual_sd", 0.0), "payload.residual_sd must be at least 0.05"),
        (set_key("residual_sd", -1.0), "payload.residual_sd must be at least 0.05"),
        (
            set_key("dense_weight", 1e308),
            r"payload\.dense_weight must be a finite number no larger than 1e\+12",
        ),
        (set_key("dense_weight", 1e6), "payload.dense_weight must be between 0 and 100"),
        (set_key("dense_weight", -0.25), "payload.dense_weight must be between 0 and 100"),
        (set_key("ridge_share", 2.0), "payload.ridge_share must be between 0 and 1"),
        (set_key("dense_scale.0", 1e-300), r"payload\.dense_scale\[0\] must be at least 1e-100"),
        (set_key("word_idf.0", 0.0), r"payload\.word_idf\[0\] must be at least 1"),
        (
            set_key("cuts.0", 10**400),
            r"payload\.cuts\[0\] must be a finite number",
        ),  # too big a float
        (set_key("cuts.1", -5.0), r"payload\.cuts\[1\] is below payload\.cuts\[0\]"),
        (
            set_key("dense_mean", nested(200)),
            "payload.dense_mean must be a list of 31 numbers, found 1",
        ),
        (
            set_key("dense_mean.0", nested(200)),
            r"payload\.dense_mean\[0\] must be a finite number .*found list",
        ),
        (
            set_key("dense_mean.0", "x"),
            r"payload\.dense_mean\[0\] must be a finite number .*found 'x'",
        ),
        (
            set_key("ridge.coef.7", True),
            r"payload\.ridge\.coef\[7\] must be a finite number .*found True",
        ),
        (set_key("ridge.alpha", "ten"), "payload.ridge.alpha must be a finite number"),
        (
            set_key("ridge_word.intercept", None),
            "payload.ridge_word.intercept must be a finite number",
        ),
        (set_key("ridge", "coefficients"), "payload.ridge must be an object, found str"),
        (
            set_key("word_vocabulary.1", 7),
            r"payload\.word_vocabulary\[1\] must be a string, found 7",
        ),
        (
            lambda p: p["char_vocabulary"].__setitem__(1, p["char_vocabulary"][0]),
            r"payload\.char_vocabulary\[1\] repeats payload\.char_vocabulary\[0\]",
        ),
        (
            set_key("training.essays", 47.0),
            "payload.training.essays must be an integer of at least 1",
        ),
        (
            set_key("training.words_p05", "many"),
            "payload.training.words_p05 must be a finite number",
        ),
        (set_key("gbm.init", [0.5]), "payload.gbm.init must be a finite number"),
        (set_key("gbm.trees", {}), "payload.gbm.trees must be a non-empty list"),
        (set_key("gbm.trees", []), "payload.gbm.trees must be a non-empty list"),
        (
            set_key("gbm.trees.0", [[-1], [-1]]),
            r"payload\.gbm\.trees\[0\] must be an object, found list",
        ),
        (
            set_key("gbm.trees.2.left.0", 10**6),
            r"payload\.gbm\.trees\[2\]\.left\[0\] points outside the tree",
        ),
        (
            set_key("gbm.trees.2.feature.0", 99),
            r"payload\.gbm\.trees\[2\]\.feature\[0\] must be a feature index",
        ),
        (
            set_key("gbm.trees.2.right", [2]),
            r"payload\.gbm\.trees\[2\]\.right must be a list of \d+ integers",
        ),
        (
            set_key("gbm.trees.2.value.0", "x"),
            r"payload\.gbm\.trees\[2\]\.value\[0\] must be a finite number",
        ),
        (set_key("training", None), "payload.training must be an object, found NoneType"),
        (
            set_key("cross_validated.qwk", "high"),
            "payload.cross_validated.qwk must be a finite number",
        ),
        # QA: these loaded when the digest was recomputed (a similarity limit of 2 made
        # every essay off-topic); 0.33 is on no grid the scores CSV allows
        (set_key("cross_validated.qwk", 5), "payload.cross_validated.qwk must be from -1 to 1"),
        (
            set_key("training.similarity_p01", 2.0),
            "payload.training.similarity_p01 must be from 0 to 1",
        ),
        (set_key("training.words_p05", -3), "payload.training.words_p05 must be at least 0"),
        (set_key("scores.low", 0.33), "payload.scores.low must be on a grid of 0.1 or 0.25"),
        (
            set_key("importance.words_up.0", "good"),
            r"payload\.importance\.words_up\[0\] must be a \[name, weight\] pair",
        ),
        (set_key("created", 20261203), "payload.created must be a string"),
        (
            set_key("feature_set", "everything"),
            "payload.feature_set must be 'text' or 'text\\+report'",
        ),
    ],
)
def test_out_of_range_payload_is_damaged(saved: Path, change, message: str) -> None:  # type: ignore[no-untyped-def]
    rewrite(saved, change, redigest=True)
    with pytest.raises(ModelError, match=message) as info:  # a ModelError, no other exception
        CalibrationModel.load(saved)
    text = str(info.value)
    assert text.startswith(f"{saved}: model file is damaged (payload."), text
    assert "\n" not in text


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("foo", 1),
        ("scores.foo", 1),
        ("ridge.foo", 1),
        ("ridge_word.bias", 0.0),
        ("ridge_char.foo", 1),
        ("training.foo", 1),
        ("gbm.foo", 1),
        ("gbm.trees.3.foo", 1),
        ("cross_validated.kappa", 0.9),
        ("importance.foo", []),
    ],
)
def test_unknown_key_is_refused_naming_it(saved: Path, key: str, value: object) -> None:
    rewrite(saved, set_key(key, value), redigest=True)
    with pytest.raises(ModelError) as info:
        CalibrationModel.load(saved)
    path = "payload." + key.replace(".3.", "[3].")
    assert str(info.value) == f"{saved}: model file is damaged (unknown key {path!r})"


@pytest.mark.parametrize(
    ("key", "path"),
    [
        ("ridge_char.intercept", "payload.ridge_char.intercept"),
        ("training", "payload.training"),
        ("created", "payload.created"),
        ("gbm.trees.0.threshold", "payload.gbm.trees[0].threshold"),
    ],
)
def test_missing_key_is_named_by_its_path(saved: Path, key: str, path: str) -> None:
    def change(payload):  # type: ignore[no-untyped-def]
        *parents, last = (int(k) if k.isdigit() else k for k in key.split("."))
        node = payload
        for parent in parents:
            node = node[parent]
        del node[last]

    rewrite(saved, change, redigest=True)
    with pytest.raises(ModelError) as info:
        CalibrationModel.load(saved)
    assert str(info.value) == f"{saved}: model file is damaged (missing key {path!r})"


@pytest.mark.parametrize("literal", ["3.0", "3e0", "30e-1", "true", '"3"'])
def test_format_version_must_be_the_integer(saved: Path, literal: str) -> None:
    # 3.0 == 3 in Python: the version was accepted as a float
    rewrite(saved, set_key("format_version", "@version@"), redigest=False)
    document = json.loads(saved.read_text(encoding="utf-8").replace('"@version@"', literal))
    document["digest"] = payload_digest(document["payload"])
    saved.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ModelError) as info:
        CalibrationModel.load(saved)
    shown = {"true": "True", '"3"': "'3'"}.get(literal, "3.0")
    assert str(info.value) == (
        f"{saved}: model file is damaged (payload.format_version must be the integer 4, "
        f"found {shown})"
    )


@pytest.mark.parametrize(
    ("literal", "message"),
    [
        ("NaN", "NaN is not a JSON number"),
        ("Infinity", "Infinity is not a JSON number"),
        ("-Infinity", "-Infinity is not a JSON number"),
        ("1e400", "number 1e400 is out of range"),
        ("-1e999", "number -1e999 is out of range"),
        ("9" * 5000, "4300 digits"),
    ],
)
def test_non_finite_json_number_is_refused(saved: Path, literal: str, message: str) -> None:
    # Python's json writes NaN and Infinity; the digest cannot be recomputed over them
    rewrite(saved, set_key("residual_sd", "@number@"), redigest=True)
    saved.write_text(
        saved.read_text(encoding="utf-8").replace('"@number@"', literal), encoding="utf-8"
    )
    with pytest.raises(ModelError, match=message) as info:
        CalibrationModel.load(saved)
    text = str(info.value)
    assert text.startswith(f"{saved}: not a calibration model file (invalid JSON: "), text
    assert "\n" not in text


def test_nesting_too_deep_to_digest_names_its_key(
    saved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nesting that json.loads took but the digest's json.dumps could not (the two run at
    different stack depths) is named by its key path."""
    import essaycoach.calibrate.model_file as model_file

    rewrite(saved, set_key("deep", nested(100)), redigest=False)

    def too_deep(payload):  # type: ignore[no-untyped-def]
        raise RecursionError

    monkeypatch.setattr(model_file, "payload_digest", too_deep)
    with pytest.raises(ModelError) as info:
        CalibrationModel.load(saved)
    assert str(info.value).startswith(f"{saved}: model file is damaged ('payload.deep[0][0][0]"), (
        info.value
    )
    assert str(info.value).endswith("... is nested too deeply)")


def test_nan_written_by_python_json_is_refused(saved: Path) -> None:
    rewrite(saved, set_key("cuts.0", float("nan")), redigest=False)
    assert "NaN" in saved.read_text(encoding="utf-8")
    with pytest.raises(ModelError, match=r"not a calibration model file .*NaN"):
        CalibrationModel.load(saved)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "invalid JSON"),
        # QA: the codec's own message ("'utf-8' codec can't decode byte 0xff ...")
        ('{"digest": "x"}'.encode("utf-16"), r"saved as UTF-16 \(Notepad's \"Unicode\"\)"),
        (b"\x80\x04\x95pickle", "not UTF-8 text: a binary file"),
        (b'{"payload": {}}', "expected keys"),
        (b"[1, 2, 3]", "expected keys"),
        (b"[" * 100_000 + b"]" * 100_000, "invalid JSON: nested too deeply"),
        (
            b'{"digest": "x", "payload": {"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}",
            "invalid JSON: nested too deeply",
        ),
    ],
)
def test_corrupt_file_is_rejected(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "model.json"
    path.write_bytes(content)
    with pytest.raises(ModelError, match=message) as info:
        CalibrationModel.load(path)
    assert "\n" not in str(info.value)


def test_missing_file_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="cannot read"):
        CalibrationModel.load(tmp_path / "absent.json")


def test_exported_trees_predict_like_scikit_learn(fitted: CalibrationModel) -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(80, 5))
    y = x[:, 0] * 2 + np.sin(x[:, 1]) + rng.normal(scale=0.1, size=80)
    gbm = HistGradientBoostingRegressor(
        max_iter=30, max_leaf_nodes=8, min_samples_leaf=5, early_stopping=False
    ).fit(x, y)
    clone = CalibrationModel(dict(fitted.payload), source="<test>")
    clone.payload = {**fitted.payload, "gbm": _export_gbm(gbm)}
    clone._trees = [
        tuple(np.asarray(t[k]) for k in ("left", "right", "feature", "threshold", "value"))
        for t in clone.payload["gbm"]["trees"]
    ]
    assert np.allclose(clone._gbm_predict(x), gbm.predict(x))


def test_small_class_trees_split_and_report_their_splits(fitted: CalibrationModel) -> None:
    # 47 essays: the leaf minimum drops from 20 to a tenth of the essays, so trees still split
    assert any(len(t["left"]) > 1 for t in fitted.payload["gbm"]["trees"])
    shares = [share for _, share in fitted.payload["importance"]["trees"]]
    assert shares == sorted(shares, reverse=True) and 0 < sum(shares) <= 1 + 1e-9


def test_stored_tfidf_reproduces_scikit_learn() -> None:
    texts = [t for _, t, _ in graded_class()[:12]]
    vectorizer = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2
    )
    expected = vectorizer.fit_transform(texts).toarray()
    terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
    counter = _count_vectorizer("char_wb", (2, 5), terms)
    assert np.allclose(_tfidf_transform(counter, vectorizer.idf_, texts).toarray(), expected)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Kathy remembers Hailsham fondly.", "too short"),
        (
            " ".join(["blorf quxxit zanderplick frumious wabbleton grimblewort snozzcumber"] * 30),
            "gibberish",
        ),
        (OFF_TOPIC.read_text(encoding="utf-8"), "off-topic"),
        # QA: these three had a confident score and no flag
        (" ".join(["Kathy remembers Hailsham and the friends she lost."] * 40), "repeats itself"),
        ("\n\n".join(t for _, t, _ in graded_class()), "too long"),  # the class pasted
        # QA: "gibberish or not English: 0 unknown words per 100"
        (" ".join(str(n) for n in range(300)), "gibberish or not English: it does not read"),
    ],
    ids=["short", "gibberish", "off-topic", "repeated", "pasted", "numbers"],
)
def test_untrusted_essays_are_marked(fitted: CalibrationModel, text: str, reason: str) -> None:
    prediction = fitted.predict(text)
    assert not prediction.trusted
    assert any(r.startswith(reason) for r in prediction.reasons), prediction.reasons


def test_an_essay_with_a_refrain_is_no_repetition(fitted: CalibrationModel) -> None:
    """Should pass: a quotation used twice in a real essay is not "repeats itself"."""
    essay = (Path(__file__).parents[2] / "examples" / "never-let-me-go.txt").read_text("utf-8")
    refrain = "Kathy says that she lost Tommy and Ruth in the end."
    text = f"{refrain}\n\n{essay}\n\n{refrain}"
    repeated, sentences = repeated_sentences(text)
    assert (repeated, sentences > 20) == (1, True)
    assert fitted.predict(text).trusted


@pytest.mark.parametrize(
    "name", ["macbeth.txt", "romeo-and-juliet.txt", "not-literary-learning-to-swim.txt"]
)
def test_off_prompt_is_marked_by_topic_similarity(saved: Path, name: str) -> None:
    # QA: essays on another ASAP prompt share 47-63% of their content words with the
    # training essays, over the content-word limit; the topic similarity still tells them
    # apart. With the content-word test switched off (limit 0) they are still marked.
    rewrite(saved, set_key("training.coverage_p01", 0.0), redigest=True)
    model = CalibrationModel.load(saved)
    text = (TOPIC / name).read_text(encoding="utf-8")
    reasons = model.predict(text).reasons
    assert any(r.startswith("off-topic: its content words are less like") for r in reasons), reasons


def test_topic_similarity_limit_leaves_each_essay_out() -> None:
    rows = sp.csr_matrix(np.asarray([[1.0, 0.0, 0.0], [0.6, 0.8, 0.0], [0.0, 0.6, 0.8]]))
    total = np.asarray(rows.sum(axis=0)).ravel()
    expected = []
    for i in range(3):
        rest = total - rows[i].toarray().ravel()
        expected.append(rows[i].toarray().ravel() @ rest / np.linalg.norm(rest))
    assert np.allclose(_cosine_without_self(rows, total), expected)


def test_too_short_counts_words_as_the_report_does(fitted: CalibrationModel) -> None:
    # QA: the report said 71 words, the review reason 73 for the same essay; hyphenated
    # words and accented letters were counted twice by the model's own tokenizer
    essay = Essay.from_text(
        "Kathy's well-known café in Norfolk is where Tommy and Ruth meet again, "
        "years after Hailsham: a long-awaited, half-hopeful reunion."
    )
    reason = next(r for r in fitted.predict(essay.prose).reasons if r.startswith("too short"))
    assert reason.startswith(f"too short: {essay.word_count} words;"), reason


def test_training_like_essay_is_trusted(fitted: CalibrationModel) -> None:
    text = (Path(__file__).parents[2] / "examples" / "never-let-me-go.txt").read_text(
        encoding="utf-8"
    )
    prediction = fitted.predict(text)
    assert prediction.trusted, prediction.reasons


def test_far_from_training_is_marked(fitted: CalibrationModel) -> None:
    text = (Path(__file__).parents[2] / "examples" / "never-let-me-go.txt").read_text(
        encoding="utf-8"
    )
    shouting = text.upper().replace(".", "!!!").replace(",", ";;")
    prediction = fitted.predict(shouting)
    assert any(r.startswith("far from the training essays") for r in prediction.reasons), (
        prediction.reasons
    )


def test_cuts_are_optimised_for_agreement() -> None:
    levels = np.array([0, 0, 1, 1, 2, 2, 3, 3] * 5)
    predicted = levels * 0.6 + 0.2  # compressed, as regression towards the mean does
    cuts = optimise_cuts(predicted, levels, 4)
    assert (apply_cuts(predicted, cuts) == levels).all()
    assert not (apply_cuts(predicted, np.array([0.5, 1.5, 2.5])) == levels).all()


def test_long_scales_get_evenly_spaced_stretched_cuts() -> None:
    rng = np.random.default_rng(1)
    levels = rng.integers(10, 51, size=400)
    predicted = 30 + (levels - 30) * 0.7 + rng.normal(scale=2.0, size=400)  # compressed
    cuts = optimise_cuts(predicted, levels, 61)
    steps = np.diff(cuts)
    assert np.allclose(steps, steps[0]) and steps[0] < 1.0  # one stretch factor, spread out
    midpoints = np.arange(60) + 0.5
    stretched = quadratic_weighted_kappa(levels, apply_cuts(predicted, cuts), 0, 60)
    plain = quadratic_weighted_kappa(levels, apply_cuts(predicted, midpoints), 0, 60)
    assert stretched > plain


@pytest.mark.parametrize(
    ("scores", "step"),
    [
        ([1, 2, 3], 1.0),
        ([1, 1.5, 3], 0.5),
        ([2.25, 3], 0.25),
        ([60, 70, 80, 90], 10.0),  # a teacher grading in tens: never predict a 69
        ([55, 60, 70], 5.0),
        ([0, 10], 1.0),  # two scores do not show a grid of tens
        ([2, 4, 6], 1.0),  # nor do even scores on a 1-6 scale
        # QA: counted from the lowest score, not from 0: letter grades turned into the
        # middles of their bands gave a 9-level scale whose 60, 70, 80 no one was given
        ([55, 65, 75, 85, 95], 10.0),
        ([0.5, 1.5, 2.5, 4.5], 1.0),
        ([0.5, 1.5, 2.25], 0.25),
    ],
)
def test_score_step(scores: list[float], step: float) -> None:
    assert score_step(scores) == step


WHOLE = [1.0, 2, 3, 4, 5, 6] * 5  # 30 scores on whole points


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        (WHOLE, (1.0, [])),
        ([*WHOLE, 3.5], (1.0, [30])),  # one half point among whole points: a typo?
        ([*WHOLE, 3.5, 4.5], (1.0, [30, 31])),
        ([*WHOLE, 3.5, 4.5, 2.5], (0.5, [])),  # three: the teacher grades in halves
        ([1.0, 2, 3.5], (0.5, [])),  # a third of the scores is no exception
        ([*WHOLE, 1.5, 2.5, 3.5, 3.25], (0.5, [33])),  # one quarter among halves
        ([*WHOLE, 3.1], (1.0, [30])),
        ([60.0, 70, 80, 90] * 8, (10.0, [])),
        ([60.0, 70, 80, 90] * 8 + [75], (10.0, [32])),  # one 75 among tens
        ([60.0, 70, 80, 90] * 8 + [72.5], (10.0, [32])),  # named against the tens, not 1
        ([0.0, 10] * 20 + [5], (5.0, [])),  # two scores show no grid of tens to be off
        ([55.0, 65, 75, 85] * 8 + [70], (10.0, [32])),  # tens from 55
        ([*(s + 0.5 for s in WHOLE), 3.0], (1.0, [30])),
        ([0.5, *WHOLE], (1.0, [0])),  # the lone score may be the lowest
    ],
)
def test_lone_finer_scores(scores: list[float], expected: tuple[float, list[int]]) -> None:
    assert lone_finer_scores(scores) == expected


@pytest.mark.parametrize(
    "scores", [[1.0, 1.333], [1.33, 2.33, 3.33], [2.25, 2.3]], ids=["thirds", "offset", "mixed"]
)
def test_score_step_refuses_arbitrary_decimals(scores: list[float]) -> None:
    with pytest.raises(ValueError, match="grid"):
        score_step(scores)


def test_a_score_off_the_others_grid_is_the_one_named() -> None:
    """QA: quarter points with one 1.3 blamed the first 1.25 ("not on a grid of ...
    0.25 points", which it is)."""
    scores = [1.0, 1.25, 1.5, 1.75, 2.0] * 4 + [1.3]
    with pytest.raises(ScoreGridError) as info:
        score_step(scores)
    assert info.value.index == 20
    assert str(info.value) == (
        "score 1.3 is not on the grid of quarter points the other scores are on (a typo?)"
    )


def test_a_class_of_one_paragraph_essays_does_not_score_paragraphs_top() -> None:
    """QA: every training essay one paragraph left log_paragraphs a spread of 1e-16, so
    an essay of two paragraphs was dozens of SDs away: the top score at 100%."""
    essays = graded_class()
    texts = [" ".join(t.split()) for _, t, _ in essays]  # one paragraph each
    model = fit_model(texts, [s for _, _, s in essays]).model
    names = model.extractor.names
    assert model._dense_scale[names.index("log_paragraphs")] == 1.0
    text = texts[0]
    half = len(text) // 2
    split = text[:half] + "\n\n" + text[half:]
    assert abs(model.predict(split).raw - model.predict(text).raw) < model.step


def test_score_grid_takes_up_to_the_level_cap() -> None:
    grid = score_grid([0.0, 55.5, 99.9, 100.0])  # 0-100 in tenths: the longest scale
    assert (grid.low, grid.step, grid.levels) == (0.0, 0.1, MAX_SCORE_LEVELS)
    with pytest.raises(ValueError, match="1,002 score levels"):
        score_grid([0.0, 55.5, 100.1])


@pytest.mark.parametrize(
    ("scores", "index", "message"),
    [
        ([4, 1e6, 2, 3], 1, "score 1000000 is far from the others"),
        ([4, 2, 3, 100000.5], 3, "score 100000.5 is far from the others"),
        ([-1e6, 4, 5, 6], 0, "score -1000000 is far from the others"),
        ([4, 2, 1e9], 2, "score 1000000000 is out of range"),
        ([4, 1e300, 2], 1, r"score 1e\+300 is out of range"),
        ([4, 20231234, 2], 1, "score 20231234 is out of range"),
        ([4, 2, 1.333], 2, "score 1.333 is not on a grid"),
    ],
)
def test_score_grid_names_the_offending_score(
    scores: list[float], index: int, message: str
) -> None:
    with pytest.raises(ValueError, match=message) as info:
        score_grid(scores)
    assert info.value.index == index  # type: ignore[attr-defined]


def test_fit_refuses_a_huge_score_grid_before_fitting() -> None:
    essays = graded_class()
    texts = [t for _, t, _ in essays]
    scores = [float(s) for _, _, s in essays]
    scores[3] = 1e6  # once made numpy allocate terabytes: a million score levels
    with pytest.raises(ValueError, match="far from the others"):
        fit_model(texts, scores)
    with pytest.raises(ValueError, match="far from the others"):
        calibrate(texts, scores)
    scores[3] = 1e300  # once an IndexError in agreement.py
    with pytest.raises(ValueError, match="out of range"):
        calibrate(texts, scores)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"dense_weight": 1e308}, "dense_weight"),
        ({"dense_weight": -1.0}, "dense_weight"),
        ({"ridge_share": 1.5}, "ridge_share"),
        # QA: 2**32 - 1 passed to numpy as seed + 1, and was blamed on the scores file
        ({"seed": 2**32 - 1}, "seed must be from 0 to 4294967294"),
        ({"seed": -5}, "seed must be from 0"),
        ({"seed": 1.5}, "seed must be an integer"),
    ],
)
def test_fit_options_outside_what_a_model_file_may_hold(options, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=message):
        FitOptions(**options)


def test_the_largest_seed_fits_and_the_cli_takes_the_same_range() -> None:
    from essaycoach.calibrate.model import MAX_SEED
    from essaycoach.cli import calibrate_cmd

    assert calibrate_cmd.MAX_SEED == MAX_SEED
    essays = graded_class()
    texts, scores = [t for _, t, _ in essays], [s for _, _, s in essays]
    result = calibrate(texts, scores, options=FitOptions(seed=MAX_SEED))
    assert 0 <= result.cross_validated.qwk <= 1


def test_report_features_need_reports() -> None:
    with pytest.raises(ValueError, match="Report"):
        FeatureExtractor("text+report").dense(["An essay."])


def test_report_features_read_every_section() -> None:
    from essaycoach.calibrate.features import REPORT_FEATURES, report_features
    from tests.fixtures.reports import not_judged_report, strong_report

    strong = report_features(strong_report())
    assert list(strong) == list(REPORT_FEATURES)
    assert strong["report_score_total"] > 0
    assert strong["report_criteria_met_ratio"] > 0
    assert strong["report_readability_grade"] == strong_report().readability.flesch_kincaid_grade
    unjudged = report_features(not_judged_report())
    assert unjudged["report_score_total"] == 0.0
    assert unjudged["report_criteria_mean_level"] == 0.0


def test_report_feature_set_appends_report_columns() -> None:
    from tests.fixtures.reports import strong_report

    report = strong_report()
    extractor = FeatureExtractor("text+report")
    row = extractor.dense([report.essay.text], [report])
    assert row.shape == (1, len(extractor.names))
    assert len(extractor.names) > len(TEXT_FEATURES)


def test_cuts_never_leave_a_level_unreachable() -> None:
    """44 essays at the lower of two scores, 3 at the higher: QWK on the out-of-fold
    predictions favoured a cut below the lower level, and the model then gave every
    new essay the rare score."""
    import numpy as np

    from essaycoach.calibrate.model import apply_cuts, optimise_cuts

    levels = np.array([0] * 44 + [1] * 3)
    predicted = np.concatenate([np.full(40, -0.05), np.full(4, 0.02), [0.0, 0.01, -0.02]])
    cuts = optimise_cuts(predicted, levels, 2)
    assert 0.0 <= cuts[0] <= 1.0
    assert set(apply_cuts(np.array([0.0, 0.1, 0.9, 1.0]), cuts)) == {0, 1}


def test_a_file_over_the_size_cap_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from essaycoach.calibrate.model_file import MAX_MODEL_BYTES

    huge = tmp_path / "model.json"
    with huge.open("wb") as handle:
        handle.truncate(300 * 1024 * 1024)  # sparse: 300 MB on paper, nothing on disk
    read: list[Path] = []
    real_open = Path.open

    def spying_open(self: Path, *args, **kwargs):  # type: ignore[no-untyped-def]
        read.append(self)
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", spying_open)  # read_bytes opens through it too
    with pytest.raises(ModelError) as info:
        CalibrationModel.load(huge)
    assert str(info.value) == (
        f"{huge}: not a calibration model file (too large: 314,572,800 bytes; a model file "
        f"has at most {MAX_MODEL_BYTES // 2**20} MiB, the largest a fit writes about 10 MB)"
    )
    assert read == []


def test_a_stream_is_read_no_further_than_the_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A named pipe has no size to stat: reading stops one byte past the cap."""
    import contextlib
    import os
    import threading

    import essaycoach.calibrate.model_file as model_file

    monkeypatch.setattr(model_file, "MAX_MODEL_BYTES", 1000)
    fifo = tmp_path / "model.json"
    os.mkfifo(fifo)

    def writer() -> None:
        with contextlib.suppress(BrokenPipeError), open(fifo, "wb") as handle:
            handle.write(b" " * 5000)

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    with pytest.raises(ModelError, match=r"too large: over 1,000 bytes"):
        CalibrationModel.load(fifo)
    thread.join(timeout=10)


def test_save_refuses_a_model_the_loader_would_refuse(
    fitted: CalibrationModel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import essaycoach.calibrate.model_file as model_file

    monkeypatch.setattr(model_file, "MAX_MODEL_BYTES", 100_000)
    path = tmp_path / "model.json"
    with pytest.raises(ModelError, match="more than the 100,000 a model file may have"):
        fitted.save(path)
    assert list(tmp_path.iterdir()) == []


# ---- text+report models record the settings their reports were made with


def report_record(settings: Settings) -> dict:  # type: ignore[type-arg]
    """What `of_pipeline` records for a pipeline with `settings` (engine: settings.grammar)."""
    rubric = load_rubric(settings.rubric)
    exemplar = load_exemplar(rubric, settings.exemplar)
    words = accepted_words(rubric, exemplar, settings)
    return make_record(rubric, exemplar, words, settings.min_words, settings.grammar)


@pytest.fixture(scope="module")
def report_model() -> CalibrationModel:
    from tests.fixtures.reports import strong_report

    essays = graded_class()
    report = strong_report()  # the same report for every essay: enough to fit and check
    return fit_model(
        [t for _, t, _ in essays],
        [s for _, _, s in essays],
        [report] * len(essays),
        "text+report",
        report_settings=report_record(Settings(grammar="harper")),
    ).model


@pytest.fixture()
def report_saved(report_model: CalibrationModel, tmp_path: Path) -> Path:
    path = tmp_path / "report-model.json"
    report_model.save(path)
    return path


def test_report_model_records_its_report_settings(report_saved: Path) -> None:
    record = CalibrationModel.load(report_saved).payload["report_settings"]
    assert record["rubric"] == "literary-analysis"
    assert record["exemplar"] == "never-let-me-go.txt"
    assert record["grammar"] == "harper"
    assert record["min_words"] == 50
    assert record["accept_words"] > 0


def test_pipeline_record_is_what_its_settings_give() -> None:
    from essaycoach.calibrate.report_settings import of_pipeline
    from essaycoach.pipeline import Pipeline

    with Pipeline(Settings(grammar="off")) as pipeline:
        assert of_pipeline(pipeline) == report_record(Settings(grammar="off"))


def test_fit_needs_the_report_settings_of_a_report_model() -> None:
    from tests.fixtures.reports import strong_report

    essays = graded_class()
    texts, scores = [t for _, t, _ in essays], [s for _, _, s in essays]
    with pytest.raises(ValueError, match="report_settings"):
        fit_model(texts, scores, [strong_report()] * len(texts), "text+report")
    with pytest.raises(ValueError, match="report_settings"):
        fit_model(texts, scores, report_settings=report_record(Settings()))


def test_report_model_asks_for_the_reports_it_needs(report_saved: Path) -> None:
    # `grade --model` always passes them; a caller of the API may not
    model = CalibrationModel.load(report_saved)
    message = (
        f"{report_saved}: this model was trained with report features (--features "
        "text+report): pass each essay's essaycoach Report, or calibrate with --features "
        "text to score text alone"
    )
    calls = (
        lambda: model.predict("An essay."),
        lambda: model.predict_many(["An essay."]),
        lambda: model.raw_levels(["An essay."]),  # a ValueError from the features before
    )
    for call in calls:
        with pytest.raises(ModelError) as info:
            call()
        assert str(info.value) == message


def test_report_model_without_its_settings_must_be_recalibrated(report_saved: Path) -> None:
    rewrite(report_saved, lambda p: p.pop("report_settings"), redigest=True)
    with pytest.raises(ModelError) as info:
        CalibrationModel.load(report_saved)
    assert str(info.value) == (
        f"{report_saved}: model was trained with report features but does not record the "
        "rubric, exemplar and grammar engine its reports were made with "
        "(payload.report_settings); recalibrate with `essaycoach calibrate --features "
        "text+report`"
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            set_key("report_settings.rubric_id", "x"),
            "unknown key 'payload.report_settings.rubric_id'",
        ),
        (
            lambda p: p["report_settings"].pop("grammar"),
            "missing key 'payload.report_settings.grammar'",
        ),
        (
            set_key("report_settings.grammar", "word"),
            "payload.report_settings.grammar must be one of harper, languagetool, both, off",
        ),
        (
            set_key("report_settings.rubric_sha256", "abc"),
            "payload.report_settings.rubric_sha256 must be a SHA-256 digest",
        ),
        (
            set_key("report_settings.min_words", 50.0),
            "payload.report_settings.min_words must be an integer",
        ),
        (
            set_key("report_settings.rubric", ""),
            "payload.report_settings.rubric must be a non-empty string",
        ),
        (
            set_key("report_settings", "harper"),
            "payload.report_settings must be an object, found str",
        ),
    ],
)
def test_damaged_report_settings_are_named(report_saved: Path, change, message: str) -> None:  # type: ignore[no-untyped-def]
    rewrite(report_saved, change, redigest=True)
    with pytest.raises(ModelError) as info:
        CalibrationModel.load(report_saved)
    assert str(info.value).startswith(f"{report_saved}: model file is damaged ({message}")


def test_text_model_with_report_settings_is_damaged(saved: Path) -> None:
    rewrite(saved, set_key("report_settings", report_record(Settings())), redigest=True)
    with pytest.raises(ModelError, match=r"payload\.report_settings belongs in text\+report"):
        CalibrationModel.load(saved)


def test_grade_settings_like_the_model_pass(report_model: CalibrationModel) -> None:
    from essaycoach.calibrate.report_settings import check_grade_settings

    check_grade_settings(report_model, Settings(grammar="harper"))
    # the same rubric and exemplar given as paths: compared by content, not by name
    check_grade_settings(
        report_model,
        Settings(
            grammar="harper",
            rubric=str(Path(__file__).parents[2] / "rubrics" / "literary-analysis.toml"),
            exemplar=str(Path(__file__).parents[2] / "examples" / "never-let-me-go.txt"),
        ),
    )


def test_a_text_model_needs_no_grade_settings(fitted: CalibrationModel) -> None:
    from essaycoach.calibrate.report_settings import check_grade_settings

    check_grade_settings(fitted, Settings(grammar="off", min_words=10))


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (
            {"grammar": "off"},
            "the model was calibrated with grammar engine 'harper', this grade run would use "
            "'off' (--grammar off): the report features would differ; grade with --grammar "
            "harper or recalibrate",
        ),
        (
            {"grammar": "both"},
            "grammar engine 'harper', this grade run would use 'both' (--grammar both)",
        ),
        (
            {"rubric": "{rubric}"},
            "the model was calibrated with rubric 'literary-analysis' (sha256 ",
        ),
        (
            {"exemplar": "{exemplar}"},
            "the model was calibrated with exemplar 'never-let-me-go.txt' (sha256 ",
        ),
        ({"accept_words": ("Quidditch",)}, "accepted words (sha256 "),
        (
            {"min_words": 40},
            "the model was calibrated with min_words 50, this grade run uses min_words 40",
        ),
    ],
)
def test_grade_settings_unlike_the_model_are_refused(
    report_model: CalibrationModel,
    tmp_path: Path,
    settings: dict,
    message: str,  # type: ignore[type-arg]
) -> None:
    from essaycoach.calibrate.report_settings import check_grade_settings

    root = Path(__file__).parents[2]
    rubric = tmp_path / "literary-analysis.toml"  # the same rubric, another file
    text = (root / "rubrics" / "literary-analysis.toml").read_text(encoding="utf-8")
    rubric.write_text(text + "\n# edited\n", encoding="utf-8")
    exemplar = tmp_path / "never-let-me-go.txt"  # the exemplar with one more word
    exemplar.write_text(
        (root / "examples" / "never-let-me-go.txt")
        .read_text(encoding="utf-8")
        .replace("Kathy", "Kathy H.", 1),
        encoding="utf-8",
    )
    values = {"grammar": "harper", **settings}
    values = {
        k: v.format(rubric=rubric, exemplar=exemplar) if isinstance(v, str) else v
        for k, v in values.items()
    }
    with pytest.raises(ModelError) as info:
        check_grade_settings(
            report_model.__class__(report_model.payload, "m.json"), Settings(**values)
        )
    assert str(info.value).startswith("m.json: "), info.value
    assert message in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("entry", ["grade", "grade_batch"])
@pytest.mark.parametrize(
    ("settings", "message"),
    [
        # graded through, predictions from features the model never saw
        ({"grammar": "harper", "min_words": 40}, "with min_words 50, this grade run uses "),
        # stopped only by the first report, after the output folder was made
        ({"grammar": "off"}, "with grammar engine 'harper', this grade run would use 'off'"),
    ],
    ids=["min_words", "grammar"],
)
def test_the_grade_library_refuses_settings_unlike_the_model(
    report_saved: Path,
    tmp_path: Path,
    entry: str,
    settings: dict,  # type: ignore[type-arg]
    message: str,
) -> None:
    """Only the CLI made the check: `grade` and `grade_batch` called directly did not."""
    import essaycoach.grade
    import essaycoach.grade.batch

    grade = getattr(essaycoach.grade if entry == "grade" else essaycoach.grade.batch, entry)
    essays = tmp_path / "essays"
    essays.mkdir()
    (essays / "alice.txt").write_text(graded_class()[-1][1], encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(ModelError) as info:
        grade(essays, out, Settings(**settings), workers=1, model_path=report_saved)
    assert str(info.value).startswith(f"{report_saved}: the model was calibrated "), info.value
    assert message in str(info.value)
    assert not out.exists()  # refused before any work


def test_grade_finds_its_input_and_output_problems_before_asking_languagetool(
    report_saved: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`grade nosuch --model tr.json` (--grammar auto) said "no such file or folder" only
    after the model's check had asked LanguageTool, which may start the local server
    (10-20 s). The opener is replaced by one that records its calls: this tests the
    order only, not LanguageTool."""
    from essaycoach.errors import InputError
    from essaycoach.grade.batch import grade_batch
    from essaycoach.grammar import select

    asked: list[str] = []

    class Answering:  # a LanguageTool that answers
        name = "languagetool"

        def close(self) -> None:
            pass

    def open_languagetool(settings: Settings, accept_words: tuple[str, ...]) -> Answering:
        asked.append(settings.grammar)
        return Answering()

    monkeypatch.setattr(select, "open_languagetool_engine", open_languagetool)
    monkeypatch.setattr(select, "AUTO_PREFERENCE", "both")
    monkeypatch.setenv(select.URL_ENV, "http://127.0.0.1:9")  # configured: auto asks it
    auto = Settings(grammar="auto")
    empty = tmp_path / "empty"
    empty.mkdir()
    essays = tmp_path / "essays"
    essays.mkdir()
    (essays / "alice.txt").write_text(graded_class()[-1][1], encoding="utf-8")
    a_file = tmp_path / "a-file"
    a_file.write_text("", encoding="utf-8")
    out = tmp_path / "out"
    for folder, out_dir, message in [
        (tmp_path / "nosuch", out, "no such file or folder"),
        (empty, out, "no submissions found"),
        (essays, a_file, "output path exists and is not a folder"),
        (essays, essays, "--out must not be the submissions folder itself"),
    ]:
        with pytest.raises(InputError, match=message):
            grade_batch(folder, out_dir, auto, workers=1, model_path=report_saved)
        assert asked == [], message
    # submissions found: now the check asks, and refuses (LanguageTool answers, so auto
    # would run both engines; the model learnt from Harper's reports) before any work
    with pytest.raises(ModelError, match=r"would use 'both' \(--grammar auto, and Language"):
        grade_batch(essays, out, auto, workers=1, model_path=report_saved)
    assert asked == ["auto"]
    assert not out.exists()


@pytest.mark.parametrize("workers", [1, 2])
def test_a_grade_run_reads_the_model_once_and_digests_it_once(
    saved: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    """The CLI's check, grade_batch's digest and summary.html's scale each loaded the
    model (0.3 s for a 7 MB one) and every essay's report digested it again (0.15 s)."""
    import essaycoach.calibrate.model_file as model_file
    from essaycoach.grade import grade

    calls = tmp_path / "calls.txt"  # a file: the workers' calls count too
    load, digest = CalibrationModel.load.__func__, model_file.payload_digest  # type: ignore[attr-defined]

    def counted_load(cls, path):  # type: ignore[no-untyped-def]
        with calls.open("a") as log:
            log.write("load\n")
        return load(cls, path)

    def counted_digest(payload):  # type: ignore[no-untyped-def]
        with calls.open("a") as log:
            log.write("digest\n")
        return digest(payload)

    monkeypatch.setattr(CalibrationModel, "load", classmethod(counted_load))
    monkeypatch.setattr(model_file, "payload_digest", counted_digest)
    essays = tmp_path / "essays"
    essays.mkdir()
    for name, text, _ in graded_class()[-3:]:
        (essays / name).write_text(text, encoding="utf-8")
    outcome = grade(
        essays, tmp_path / "out", Settings(grammar="off"), workers=workers, model_path=saved
    )
    assert [r.predicted_score is not None for r in outcome.batch.results] == [True] * 3
    assert calls.read_text().split() == ["load", "digest"]  # the digest: load's own check


def test_grammar_auto_without_languagetool_is_harper(
    report_model: CalibrationModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    from essaycoach.calibrate.report_settings import check_grade_settings
    from essaycoach.grammar import lt_install

    monkeypatch.delenv("ESSAYCOACH_LANGUAGETOOL_URL", raising=False)
    monkeypatch.setattr(lt_install, "find_installation", lambda *a, **k: None)
    check_grade_settings(report_model, Settings(grammar="auto"))  # auto runs Harper alone here
    both = dict(report_model.payload)
    both["report_settings"] = {**both["report_settings"], "grammar": "both"}
    with pytest.raises(ModelError, match=r"would use 'harper' \(--grammar auto, and no Language"):
        check_grade_settings(CalibrationModel(both, "m.json"), Settings(grammar="auto"))


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([1, 2, 3, 4, 5] * 5 + [40], [(25, 1.0, 5.0)]),  # QA: 40 typed for 4
        ([1, 2, 3, 4, 5] * 5 + [-30], [(25, 1.0, 5.0)]),
        ([60, 70, 80, 90] * 6 + [0], [(24, 60.0, 90.0)]),  # tens: 5 empty levels, range 3
        ([0, *range(20, 61)] * 2, []),  # a long scale with a gap shorter than its range
        ([1, 2, 3, 4, 5] * 5 + [9], []),  # 3 empty levels: a strong essay, perhaps
        ([1, 2, 3, 4, 5] * 2 + [40, 40], []),  # two of eleven: not a lone typo
    ],
)
def test_outlying_scores(scores: list[float], expected: list[tuple[int, float, float]]) -> None:
    assert outlying_scores(scores) == expected


@pytest.mark.parametrize(
    ("value", "other", "shown"),
    [(0.3805, 0.38095, "0.3805"), (0.38095, 0.3805, "0.3810"), (0.52, 0.38, "0.52"),
     (0.3812, 0.3795, "0.381")],
)  # fmt: skip
def test_the_off_topic_figures_show_the_decimals_that_part_them(
    value: float, other: float, shown: str
) -> None:
    """QA: "topic similarity 0.38, 99% of training essays 0.38 or more" for 0.3805
    under 0.38095."""
    from essaycoach.calibrate.model import _apart

    assert _apart(value, other) == shown


def test_every_report_feature_is_described_for_teachers() -> None:
    """QA: every report_* feature was "from the essaycoach report" in calibrate's list."""
    from essaycoach.calibrate.features import REPORT_FEATURES
    from essaycoach.cli.calibrate_cmd import feature_description

    descriptions = [feature_description(name) for name in REPORT_FEATURES]
    assert all(d and not d.startswith("report") for d in descriptions), descriptions
    assert len(set(descriptions)) == len(descriptions)


@pytest.mark.parametrize(
    ("term", "text", "within"),
    [
        # QA: "the past tommy" was shown as a phrase that raises the score
        ("the past tommy", "Kathy thinks of the past. Tommy waits by the fence.", False),
        ("past tommy", "She thinks of the past? Tommy waits.", False),
        ("past tommy", "She thinks of the past, Tommy said.", True),  # a comma is no end
        ("didn know", "She didn't know it.", True),  # "t" is no n-gram word
        ("past tommy", "In the past I Tommy-watched.", True),  # a one-letter word between
        ("hailsham", "Hailsham.", True),  # one word is always within a sentence
    ],
)
def test_a_phrase_is_shown_only_if_a_sentence_holds_it(term: str, text: str, within: bool) -> None:
    from essaycoach.calibrate.model import _within_a_sentence

    assert _within_a_sentence(term, [text]) is within


def test_the_words_shown_occur_within_a_sentence_of_the_training_essays() -> None:
    """Better essays end one sentence with "the past" and start the next with "Tommy":
    "the past tommy" then weighs as much as any phrase, but no student wrote it."""
    from essaycoach.calibrate.model import _within_a_sentence

    essays = graded_class()
    texts = [
        text
        + (
            " Kathy keeps the past. Tommy keeps the tape."
            if score >= 3
            else " Kathy keeps the tape. Tommy keeps the past."
        )
        for _name, text, score in essays
    ]
    model = fit_model(texts, [score for _, _, score in essays]).model
    importance = model.payload["importance"]
    shown = [term for term, _weight in importance["words_up"] + importance["words_down"]]
    assert len(shown) == 20
    assert all(_within_a_sentence(term, texts) for term in shown)
    assert not {"past tommy", "the past tommy", "tape tommy"} & set(shown)
