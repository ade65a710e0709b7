"""Learning a teacher's scores, and the model file that carries what was learnt.

The model (fitted by `fit_model`):

1. TF-IDF of word 1-3-grams and character 2-5-grams (sublinear tf), plus the
   standardised dense features of `features.py`, into a ridge regression
   (dual form; alpha chosen on out-of-fold error); and two more ridges on the
   word n-grams alone and on the character n-grams alone;
2. histogram gradient-boosted trees on the dense features, the three ridges'
   out-of-fold predictions and the essay's similarity to the training essays
   (stacking);
3. the combined ridge and the trees averaged, then cut into score levels at
   thresholds optimised for QWK on out-of-fold predictions (so the cuts never
   see their own essays); on long scales (over 40 levels) one stretch factor
   is optimised instead and the cuts stay evenly spaced.

The model file is plain JSON: vocabularies, idf weights, coefficients, scaler
parameters, tree arrays, cut points and training statistics, and for a
text+report model the settings its reports were made with (`report_settings.py`).
`model_file.py` reads, checks and writes it.
"""

from __future__ import annotations

import itertools
import math
import re
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import scipy.linalg
import scipy.sparse as sp
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer, TfidfVectorizer
from sklearn.model_selection import KFold
from threadpoolctl import threadpool_limits

from essaycoach import __version__
from essaycoach.atomic import write_text_atomic
from essaycoach.calibrate import model_file
from essaycoach.calibrate.agreement import Agreement, agreement
from essaycoach.calibrate.features import (
    CHAR_NGRAMS,
    FEATURE_SCHEMA_VERSION,
    WORD_NGRAMS,
    FeatureExtractor,
    tokens,
)
from essaycoach.calibrate.grid import score_grid
from essaycoach.calibrate.grid import score_step as score_step  # re-exported from here
from essaycoach.calibrate.model_file import (
    MIN_RESIDUAL_SD,
    MODEL_FORMAT,
    MODEL_FORMAT_VERSION,
    REPORT_SETTINGS,
    TREE_EXTRA_FEATURES,
    check_blend,
    validate_payload,
)
from essaycoach.errors import CalibrationError, ModelError
from essaycoach.essay import split_sentences
from essaycoach.language import looks_english
from essaycoach.report import Report
from essaycoach.wording import plural
from essaycoach.words import words_of

MANY_LEVELS = 40  # above this many score levels, stretch instead of searching every cut
# numpy takes seeds up to 2**32 - 1, and the outer split uses seed + 1
MAX_SEED = 2**32 - 2
RIDGE_ALPHAS = (1.0, 3.0, 10.0)
# "too long": over this many SDs of the training essays' log length and this many times
# their typical length (both: a class of similar lengths has a small SD)
TOO_LONG_Z = 2.5
TOO_LONG_TIMES = 3.0
REPEATED_SHARE = 0.3  # "repeats itself": this share of its sentences repeat an earlier one


@dataclass(frozen=True)
class FitOptions:
    folds: int = 5  # inner folds for out-of-fold predictions
    seed: int = 0
    max_word_features: int = 40_000
    max_char_features: int = 60_000
    min_df: int = 2
    dense_weight: float = 0.25  # scale of the dense block next to the unit-norm TF-IDF rows
    trees: int = 200
    tree_leaves: int = 8
    learning_rate: float = 0.05
    min_leaf_essays: int = 20  # fewer on small classes: a tenth of the essays, at least 3
    ridge_share: float = 0.5  # weight of the ridge in the final average

    def __post_init__(self) -> None:
        check_blend(self.dense_weight, self.ridge_share)  # the model file's ranges
        if isinstance(self.seed, bool) or not isinstance(self.seed, int):
            raise CalibrationError(f"seed must be an integer, not {self.seed!r}")
        if not 0 <= self.seed <= MAX_SEED:
            raise CalibrationError(f"seed must be from 0 to {MAX_SEED}, not {self.seed}")


@dataclass(frozen=True)
class Prediction:
    score: float
    confidence: float  # 0-1: probability the human score is this one, from cross-validated errors
    trusted: bool
    reasons: tuple[str, ...] = ()  # why a human should read it: off-topic, too short, ...
    raw: float = 0.0  # the continuous prediction, in score units

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "confidence": round(self.confidence, 3),
            "trusted": self.trusted,
            "reasons": list(self.reasons),
            "raw": round(self.raw, 3),
        }


@dataclass(frozen=True)
class CalibrationResult:
    model: CalibrationModel
    cross_validated: Agreement  # agreement on essays held out from the model that scored them
    seconds: float


# --------------------------------------------------------------------------- fitting


