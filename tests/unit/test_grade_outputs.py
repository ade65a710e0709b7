"""gradebook.csv, pairs.csv, summary.html, the resume cache and its keys."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import re
from dataclasses import replace
from pathlib import Path

import pytest

from essaycoach.grade.batch import (
    cache_key,
    cache_path,
    load_cached,
    remove_stale_temporaries,
    settings_fingerprint,
)
from essaycoach.grade.class_stats import find_outliers, histogram, mini_lessons
from essaycoach.grade.gradebook import cell, gradebook_csv, pairs_csv
from essaycoach.grade.pairs import CopyPair, PassagePair
from essaycoach.grade.results import FAILED, SubmissionResult
from essaycoach.grade.students import Student
from essaycoach.grade.summary import marked_difference, render_summary
from essaycoach.rubric import load_rubric
from essaycoach.settings import Settings

FIXTURES = Path(__file__).parent.parent / "fixtures"


def _ok(
    student: str, total: float, words: int = 300, grammar: float = 1.0, **extra
) -> SubmissionResult:
    result = SubmissionResult(
        student_id=student,
        name="",
        file=f"{student}.txt",
        report_name=student,
        judged=True,
        total=total,
        levels={"thesis": 4, "climax": 2},
        statuses={"thesis": "met", "climax": "partial"},
        words=words,
        readability_grade=9.5,
        grammar_engine="harper",
        grammar_per_100_words=grammar,
        grammar_categories={"spelling": 3, "punctuation": 1},
        grammar_rules={"SpellCheck": [3, "spelling", "Did you mean “their”?"]},
        reports={"html": f"reports/{student}.html", "json": f"reports/{student}.json"},
    )
    for key, value in extra.items():
        setattr(result, key, value)
    return result


def _failed(student: str, reason: str) -> SubmissionResult:
    return SubmissionResult(student, "", f"{student}.docx", student, FAILED, reason)


def _pair() -> CopyPair:
    passage = PassagePair(
        0, 40, 0, 42, 30, "Kathy keeps the tape long after", "Kathy keeps the tape"
    )
    return CopyPair(0, 1, 0.8, 30, 0.5, 30, (passage,))


@pytest.mark.parametrize(
    "value,expected",
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+1+2", "'+1+2"),
        ("-3", "-3"),
        ("+2.5", "+2.5"),
        ("-1e3", "-1e3"),
        # Python's float() reads these, a spreadsheet does not: they would be formulas
        ("-inf", "'-inf"),
        ("+nan", "'+nan"),
        ("+1_000", "'+1_000"),
        ("-3 ", "'-3 "),
        ("-\u0663", "'-\u0663"),  # an Arabic-Indic digit is not a number to a spreadsheet
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Ann", "Ann"),
        (None, ""),
        (72.345, "72.3"),
    ],
)
def test_cells_are_safe_in_spreadsheets(value, expected: str) -> None:
    assert cell(value) == expected


def test_gradebook_has_one_row_per_submission_with_levels_flags_and_reasons() -> None:
    results = [
        _ok("ann", 81.24),
        _ok("bob", 64.0, exemplar_flags=["too_similar"]),
        _failed("cid", "corrupt .docx: not a valid document container"),
    ]
    text = gradebook_csv(results, ["thesis", "climax"], [_pair()])
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["student_id"] for r in rows] == ["ann", "bob", "cid"]
    assert rows[0]["total_score"] == "81.2" and rows[0]["level_thesis"] == "4"
    assert rows[0]["similarity_flags"] == "copying:bob"
    assert rows[1]["similarity_flags"] == "too_similar;copying:ann"
    assert rows[2]["status"] == "failed" and rows[2]["reason"].startswith("corrupt .docx")
    assert rows[2]["total_score"] == "" and rows[2]["words"] == ""
    assert rows[0]["report"] == "reports/ann.html"


def test_words_of_an_essay_in_another_script_are_not_reported_as_0() -> None:
    """QA: a Chinese essay's `words` cell read 0; words are counted in Latin letters, so
    its count is left empty (and "–" in the summary), while a wordless English file's 0 stays."""
    from essaycoach import check

    chinese = (FIXTURES / "language" / "chinese.txt").read_text(encoding="utf-8")
    sources = {"zh": chinese, "dots": "... !!! ---", "en": "Kathy remembers Hailsham well."}
    results = []
    for student, text in sources.items():
        result = SubmissionResult(student, "", f"{student}.txt", student)
        result.fill_from_report(check(text=text, grammar="off"))
        results.append(result)
    rows = list(csv.DictReader(io.StringIO(gradebook_csv(results, ["thesis"], []))))
    assert [r["words"] for r in rows] == ["", "0", "4"]
    rubric = load_rubric()
    html = render_summary(results, [], rubric, title="Class")
    words_column = 4 + len(rubric.criteria)  # student, file, status, total, levels, words
    shown = {
        cells[1]: cells[words_column]
        for row in html.split("<tr>")
        if len(cells := re.findall(r"<td[^>]*>(.*?)</td>", row)) > words_column
    }
    assert shown == {"zh.txt": "–", "dots.txt": "0", "en.txt": "4"}


