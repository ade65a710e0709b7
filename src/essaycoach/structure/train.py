"""Fit the paragraph model with scikit-learn and write data/structure/model.json.

Run `python -m essaycoach.structure.train` after editing data/structure/paragraphs.txt;
`--cv` also prints leave-one-essay-out accuracy for a few regularisation strengths.
The check itself never imports scikit-learn (see model.py).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from essaycoach.structure.model import (
    MODEL_PATH,
    TRAINING_PATH,
    ParagraphModel,
    TfidfSpace,
    model_to_json,
    training_digest,
)
from essaycoach.structure.text import (
    NGRAM_RANGE,
    essay_documents,
    ngrams,
    read_labelled_paragraphs,
)

REGULARISATION = 10.0  # LogisticRegression C, chosen by leave-one-essay-out accuracy (--cv)
MIN_DOCUMENT_FREQUENCY = 2


def _pipeline(c: float):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(
        analyzer=ngrams, min_df=MIN_DOCUMENT_FREQUENCY, sublinear_tf=True, norm="l2"
    )
    classifier = LogisticRegression(C=c, class_weight="balanced", max_iter=5000)
    return vectorizer, classifier


def fit(training_path: Path = TRAINING_PATH, c: float = REGULARISATION) -> ParagraphModel:
    docs, labels, _groups = essay_documents(read_labelled_paragraphs(training_path))
    vectorizer, classifier = _pipeline(c)
    matrix = vectorizer.fit_transform(docs)
    classifier.fit(matrix, labels)
    vocabulary = {term: int(i) for term, i in vectorizer.vocabulary_.items()}
    return ParagraphModel(
        space=TfidfSpace(vocabulary, np.asarray(vectorizer.idf_, float)),
        labels=tuple(str(label) for label in classifier.classes_),
        coef=np.asarray(classifier.coef_, float),
        intercept=np.asarray(classifier.intercept_, float),
        training_sha256=training_digest(training_path),
        description=(
            f"scikit-learn {_sklearn_version()} LogisticRegression(C={c:g}, class_weight=balanced) "
            f"on sublinear TF-IDF word {NGRAM_RANGE[0]}-{NGRAM_RANGE[1]}-grams "
            f"(names masked, min_df={MIN_DOCUMENT_FREQUENCY}); {len(docs)} labelled paragraphs"
        ),
    )


def cross_validate(
    training_path: Path = TRAINING_PATH, cs: tuple[float, ...] = (1, 3, 10, 30, 100)
) -> None:
    """Leave-one-essay-out accuracy per C (no paragraph is scored by a model that saw its essay)."""
    from sklearn.model_selection import LeaveOneGroupOut, cross_val_predict
    from sklearn.pipeline import make_pipeline

    docs, labels, groups = essay_documents(read_labelled_paragraphs(training_path))
    for c in cs:
        pipeline = make_pipeline(*_pipeline(c))
        predicted = cross_val_predict(pipeline, docs, labels, groups=groups, cv=LeaveOneGroupOut())
        accuracy = float(np.mean(np.asarray(predicted) == np.asarray(labels)))
        print(f"C={c:g}: leave-one-essay-out accuracy {accuracy:.3f} on {len(docs)} paragraphs")


def _sklearn_version() -> str:
    import sklearn

    return sklearn.__version__


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cv", action="store_true", help="print leave-one-essay-out accuracy first"
    )
    parser.add_argument("--output", type=Path, default=MODEL_PATH)
    args = parser.parse_args(argv)
    if args.cv:
        cross_validate()
    model = fit()
    args.output.write_text(model_to_json(model) + "\n", encoding="utf-8")
    print(f"wrote {args.output}: {model.description}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