def fit_model(
    texts: Sequence[str],
    scores: Sequence[float],
    reports: Sequence[Report] | None = None,
    feature_set: str = "text",
    options: FitOptions | None = None,
    report_settings: Mapping[str, Any] | None = None,
) -> CalibrationResult:
    """Learn the scores of `texts`; returns the model and its cross-validated agreement.

    With `feature_set="text+report"`, `report_settings` is what the reports were
    made with (`report_settings.of_pipeline`); the model records it so that
    `grade --model` can refuse reports made otherwise.
    """
    options = options or FitOptions()
    started = time.perf_counter()
    if len(texts) != len(scores):
        raise CalibrationError("need one score per essay")
    if (report_settings is not None) != (feature_set == "text+report"):
        raise CalibrationError(
            "report_settings (the settings the reports were made with) go with the "
            "text+report feature set, and only with it"
        )
    if len(texts) < max(10, options.folds * 2):
        least = max(10, options.folds * 2)
        raise CalibrationError(f"need at least {least} scored essays to calibrate")
    y_score = np.asarray(scores, dtype=float)
    grid = score_grid(y_score)  # ValueError for scores off the grid or too far apart
    step, low, n_levels = grid.step, grid.low, grid.levels
    levels = np.rint((y_score - low) / step).astype(int)
    if n_levels < 2:
        raise CalibrationError("every essay has the same score; there is nothing to learn")

    extractor = FeatureExtractor(feature_set)
    dense = extractor.dense(texts, reports)
    dense_mean = dense.mean(axis=0)
    dense_scale = dense.std(axis=0)
    # a feature every training essay shares (one paragraph each) has no spread, or one
    # of rounding error (1e-16), which would make any other value tens of SDs away
    dense_scale[dense_scale <= 1e-9 * np.maximum(1.0, np.abs(dense_mean))] = 1.0
    dense_z = (dense - dense_mean) / dense_scale

    word_vec = _tfidf("word", WORD_NGRAMS, options.max_word_features, options.min_df, len(texts))
    char_vec = _tfidf("char_wb", CHAR_NGRAMS, options.max_char_features, options.min_df, len(texts))
    x_word = word_vec.fit_transform(texts)
    x_char = char_vec.fit_transform(texts)
    x_all = sp.hstack([x_word, x_char, sp.csr_matrix(dense_z * options.dense_weight)]).tocsr()

    topic_weights = _content_mask(_vocabulary_list(word_vec)) / word_vec.idf_
    topic = _topic_vectors(x_word, topic_weights)
    centroid = np.asarray(topic.mean(axis=0)).ravel()
    similarity = _cosine_to(topic, centroid)

    y = levels.astype(float)
    folds = list(KFold(options.folds, shuffle=True, random_state=options.seed).split(dense))
    gram_word = _gram(x_word)
    gram_char = _gram(x_char)
    gram_dense = (dense_z @ dense_z.T) * options.dense_weight**2
    ridge = _kernel_ridge(x_all, gram_word + gram_char + gram_dense, y, folds)
    word_ridge = _kernel_ridge(x_word, gram_word, y, folds)
    char_ridge = _kernel_ridge(x_char, gram_char, y, folds)
    ridge_oof, ridge_coef = ridge.oof, ridge.coef

    tree_input = np.column_stack([dense, ridge_oof, similarity, word_ridge.oof, char_ridge.oof])
    gbm_oof = np.zeros(len(y))
    # One OpenMP thread: on a class's few thousand rows more threads only wait on each
    # other, and beside any other busy process they spin (a fit took minutes, not seconds).
    with threadpool_limits(limits=1, user_api="openmp"):
        for train, test in folds:
            tree = _gbm(options, len(train)).fit(tree_input[train], y[train])
            gbm_oof[test] = tree.predict(tree_input[test])
        gbm = _gbm(options, len(y)).fit(tree_input, y)
    exported_gbm = _export_gbm(gbm)

    blend_oof = options.ridge_share * ridge_oof + (1 - options.ridge_share) * gbm_oof
    cuts = optimise_cuts(blend_oof, levels, n_levels)
    oof_levels = apply_cuts(blend_oof, cuts)
    cv = agreement(levels, oof_levels)
    residual_sd = float(max(np.std(blend_oof - y), MIN_RESIDUAL_SD))

    known = _known_words(_vocabulary_list(word_vec))
    coverage = np.asarray([topic_coverage(t, known) for t in texts])
    # each essay against the centroid of the others: a fair figure for an essay not seen
    on_topic = _cosine_without_self(topic, np.asarray(topic.sum(axis=0)).ravel())
    training_distance = _distance(dense_z)
    words = np.asarray([len(words_of(t)) for t in texts])  # counted as reports count
    payload: dict[str, Any] = {
        "format": MODEL_FORMAT,
        "format_version": MODEL_FORMAT_VERSION,
        "feature_schema": FEATURE_SCHEMA_VERSION,
        "feature_set": feature_set,
        "feature_names": list(extractor.names),
        "essaycoach_version": __version__,
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "scores": {"low": low, "step": step, "levels": n_levels},
        "word_vocabulary": _vocabulary_list(word_vec),
        "word_idf": word_vec.idf_.tolist(),
        "char_vocabulary": _vocabulary_list(char_vec),
        "char_idf": char_vec.idf_.tolist(),
        "dense_mean": dense_mean.tolist(),
        "dense_scale": dense_scale.tolist(),
        "dense_weight": options.dense_weight,
        "ridge": ridge.to_dict(),
        "ridge_word": word_ridge.to_dict(),
        "ridge_char": char_ridge.to_dict(),
        "gbm": exported_gbm,
        "ridge_share": options.ridge_share,
        "cuts": cuts.tolist(),
        "residual_sd": residual_sd,
        "training": {
            "essays": len(texts),
            "centroid": centroid.tolist(),
            "coverage_p01": float(np.percentile(coverage, 1)),
            "similarity_p01": float(np.percentile(on_topic, 1)),
            "words_p05": float(np.percentile(words, 5)),
            "unknown_rate_p99": float(
                np.percentile(dense[:, extractor.names.index("unknown_word_rate")], 99)
            ),
            "distance_p99": float(np.percentile(training_distance, 99)),
        },
        "cross_validated": cv.to_dict(),
        "importance": _importance(
            texts,
            extractor.names,
            ridge_coef,
            exported_gbm,
            word_vec,
            char_vec,
            options.dense_weight,
        ),
    }
    if report_settings is not None:
        payload[REPORT_SETTINGS] = dict(report_settings)
    model = CalibrationModel(payload, source="<fitted>")
    return CalibrationResult(model=model, cross_validated=cv, seconds=time.perf_counter() - started)