def test_an_essay_graded_with_grammar_off_has_no_grammar_rate() -> None:
    """QA: with --grammar off the gradebook read 0.0 issues per 100 words, a clean record
    for an essay nobody checked; it is empty, and "–" in the summary."""
    from essaycoach import check

    text = (FIXTURES.parent.parent / "examples" / "strong-never-let-me-go.md").read_text()
    unchecked = SubmissionResult("ann", "", "ann.md", "ann")
    unchecked.fill_from_report(check(text=text, grammar="off"))
    checked = SubmissionResult("bob", "", "bob.md", "bob")
    checked.fill_from_report(check(text=text.replace("Hailsham", "Hailshm"), grammar="harper"))
    rows = list(csv.DictReader(io.StringIO(gradebook_csv([unchecked, checked], ["thesis"], []))))
    assert rows[0]["grammar_issues_per_100_words"] == ""
    assert float(rows[1]["grammar_issues_per_100_words"]) > 0
    assert unchecked.grammar_engine == "off"


def test_summary_cards_add_up_to_the_submissions() -> None:
    """QA: "11 submissions, 8 graded, 3 failed, 1 not judged": graded held the not judged."""
    not_judged = _ok("dan", 0.0, judged=False, reason="The essay has 12 words")
    not_judged.total = None
    results = [_ok("ann", 80.0), _ok("bob", 70.0), not_judged, _failed("cid", "corrupt .docx")]
    html = render_summary(results, [], load_rubric(), title="Class")
    cards = dict(
        (label, value)
        for value, label in re.findall(r'<div class="card"><b>([^<]*)</b>([^<]*)</div>', html)
    )
    assert [cards[k] for k in ("submissions", "scored", "not judged", "failed")] == [
        "4",
        "2",
        "1",
        "1",
    ]
    # QA: "1 suspicious pairs"; one submission is "1 submission"
    one = render_summary([_ok("ann", 80.0)], [], load_rubric(), title="Class")
    assert "<b>1</b>submission</div>" in one and "<b>0</b>suspicious pairs</div>" in one


def test_a_partner_with_two_files_is_flagged_once() -> None:
    results = [_ok("ann", 80.0), _ok("bob", 70.0), _ok("bob", 71.0)]
    pairs = [_pair(), dataclasses.replace(_pair(), b=2)]
    rows = list(csv.DictReader(io.StringIO(gradebook_csv(results, ["thesis"], pairs))))
    assert rows[0]["similarity_flags"] == "copying:bob"


def test_pairs_csv() -> None:
    """The students' names too (LMS ids alone, "4205,4206", sent teachers to the gradebook)."""
    ann = dataclasses.replace(_ok("ann", 80), name="Ann Lee")
    rows = list(csv.DictReader(io.StringIO(pairs_csv([ann, _ok("bob", 70)], [_pair()]))))
    assert rows == [
        {
            "student_a": "ann",
            "name_a": "Ann Lee",
            "file_a": "ann.txt",
            "student_b": "bob",
            "name_b": "",
            "file_b": "bob.txt",
            "shared_words": "30",
            "shared_fraction": "0.50",
            "longest_passage_words": "30",
            "copy_score": "0.80",
            "passages": "1",
            "first_passage": "Kathy keeps the tape long after",
        }
    ]


def test_histogram_and_outliers() -> None:
    assert histogram([0, 9.9, 10, 55, 100]) == [2, 1, 0, 0, 0, 1, 0, 0, 0, 1]
    results = [_ok(f"s{i}", 60 + i % 5, words=300 + i) for i in range(20)]
    results.append(_ok("low", 5.0))
    results.append(_ok("talky", 62.0, words=3000))
    outliers = find_outliers(results)
    whys = {(o.result.student_id, o.why.split()[0]) for o in outliers}
    assert ("low", "score") in whys and ("talky", "words") in whys
    assert not any(sid.startswith("s") for sid, _ in whys)
    # QA: "words 898.0, far above the class (over 771.5)": a word count is whole
    talky = next(o.why for o in outliers if o.result.student_id == "talky")
    assert re.fullmatch(r"words 3000, far above the class \(over \d+\)", talky), talky


def test_one_grammar_issue_is_no_outlier_where_most_essays_have_none() -> None:
    """QA: 0.3 issues per 100 words was "far above the class (over 0.2)": most essays had
    none, so the interquartile range was 0."""
    results = [_ok(f"s{i}", 70.0 + i % 3, words=300 + i, grammar=0.0) for i in range(14)]
    results.append(_ok("hana", 71.0, words=388, grammar=0.3))
    results.append(_ok("ivy", 71.0, words=390, grammar=4.0))
    flagged = {o.result.student_id for o in find_outliers(results) if "grammar" in o.why}
    assert flagged == {"ivy"}


