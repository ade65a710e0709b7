"""`essaycoach calibrate`: learn a teacher's own scores from essays they have graded."""

from __future__ import annotations

import os
from pathlib import Path

import click

from essaycoach.cli.options import (
    NonEmptyPath,
    build_settings,
    config_options,
    config_settings,
    pipeline_options,
    selected_config,
)
from essaycoach.errors import ExitCode
from essaycoach.wording import number_range, plural

# calibrate.model.MAX_SEED (a test keeps them equal): importing it here would load
# scikit-learn for every `--help`
MAX_SEED = 2**32 - 2

MIN_ESSAYS = 20
BLANK_SHOWN = 5  # rows with an empty score named one by one
LONG_SCALE = 10  # score levels beyond which the exact-score confidence says little


@click.command("calibrate")
@click.argument("path", type=NonEmptyPath(path_type=Path))
@click.option(
    "--scores",
    "scores_csv",
    required=True,
    type=NonEmptyPath(dir_okay=False, path_type=Path),
    help="CSV with a 'score' (or grade, mark, points) column and a 'file' (path in PATH; "
    "or file_name, filename, essay, path) or 'student_id' column. Rows with an empty "
    "score are skipped.",
)
@click.option(
    "--out",
    "-o",
    "out",
    required=True,
    type=NonEmptyPath(dir_okay=False, path_type=Path),
    help="Where to write the model file (JSON).",
)
@click.option(
    "--features",
    "feature_set",
    type=click.Choice(["text", "text+report"]),
    default="text",
    show_default=True,
    help="text: n-grams, length, vocabulary, sentence and spelling measures (fast). "
    "text+report: also the essaycoach report (criterion levels, similarity, readability, "
    "grammar rate), which runs the full check on every essay.",
)
@pipeline_options
@config_options("its top-level settings apply with --features text+report, as in grade")
@click.option(
    "--seed",
    type=click.IntRange(0, MAX_SEED),
    default=0,
    show_default=True,
    help="Seed for the fold split.",
)
def calibrate_command(
    path: Path,
    scores_csv: Path,
    out: Path,
    feature_set: str,
    rubric: str | None,
    exemplar: Path | None,
    grammar: str | None,
    languagetool_url: str | None,
    accept_words: Path | None,
    config_path: Path | None,
    no_config: bool,
    seed: int,
) -> None:
    """Learn a mapping from essay features to your own scores.

    PATH is a folder of essays you have graded (.txt, .md, .docx, .odt, .pdf,
    .rtf, .html); --scores names the score of each. Prints the 5-fold cross-validated
    agreement with your scores (quadratic weighted kappa, exact and adjacent
    agreement, standardized mean difference) and the features that weigh most,
    then writes the model for `essaycoach grade --model`.

    \b
    Example:
      essaycoach calibrate graded/ --scores scores.csv --out my-model.json
      essaycoach grade new-essays/ --out results/ --model my-model.json

    \b
    scores.csv:
      file,score
      alice.txt,4
      bob.docx,2
    """
    from essaycoach.atomic import check_writable
    from essaycoach.calibrate.dataset import load_training_set
    from essaycoach.calibrate.grid import (
        lone_finer_scores,
        on_grid,
        outlying_scores,
        score_step,
    )
    from essaycoach.calibrate.model import FitOptions, calibrate
    from essaycoach.cli.base import InputProblem, echo_line

    config = selected_config(config_path, no_config)
    if path.is_dir() and out.resolve().is_relative_to(path.resolve()):
        # in the folder, grade would take the model for a submission (or it would
        # overwrite an essay)
        raise InputProblem(
            f"--out {out} is inside the essays folder {path}; `essaycoach grade` would take "
            "the model for an essay there: write it outside the folder"
        )
    check_writable(out)  # before minutes of fitting, not after
    if out.exists() and scores_csv.exists() and os.path.samefile(out, scores_csv):
        raise InputProblem(f"--out {out} is the scores file; the model would overwrite your scores")
    training = load_training_set(path, scores_csv)
    if training.score_column_note:
        click.echo(f"essaycoach: note: {scores_csv}: {training.score_column_note}", err=True)
    for line, key in training.blank_scores[:BLANK_SHOWN]:  # not graded yet
        click.echo(
            f"essaycoach: warning: {scores_csv}: line {line}: no score for {key!r}; left out, "
            "like an essay the scores file does not list",
            err=True,
        )
    if len(training.blank_scores) > BLANK_SHOWN:
        click.echo(
            f"essaycoach: warning: {scores_csv}: "
            f"{plural(len(training.blank_scores) - BLANK_SHOWN, 'more row')} without a score "
            "left out",
            err=True,
        )
    for relative, reason in training.unreadable:  # like a failed row in `grade`
        click.echo(f"essaycoach: left out: {path / relative}: {reason}", err=True)
    if len(training.essays) < MIN_ESSAYS:
        unreadable = ""
        if training.unreadable:
            unreadable = f" ({len(training.unreadable)} more cannot be read)"
        raise InputProblem(
            f"{scores_csv}: {len(training.essays)} scored essays{unreadable}; "
            f"calibration needs at least {MIN_ESSAYS}"
        )
    texts = [item.essay.prose for item in training.essays]
    scores = [item.score for item in training.essays]
    coarser, lone = lone_finer_scores(scores)
    others_low = min((s for i, s in enumerate(scores) if i not in lone), default=0.0)
    for index in lone:  # the grid follows every score, so a typo changes the scale
        item = training.essays[index]
        grid = "whole points" if coarser == 1 else f"steps of {coarser:g}"
        if not on_grid(others_low, coarser):
            grid = f"steps of {coarser:g} from {others_low:g}"  # 55, 65, 75: tens from 55
        which = "the only score" if len(lone) == 1 else f"one of {len(lone)} scores"
        click.echo(
            f"essaycoach: warning: {scores_csv}: line {item.line}: score {item.score:g} is "
            f"{which} off {grid}, so the model scores in steps of "
            f"{score_step(scores):g}; if it is a typo, fix it and calibrate again",
            err=True,
        )
    for index, low, high in outlying_scores(scores):  # the scale stretches to reach it
        item = training.essays[index]
        empty = round(min(abs(item.score - low), abs(item.score - high)) / score_step(scores)) - 1
        click.echo(
            f"essaycoach: warning: {scores_csv}: line {item.line}: score {item.score:g} is far "
            f"from the others ({number_range(low, high)}): the scale becomes "
            f"{number_range(min(scores), max(scores))} with {empty} empty score levels between; "
            "if it is "
            "a typo, fix it and calibrate again",
            err=True,
        )
    for score in sorted(training.scores_without_essay):
        click.echo(
            f"essaycoach: warning: score {score:g} now has no readable essay; the model "
            "cannot learn it",
            err=True,
        )
    reports = report_settings = None
    if feature_set == "text+report":
        from essaycoach.calibrate.report_settings import of_pipeline
        from essaycoach.pipeline import Pipeline

        base = config_settings(config, None, rubric, exemplar)
        settings = build_settings(base, rubric, exemplar, grammar, languagetool_url, accept_words)
        with Pipeline(settings) as pipeline:
            reports = [pipeline.check_essay(item.essay) for item in training.essays]
            report_settings = of_pipeline(pipeline)  # `grade --model` checks its run against it
    try:
        result = calibrate(
            texts, scores, reports, feature_set, FitOptions(seed=seed), report_settings
        )
    except ValueError as error:  # e.g. one score for every essay, or scores off a grid
        raise InputProblem(f"{scores_csv}: {error}") from None
    result.model.save(out)

    cv = result.cross_validated
    step = result.model.step
    echo = echo_line  # the summary goes to stdout; a full disk there is one line
    echo(
        f"Calibrated on {len(texts)} essays (scores {number_range(min(scores), max(scores))} "
        f"in steps of {step:g}), "
        f"features: {feature_set}, {result.seconds:.1f} s"
    )
    if training.unscored:
        echo(f"Not used (no score in {scores_csv.name}): {plural(len(training.unscored), 'essay')}")
    if training.unreadable:
        echo(f"Not used (cannot be read, see above): {plural(len(training.unreadable), 'essay')}")
    echo("")
    echo("Agreement with your scores (5-fold cross-validated: each essay scored by a model")
    echo("that never saw it, as new essays will be):")
    adjacent = f"adjacent agreement (within {step:g})"
    width = max(29, len(adjacent))  # "(within 0.25)" is longer than the other labels
    for label, value, meaning in (
        ("quadratic weighted kappa", f"{cv.qwk:6.3f}", "1 = your scores, 0 = chance"),
        ("exact agreement", f"{cv.exact:6.1%}", "essays given your exact score"),
        (adjacent, f"{cv.adjacent:6.1%}", "within one step"),
        ("standardized mean difference", f"{cv.smd:+6.3f}", "+ scores higher than yours (in SDs)"),
        ("Pearson correlation", f"{cv.pearson:6.3f}", "1 = same order as yours"),
    ):
        echo(f"  {label:{width}s} {value}   {meaning}")
    echo(f"  {_verdict(cv.qwk, cv.smd)}")
    levels = result.model.n_levels
    if levels > LONG_SCALE:  # the chance of one exact score out of many is small
        echo(f"  On {levels} score levels the confidence `grade` shows (the chance of your")
        echo("  exact score) stays low even for good predictions: go by adjacent agreement.")
    importance = result.model.payload["importance"]
    echo("")
    echo("What the model looks at most (share of its decision trees' splits):")
    # features no split used are no part of the decision (QA: half the list was 0.000)
    for name, weight in [item for item in importance["trees"] if item[1] >= 0.0005][:8]:
        echo(f"  {name:32s} {weight:6.3f}   {feature_description(name)}")
    echo("Words that raise the score: " + ", ".join(w for w, _ in importance["words_up"][:8]))
    echo("Words that lower the score: " + ", ".join(w for w, _ in importance["words_down"][:8]))
    echo("")
    echo(f"Model written to {out}")
    if training.unreadable:  # the model is written, but not from every essay graded
        raise click.exceptions.Exit(ExitCode.FAILED)