def calibrate(
    texts: Sequence[str],
    scores: Sequence[float],
    reports: Sequence[Report] | None = None,
    feature_set: str = "text",
    options: FitOptions | None = None,
    report_settings: Mapping[str, Any] | None = None,
) -> CalibrationResult:
    """Cross-validate, then fit on everything: what `essaycoach calibrate` runs.

    Each outer fold fits a whole model (cut points included) without its
    held-out essays, so the agreement printed is what to expect on new essays.
    `fit_model`'s own figure reuses the out-of-fold predictions its cut points
    were tuned on, which flatters it slightly.
    """
    options = options or FitOptions()
    started = time.perf_counter()
    y = np.asarray(scores, dtype=float)
    grid = score_grid(y)  # before any fit: ValueError for scores off the grid or too far apart
    step, low = grid.step, grid.low
    human = np.rint((y - low) / step).astype(int)
    machine = np.zeros(len(y), dtype=int)
    if grid.levels < 2:
        raise CalibrationError(
            f"every essay has the same score ({low:g}); there is nothing to learn: "
            "calibrate on essays with different scores"
        )
    outer = KFold(options.folds, shuffle=True, random_state=options.seed + 1)
    for train, test in outer.split(y):
        if len(set(human[train].tolist())) < 2:
            commonest = int(np.bincount(human).argmax())
            rarer = int(np.sum(human != commonest))
            raise CalibrationError(
                f"only {plural(rarer, 'essay')} {'has' if rarer == 1 else 'have'} a score "
                f"other than {commonest * step + low:g}: too few for "
                f"{options.folds}-fold cross-validation (a fold's training essays would all "
                "have one score); add essays with the other scores"
            )
        fold = fit_model(
            [texts[i] for i in train],
            y[train].tolist(),
            [reports[i] for i in train] if reports is not None else None,
            feature_set,
            options,
            report_settings,
        ).model
        predictions = fold.predict_many(
            [texts[i] for i in test], [reports[i] for i in test] if reports is not None else None
        )
        machine[test] = [round((pr.score - low) / step) for pr in predictions]
    cv = agreement(human, machine)
    final = fit_model(texts, scores, reports, feature_set, options, report_settings).model
    final = replace(final, payload={**final.payload, "cross_validated": cv.to_dict()})
    return CalibrationResult(model=final, cross_validated=cv, seconds=time.perf_counter() - started)


@dataclass(frozen=True)
class RidgeFit:
    alpha: float
    oof: np.ndarray  # out-of-fold predictions of the training essays
    coef: np.ndarray
    intercept: float

    def to_dict(self) -> dict[str, Any]:
        return {"alpha": self.alpha, "coef": self.coef.tolist(), "intercept": self.intercept}


