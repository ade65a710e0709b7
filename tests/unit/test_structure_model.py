"""The structure model: tokens, training data, the shipped JSON model and the order helper."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from essaycoach.errors import ModelError
from essaycoach.structure.detect import longest_in_order
from essaycoach.structure.model import (
    MODEL_PATH,
    TRAINING_PATH,
    load_model,
    training_digest,
)
from essaycoach.structure.text import (
    NAME_TOKEN,
    essay_documents,
    find_names,
    ngrams,
    read_labelled_paragraphs,
    tokenize,
)

LABELS = {
    "thesis",
    "conflict",
    "inciting_incident",
    "rising_action",
    "climax",
    "falling_action",
    "resolution",
    "other",
}


def test_names_are_masked_wherever_they_stand():
    text = "Kathy listens to the tape. Later, Madame watches Kathy and cries. The end."
    names = find_names(text)
    assert names == {"kathy", "madame"}
    assert tokenize(text, names)[:2] == [NAME_TOKEN, "listens"]
    assert "the" not in names and "later" not in names


def test_a_run_of_names_is_one_token():
    text = "In the book, Miss Emily tells them the truth."
    assert tokenize(text, find_names(text)) == [
        "in", "the", "book", NAME_TOKEN, "tells", "them", "the", "truth",
    ]  # fmt: skip


def test_possessives_are_stripped():
    text = "The turning point comes at Madame's house, where Madame speaks."
    assert NAME_TOKEN in tokenize(text, find_names(text))
    assert "madame's" not in tokenize(text, find_names(text))


def test_ngrams_cover_one_to_three_words():
    assert ngrams(["in", "the", "end"]) == [
        "in", "the", "end", "in the", "the end", "in the end",
    ]  # fmt: skip


def test_training_file_has_enough_varied_paragraphs_per_label():
    essays = read_labelled_paragraphs(TRAINING_PATH)
    docs, labels, groups = essay_documents(essays)
    assert set(labels) == LABELS
    for label in LABELS - {"other"}:
        assert labels.count(label) >= 12, label
    assert len({work for work, _ in essays}) >= 15
    assert len(docs) == len(labels) == len(groups)


def test_training_file_avoids_the_works_the_bench_measures():
    works = " ".join(work for work, _ in read_labelled_paragraphs(TRAINING_PATH)).lower()
    for held_out in ("never let me go", "of mice and men", "gatsby", "lord of the flies"):
        assert held_out not in works


def test_bad_training_line_names_file_and_line(tmp_path):
    path = tmp_path / "paragraphs.txt"
    path.write_text("=== A novel\nthesis: fine\nno label here\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"paragraphs.txt:3"):
        read_labelled_paragraphs(path)


def test_shipped_model_matches_its_training_data():
    model = load_model()
    assert model.training_sha256 == training_digest(TRAINING_PATH)
    assert set(model.labels) == LABELS
    assert model.coef.shape == (len(model.labels), len(model.space.idf))


def test_retraining_reproduces_the_shipped_model():
    from essaycoach.structure.train import fit  # needs scikit-learn, a required dependency

    shipped = load_model()
    fresh = fit()
    assert fresh.labels == shipped.labels
    assert fresh.space.vocabulary == shipped.space.vocabulary
    # compare what the models say, not raw coefficients: solvers differ in the last digits
    docs, _labels, _groups = essay_documents(read_labelled_paragraphs(TRAINING_PATH))
    counts = [Counter(ngrams(tokens)) for tokens in docs]
    np.testing.assert_allclose(
        fresh.probabilities(fresh.space.matrix(counts)),
        shipped.probabilities(shipped.space.matrix(counts)),
        atol=2e-3,
    )


def test_stale_model_is_refused(tmp_path):
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    data["training_sha256"] = "0" * 64
    stale = tmp_path / "model.json"
    stale.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ModelError, match="out of date"):
        load_model(stale)


@pytest.mark.parametrize(
    "content",
    ["{not json", json.dumps({"format": 1, "labels": ["a"]}), json.dumps({"format": 99})],
)
def test_corrupt_model_is_one_clear_error(tmp_path, content):
    path = tmp_path / "model.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ModelError) as info:
        load_model(path, training_path=Path(tmp_path / "absent.txt"))
    assert "model.json" in str(info.value) and "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("orders", "kept_size"),
    [([], 0), ([1, 2, 3], 3), ([3, 2, 1], 1), ([2, 7, 4, 5, 6], 4), ([2, 2, 5, 4], 3)],
)
def test_longest_in_order(orders, kept_size):
    kept = longest_in_order(orders)
    assert len(kept) == kept_size
    values = [orders[i] for i in sorted(kept)]
    assert values == sorted(values)