@pytest.mark.parametrize(
    ("flag", "why"),
    [
        ("too_similar", "too similar to the exemplar"),
        ("off_topic", "off topic: little in common with the exemplar"),
        ("other_work", "names hardly any of the exemplar's characters: another work?"),
    ],
)
def test_exemplar_flags_are_outliers(flag: str, why: str) -> None:
    flagged = dataclasses.replace(_ok("ann", 80.0), exemplar_flags=[flag])
    outliers = find_outliers([flagged, _ok("bob", 78.0)])
    assert [(o.result.student_id, o.why) for o in outliers] == [("ann", why)]


def test_mini_lessons_rank_categories_across_the_class() -> None:
    lessons = mini_lessons([_ok("a", 70), _ok("b", 71), _failed("c", "empty")])
    assert [(x.category, x.issues, x.essays) for x in lessons] == [
        ("spelling", 6, 2),
        ("punctuation", 2, 2),
    ]
    assert lessons[0].rules[0][:2] == ("SpellCheck", 6)


def test_summary_is_self_contained_escaped_and_complete() -> None:
    rubric = load_rubric()
    hostile = _ok("<script>alert(1)</script>", 70.0)
    results = [_ok("ann", 80.0), hostile, _failed("cid", "password-protected (encrypted) PDF")]
    html = render_summary(results, [_pair()], rubric, title="Class <7B>")
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "Class &lt;7B&gt;" in html
    assert html.count("<svg") >= 3  # distribution, criteria, grammar categories
    assert "password-protected (encrypted) PDF" in html
    # the pair's passages side by side, the words only one side has marked
    assert "Kathy keeps the tape <mark>long after</mark>" in html
    assert "30 shared words in 1 passage (" in html  # "1 passage", not "1 passages"
    for forbidden in ("http://", "https://", "<script", "src="):
        assert forbidden not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_summary_links_to_reports_named_in_any_script() -> None:
    html = render_summary([_ok("山田太郎", 80.0)], [], load_rubric(), title="Class")
    assert '<a href="reports/%E5%B1%B1%E7%94%B0%E5%A4%AA%E9%83%8E.html">山田太郎</a>' in html


def test_settings_fingerprint_changes_with_what_changes_reports(tmp_path: Path) -> None:
    base = settings_fingerprint(Settings())
    assert settings_fingerprint(Settings()) == base
    assert settings_fingerprint(Settings(grammar="off")) != base
    assert settings_fingerprint(Settings(accept_words=("Hailsham",))) != base
    rubric = tmp_path / "mine.toml"
    bundled = load_rubric().source
    rubric.write_text(Path(bundled).read_text(encoding="utf-8"), encoding="utf-8")
    same = settings_fingerprint(Settings(rubric=str(rubric)))
    assert same == base  # same rubric content, other path
    rubric.write_text(rubric.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert settings_fingerprint(Settings(rubric=str(rubric))) != base


@pytest.mark.parametrize("grammar", ["languagetool", "both", "auto"])
def test_fingerprint_changes_with_the_languagetool_server(grammar: str) -> None:
    """Review: under --grammar languagetool or both, a rerun against another server
    reused the reports the first one made (only auto's LanguageTool was hashed)."""

    def fingerprint(url: str | None, engine: str = grammar) -> str:
        return settings_fingerprint(Settings(grammar=engine, languagetool_url=url))

    assert fingerprint("http://127.0.0.1:8081") != fingerprint("http://127.0.0.1:9090")
    harper = fingerprint("http://127.0.0.1:8081", "harper")
    assert harper == fingerprint("http://127.0.0.1:9090", "harper") == fingerprint(None, "harper")


def test_fingerprint_changes_with_the_package_code_but_not_its_bytecode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from essaycoach.grade import batch

    package = tmp_path / "essaycoach"
    (package / "data").mkdir(parents=True)
    (package / "checks.py").write_text("LIMIT = 3\n", encoding="utf-8")
    monkeypatch.setattr(batch, "bundled_data", lambda: package / "data")
    before = settings_fingerprint(Settings())
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "checks.cpython-311.pyc").write_bytes(b"\0compiled")
    (package / ".checks.py.swp").write_bytes(b"an editor's swap file")
    assert settings_fingerprint(Settings()) == before
    (package / "data" / "model.json").write_text("{}", encoding="utf-8")  # retrained
    assert settings_fingerprint(Settings()) != before
    before = settings_fingerprint(Settings())
    (package / "checks.py").write_text("LIMIT = 4\n", encoding="utf-8")  # an edited checkout
    assert settings_fingerprint(Settings()) != before


