"""The calibration model file: plain JSON, read without running anything, checked strictly.

`{"digest": "sha256:...", "payload": {...}}`. `read_payload` refuses a file over
`MAX_MODEL_BYTES` before reading it, parses numbers and strings only (no NaN, no
infinities) and checks the digest of the canonical payload; `validate_payload` then
checks the format and feature schema versions, every key (none missing, none unknown),
shape and range (finite numbers of sane size, the score grid's limits from `grid.py`).
A tampered, truncated or mismatched file is refused with `ModelError`, naming the key
path when it is damaged. What the payload means is `model.py`'s business.
"""

from __future__ import annotations

import hashlib
import json
import math
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from essaycoach.calibrate.features import FEATURE_SCHEMA_VERSION, FEATURE_SETS
from essaycoach.calibrate.grid import MAX_ABS_SCORE, MAX_SCORE_LEVELS, SCORE_STEPS, on_a_grid
from essaycoach.calibrate.report_settings import RECORD_KEYS, check_record
from essaycoach.errors import ModelError

MODEL_FORMAT = "essaycoach-calibration"
# 2: word-only and character-only ridges feed the trees; 3: histogram gradient boosting;
# 4: the off-topic test also compares the topic similarity with the training essays' 1st
# percentile (training.similarity_p01), as well as the content-word share (coverage_p01)
MODEL_FORMAT_VERSION = 4
MIN_RESIDUAL_SD = 0.05  # in score levels: the confidence never claims more certainty
# No number a fit writes comes near these; beyond them prediction overflows or divides by ~0.
MAX_MODEL_NUMBER = 1e12
MIN_DENSE_SCALE = 1e-100
MAX_DENSE_WEIGHT = 100.0
# The largest model file a fit writes has word and character vocabularies at their caps
# (40,000 and 60,000 terms), their idf, the three ridges' coefficients, the topic centroid
# and 200 trees of at most 15 nodes. Measured: 7.2 MB fitted on 3,000 ASAP essays of all
# eight prompts (59,817 character terms), 6.2-6.6 MB on prompts 1, 2 and 8 alone; with
# every number at its longest (24 characters) it would be 9.7 MB. 64 MiB leaves room for
# scripts JSON writes as \uXXXX escapes and refuses a 300 MB file before it is read.
MAX_MODEL_BYTES = 64 * 1024 * 1024
REPORT_SETTINGS = "report_settings"  # text+report models: what their reports were made with

# what the trees see after the dense features, in this order
TREE_EXTRA_FEATURES = (
    "ridge_prediction",
    "similarity_to_training",
    "word_ngram_ridge",
    "char_ngram_ridge",
)


