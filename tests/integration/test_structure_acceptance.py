"""Issue 2's acceptance for the structure check, on the exemplar itself, and bench/structure."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from essaycoach.checks.structure import StructureCheck
from essaycoach.essay import Essay, load_essay
from essaycoach.exemplar import load_exemplar
from essaycoach.rubric import load_rubric

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
EXEMPLAR = ROOT / "examples" / "never-let-me-go.txt"


@pytest.fixture(scope="module")
def check() -> StructureCheck:
    rubric = load_rubric()
    return StructureCheck(rubric, load_exemplar(rubric))


def paragraphs() -> list[str]:
    return [p.text for p in load_essay(EXEMPLAR).paragraphs]


def test_exemplar_against_itself_meets_every_criterion(check):
    result = check.run(load_essay(EXEMPLAR))
    assert {c.id: c.status for c in result.summary.criteria} == {
        c.id: "met" for c in load_rubric().criteria
    }
    assert not [f for f in result.findings if f.category == "order"]
    for criterion in result.summary.criteria:
        expected = set(load_rubric().criterion(criterion.id).exemplar_paragraphs)
        assert criterion.evidence[0].paragraph in expected, criterion.id


def test_exemplar_without_its_climax_paragraph(check):
    texts = paragraphs()
    del texts[5]  # paragraph 6: the visit to Madame's house
    status = {
        c.id: c.status for c in check.run(Essay.from_text("\n\n".join(texts))).summary.criteria
    }
    assert status["climax"] == "missing"
    assert status["thesis"] == status["conflict"] == status["resolution"] == "met"


@pytest.mark.parametrize("seed", range(6))
def test_exemplar_shuffled_has_an_order_finding(check, seed):
    texts = paragraphs()
    order = list(range(len(texts)))
    while order == sorted(order):
        random.Random(seed).shuffle(order)
    result = check.run(Essay.from_text("\n\n".join(texts[i] for i in order)))
    assert [f for f in result.findings if f.code == "structure.order"], order
    assert result.summary.order_problems


def test_off_topic_letter_misses_the_required_criteria(check):
    essay = load_essay(ROOT / "tests" / "fixtures" / "structure" / "computers-letter.txt")
    result = check.run(essay)
    required = [c for c in result.summary.criteria if c.required]
    assert required and all(c.status == "missing" for c in required)


def test_bench_structure_prints_precision_and_recall():
    completed = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "structure")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert "precision" in lines[1] and "recall" in lines[1]
    for criterion in load_rubric().criteria:
        row = next(line for line in lines if line.startswith(criterion.id + " "))
        support, precision, recall = row.split()[1:4]
        assert int(support) > 0
        assert 0.0 <= float(precision) <= 1.0 and 0.0 <= float(recall) <= 1.0