def test_fingerprint_covers_the_libraries_that_shape_reports() -> None:
    from essaycoach.grade.batch import REPORT_LIBRARIES, _library_versions

    versions = _library_versions()
    assert set(versions) == set(REPORT_LIBRARIES)
    # every name is spelled as installed (a typo would silently leave it out of the key)
    assert all(versions.values()), versions
    assert {"harper-py", "pyphen", "pypdf", "scikit-learn"} <= set(versions)


def test_auto_grammar_fingerprint_changes_when_languagetool_becomes_available(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from essaycoach.grammar import lt_install

    monkeypatch.delenv("ESSAYCOACH_LANGUAGETOOL_URL", raising=False)
    monkeypatch.setenv("ESSAYCOACH_LANGUAGETOOL_DIR", str(tmp_path / "lt"))
    auto, harper = Settings(grammar="auto"), Settings(grammar="harper")
    before, harper_before = settings_fingerprint(auto), settings_fingerprint(harper)
    # what `essaycoach languagetool install` leaves when it has finished
    (tmp_path / "lt").mkdir()
    marker = {"version": "6.8", "method": "maven", "classpath": "lib/*"}
    (tmp_path / "lt" / lt_install.MARKER).write_text(json.dumps(marker), encoding="utf-8")
    installed = settings_fingerprint(auto)
    assert installed != before  # the Harper-only reports of "auto" are regraded
    assert settings_fingerprint(harper) == harper_before  # an explicit choice does not care
    monkeypatch.setenv("ESSAYCOACH_LANGUAGETOOL_URL", "http://localhost:8081")
    assert settings_fingerprint(auto) not in (before, installed)


def test_cache_key_depends_on_content_settings_and_name() -> None:
    student = Student("ann")
    key = cache_key("c1", "f1", "ann.txt", student, "ann")
    assert key != cache_key("c2", "f1", "ann.txt", student, "ann")
    assert key != cache_key("c1", "f2", "ann.txt", student, "ann")
    assert key != cache_key("c1", "f1", "ann.txt", Student("S-1"), "ann")


def test_cache_entry_is_used_only_with_all_its_reports(tmp_path: Path) -> None:
    import hashlib

    result = _ok("ann", 80.0, key="k1")
    result.report_hashes = {"html": hashlib.sha256(b"<p>report</p>").hexdigest()}
    path = cache_path(tmp_path, "k1")
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(result.to_dict()), encoding="utf-8")
    assert load_cached(tmp_path, "k1", ("html",)) is None  # report file missing
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "ann.html").write_text("<p>another run's</p>", encoding="utf-8")
    assert load_cached(tmp_path, "k1", ("html",)) is None  # overwritten since
    (tmp_path / "reports" / "ann.html").write_text("<p>report</p>", encoding="utf-8")
    cached = load_cached(tmp_path, "k1", ("html",))
    assert cached is not None and cached.from_cache and cached.total == 80.0
    assert load_cached(tmp_path, "k1", ("html", "markdown")) is None  # a format never written
    path.write_text('{"student_id": "ann", "broken', encoding="utf-8")
    assert load_cached(tmp_path, "k1", ("html",)) is None
    assert replace(result).to_dict() == result.to_dict()


MISSING = object()


def _cached_ok(out_dir: Path) -> SubmissionResult:
    """An ok result whose cache entry and html report are in `out_dir`, under key k1."""
    import hashlib

    result = _ok("ann", 80.0, key="k1", exemplar_flags=["off_topic"], prediction_reasons=["x"])
    result.reports = {"html": "reports/ann.html"}
    result.report_hashes = {"html": hashlib.sha256(b"<p>report</p>").hexdigest()}
    (out_dir / "reports").mkdir()
    (out_dir / "reports" / "ann.html").write_text("<p>report</p>", encoding="utf-8")
    cache_path(out_dir, "k1").parent.mkdir(parents=True)
    cache_path(out_dir, "k1").write_text(json.dumps(result.to_dict()), encoding="utf-8")
    return result


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("reports", None),
        ("reports", []),
        ("reports", {"html": 5}),
        ("report_hashes", None),
        ("levels", 5),
        ("levels", {"thesis": "4"}),
        ("levels", {"thesis": True}),
        ("statuses", None),
        ("total", "x"),
        ("words", "x"),
        ("words", 300.5),
        ("judged", 1),
        ("grammar_categories", 5),
        ("grammar_rules", {"SpellCheck": [3, "spelling"]}),
        ("grammar_rules", {"SpellCheck": ["3", "spelling", "message"]}),
        ("exemplar_flags", "off_topic"),
        ("prediction_reasons", [None]),
        ("status", "maybe"),
        ("key", None),
        ("student_id", 7),
        ("total", MISSING),
        ("from_cache", True),
        # right types, values grade never writes (QA re-check: each crashed grade)
        ("total", float("nan")),
        ("total", float("inf")),
        ("total", -1e308),
        ("words", 10**400),
        ("words", -3),
        ("student_id", "\udc80x"),
        ("name", "a\ud800b"),
        ("reports", {"html": "reports/a\u0000b.html"}),
    ],
)
def test_a_cache_entry_with_a_field_of_another_type_is_damaged(
    tmp_path: Path, name: str, value: object
) -> None:
    """QA: valid JSON with a field grade does not write (reports null, total "x") crashed
    grade with a traceback, in load_cached or later; it is a damaged entry, regraded."""
    _cached_ok(tmp_path)
    assert load_cached(tmp_path, "k1", ("html",)) is not None
    path = cache_path(tmp_path, "k1")
    data = json.loads(path.read_text(encoding="utf-8"))
    if value is MISSING:
        del data[name]
    else:
        data[name] = value
    path.write_text(json.dumps(data), encoding="utf-8")
    assert load_cached(tmp_path, "k1", ("html",)) is None