def _refuse_constant(name: str) -> float:
    """json's parse_constant: NaN, Infinity and -Infinity are not JSON (Python writes them)."""
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    """json's parse_float: a number such as 1e400 would become infinity."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number {text[:40]} is out of range")
    return value


def payload_digest(payload: dict[str, Any]) -> str:
    """The digest a model file carries: the SHA-256 of the payload's canonical JSON."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def read_payload(path: Path) -> tuple[dict[str, Any], str]:
    """The payload of the model file at `path` and its digest, checked against the file's.

    ModelError if the file cannot be read, is too large, is not JSON of the expected shape
    or was modified after it was written. The payload itself is checked by
    `validate_payload`.
    """
    try:
        status = path.stat()
        # the size first: a file far larger than any model is not read at all
        if stat.S_ISREG(status.st_mode) and status.st_size > MAX_MODEL_BYTES:
            raise ModelError(_too_large(f"{status.st_size:,} bytes"), path)
        with path.open("rb") as handle:
            raw = handle.read(MAX_MODEL_BYTES + 1)  # a pipe or a growing file: no more
    except OSError as error:
        raise ModelError(f"cannot read the model file ({error.strerror or error})", path) from None
    if len(raw) > MAX_MODEL_BYTES:
        raise ModelError(_too_large(f"over {MAX_MODEL_BYTES:,} bytes"), path)
    try:
        document = json.loads(
            # a BOM: the file went through an editor that adds one
            raw.decode("utf-8-sig"),
            parse_constant=_refuse_constant,
            parse_float=_finite_float,
        )
    except RecursionError:
        raise ModelError(
            "not a calibration model file (invalid JSON: nested too deeply)", path
        ) from None
    except UnicodeDecodeError:
        what = (
            'saved as UTF-16 (Notepad\'s "Unicode"): model files are UTF-8'
            if raw[:2] in (b"\xff\xfe", b"\xfe\xff")
            else "not UTF-8 text: a binary file, or text in another encoding?"
        )
        raise ModelError(f"not a calibration model file ({what})", path) from None
    except ValueError as error:  # JSONDecodeError
        raise ModelError(f"not a calibration model file (invalid JSON: {error})", path) from None
    if not isinstance(document, dict) or set(document) != {"digest", "payload"}:
        raise ModelError(
            "not a calibration model file (expected keys 'digest' and 'payload')", path
        )
    payload = document["payload"]
    if not isinstance(payload, dict):
        raise ModelError("not a calibration model file ('payload' is not an object)", path)
    try:
        digest = payload_digest(payload)
    except (RecursionError, ValueError) as error:  # ValueError: an int of thousands of digits
        raise ModelError(f"model file is damaged ({_unencodable(payload, error)})", path) from None
    if document["digest"] != digest:
        raise ModelError(
            "the model file was modified after it was written (SHA-256 digest mismatch)", path
        )
    return payload, digest


def encode(payload: dict[str, Any], path: str | Path) -> str:
    """The model file's text for `payload`; ModelError if `read_payload` would refuse its size."""
    document = {"digest": payload_digest(payload), "payload": payload}
    text = json.dumps(document, separators=(",", ":"))
    if len(text) > MAX_MODEL_BYTES:  # json.dumps escapes to ASCII: characters are bytes
        raise ModelError(
            f"the model would take {len(text):,} bytes, more than the {MAX_MODEL_BYTES:,} "
            "a model file may have (are there words of thousands of letters in the essays?)",
            path,
        )
    return text


# Every key of a model file's payload, in the order a fit writes them, and of its sections.
# A key the loader does not know is refused, as the rubric and configuration loaders do.
_PAYLOAD_KEYS = (
    "format",
    "format_version",
    "feature_schema",
    "feature_set",
    "feature_names",
    "essaycoach_version",
    "created",
    "scores",
    "word_vocabulary",
    "word_idf",
    "char_vocabulary",
    "char_idf",
    "dense_mean",
    "dense_scale",
    "dense_weight",
    "ridge",
    "ridge_word",
    "ridge_char",
    "gbm",
    "ridge_share",
    "cuts",
    "residual_sd",
    "training",
    "cross_validated",
    "importance",
)
_SCORES_KEYS = ("low", "step", "levels")
_RIDGE_KEYS = ("alpha", "coef", "intercept")
_TRAINING_KEYS = (
    "essays",
    "centroid",
    "coverage_p01",
    "similarity_p01",
    "words_p05",
    "unknown_rate_p99",
    "distance_p99",
)
_GBM_KEYS = ("init", "trees")
_TREE_KEYS = ("left", "right", "feature", "threshold", "value")
_AGREEMENT_KEYS = ("n", "qwk", "exact", "adjacent", "smd", "pearson")  # Agreement.to_dict
_IMPORTANCE_KEYS = ("trees", "ridge_dense", "words_up", "words_down")
_NUMBER = f"a finite number no larger than {MAX_MODEL_NUMBER:g} in size"