def _gram(x: sp.csr_matrix) -> np.ndarray:
    return np.asarray((x @ x.T).todense())


def _kernel_ridge(
    x: sp.csr_matrix,
    gram: np.ndarray,
    y: np.ndarray,
    folds: list[tuple[np.ndarray, np.ndarray]],
) -> RidgeFit:
    """Ridge regression in its dual form (far fewer essays than n-gram features).

    `gram` is x @ x.T. The intercept is the mean score plus an (equally
    penalised) constant feature. The alpha with the lowest out-of-fold squared
    error wins.
    """
    gram = gram + 1.0  # + 1: the constant feature
    best: tuple[float, float, np.ndarray] | None = None
    for alpha in RIDGE_ALPHAS:
        oof = np.zeros(len(y))
        for train, test in folds:
            mean = y[train].mean()
            dual = _solve(gram[np.ix_(train, train)], y[train] - mean, alpha)
            oof[test] = gram[np.ix_(test, train)] @ dual + mean
        error = float(np.mean((oof - y) ** 2))
        if best is None or error < best[0]:
            best = (error, alpha, oof)
    assert best is not None
    _, alpha, oof = best
    mean = float(y.mean())
    dual = _solve(gram, y - mean, alpha)
    coef = np.asarray(x.T @ dual).ravel()
    return RidgeFit(alpha, oof, coef, mean + float(dual.sum()))


def _solve(gram: np.ndarray, target: np.ndarray, alpha: float) -> np.ndarray:
    system = gram + alpha * np.eye(len(gram))
    return scipy.linalg.solve(system, target, assume_a="pos")


def _tfidf(
    analyzer: str, ngrams: tuple[int, int], max_features: int, min_df: int, n: int
) -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer=analyzer,
        ngram_range=ngrams,
        sublinear_tf=True,
        lowercase=True,
        min_df=min_df if n >= 4 * min_df else 1,
        max_features=max_features,
        dtype=np.float64,
    )


