"""Teacher batch grading: a folder or LMS zip in; gradebook, reports, summary, pairs out.

`grade(path, out_dir, settings, ...)` runs the whole thing; the parts are
`discover` (files and zip safety), `students` (ids),
`batch` (parallel, resumable grading), `pairs` (copying between students),
`gradebook` (CSV) and `summary` (summary.html).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from essaycoach.atomic import interrupts_held, write_text_atomic
from essaycoach.errors import ExitCode, InputError
from essaycoach.grade.batch import DEFAULT_FORMATS, BatchResult, Progress, grade_batch, names_of
from essaycoach.grade.gradebook import gradebook_csv, pairs_csv, write_gradebook
from essaycoach.grade.pairs import CopyPair, find_copy_pairs
from essaycoach.grade.summary import render_summary
from essaycoach.readers import read_submission
from essaycoach.settings import Settings

if TYPE_CHECKING:
    from essaycoach.calibrate.model import CalibrationModel
    from essaycoach.rubric import Rubric

__all__ = ["DEFAULT_FORMATS", "GradeOutcome", "grade"]


@dataclass
class GradeOutcome:
    batch: BatchResult
    pairs: list[CopyPair]
    out_dir: Path
    seconds: float
    pair_seconds: float
    exemplar_notice: str = ""  # `exemplar.bundled_exemplar_notice` for the run's rubric

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.FAILED if self.batch.failed else ExitCode.OK


def grade(
    path: Path,
    out_dir: Path,
    settings: Settings | None = None,
    *,
    workers: int | None = None,
    formats: Sequence[str] = DEFAULT_FORMATS,
    roster_path: Path | None = None,
    shared_texts: Sequence[Path] = (),
    use_cache: bool = True,
    progress: Progress | None = None,
    model_path: Path | None = None,
    run_inputs: Sequence[Path] = (),
) -> GradeOutcome:
    """Grade every submission under `path` and write gradebook.csv, pairs.csv, summary.html."""
    from essaycoach.exemplar import bundled_exemplar_notice, load_exemplar
    from essaycoach.rubric import load_rubric

    started = time.perf_counter()
    settings = settings or Settings()
    names_of("shared_texts", shared_texts)
    rubric = load_rubric(settings.rubric)
    exemplar = load_exemplar(rubric, settings.exemplar)
    shared = [exemplar.essay.text]
    for extra in shared_texts:
        if not extra.is_file():
            raise InputError("no such file", extra)
        shared.append(read_submission(extra, str(extra)).text)

    with contextlib.ExitStack() as out_folder_held:  # the folder stays locked till the end
        batch = grade_batch(
            path,
            out_dir,
            settings,
            workers=workers,
            formats=formats,
            roster_path=roster_path,
            use_cache=use_cache,
            progress=progress,
            model_path=model_path,
            shared_texts=shared_texts,
            run_inputs=run_inputs,
            out_folder_held=out_folder_held,
        )
        pairs, pair_seconds = _copy_pairs(batch, shared, rubric.targets.similarity.copied_run_words)
        _write_class_files(out_dir, batch, pairs, rubric, title=f"Class summary: {path.name}")
    return GradeOutcome(
        batch,
        pairs,
        out_dir,
        time.perf_counter() - started,
        pair_seconds,
        bundled_exemplar_notice(rubric, settings.exemplar),
    )


def _copy_pairs(
    batch: BatchResult, shared: Sequence[str], min_run_words: int
) -> tuple[list[CopyPair], float]:
    """The suspicious pairs among the readable submissions, and the seconds it took."""
    started = time.perf_counter()
    readable = [i for i, r in enumerate(batch.results) if r.ok and r.prose.strip()]
    found = find_copy_pairs(
        [batch.results[i].prose for i in readable], shared, min_run_words=min_run_words
    )
    # back to indices into batch.results; a student's own draft and final are not copying
    results = batch.results
    pairs = [
        CopyPair(
            readable[p.a],
            readable[p.b],
            p.score,
            p.shared_words,
            p.shared_fraction,
            p.longest_passage,
            p.passages,
        )
        for p in found
        if results[readable[p.a]].student_id != results[readable[p.b]].student_id
    ]
    return pairs, time.perf_counter() - started


def _write_class_files(
    out_dir: Path, batch: BatchResult, pairs: Sequence[CopyPair], rubric: Rubric, title: str
) -> None:
    """gradebook.csv, pairs.csv and summary.html: made first, then written together, with
    Ctrl-C and SIGTERM held until all three are (an interrupt had left a new gradebook
    beside the last run's summary)."""
    criterion_ids = [c.id for c in rubric.criteria]
    gradebook = gradebook_csv(
        batch.results,
        criterion_ids,
        pairs,
        with_prediction=batch.model is not None,
        roster_missing=batch.roster_missing,
    )
    pairs_text = pairs_csv(batch.results, pairs)
    generated = datetime.now(UTC).strftime("Generated %Y-%m-%d %H:%M UTC")
    summary = render_summary(
        batch.results,
        pairs,
        rubric,
        title=title,
        roster_missing=batch.roster_missing,
        generated=f"{generated} from {len(batch.results)} files.",
        prediction_scale=_prediction_scale(batch.model),
    )
    with interrupts_held():
        write_gradebook(out_dir / "gradebook.csv", gradebook)
        write_text_atomic(out_dir / "pairs.csv", pairs_text)
        write_text_atomic(out_dir / "summary.html", summary)


def _prediction_scale(model: CalibrationModel | None) -> tuple[float, float, float] | None:
    """(lowest, highest, step) of the calibration model's scores, for summary.html."""
    if model is None:
        return None
    return model.level_to_score(0), model.level_to_score(model.n_levels - 1), model.step