def validate_payload(p: dict[str, Any], source: str) -> None:
    """Check format, schema and every key, shape and range, so a bad file fails here, not
    mid-prediction. A "damaged" message names the key path: payload.ridge.coef[3]."""

    def fail(message: str) -> ModelError:
        return ModelError(message, source)

    if p.get("format") != MODEL_FORMAT:
        raise fail("not a calibration model file (format is not 'essaycoach-calibration')")
    version = p.get("format_version", _MISSING)
    if type(version) is int and version != MODEL_FORMAT_VERSION:  # 3.0 and True are not 3
        if version < MODEL_FORMAT_VERSION:
            made_by = "an older"
            advice = "recalibrate with `essaycoach calibrate` to write a model this version can use"
        else:
            made_by = "a newer"
            advice = "upgrade essaycoach to the version that wrote it, or recalibrate"
        raise fail(
            f"model format version {version} is not supported: the file was written by "
            f"{made_by} essaycoach, this one reads version {MODEL_FORMAT_VERSION}; {advice}"
        )
    if type(version) is not int:
        detail = (
            "missing key 'payload.format_version'"
            if version is _MISSING
            else f"payload.format_version must be the integer {MODEL_FORMAT_VERSION}, "
            f"found {_short(version)}"
        )
        raise fail(f"model file is damaged ({detail})")
    if p.get("feature_schema") != FEATURE_SCHEMA_VERSION:
        raise fail(
            f"model was trained with feature schema {p.get('feature_schema')!r}, this essaycoach "
            f"computes {FEATURE_SCHEMA_VERSION!r}; recalibrate with `essaycoach calibrate`"
        )
    feature_set = p.get("feature_set")
    if not isinstance(feature_set, str) or feature_set not in FEATURE_SETS:
        raise fail(
            "model file is damaged (payload.feature_set must be 'text' or 'text+report', "
            f"found {_short(feature_set)})"
        )
    if p.get("feature_names") != list(FEATURE_SETS[feature_set]):
        raise fail(
            f"model's feature names (payload.feature_names) do not match its feature schema "
            f"{FEATURE_SCHEMA_VERSION!r} for feature set {feature_set!r}"
        )
    if feature_set == "text+report" and REPORT_SETTINGS not in p:
        raise fail(
            "model was trained with report features but does not record the rubric, exemplar "
            "and grammar engine its reports were made with (payload.report_settings); "
            "recalibrate with `essaycoach calibrate --features text+report`"
        )
    try:
        if feature_set == "text" and REPORT_SETTINGS in p:
            raise ValueError(f"payload.{REPORT_SETTINGS} belongs in text+report models only")
        keys = _PAYLOAD_KEYS if feature_set == "text" else (*_PAYLOAD_KEYS, REPORT_SETTINGS)
        _check_keys(p, "payload", keys)
        for key in ("essaycoach_version", "created"):
            if not isinstance(p[key], str):
                raise ValueError(f"payload.{key} must be a string, found {_short(p[key])}")
        n_dense = len(FEATURE_SETS[feature_set])
        n_word = _check_terms(p, "word")
        n_char = _check_terms(p, "char")
        _check_floats(p["dense_mean"], n_dense, "payload.dense_mean")
        _check_floats(p["dense_scale"], n_dense, "payload.dense_scale")
        for i, value in enumerate(p["dense_scale"]):
            if value < MIN_DENSE_SCALE:
                raise ValueError(f"payload.dense_scale[{i}] must be at least {MIN_DENSE_SCALE:g}")
        for key, n_coef in (
            ("ridge", n_word + n_char + n_dense),
            ("ridge_word", n_word),
            ("ridge_char", n_char),
        ):
            ridge = _section(p, key, _RIDGE_KEYS)
            _check_number(ridge["alpha"], f"payload.{key}.alpha")
            _check_floats(ridge["coef"], n_coef, f"payload.{key}.coef")
            _check_number(ridge["intercept"], f"payload.{key}.intercept")
        for key in ("dense_weight", "ridge_share", "residual_sd"):
            _check_number(p[key], f"payload.{key}")
        check_blend(p["dense_weight"], p["ridge_share"], "payload.")
        if p["residual_sd"] < MIN_RESIDUAL_SD:
            raise ValueError(f"payload.residual_sd must be at least {MIN_RESIDUAL_SD:g}")
        levels = _check_scores(_section(p, "scores", _SCORES_KEYS))
        _check_floats(p["cuts"], levels - 1, "payload.cuts")
        for i in range(1, len(p["cuts"])):
            if p["cuts"][i] < p["cuts"][i - 1]:
                raise ValueError(
                    f"payload.cuts[{i}] is below payload.cuts[{i - 1}] (cuts must be increasing)"
                )
        training = _section(p, "training", _TRAINING_KEYS)
        _check_count(training["essays"], "payload.training.essays", minimum=1)
        _check_floats(training["centroid"], n_word, "payload.training.centroid")
        for key in _TRAINING_KEYS[2:]:
            _check_number(training[key], f"payload.training.{key}")
        for key, high in (("coverage_p01", 1), ("similarity_p01", 1), ("words_p05", None)):
            _check_between(training[key], 0, high, f"payload.training.{key}")
        for key in ("unknown_rate_p99", "distance_p99"):
            _check_between(training[key], 0, None, f"payload.training.{key}")
        gbm = _section(p, "gbm", _GBM_KEYS)
        _check_number(gbm["init"], "payload.gbm.init")
        if not isinstance(gbm["trees"], list) or not gbm["trees"]:
            raise ValueError("payload.gbm.trees must be a non-empty list of trees")
        n_tree_features = n_dense + len(TREE_EXTRA_FEATURES)
        for i, tree in enumerate(gbm["trees"]):
            _check_tree(tree, n_tree_features, f"payload.gbm.trees[{i}]")
        cross_validated = _section(p, "cross_validated", _AGREEMENT_KEYS)
        _check_count(cross_validated["n"], "payload.cross_validated.n")
        for key in _AGREEMENT_KEYS[1:]:
            _check_number(cross_validated[key], f"payload.cross_validated.{key}")
        for key, low in (("qwk", -1), ("exact", 0), ("adjacent", 0), ("pearson", -1)):
            _check_between(cross_validated[key], low, 1, f"payload.cross_validated.{key}")
        importance = _section(p, "importance", _IMPORTANCE_KEYS)
        for key in _IMPORTANCE_KEYS:
            _check_weights(importance[key], f"payload.importance.{key}")
        if feature_set == "text+report":
            record = _section(p, REPORT_SETTINGS, RECORD_KEYS)
            check_record(record, f"payload.{REPORT_SETTINGS}")
    except (KeyError, TypeError, ValueError) as error:  # the checks name the key path
        detail = f"missing key {error}" if isinstance(error, KeyError) else str(error)
        raise fail(f"model file is damaged ({detail})") from None