@pytest.mark.parametrize("text", ["[1, 2]", "null", "[" * 100_000 + "]" * 100_000])
def test_a_cache_entry_that_is_no_object_is_damaged(tmp_path: Path, text: str) -> None:
    _cached_ok(tmp_path)
    cache_path(tmp_path, "k1").write_text(text, encoding="utf-8")
    assert load_cached(tmp_path, "k1", ("html",)) is None


def test_every_result_grade_writes_is_read_back(tmp_path: Path) -> None:
    written = _cached_ok(tmp_path)
    cached = load_cached(tmp_path, "k1", ("html",))
    assert cached is not None and cached.to_dict() == written.to_dict()
    others = [
        _failed("ben", "file is empty"),
        _ok("cy", None, words=None, predicted_score=70.0,
            prediction_confidence=0.8, prediction_trusted=False, exemplar_similarity=0.4),
        _ok("dee", 0, words=0, readability_grade=None, grammar_per_100_words=7),  # ints
    ]  # fmt: skip
    for result in others:
        data = json.loads(json.dumps(result.to_dict()))
        assert SubmissionResult.from_dict(data).to_dict() == result.to_dict()


def test_interrupted_temporaries_are_removed_and_the_users_files_are_not(
    tmp_path: Path,
) -> None:
    """Every ".*.tmp" in --out and reports/ was deleted, a user's ".notes.tmp" too. Only
    the names the atomic writer gives the files grade writes are removed."""
    import tempfile

    (tmp_path / "reports").mkdir()
    (tmp_path / ".essaycoach-cache").mkdir()
    stale = [
        tmp_path / "reports" / ".ann.html.k3j9x_2q.tmp",
        tmp_path / ".gradebook.csv.a1b2c3d4.tmp",
        tmp_path / ".essaycoach-cache" / f".{'e' * 64}.json.zz00yy11.tmp",
    ]
    # as the atomic writer names them
    fd, made = tempfile.mkstemp(prefix=".summary.html.", suffix=".tmp", dir=tmp_path)
    os.close(fd)
    stale.append(Path(made))
    kept = [
        tmp_path / "reports" / "ann.html",
        tmp_path / ".notes.tmp",
        tmp_path / ".gradebook.csv.tmp",
        tmp_path / ".my-essay.txt.a1b2c3d4.tmp",  # not a file grade writes there
        tmp_path / "reports" / ".draft.tmp",
        tmp_path / "reports" / ".ann.html.x1y2.tmp",
    ]
    for path in (*stale, *kept):
        path.write_text("some text", encoding="utf-8")
    (tmp_path / "reports" / ".bob.html.abcdefgh.tmp").mkdir()  # a folder: never removed
    remove_stale_temporaries(tmp_path)
    assert [p.name for p in stale if p.exists()] == []
    assert [p.name for p in kept if not p.exists()] == []
    assert (tmp_path / "reports" / ".bob.html.abcdefgh.tmp").is_dir()


def test_pair_passages_mark_the_edited_words() -> None:
    a, b = marked_difference(
        "Kathy keeps the tape long after the song <ends>",
        "Kathy keeps the cassette long after the song <ends>",
    )
    assert a == "Kathy keeps the <mark>tape</mark> long after the song &lt;ends&gt;"
    assert b == "Kathy keeps the <mark>cassette</mark> long after the song &lt;ends&gt;"


@pytest.mark.parametrize(
    ("arguments", "error", "says"),
    [
        # a bare string is iterated: "html" would be the formats h, t, m and l
        ({"formats": "html"}, TypeError, "formats must be a sequence, not the string 'html'"),
        ({"shared_texts": "prompt.txt"}, TypeError, "shared_texts must be a sequence"),
        ({"formats": ("html", "pdf")}, ValueError, "unknown format 'pdf'"),
    ],
)
def test_grade_refuses_arguments_it_would_misread_before_any_work(
    tmp_path: Path, arguments: dict[str, object], error: type[Exception], says: str
) -> None:
    from essaycoach.grade import grade

    (tmp_path / "essays").mkdir()
    (tmp_path / "essays" / "ann.txt").write_text("Kathy remembers Hailsham.", encoding="utf-8")
    with pytest.raises(error, match=says):
        grade(tmp_path / "essays", tmp_path / "out", Settings(grammar="off"), **arguments)
    assert not (tmp_path / "out").exists()


