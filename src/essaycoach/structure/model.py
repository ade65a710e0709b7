"""The paragraph classifier at run time: TF-IDF n-grams and a softmax over labels, in numpy.

The model is fitted with scikit-learn by `python -m essaycoach.structure.train` and
shipped as JSON (data/structure/model.json). Applying it needs only a dot product,
so a check does not pay scikit-learn's import time (about 2 s cold) on every run.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

from essaycoach.errors import ModelError

_DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "structure"
TRAINING_PATH = _DATA_DIR / "paragraphs.txt"
MODEL_PATH = _DATA_DIR / "model.json"
MODEL_FORMAT = 1


class StructureModelError(ModelError):
    """The shipped structure model is missing, corrupt or out of date."""


def training_digest(path: Path = TRAINING_PATH) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class TfidfSpace:
    """Sublinear TF-IDF with l2 normalisation over a fixed n-gram vocabulary."""

    vocabulary: dict[str, int]
    idf: np.ndarray

    def matrix(self, counts: list[Counter[str]]) -> sparse.csr_matrix:
        """One row per text. Sparse: dense rows took 3.7 GB for an essay of 150,000
        sentences (a row per sentence, a column per vocabulary term)."""
        indptr, indices, values = [0], [], []
        for text_counts in counts:
            row = sorted(
                (index, 1.0 + math.log(count))
                for gram, count in text_counts.items()
                if (index := self.vocabulary.get(gram)) is not None
            )
            weights = np.array([w for _, w in row]) * self.idf[[i for i, _ in row]]
            norm = np.linalg.norm(weights)
            indices += [i for i, _ in row]
            values += list(weights / norm if norm else weights)
            indptr.append(len(indices))
        return sparse.csr_matrix(
            (np.array(values, float), np.array(indices, int), np.array(indptr, int)),
            shape=(len(counts), len(self.idf)),
        )


@dataclass(frozen=True)
class ParagraphModel:
    space: TfidfSpace
    labels: tuple[str, ...]
    coef: np.ndarray  # (labels, features)
    intercept: np.ndarray  # (labels,)
    training_sha256: str
    description: str

    def probabilities(self, vectors: np.ndarray | sparse.spmatrix) -> np.ndarray:
        """Rows of label probabilities (softmax), one per row of TF-IDF vectors."""
        if vectors.shape[0] == 0:
            return np.zeros((0, len(self.labels)))
        logits = vectors @ self.coef.T + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)


def model_to_json(model: ParagraphModel) -> str:
    terms = sorted(model.space.vocabulary, key=model.space.vocabulary.__getitem__)
    return json.dumps(
        {
            "format": MODEL_FORMAT,
            "description": model.description,
            "training_sha256": model.training_sha256,
            "labels": list(model.labels),
            "terms": terms,
            "idf": [round(float(v), 6) for v in model.space.idf],
            "coef": [[round(float(v), 6) for v in row] for row in model.coef],
            "intercept": [round(float(v), 6) for v in model.intercept],
        },
        separators=(",", ":"),
    )


def load_model(path: Path = MODEL_PATH, training_path: Path = TRAINING_PATH) -> ParagraphModel:
    """Load the shipped model; refuse one fitted on different training data."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != MODEL_FORMAT:
            raise StructureModelError(f"unsupported model format {data.get('format')!r}", str(path))
        terms = data["terms"]
        model = ParagraphModel(
            space=TfidfSpace({t: i for i, t in enumerate(terms)}, np.asarray(data["idf"], float)),
            labels=tuple(data["labels"]),
            coef=np.asarray(data["coef"], float),
            intercept=np.asarray(data["intercept"], float),
            training_sha256=data["training_sha256"],
            description=data.get("description", ""),
        )
    except OSError as exc:
        raise StructureModelError(
            f"cannot read structure model: {exc.strerror or exc}", str(path)
        ) from None
    except (ValueError, KeyError, TypeError) as exc:
        raise StructureModelError(f"corrupt structure model ({exc})", str(path)) from None
    if model.coef.shape != (len(model.labels), len(terms)):
        raise StructureModelError("corrupt structure model (coefficient shape)", str(path))
    if training_path.exists() and training_digest(training_path) != model.training_sha256:
        raise StructureModelError(
            "structure model is out of date with its training paragraphs; "
            "run `python -m essaycoach.structure.train`",
            str(path),
        )
    return model