_MISSING = object()


def check_blend(dense_weight: float, ridge_share: float, prefix: str = "") -> None:
    """The ranges a fit may use and a model file may hold (FitOptions and validate_payload)."""
    if not 0 <= dense_weight <= MAX_DENSE_WEIGHT:
        raise ValueError(f"{prefix}dense_weight must be between 0 and {MAX_DENSE_WEIGHT:g}")
    if not 0 <= ridge_share <= 1:
        raise ValueError(f"{prefix}ridge_share must be between 0 and 1")


def _key_name(path: str) -> str:
    """A key path for a message: quoted, escaped, and short whatever the file holds."""
    text = repr(path)
    return text if len(text) <= 100 else text[:97] + "..."


def _check_keys(value: Any, where: str, keys: Sequence[str]) -> dict[str, Any]:
    """`value` is an object with exactly `keys`; ValueError naming the first key that is not."""
    if not isinstance(value, dict):
        raise ValueError(f"{where} must be an object, found {type(value).__name__}")
    for key in value:
        if key not in keys:
            raise ValueError(f"unknown key {_key_name(f'{where}.{key}')}")
    for key in keys:
        if key not in value:
            raise ValueError(f"missing key {_key_name(f'{where}.{key}')}")
    return value


def _section(p: dict[str, Any], key: str, keys: Sequence[str]) -> dict[str, Any]:
    return _check_keys(p[key], f"payload.{key}", keys)