def _gbm(options: FitOptions, essays: int) -> HistGradientBoostingRegressor:
    return HistGradientBoostingRegressor(
        max_iter=options.trees,
        max_leaf_nodes=options.tree_leaves,
        learning_rate=options.learning_rate,
        min_samples_leaf=min(options.min_leaf_essays, max(3, essays // 10)),
        early_stopping=False,
        random_state=options.seed,
    )


def _vocabulary_list(vectorizer: TfidfVectorizer) -> list[str]:
    terms = [""] * len(vectorizer.vocabulary_)
    for term, index in vectorizer.vocabulary_.items():
        terms[index] = term
    return terms


def _export_gbm(gbm: HistGradientBoostingRegressor) -> dict[str, Any]:
    """Trees as plain arrays; leaf values already include the learning rate, leaves have -1.

    Reads scikit-learn's predictor nodes (a private layout): the test against
    scikit-learn's own predictions catches a change.
    """
    trees = []
    for (predictor,) in gbm._predictors:
        nodes = predictor.nodes
        if nodes["is_categorical"].any():
            raise ValueError("categorical splits cannot be exported")
        leaf = nodes["is_leaf"].astype(bool)
        left, right, feature = (nodes[k].astype(np.int64) for k in ("left", "right", "feature_idx"))
        trees.append(
            {
                "left": np.where(leaf, -1, left).tolist(),
                "right": np.where(leaf, -1, right).tolist(),
                "feature": np.where(leaf, -2, feature).tolist(),
                "threshold": np.where(leaf, 0.0, nodes["num_threshold"]).tolist(),
                "value": np.where(leaf, nodes["value"], 0.0).tolist(),
            }
        )
    return {"init": float(np.ravel(gbm._baseline_prediction)[0]), "trees": trees}


def _importance(
    texts: Sequence[str],
    names: Sequence[str],
    coef: np.ndarray,
    gbm: dict[str, Any],
    word_vec: TfidfVectorizer,
    char_vec: TfidfVectorizer,
    dense_weight: float,
) -> dict[str, Any]:
    tree_names = [*names, *TREE_EXTRA_FEATURES]
    splits = np.zeros(len(tree_names))
    for tree in gbm["trees"]:
        for feature in tree["feature"]:
            if feature >= 0:
                splits[feature] += 1
    shares = splits / max(splits.sum(), 1.0)
    tree_weights = sorted(zip(tree_names, shares.tolist(), strict=True), key=lambda p: -p[1])
    n_word = len(word_vec.vocabulary_)
    n_char = len(char_vec.vocabulary_)
    word_coef = coef[:n_word]
    dense_coef = coef[n_word + n_char :] * dense_weight
    words = _vocabulary_list(word_vec)
    order = np.argsort(word_coef)

    def shown(indices: Iterable[int]) -> list[int]:
        """The first 10 `indices` whose n-grams occur within a sentence."""
        found = (i for i in indices if _within_a_sentence(words[i], texts))
        return list(itertools.islice(found, 10))

    return {
        "trees": [[name, round(w, 4)] for name, w in tree_weights[:12]],
        "ridge_dense": [
            [name, weight]
            for name, weight in sorted(
                ((name, round(float(c), 4)) for name, c in zip(names, dense_coef, strict=True)),
                key=lambda p: -abs(p[1]),
            )[:12]
        ],
        "words_up": [[words[i], round(float(word_coef[i]), 4)] for i in shown(order[::-1])],
        "words_down": [[words[i], round(float(word_coef[i]), 4)] for i in shown(order)],
    }


def _within_a_sentence(term: str, texts: Sequence[str]) -> bool:
    """Whether some essay has the words of an n-gram `term` in one sentence: the word
    n-grams ignore punctuation, so "the past tommy" can come only from "... the past.
    Tommy ...", a phrase no student wrote (QA). One-letter words, which the n-grams
    leave out ("I"), may come between."""
    tokens = term.split()
    if len(tokens) < 2:
        return True
    between = r"[^\w.!?]+(?:\w[^\w.!?]+)*"
    pattern = re.compile(r"\b" + between.join(map(re.escape, tokens)) + r"\b", re.IGNORECASE)
    return any(pattern.search(text) for text in texts)


def _content_mask(terms: Sequence[str]) -> np.ndarray:
    """Single content words: what an essay is about, without function words and phrases."""
    return np.asarray([" " not in t and t not in ENGLISH_STOP_WORDS for t in terms], dtype=float)


def _known_words(vocabulary: Sequence[str]) -> frozenset[str]:
    return frozenset(t for t in vocabulary if " " not in t and t not in ENGLISH_STOP_WORDS)


def topic_coverage(text: str, known: frozenset[str]) -> float:
    """Share of the essay's content words that other training essays use too.

    The word vocabulary keeps terms found in at least two training essays, so a
    training essay's own rare words do not count for it: its coverage is a fair
    leave-one-out figure. Essays on another topic score lower, but an essay on
    another prompt of the same kind shares most of its words (on ASAP 47-63%
    against a limit near 41%): `_distrust` also compares the topic similarity.
    """
    words = [
        w for w in (t.lower() for t in tokens(text)) if len(w) > 2 and w not in ENGLISH_STOP_WORDS
    ]
    return sum(w in known for w in words) / len(words) if words else 0.0


def _topic_vectors(x_word: sp.csr_matrix, topic_weights: np.ndarray) -> sp.csr_matrix:
    """Unit-length content-word vectors without idf, so words every essay shares count most.

    `topic_weights` is 1/idf for single content words, 0 elsewhere.
    """
    rows = sp.csr_matrix(x_word @ sp.diags(topic_weights))
    norms = np.sqrt(np.asarray(rows.multiply(rows).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ rows)


def _cosine_to(topic: sp.csr_matrix, centroid: np.ndarray) -> np.ndarray:
    return np.asarray(topic @ centroid).ravel() / (float(np.linalg.norm(centroid)) or 1.0)


def _cosine_without_self(topic: sp.csr_matrix, total: np.ndarray) -> np.ndarray:
    """Each row's cosine to the mean of the other rows (`total` is the sum of all rows).

    The on-topic test's training figures: an essay compared with a centroid that
    holds it would look more on topic than a new essay does, most on small classes.
    """
    dot = np.asarray(topic @ total).ravel()
    own = np.asarray(topic.multiply(topic).sum(axis=1)).ravel()
    rest = np.sqrt(np.maximum(float(total @ total) - 2 * dot + own, 0.0))
    return np.divide(dot - own, rest, out=np.zeros_like(dot), where=rest > 0)


def _apart(value: float, other: float) -> str:
    """`value` with the decimals (2 to 4) that tell it from `other` (QA: 0.3805 under a
    limit of 0.38095 read "0.38, ... 0.38 or more")."""
    for decimals in (2, 3):
        if f"{value:.{decimals}f}" != f"{other:.{decimals}f}":
            return f"{value:.{decimals}f}"
    return f"{value:.4f}"


def _distance(dense_z: np.ndarray) -> np.ndarray:
    """Root-mean-square z-score of an essay's dense features: how unusual it is."""
    return np.sqrt(np.mean(np.clip(dense_z, -50, 50) ** 2, axis=1))


# --------------------------------------------------------------------------- cut points


def apply_cuts(values: np.ndarray, cuts: np.ndarray) -> np.ndarray:
    return np.searchsorted(np.asarray(cuts), np.asarray(values), side="right").astype(int)


def stretched_cuts(predicted: np.ndarray, levels: np.ndarray, n_levels: int) -> np.ndarray:
    """Evenly spaced cuts around the mean, spread by the factor that maximises QWK.

    Regression pulls predictions towards the mean; QWK rewards the spread back.
    The factor (0.8-1.6) is the one parameter fitted, so long scales do not overfit.
    """
    from essaycoach.calibrate.agreement import quadratic_weighted_kappa

    centre = float(np.mean(levels))
    midpoints = np.arange(n_levels - 1, dtype=float) + 0.5
    best: tuple[float, np.ndarray] | None = None
    for stretch in np.linspace(0.8, 1.6, 17):
        cuts = centre + (midpoints - centre) / stretch
        value = quadratic_weighted_kappa(levels, apply_cuts(predicted, cuts), 0, n_levels - 1)
        if best is None or value > best[0] + 1e-9:
            best = (value, cuts)
    assert best is not None
    return best[1]


def optimise_cuts(
    predicted: np.ndarray, levels: np.ndarray, n_levels: int, passes: int = 3
) -> np.ndarray:
    """Cut points between score levels that maximise QWK of `predicted` against `levels`.

    Coordinate ascent from the midpoints (0.5, 1.5, ...): each cut in turn moves
    to the best of a grid of positions between its neighbours.
    """
    from essaycoach.calibrate.agreement import quadratic_weighted_kappa

    cuts = np.arange(n_levels - 1, dtype=float) + 0.5
    if n_levels > MANY_LEVELS:  # e.g. 0-60: one cut per score would overfit
        return stretched_cuts(predicted, levels, n_levels)
    best = quadratic_weighted_kappa(levels, apply_cuts(predicted, cuts), 0, n_levels - 1)
    for _ in range(passes):
        improved = False
        for i in range(len(cuts)):
            lo = cuts[i - 1] if i > 0 else cuts[i] - 1.0
            hi = cuts[i + 1] if i + 1 < len(cuts) else cuts[i] + 1.0
            for candidate in np.linspace(lo, hi, 22)[1:-1]:
                if not 0.0 <= candidate <= n_levels - 1:
                    # past the lowest or highest level: that level could never be
                    # predicted (with a rare top score, every essay would get it)
                    continue
                trial = cuts.copy()
                trial[i] = candidate
                value = quadratic_weighted_kappa(
                    levels, apply_cuts(predicted, trial), 0, n_levels - 1
                )
                if value > best + 1e-9:
                    best, cuts, improved = value, trial, True
        if not improved:
            break
    return cuts


# --------------------------------------------------------------------------- the model


@dataclass
class CalibrationModel:
    """A fitted calibration model, built from its plain JSON payload.

    The payload is not to be changed afterwards: the arrays and the digest are made from it.
    """

    payload: dict[str, Any]
    source: str = "<model>"
    _extractor: FeatureExtractor | None = field(default=None, repr=False)
    _payload_digest: str | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        validate_payload(self.payload, self.source)
        p = self.payload
        self.feature_set: str = p["feature_set"]
        self.low: float = float(p["scores"]["low"])
        self.step: float = float(p["scores"]["step"])
        self.n_levels: int = int(p["scores"]["levels"])
        self.cuts = np.asarray(p["cuts"], dtype=float)
        self._word = _count_vectorizer("word", WORD_NGRAMS, p["word_vocabulary"])
        self._char = _count_vectorizer("char_wb", CHAR_NGRAMS, p["char_vocabulary"])
        self._word_idf = np.asarray(p["word_idf"], dtype=float)
        self._char_idf = np.asarray(p["char_idf"], dtype=float)
        self._dense_mean = np.asarray(p["dense_mean"], dtype=float)
        self._dense_scale = np.asarray(p["dense_scale"], dtype=float)
        self._coef = np.asarray(p["ridge"]["coef"], dtype=float)
        self._word_coef = np.asarray(p["ridge_word"]["coef"], dtype=float)
        self._char_coef = np.asarray(p["ridge_char"]["coef"], dtype=float)
        self._centroid = np.asarray(p["training"]["centroid"], dtype=float)
        self._topic_weights = _content_mask(p["word_vocabulary"]) / self._word_idf
        self._known = _known_words(p["word_vocabulary"])
        self._trees = [
            tuple(np.asarray(t[k]) for k in ("left", "right", "feature", "threshold", "value"))
            for t in p["gbm"]["trees"]
        ]

    # ---- file format

    @classmethod
    def load(cls, path: str | Path) -> CalibrationModel:
        """The model in the file at `path`; ModelError, naming it, if it is not a valid one."""
        payload, digest = model_file.read_payload(Path(path))
        model = cls(payload, source=str(path))
        model._payload_digest = digest
        return model

    def save(self, path: str | Path) -> None:
        """Write the model file atomically; OutputError, naming `path`, if it cannot be.

        ModelError if the file would be over `MAX_MODEL_BYTES`, which `load` refuses.
        """
        write_text_atomic(path, model_file.encode(self.payload, path))

    @property
    def digest(self) -> str:
        """The payload's SHA-256 ("sha256:..."), computed once (0.1 s for a 7 MB model)."""
        if self._payload_digest is None:
            self._payload_digest = model_file.payload_digest(self.payload)
        return self._payload_digest

    # ---- prediction

    @property
    def needs_report(self) -> bool:
        return self.feature_set == "text+report"

    @property
    def extractor(self) -> FeatureExtractor:
        if self._extractor is None:
            self._extractor = FeatureExtractor(self.feature_set)
        return self._extractor

    def raw_levels(
        self, texts: Sequence[str], reports: Sequence[Report] | None = None
    ) -> np.ndarray:
        """Continuous predictions in score-level units (0 = lowest training score)."""
        self._check_reports(reports)
        return self._predict(texts, reports)[0]

    def predict(self, text: str, report: Report | None = None) -> Prediction:
        return self.predict_many([text], [report] if report is not None else None)[0]

    def predict_many(
        self, texts: Sequence[str], reports: Sequence[Report] | None = None
    ) -> list[Prediction]:
        self._check_reports(reports)
        raw, dense_z, similarity = self._predict(texts, reports)
        levels = apply_cuts(raw, self.cuts)
        distance = _distance(dense_z)
        out = []
        for i, text in enumerate(texts):
            level = int(levels[i])
            out.append(
                Prediction(
                    score=self.level_to_score(level),
                    # 3 decimals, as the JSON report stores it: every format shows this value
                    confidence=round(self._confidence(float(raw[i]), level), 3),
                    trusted=not (
                        reasons := self._distrust(
                            text, dense_z[i], float(distance[i]), float(similarity[i])
                        )
                    ),
                    reasons=reasons,
                    raw=self.low + float(raw[i]) * self.step,
                )
            )
        return out

    def _check_reports(self, reports: Sequence[Report] | None) -> None:
        # `essaycoach grade --model` always passes them; this is for callers of the API
        if self.needs_report and reports is None:
            raise ModelError(
                "this model was trained with report features (--features text+report): "
                "pass each essay's essaycoach Report, or calibrate with --features text "
                "to score text alone",
                self.source,
            )

    def level_to_score(self, level: int) -> float:
        # rounded: 0.1 * 3 is 0.30000000000000004; + 0.0 turns -0.0 into 0.0
        return round(self.low + level * self.step, 2) + 0.0

    def _predict(
        self, texts: Sequence[str], reports: Sequence[Report] | None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        p = self.payload
        dense = self.extractor.dense(texts, reports)
        dense_z = (dense - self._dense_mean) / self._dense_scale
        x_word = _tfidf_transform(self._word, self._word_idf, texts)
        x_char = _tfidf_transform(self._char, self._char_idf, texts)
        x_all = sp.hstack([x_word, x_char, sp.csr_matrix(dense_z * p["dense_weight"])]).tocsr()
        ridge = np.asarray(x_all @ self._coef).ravel() + p["ridge"]["intercept"]
        similarity = _cosine_to(_topic_vectors(x_word, self._topic_weights), self._centroid)
        word_ridge = np.asarray(x_word @ self._word_coef).ravel() + p["ridge_word"]["intercept"]
        char_ridge = np.asarray(x_char @ self._char_coef).ravel() + p["ridge_char"]["intercept"]
        gbm = self._gbm_predict(np.column_stack([dense, ridge, similarity, word_ridge, char_ridge]))
        share = p["ridge_share"]
        return share * ridge + (1 - share) * gbm, dense_z, similarity

    def _gbm_predict(self, x: np.ndarray) -> np.ndarray:
        x = x.astype(np.float64)  # histogram boosting compares float64 features to its thresholds
        rows = np.arange(len(x))
        total = np.zeros(len(x))
        for left, right, feature, threshold, value in self._trees:
            node = np.zeros(len(x), dtype=int)
            while True:
                inner = left[node] != -1
                if not inner.any():
                    break
                go_left = x[rows, np.where(inner, feature[node], 0)] <= threshold[node]
                node = np.where(inner, np.where(go_left, left[node], right[node]), node)
            total += value[node]
        return self.payload["gbm"]["init"] + total

    def _confidence(self, raw: float, level: int) -> float:
        """Probability that the teacher's score is `level`, taking it as the raw prediction
        plus an error N(0, residual_sd), rounded to the nearest level.

        Not the chance that the raw value falls between `level`'s cut points: those are
        placed for QWK, unevenly (QA: a band 2.1 levels wide gave 0.68 to scores exact 25%
        of the time, one 0.38 wide 0.24 to scores exact 71% of the time)."""
        sd = self.payload["residual_sd"]
        lo = level - 0.5 if level > 0 else -math.inf
        hi = level + 0.5 if level < len(self.cuts) else math.inf

        def cdf(v: float) -> float:
            return (
                0.5 * (1 + math.erf((v - raw) / (sd * math.sqrt(2))))
                if math.isfinite(v)
                else float(v > 0)
            )

        return max(0.0, min(1.0, cdf(hi) - cdf(lo)))

    def _distrust(
        self, text: str, dense_z: np.ndarray, distance: float, similarity: float
    ) -> tuple[str, ...]:
        training = self.payload["training"]
        names = self.extractor.names
        reasons = []
        words = len(words_of(text))  # as the report counts them: one figure for the teacher
        short_limit = max(10.0, 0.5 * training["words_p05"])
        if words < short_limit:
            reasons.append(
                f"too short: {plural(words, 'word')}; 95% of training essays have "
                f"{training['words_p05']:.0f} or more"
            )
        # the typical training length from the stored scaler: no new key in the model file
        # (capped: an edited mean of 800 would overflow)
        typical = math.expm1(min(self._dense_mean[names.index("log_words")], 700.0))
        if dense_z[names.index("log_words")] > TOO_LONG_Z and words > TOO_LONG_TIMES * typical:
            reasons.append(
                f"too long: {plural(words, 'word')}, {words / typical:.0f} times the training "
                f"essays' typical length ({typical:.0f}); several essays pasted together?"
            )
        repeated, sentences = repeated_sentences(text)
        if sentences >= 5 and repeated >= REPEATED_SHARE * sentences:
            reasons.append(
                f"repeats itself: {repeated} of its {sentences} sentences repeat an earlier one"
            )
        unknown = (
            dense_z[names.index("unknown_word_rate")]
            * self._dense_scale[names.index("unknown_word_rate")]
        )
        unknown += self._dense_mean[names.index("unknown_word_rate")]
        if not looks_english(text):  # numbers, another language: no unknown-word figure
            reasons.append("gibberish or not English: it does not read as English prose")
        elif unknown > max(30.0, 1.5 * training["unknown_rate_p99"]):
            reasons.append(
                f"gibberish or not English: {unknown:.0f} words per 100 are in no dictionary"
            )
        coverage = topic_coverage(text, self._known)
        if similarity < (limit := training["similarity_p01"]):
            reasons.append(
                f"off-topic: its content words are less like the training essays' than 99% "
                f"of theirs are (topic similarity {_apart(similarity, limit)}, 99% of training "
                f"essays {_apart(limit, similarity)} or more)"
            )
        elif coverage < 0.6 * training["coverage_p01"]:
            reasons.append(
                f"off-topic: {coverage:.0%} of its content words occur in the training essays, "
                f"99% of training essays have at least {training['coverage_p01']:.0%}"
            )
        if distance > 1.5 * training["distance_p99"]:
            reasons.append(
                f"far from the training essays: unusualness {distance:.1f}, "
                f"99% of training essays are under {training['distance_p99']:.1f}"
            )
        return tuple(reasons)


def repeated_sentences(text: str) -> tuple[int, int]:
    """How many of a text's sentences repeat an earlier one (same words, any case or
    punctuation), and how many sentences it has."""
    seen: set[tuple[str, ...]] = set()
    repeated = total = 0
    for start, end in split_sentences(text):
        words = tuple(word.lower() for word in words_of(text[start:end]))
        if not words:
            continue
        total += 1
        repeated += words in seen
        seen.add(words)
    return repeated, total


def _count_vectorizer(
    analyzer: str, ngrams: tuple[int, int], vocabulary: list[str]
) -> CountVectorizer:
    return CountVectorizer(
        analyzer=analyzer,
        ngram_range=ngrams,
        lowercase=True,
        vocabulary={term: i for i, term in enumerate(vocabulary)},
        dtype=np.float64,
    )


def _tfidf_transform(
    counter: CountVectorizer, idf: np.ndarray, texts: Sequence[str]
) -> sp.csr_matrix:
    """Exactly TfidfVectorizer(sublinear_tf=True, norm="l2").transform, from stored idf."""
    counts = counter.transform(texts).tocsr().astype(np.float64)
    counts.data = np.log(counts.data) + 1.0
    weighted = counts @ sp.diags(idf)
    weighted = sp.csr_matrix(weighted)
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ weighted)