# what a feature name means, for the summary (calibrate/features.py defines them)
_FEATURE_WORDS = {
    "ridge_prediction": "the text model's score (n-grams and measures)",
    "word_ngram_ridge": "the score from word and phrase use alone",
    "char_ngram_ridge": "the score from letter sequences (spelling, word forms)",
    "similarity_to_training": "how like the graded essays its words are",
    "log_characters": "length in characters",
    "log_words": "length in words",
    "log_unique_words": "number of different words",
    "log_sentences": "number of sentences",
    "log_paragraphs": "number of paragraphs",
    "mean_sentence_words": "sentence length",
    "stdev_sentence_words": "variety of sentence length",
    "max_sentence_words": "longest sentence",
    "type_token_ratio": "share of different words",
    "guiraud_index": "vocabulary range for the length",
    "hapax_ratio": "words used once",
    "mean_word_length": "word length",
    "stdev_word_length": "variety of word length",
    "long_word_ratio": "words of 7+ letters",
    "mean_syllables": "syllables per word",
    "flesch_kincaid_grade": "reading grade level",
    "stopword_ratio": "share of small words (the, of, and)",
    "connective_rate": "linking words (however, because)",
    "unknown_word_rate": "words not in the dictionary (spelling)",
    "unknown_unique_rate": "different words not in the dictionary",
    "comma_rate": "commas",
    "apostrophe_rate": "apostrophes",
    "uppercase_ratio": "capital letters",
    "lowercase_sentence_start_ratio": "sentences starting in lower case",
    "lowercase_i_rate": "lower-case 'i' for 'I'",
    # the report's (--features text+report)
    "report_score_total": "essaycoach's score (0-100)",
    "report_criteria_mean_level": "the rubric criteria's mean level (0-4)",
    "report_criteria_met_ratio": "share of the rubric's criteria met",
    "report_criteria_missing_ratio": "share of the rubric's criteria missing",
    "report_required_missing": "required criteria missing",
    "report_order_problems": "order problems in the plot's steps",
    "report_similarity_exemplar": "similarity to the exemplar",
    "report_similarity_coverage_mean": "how much of the exemplar's content it covers",
    "report_copied_fraction": "share copied from the exemplar",
    "report_readability_grade": "readability grade",
    "report_flesch_reading_ease": "Flesch reading ease",
    "report_grammar_per_100_words": "grammar and spelling issues per 100 words",
}


def feature_description(name: str) -> str:
    """A few plain words for a feature name; "" for the ones that explain themselves."""
    if name in _FEATURE_WORDS:
        return _FEATURE_WORDS[name]
    return name.removesuffix("_rate").replace("_", " ") + (
        " per 100 words" if name.endswith("_rate") else ""
    )


def _verdict(qwk: float, smd: float) -> str:
    """RSMTool-style thresholds: QWK >= 0.7 and |SMD| <= 0.15 are the usual bar."""
    from essaycoach.calibrate.agreement import USUAL_BAR, meets_usual_bar

    if meets_usual_bar(qwk, smd):
        return f"Meets the usual bar for automated scoring ({USUAL_BAR})."
    return f"Below the usual bar ({USUAL_BAR}): check each predicted score yourself."