def _check_scores(scores: dict[str, Any]) -> int:
    """The score grid's limits (grid.py); returns the number of levels."""
    levels = scores["levels"]
    if type(levels) is not int or not 2 <= levels <= MAX_SCORE_LEVELS:
        raise ValueError(
            f"payload.scores.levels must be an integer from 2 to {MAX_SCORE_LEVELS}, "
            f"found {_short(levels)}"
        )
    _check_number(scores["low"], "payload.scores.low")
    _check_number(scores["step"], "payload.scores.step")
    if scores["step"] not in SCORE_STEPS:
        raise ValueError("payload.scores.step must be 10, 5, 1, 0.5, 0.25 or 0.1")
    if not on_a_grid(scores["low"]):  # as grid.score_step takes scores
        raise ValueError("payload.scores.low must be on a grid of 0.1 or 0.25 points")
    high = scores["low"] + (levels - 1) * scores["step"]
    if not -MAX_ABS_SCORE <= scores["low"] <= high <= MAX_ABS_SCORE:
        raise ValueError(
            f"payload.scores: scores must lie between -{MAX_ABS_SCORE:,.0f} and "
            f"{MAX_ABS_SCORE:,.0f} (low {scores['low']:g} to low + (levels - 1) x step "
            f"{high:g})"
        )
    return levels


def _check_terms(p: dict[str, Any], kind: str) -> int:
    """A vocabulary (`kind` "word" or "char") and its idf weights; returns its size."""
    where = f"payload.{kind}_vocabulary"
    terms = p[f"{kind}_vocabulary"]
    if not isinstance(terms, list):
        raise ValueError(f"{where} must be a list of strings, found {type(terms).__name__}")
    if not terms:  # a fit keeps some terms or fails; predicting without any would fail
        raise ValueError(f"{where} is empty")
    first: dict[str, int] = {}
    for i, term in enumerate(terms):
        if not isinstance(term, str):
            raise ValueError(f"{where}[{i}] must be a string, found {_short(term)}")
        if term in first:
            raise ValueError(f"{where}[{i}] repeats {where}[{first[term]}] ({_short(term)})")
        first[term] = i
    idf = p[f"{kind}_idf"]
    _check_floats(idf, len(terms), f"payload.{kind}_idf")
    for i, value in enumerate(idf):
        if value < 1:  # smoothed idf: log((1 + n) / (1 + df)) + 1
            raise ValueError(f"payload.{kind}_idf[{i}] must be at least 1 (an idf weight)")
    return len(terms)


def _is_number(value: Any) -> bool:
    # compared, not converted: an int of 400 digits overflows float(); NaN fails the test
    return (
        not isinstance(value, bool)
        and isinstance(value, int | float)
        and -MAX_MODEL_NUMBER <= value <= MAX_MODEL_NUMBER
    )


def _check_number(value: Any, where: str) -> None:
    if not _is_number(value):
        raise ValueError(f"{where} must be {_NUMBER}, found {_short(value)}")


def _check_between(value: float, low: float, high: float | None, where: str) -> None:
    """A number (checked already) from `low` to `high` (no upper limit when None)."""
    if value < low or (high is not None and value > high):
        limits = f"from {low:g} to {high:g}" if high is not None else f"at least {low:g}"
        raise ValueError(f"{where} must be {limits}, found {_short(value)}")


def _check_count(value: Any, where: str, minimum: int = 0) -> None:
    if type(value) is not int or value < minimum:
        raise ValueError(f"{where} must be an integer of at least {minimum}, found {_short(value)}")


def _check_floats(values: Any, length: int, where: str) -> None:
    if not isinstance(values, list) or len(values) != length:
        got = len(values) if isinstance(values, list) else type(values).__name__
        raise ValueError(f"{where} must be a list of {length} numbers, found {got}")
    for i, value in enumerate(values):
        if not _is_number(value):
            raise ValueError(f"{where}[{i}] must be {_NUMBER}, found {_short(value)}")


