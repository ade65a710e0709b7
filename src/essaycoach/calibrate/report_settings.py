"""What a text+report model's reports were made with, and the check `grade --model` makes.

The report features (`features.REPORT_FEATURES`) come from the essaycoach
pipeline, and these settings change them for the same essay:

* the rubric: criteria, weights, cue phrases, targets, disabled grammar rules,
  accepted words;
* the exemplar: similarity, coverage, the structure check's reference passages,
  and its proper nouns, which the spell checkers accept;
* the accepted words in all (the rubric's, the exemplar's proper nouns,
  `--accept-words` and the configuration's `accept_words`): spelling flags;
* the grammar engine that ran: Harper, LanguageTool, both or none (`--grammar
  auto` runs both when LanguageTool answers, Harper alone when it does not);
* `min_words`, under which an essay is not judged (its structure and similarity
  features are then 0).

A text+report model records them (`of_pipeline`, in the payload's
`report_settings`) and `grade --model` refuses a run that would make its reports
otherwise (`check_grade_settings`): the model's weights for those features would
mean nothing. Text-only models need none of this.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from essaycoach.errors import ModelError, RubricError

if TYPE_CHECKING:
    from essaycoach.calibrate.model import CalibrationModel
    from essaycoach.exemplar import Exemplar
    from essaycoach.pipeline import Pipeline
    from essaycoach.rubric import Rubric
    from essaycoach.settings import Settings

# the keys of a model's `report_settings`, in the order they are compared
RECORD_KEYS = (
    "rubric",
    "rubric_sha256",
    "exemplar",
    "exemplar_sha256",
    "accept_words",
    "accept_words_sha256",
    "min_words",
    "grammar",
)
ENGINES = ("harper", "languagetool", "both", "off")  # GrammarEngine.name, or no engine
_SHA256 = re.compile(r"[0-9a-f]{64}")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def make_record(
    rubric: Rubric, exemplar: Exemplar, accept_words: Iterable[str], min_words: int, grammar: str
) -> dict[str, Any]:
    """The record of one set of report settings (`grammar`: the engine that runs)."""
    try:
        rubric_bytes = Path(rubric.source).read_bytes()
    except OSError as exc:
        raise RubricError(f"cannot read the rubric: {exc.strerror or exc}", rubric.source) from None
    words = sorted(set(accept_words))
    return {
        "rubric": rubric.id,
        "rubric_sha256": _sha256(rubric_bytes),
        "exemplar": Path(exemplar.essay.source).name,
        "exemplar_sha256": _sha256(exemplar.essay.text.encode("utf-8")),
        "accept_words": len(words),
        "accept_words_sha256": _sha256("\n".join(words).encode("utf-8")),
        "min_words": min_words,
        "grammar": grammar,
    }


def of_pipeline(pipeline: Pipeline) -> dict[str, Any]:
    """What the reports of `pipeline` are made with: the record a text+report model keeps."""
    return make_record(
        pipeline.rubric,
        pipeline.exemplar,
        pipeline.accept_words,
        pipeline.settings.min_words,
        pipeline.engine.name if pipeline.engine is not None else "off",
    )


def check_record(record: dict[str, Any], where: str) -> None:
    """The values of a model file's record (its keys are checked by the loader);
    ValueError naming the key path."""
    for key in ("rubric", "exemplar"):
        if not isinstance(record[key], str) or not record[key]:
            raise ValueError(f"{where}.{key} must be a non-empty string")
    for key in ("rubric_sha256", "exemplar_sha256", "accept_words_sha256"):
        if not isinstance(record[key], str) or not _SHA256.fullmatch(record[key]):
            raise ValueError(f"{where}.{key} must be a SHA-256 digest (64 hexadecimal digits)")
    for key in ("accept_words", "min_words"):
        if type(record[key]) is not int or record[key] < 0:
            raise ValueError(f"{where}.{key} must be an integer of at least 0")
    if record["grammar"] not in ENGINES:
        raise ValueError(f"{where}.grammar must be one of {', '.join(ENGINES)}")


def check_grade_settings(model: CalibrationModel, settings: Settings) -> None:
    """ModelError, naming the model file and the setting, when a grade run with
    `settings` would make reports other than those a text+report `model` learnt from.

    Compared: rubric and exemplar (by content), accepted words, `min_words`, then
    the grammar engine the run would use; under `--grammar auto` that means asking
    LanguageTool whether it answers (only when one is configured or installed).
    """
    if not model.needs_report:
        return
    from essaycoach.calibrate.model_file import REPORT_SETTINGS
    from essaycoach.exemplar import load_exemplar
    from essaycoach.pipeline import accepted_words
    from essaycoach.rubric import load_rubric

    recorded = model.payload[REPORT_SETTINGS]
    rubric = load_rubric(settings.rubric)
    exemplar = load_exemplar(rubric, settings.exemplar)
    words = accepted_words(rubric, exemplar, settings)
    now = make_record(rubric, exemplar, words, settings.min_words, grammar="")

    def differs(then: str, this_run: str, fix: str) -> ModelError:
        return ModelError(
            f"the model was calibrated with {then}, this grade run {this_run}: the report "
            f"features would differ; {fix} or recalibrate",
            model.source,
        )

    for key, label in (("rubric", "rubric"), ("exemplar", "exemplar")):
        if now[f"{key}_sha256"] != recorded[f"{key}_sha256"]:
            raise differs(
                f"{label} {recorded[key]!r} (sha256 {recorded[f'{key}_sha256'][:12]})",
                f"uses {label} {now[key]!r} (sha256 {now[f'{key}_sha256'][:12]})",
                f"grade with the model's {label}",
            )
    if now["accept_words_sha256"] != recorded["accept_words_sha256"]:
        raise differs(
            f"{recorded['accept_words']} accepted words "
            f"(sha256 {recorded['accept_words_sha256'][:12]})",
            f"accepts {now['accept_words']} (sha256 {now['accept_words_sha256'][:12]}; "
            "--accept-words or the configuration's accept_words)",
            "grade with the words the model was calibrated with",
        )
    if now["min_words"] != recorded["min_words"]:
        raise differs(
            f"min_words {recorded['min_words']}",
            f"uses min_words {now['min_words']}",
            f"grade with min_words {recorded['min_words']}",
        )
    engines, why = _grade_engines(settings, recorded["grammar"])
    if engines != (recorded["grammar"],):
        raise differs(
            f"grammar engine {recorded['grammar']!r}",
            f"would use {' or '.join(map(repr, engines))} ({why})",
            f"grade with --grammar {recorded['grammar']}",
        )


def _grade_engines(settings: Settings, recorded: str) -> tuple[tuple[str, ...], str]:
    """The engine a grade run with `settings` would use (as grammar.select picks), and why;
    two when it does not matter which (neither is `recorded`)."""
    choice = settings.grammar
    if choice != "auto":
        return (choice,), f"--grammar {choice}"
    from essaycoach.grammar.select import AUTO_PREFERENCE, auto_engine

    possible = tuple(dict.fromkeys((AUTO_PREFERENCE, "harper")))
    if recorded not in possible:  # no need to ask LanguageTool
        return possible, "--grammar auto"
    engine, why = auto_engine(settings)
    return (engine,), f"--grammar auto, and {why}" if why else "--grammar auto"