def test_an_interrupt_while_the_class_files_are_written_comes_after_all_three(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA: SIGTERM between the writes left a new gradebook beside the last run's summary."""
    import shutil
    import signal

    import essaycoach.grade as grade_module

    folder = tmp_path / "class"
    folder.mkdir()
    for name in ("never-let-me-go.txt", "missing-climax.txt"):
        shutil.copy(Path(__file__).parents[2] / "examples" / name, folder / name)
    write_gradebook = grade_module.write_gradebook

    def written_then_interrupted(path: Path, text: str) -> None:
        write_gradebook(path, text)
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C, just after the first file

    monkeypatch.setattr(grade_module, "write_gradebook", written_then_interrupted)
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        grade_module.grade(folder, out, Settings(grammar="harper"), workers=1)
    written = {p.name for p in out.iterdir()}
    assert {"gradebook.csv", "pairs.csv", "summary.html"} <= written, written
    assert "never-let-me-go" in (out / "summary.html").read_text(encoding="utf-8")


def test_the_output_folder_lock_refuses_what_is_not_a_plain_file(tmp_path: Path) -> None:
    """QA: a named pipe there made grade wait forever; a link created a file elsewhere."""
    from essaycoach.errors import OutputError
    from essaycoach.grade.batch import OUT_FOLDER_LOCK, out_folder_lock

    pipe, link = tmp_path / "pipe", tmp_path / "link"
    pipe.mkdir()
    os.mkfifo(pipe / OUT_FOLDER_LOCK)
    link.mkdir()
    (link / OUT_FOLDER_LOCK).symlink_to(tmp_path / "elsewhere")
    for folder, reason in ((pipe, "not a regular file"), (link, "it is a symbolic link")):
        with pytest.raises(OutputError, match=reason), out_folder_lock(folder):
            pass
    assert not (tmp_path / "elsewhere").exists()


def test_the_output_folder_lock_ends_with_its_process_not_its_children(tmp_path: Path) -> None:
    """QA: workers forked after the lock kept it after `kill -9` of grade, and the rerun was
    refused ("another `essaycoach grade` is writing to this folder")."""
    import subprocess
    import sys

    from essaycoach.grade.batch import out_folder_lock

    script = (
        "import multiprocessing, os, sys, time\n"
        "from pathlib import Path\n"
        "from essaycoach.grade.batch import out_folder_lock\n"
        "with out_folder_lock(Path(sys.argv[1])):\n"
        "    child = multiprocessing.get_context('fork').Process(target=time.sleep, args=(60,))\n"
        "    child.start()\n"
        "    print(child.pid, flush=True)\n"
        "    os._exit(9)  # as kill -9: no cleanup, the child lives on\n"
    )
    with subprocess.Popen(
        [sys.executable, "-c", script, str(tmp_path)], stdout=subprocess.PIPE, text=True
    ) as holder:
        assert holder.stdout is not None
        child = int(holder.stdout.readline())  # the child keeps the pipe open: no read to EOF
        assert holder.wait(timeout=60) == 9
    try:
        with out_folder_lock(tmp_path):  # not refused: the child does not hold it
            pass
    finally:
        os.kill(child, 9)


def _table_rows(html: str, table_id: str) -> list[list[str]]:
    table = re.search(rf'<table id="{table_id}"[^>]*>(.*?)</table>', html, re.S)
    assert table, f"no table {table_id}"
    return [
        re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
        for row in re.findall(r"<tr>(.*?)</tr>", table.group(1))
    ]


def test_all_submissions_say_why_a_row_failed_before_the_criteria() -> None:
    """QA: at 1280 px the status column was off-screen, so failed rows were tall empty
    rows; the criteria were headed by their ids."""
    html = render_summary([_ok("ann", 80.0), _failed("dan", "corrupt .docx")], [], load_rubric())
    table = html.split("<h2>All submissions</h2>", 1)[1]
    headers = re.findall(r"<th[^>]*>(.*?)</th>", table.split("</tr>", 1)[0])
    assert headers[:4] == ["Student", "File", "Status", "Score"]
    assert "Thesis statement" in headers and "thesis" not in headers
    dan = next(row for row in table.split("<tr>") if "dan.docx" in row)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", dan)
    assert "failed: corrupt .docx" in cells[2]


def test_a_class_on_another_work_is_one_note_not_a_list_of_outliers() -> None:
    """Review: with the default exemplar and a class writing on another book, every essay
    was an outlier "names hardly any of the exemplar's characters"."""
    from essaycoach.grade.class_stats import class_notes

    one = [_ok("ann", 80.0, exemplar_flags=["other_work"]), _ok("bob", 78.0), _ok("cy", 75.0)]
    assert [o.result.student_id for o in find_outliers(one)] == ["ann"]
    assert class_notes(one) == []
    everyone = [_ok(s, 80.0, exemplar_flags=["other_work"]) for s in ("ann", "bob", "cy")]
    assert find_outliers(everyone) == []
    (note,) = class_notes(everyone)
    assert note.startswith("3 of 3 essays name hardly any of the exemplar's characters")
    assert note in render_summary(everyone, [], load_rubric()).replace("&#x27;", "'")


def test_a_class_off_topic_for_the_rubric_is_one_note_asking_for_the_rubric() -> None:
    """QA: a class graded without --rubric on another task scored 6-13 each, every essay
    off topic, and the run closed as usual."""
    from essaycoach.grade.class_stats import class_notes

    flags = ["off_topic", "other_work"]
    one = [_ok("ann", 10.0, exemplar_flags=flags), _ok("bob", 78.0), _ok("cy", 75.0)]
    assert class_notes(one) == []
    assert "off topic" in " ".join(o.why for o in find_outliers(one))
    everyone = [_ok(s, 10.0, exemplar_flags=flags) for s in ("ann", "bob", "cy")]
    assert class_notes(everyone) == [
        "3 of 3 essays are off topic for the rubric and its exemplar: is it the rubric for "
        "this assignment (--rubric, --exemplar)?"
    ]
    assert not [o for o in find_outliers(everyone) if "off topic" in o.why]


def test_mini_lessons_count_of_the_essays_grammar_was_checked_in() -> None:
    """QA: "2 of 14" counted a Spanish essay, never grammar-checked."""
    spanish = _ok("luis", 60.0, grammar_engine="", grammar_categories={}, grammar_rules={})
    html = render_summary([_ok("ann", 80.0), _ok("bob", 70.0), spanish], [], load_rubric())
    assert _table_rows(html, "lessons-data")[1][:3] == ["spelling", "6", "2 of 2"]


def test_failed_files_name_the_roster_student() -> None:
    """QA: the failed files table showed "S10" where every other table "S10 (Jack Brown)"."""
    failed = dataclasses.replace(_failed("S10", "empty file"), name="Jack Brown")
    html = render_summary([_ok("ann", 80.0), failed], [], load_rubric())
    failed_table = html.split("<h2>Failed files</h2>", 1)[1].split("</table>", 1)[0]
    assert "S10 <span class=muted>(Jack Brown)</span>" in failed_table


def test_summary_charts_give_their_data_as_text() -> None:
    """QA accessibility audit: the criteria chart's partial and missing counts were only in
    its segments' <title>s, which a screen reader does not read inside role=img."""
    bob = _ok("bob", 55.0, statuses={"thesis": "missing", "climax": "met"})
    cid = _ok("cid", 91.0, statuses={"thesis": "partial", "climax": "partial"})
    results = [_ok("ann", 80.0), bob, cid, _failed("dan", "corrupt .docx")]
    html = render_summary(results, [], load_rubric(), title="Class")
    assert 'aria-label="Share of essays per criterion status" aria-describedby="criteria-data"' in (
        html
    )
    rows = _table_rows(html, "criteria-data")
    assert rows[0] == ["Criterion", "Met", "Partial", "Missing", "% met"]
    by_name = {row[0]: row[1:] for row in rows[1:]}
    assert by_name["Thesis statement *"] == ["1", "1", "1", "33%"]
    assert by_name["Climax *"] == ["1", "2", "0", "33%"]
    assert by_name["Rising action"] == ["0", "0", "0", "0%"]
    # the score bands: for screen readers only, the scores are in "All submissions" too
    assert 'aria-describedby="score-data"' in html
    assert '<div class="sr-only"><table id="score-data">' in html
    bands = {row[0]: row[1] for row in _table_rows(html, "score-data")[1:]}
    assert (bands["50-60"], bands["80-90"], bands["90-100"], bands["0-10"]) == ("1", "1", "1", "0")
    # the grammar chart: the mini-lessons table under it
    assert 'aria-label="Grammar issues per category" aria-describedby="lessons-data"' in html
    assert _table_rows(html, "lessons-data")[1][:3] == ["spelling", "9", "3 of 3"]
    # every aria-describedby names an element of the page
    for target in re.findall(r'aria-describedby="([^"]*)"', html):
        assert html.count(f'id="{target}"') == 1, target


def test_summary_content_is_in_landmarks() -> None:
    """QA accessibility audit: no <main>, 17 nodes outside any landmark."""
    results = [_ok("ann", 80.0), _failed("cid", "corrupt .docx")]
    html = render_summary(results, [_pair()], load_rubric(), title="Class")
    body = html.split("<body>", 1)[1].removesuffix("</body></html>\n")
    assert re.fullmatch(r"<header><h1>Class</h1>.*?</header>\n<main>.*</main>", body, re.S)
    assert body.count("<main>") == 1 and "corrupt .docx" in body.split("<main>")[1]


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_criteria_chart_segments_differ_by_more_than_colour() -> None:
    """QA accessibility audit: met/partial/missing differed by colour alone, met and missing
    red and green 1.13:1 apart."""
    bob = _ok("bob", 55.0, statuses={"thesis": "missing", "climax": "met"})
    html = render_summary([_ok("ann", 80.0), bob], [], load_rubric(), title="Class")
    chart = re.search(r'<svg[^>]*aria-describedby="criteria-data".*?</svg>', html, re.S)
    assert chart
    svg = chart.group(0)
    # a pattern per status: solid, stripes, cross-hatch
    patterns = re.findall(r'<pattern id="([^"]+)"[^>]*class="seg-(\w+)">(.*?)</pattern>', svg)
    assert [(status, body.count("<line")) for _, status, body in patterns] == [
        ("met", 0),
        ("partial", 1),
        ("missing", 2),
    ]
    ids = {status: pattern_id for pattern_id, status, _ in patterns}
    # the thesis row: met | missing, parted by a white line, each segment with its count
    segments = re.findall(r'<rect [^>]*fill="url\(#([^)]+)\)" class="seg"><title>([^<]*)', svg)
    assert (ids["met"], "Thesis statement *: met 1 (50%)") in segments
    assert (ids["missing"], "Thesis statement *: missing 1 (50%)") in segments
    assert ".chart .seg{stroke:#fff;stroke-width:2}" in html
    assert svg.count('class="count">1</text>') >= 2
    # the legend names every status beside its pattern
    for status in ("met", "partial", "missing"):
        assert f'fill="url(#{ids[status]})" class="frame"/>' in svg
        assert f'class="value-left">{status}</text>' in svg
    # the fills: neighbours (and met beside missing, when no essay is partial) 3:1 apart
    fills = {
        status: _luminance(re.search(rf"\.seg-{status} rect\{{fill:(#\w{{6}})\}}", html)[1])
        for status in ("met", "partial", "missing")
    }
    for a, b in (("met", "partial"), ("partial", "missing"), ("met", "missing")):
        light, dark = sorted((fills[a], fills[b]), reverse=True)
        assert (light + 0.05) / (dark + 0.05) >= 3, (a, b)


def test_summary_wide_tables_scroll_in_a_box_keyboard_users_reach() -> None:
    """QA accessibility audit: at 320 px the mini-lessons table made the page 538 px wide."""
    results = [_ok(f"s{i}", 60.0 + i % 3) for i in range(12)] + [_ok("low", 5.0)]
    html = render_summary([*results, _failed("cid", "corrupt .docx")], [], load_rubric(), title="C")
    box = '<div class="wide" role="region" aria-label="{}" tabindex="0"><table'
    lessons = html.index("<th>Most frequent rules (example message)</th>")
    assert html.rindex(box.format("Mini-lessons table"), 0, lessons) > html.index("Mini-lessons:")
    assert html.index("</table></div>", lessons) < html.index("<h2>Outliers</h2>")
    assert box.format("Criteria table") + ' id="criteria-data"' in html
    assert box.format("All submissions table") in html
    # and the other tables with file names, which do not break either
    assert box.format("Outliers table") in html and box.format("Failed files table") in html
    hidden = html.count('<div class="sr-only"><table')  # screen-reader copies of charts
    assert html.count("</table></div>") - hidden == html.count('<div class="wide"') == 5


def test_two_runs_in_one_process_into_one_folder_are_refused(tmp_path: Path) -> None:
    """QA re-check: a record lock is the process's, so a second run in another thread got
    it too, and closing its descriptor freed the first run's lock for other processes."""
    import subprocess
    import sys

    from essaycoach.errors import OutputError
    from essaycoach.grade.batch import out_folder_lock

    probe = (
        "import sys\nfrom pathlib import Path\n"
        "from essaycoach.grade.batch import out_folder_lock\n"
        "try:\n    with out_folder_lock(Path(sys.argv[1])):\n        print('got it')\n"
        "except Exception as error:\n    print(error)\n"
    )

    def other_process() -> str:
        command = [sys.executable, "-c", probe, str(tmp_path)]
        return subprocess.run(command, capture_output=True, text=True, timeout=60).stdout

    with out_folder_lock(tmp_path):
        with (
            pytest.raises(OutputError, match="another `essaycoach grade`"),
            out_folder_lock(tmp_path),
        ):
            pass
        assert "another `essaycoach grade`" in other_process()  # still held
    assert other_process() == "got it\n"