def _check_weights(value: Any, where: str) -> None:
    """`importance` lists: [name, weight] pairs, for the calibrate command's summary."""
    if not isinstance(value, list):
        raise ValueError(f"{where} must be a list of [name, weight] pairs, found {_short(value)}")
    for i, pair in enumerate(value):
        if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)):
            raise ValueError(f"{where}[{i}] must be a [name, weight] pair, found {_short(pair)}")
        _check_number(pair[1], f"{where}[{i}][1]")


def _short(value: Any) -> str:
    """A value for an error message: short, and never the repr of a whole (nested) container."""
    if not isinstance(value, int | float | str):
        return type(value).__name__
    try:
        text = repr(value)
    except ValueError:  # an int over Python's 4,300-digit limit
        return "an integer of thousands of digits"
    return text if len(text) <= 40 else text[:37] + "..."


def _check_tree(tree: Any, n_features: int, where: str) -> None:
    """One exported tree: parallel node arrays, children after their parent, leaves -1."""
    _check_keys(tree, where, _TREE_KEYS)
    left, right, feature = tree["left"], tree["right"], tree["feature"]
    if not isinstance(left, list) or not left:
        raise ValueError(f"{where}.left must be a non-empty list of node indices")
    n = len(left)
    for key in ("left", "right", "feature"):
        values = tree[key]
        if not isinstance(values, list) or len(values) != n:
            got = len(values) if isinstance(values, list) else type(values).__name__
            raise ValueError(
                f"{where}.{key} must be a list of {n} integers (one per node), found {got}"
            )
        for i, value in enumerate(values):
            if type(value) is not int:
                raise ValueError(f"{where}.{key}[{i}] must be an integer, found {_short(value)}")
    _check_floats(tree["threshold"], n, f"{where}.threshold")
    _check_floats(tree["value"], n, f"{where}.value")
    for i in range(n):
        leaf = left[i] == -1
        if leaf != (right[i] == -1):
            raise ValueError(
                f"{where}.right[{i}] and {where}.left[{i}]: a node has two children or none (-1)"
            )
        if leaf:
            continue
        for key, child in (("left", left[i]), ("right", right[i])):
            if not i < child < n:
                raise ValueError(
                    f"{where}.{key}[{i}] points outside the tree (a child of node {i} is one of "
                    f"nodes {i + 1} to {n - 1}), found {child}"
                )
        if not 0 <= feature[i] < n_features:
            raise ValueError(
                f"{where}.feature[{i}] must be a feature index from 0 to {n_features - 1}, "
                f"found {feature[i]}"
            )


def _too_large(size: str) -> str:
    return (
        f"not a calibration model file (too large: {size}; a model file has at most "
        f"{MAX_MODEL_BYTES // 2**20} MiB, the largest a fit writes about 10 MB)"
    )


def _unencodable(payload: dict[str, Any], error: Exception) -> str:
    """Why the canonical JSON of a parsed payload failed, with the key path where it did:
    nesting deeper than Python's recursion limit, or an integer too long to write."""
    stack: list[tuple[str, Any, int]] = [("payload", payload, 0)]
    while stack:
        path, value, depth = stack.pop()
        if isinstance(error, RecursionError) and depth > 64:  # a fit writes 5 levels at most
            return f"{_key_name(path[:200])} is nested too deeply"
        if isinstance(value, int) and not isinstance(value, bool):
            try:
                str(value)
            except ValueError as exc:
                return f"{_key_name(path[:200])}: {exc}"
        if isinstance(value, dict):
            stack.extend((f"{path}.{k}", v, depth + 1) for k, v in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend((f"{path}[{i}]", value[i], depth + 1) for i in reversed(range(len(value))))
    return f"payload: {'nested too deeply' if isinstance(error, RecursionError) else error}"
