"""The Harper grammar engine (harper-py): embedded, offline, fast."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from typing import Any

from harper import Dialect, Language, Linter, SuggestionKind

from essaycoach.grammar.base import GrammarIssue
from essaycoach.grammar.native_stdout import harper_stdout_filtered
from essaycoach.grammar.rules import HARPER_DISABLED_RULES, harper_category

MAX_REPLACEMENTS = 5
#: Rules whose suggestions come out of Harper in an order that changes from run to run
#: (the past tense and the participle of an irregular verb: "chose"/"chosen"); sorted,
#: so that two runs on the same essay give the same report. Found by linting JFLEG dev
#: four times: no other rule varied.
UNORDERED_SUGGESTION_RULES = frozenset({"RegularIrregulars"})
# ... and in its message: "Use the irregular form 'chosen' or 'chose' instead of 'choosed'"
_ALTERNATIVES = re.compile(r"'[^']+'(?: or '[^']+')+")

# Harper's time grows with the square of a run of punctuation tokens with no word between
# (measured with harper-py: 5,000 "&" take 0.5 s, 20,000 take 6.3 s), so such runs are
# blanked before linting. Same length, so every offset still points into the essay.
# Harper's time also grows faster than the length of one long sentence (a 1.9 MB essay
# without a full stop took 3.6 minutes), so longer essays are linted in pieces.
HARPER_CHUNK_CHARS = 50_000
WORDLESS_RUN = re.compile(r"[^\w]{200,}")
# Harper's spell check costs about 3 ms per character of an unknown word (its suggestion
# search; "don't" typed 4,000 times without a space took 52 s), so a "word" longer than
# any English one (45 letters) is blanked too; no dictionary word is lost.
LONG_WORD = re.compile(r"[\w'’]{46,}")

# An MLA ellipsis in a quotation: ". . ." (words left out), ". . . ." (and a sentence's
# end). Harper reads each spaced dot as a sentence end: "Unnecessary space at the end of
# the sentence" on a space and "This sentence does not start with a capital letter" on
# the next word (QA: two flags for correct MLA style). It is linted as "..." or "...."
# followed by zero-width spaces, which Harper takes as one ellipsis (same length, so
# offsets hold).
SPACED_ELLIPSIS = re.compile(r"(?<![.\w])\.(?:[ \u00a0]\.){2,3}(?!\.)")
ZERO_WIDTH_SPACE = "\u200b"


class HarperEngine:
    """Harper behind the `GrammarEngine` interface.

    The `Linter` is built once (about a second: it compiles the dictionary) and
    reused for every essay. Harper's linter is not thread-safe, so calls are
    serialised with a lock.
    """

    name = "harper"

    def __init__(
        self,
        accept_words: tuple[str, ...] = (),
        disabled_rules: tuple[str, ...] = HARPER_DISABLED_RULES,
        dialect: Dialect = Dialect.AMERICAN,
        accept_other_spellings: bool = True,
    ):
        self.accept_other_spellings = accept_other_spellings and dialect == Dialect.AMERICAN
        self._known_variant: dict[str, bool] = {}
        self._british: Linter | None = None
        self._lock = threading.Lock()
        self.accept_words = tuple(sorted({w.strip() for w in accept_words if w.strip()}))
        self.disabled_rules = tuple(disabled_rules)
        self._filtered_rules: frozenset[str] = frozenset()
        self._built: Linter | None = None
        self._build_error: BaseException | None = None
        # Building the linter compiles Harper's dictionary (about half a second of CPU) and
        # releases the GIL, so it runs beside the rest of the pipeline's set-up.
        self._builder = threading.Thread(
            target=self._build, args=(dialect,), name="harper-build", daemon=True
        )
        self._builder.start()

    def _build(self, dialect: Dialect) -> None:
        try:
            linter = Linter(dialect)
            if self.accept_words:
                linter.import_words(list(self.accept_words))
            known = linter.get_default_lint_config()
            config: dict[str, bool | None] = {
                rule: False for rule in self.disabled_rules if rule in known
            }
            if config:
                linter.set_lint_config(config)
            # names Harper does not know (e.g. a rubric's typo) are still filtered after linting
            self._filtered_rules = frozenset(r for r in self.disabled_rules if r not in known)
            if self.accept_other_spellings:
                # the British dictionary, for British spellings no pattern derives ("grey",
                # "tyre", "kerb"); a second Linter shares the compiled dictionary (5 ms)
                british = Linter(Dialect.BRITISH)
                british.set_lint_config({rule: rule == SPELL_RULE for rule in known})
                self._british = british
            self._built = linter
        except BaseException as error:  # re-raised in the caller's thread by _linter
            self._build_error = error

    @property
    def _linter(self) -> Linter:
        self._builder.join()
        if self._build_error is not None:
            raise self._build_error
        assert self._built is not None
        return self._built

    def check(self, text: str) -> list[GrammarIssue]:
        # Harper counts a tab as two spaces ("There are 2 spaces where there should be only
        # one" for "William<TAB>Golding"); one for one, the offsets stay the same
        linted, blanked = blank_unlintable(mla_ellipses_joined(text.replace("\t", " ")))
        # a blanked word leaves a gap Harper misreads: "an" before it ("an  tablet"), the
        # word after it starting a sentence; lints touching one are not about the essay
        gaps = [_with_spaces(linted, *m.span()) for m in LONG_WORD.finditer(text)]
        issues = []
        with self._lock, harper_stdout_filtered():
            for offset, chunk in chunks_for_harper(linted):
                for rule, lint in self._lints(chunk):
                    start, end = offset + lint.span.start, offset + lint.span.end
                    if any(start < b_end and b_start < end for b_start, b_end in blanked):
                        continue  # about the blanked run's spaces, not the essay's words
                    if any(start <= g_end and g_start <= end for g_start, g_end in gaps):
                        continue
                    if misread(rule, linted, start, end):
                        continue
                    texts = [replacement(text[start:end], s) for s in lint.suggestions]
                    message = lint.message
                    if rule in UNORDERED_SUGGESTION_RULES:
                        texts.sort()
                        message = sorted_alternatives(message)
                    issues.append(
                        GrammarIssue(
                            start=start,
                            end=end,
                            message=message,
                            rule=rule,
                            category=harper_category(lint.lint_kind),
                            replacements=tuple(texts[:MAX_REPLACEMENTS]),
                            engine=self.name,
                        )
                    )
        issues.sort(key=lambda i: (i.start, i.end, i.rule))
        return issues

    def _lints(self, text: str) -> Iterator[tuple[str, Any]]:
        """(rule, lint) for `text`, without filtered rules and other accepted spellings."""
        by_rule = self._linter.organized_lints(text, language=Language.PLAINTEXT)
        for rule, lints in by_rule.items():
            if rule in self._filtered_rules:
                continue
            for lint in lints:
                if rule == SPELL_RULE and (
                    INITIAL.fullmatch(lint.problem_text)
                    or (self.accept_other_spellings and self._other_spelling(lint.problem_text))
                ):
                    continue
                yield rule, lint

    def close(self) -> None:
        """Nothing to release: the linter lives in-process."""

    def _other_spelling(self, word: str) -> bool:
        """True if `word` is a British or all-capitals form of a word Harper knows.

        Harper's American dictionary flags "theatre", "programme", "organised" and
        "SEPTEMBER"; on FCE dev these were over half of its false spelling flags.
        A student's consistent British spelling is not an error.
        """
        if word not in self._known_variant:
            self._known_variant[word] = any(
                not self._linter.organized_lints(v, language=Language.PLAINTEXT).get(SPELL_RULE)
                for v in spelling_variants(word)
            ) or (
                self._british is not None
                and not any(ch.isdigit() for ch in word)
                and not self._british.organized_lints(word, language=Language.PLAINTEXT).get(
                    SPELL_RULE
                )
            )
        return self._known_variant[word]


SPELL_RULE = "SpellCheck"
# An initial: Harper's spell check flags "F." of "F. Scott Fitzgerald" and "R." of
# "George R. R. Martin" (but not "J." or "K."), suggesting "Fa", "Fe", "Ft"
INITIAL = re.compile(r"[A-Z]\.")
# ... and the possessive of a name ending in an initial, "Kathy H.'s": Harper splits it
# after the full stop and flags the "s" (suggesting "so", "as", "is"); matched ending
# at the flag's end
INITIAL_POSSESSIVE = re.compile(r"(?<![\w.])[A-Z]\.[’']s\Z")

# British -> American spelling patterns, applied to a lower-case stem. "wards" ->
# "ward": Harper 2.13's dictionary has "towards" but not "afterwards".
_BRITISH_PATTERNS = (
    (re.compile(r"our(?=(s|ed|ing|ite|ites|able|ably|er|ers|ful|less|hood)?$)"), "or"),
    (re.compile(r"tre(s|d)?$"), r"ter\1"),
    (re.compile(r"ctis(e|es|ed|ing)$"), r"ctic\1"),
    (re.compile(r"is(e|es|ed|ing|ation|ations|er|ers|able)$"), r"iz\1"),
    (re.compile(r"ys(e|es|ed|ing)$"), r"yz\1"),
    (re.compile(r"amme(s)?$"), r"am\1"),
    (re.compile(r"ogue(s)?$"), r"og\1"),
    (re.compile(r"ll(ed|ing|er|ers|ous)$"), r"l\1"),
    (re.compile(r"ence(s)?$"), r"ense\1"),
    (re.compile(r"ae"), "e"),
    (re.compile(r"wards$"), "ward"),
)
_POSSESSIVE = re.compile(r"([’']s)$")


def replacement(flagged: str, suggestion: Any) -> str:
    """What replaces the `flagged` text: an insertion after it is joined to it ("couple"
    and " of" is "couple of"), a removal is ""."""
    if suggestion.kind == SuggestionKind.INSERT_AFTER:
        return flagged + suggestion.replacement_text
    if suggestion.kind == SuggestionKind.REMOVE:
        return ""
    return suggestion.replacement_text


def sorted_alternatives(message: str) -> str:
    """`message` with each list of quoted alternatives in alphabetical order."""
    return _ALTERNATIVES.sub(lambda m: " or ".join(sorted(m.group().split(" or "))), message)


# what Harper misreads (QA on literary essays, 2026-12-06); docs/grammar.md has the cases
_AUXILIARY_WORDS = (
    "am are is was were be been being have has had do does did will would shall should can "
    "could may might must cannot never always all both also"
)
_AUXILIARIES = frozenset(_AUXILIARY_WORDS.split())
_NEXT_WORD = re.compile(r"\s+([A-Za-z]+)")
_PREVIOUS_TWO_WORDS = re.compile(r"([A-Za-z]+)[ \t]+([A-Za-z]+)\s*\Z")
# words a subject pronoun cannot follow: after them "he" is a typo of "the" ("owing to
# he exam period"), and the noun after it no verb to agree
_PREPOSITIONS_AND_DETERMINERS = (
    "to for of in on at by with from into about behind through during without under over "
    "some the a an this these those his my our your their its"
)  # not "her": also an object ("He told her she look tired" is a true flag)
_NOT_BEFORE_A_SUBJECT = frozenset(_PREPOSITIONS_AND_DETERMINERS.split())
# the "a kind of" reading of an abstract mass noun: "a nostalgia for", "an awareness of",
# "a popularity which"; learners' "a shopping on", "a camping with" stay flagged
_COMPLEMENTS = frozenset(("of", "for", "that", "which", "in", "about", "toward", "towards"))
_ABSTRACT_ENDING = re.compile(r"(?:ity|ness|ia|ance|ence|ism|tude|dom|th|ship)\Z", re.IGNORECASE)
# feelings in -ing that take "a" with a complement ("a longing that she cannot name"); not
# every -ing noun: "a shopping for", "a clothing for" are learners' errors
_FEELINGS_IN_ING = frozenset(("longing", "yearning", "craving", "hankering", "loathing"))
# words that start what a verb says: "the dark road shows that ...", where Harper's
# CompoundNouns read "road shows" as one noun ("roadshows"); not determiners: "her note
# books the whole time" is a learner's "notebooks"
_CLAUSE_STARTS = frozenset(("that", "how", "what", "why", "where", "when", "whether", "who"))
_TWO_WORDS = re.compile(r"[A-Za-z]+\s+([A-Za-z]+s)\Z")
_ARTICLE_AND_NOUN = re.compile(r"an?\s+([A-Za-z]+)\Z", re.IGNORECASE)


def misread(rule: str, text: str, start: int, end: int) -> bool:
    """A Harper flag on `text[start:end]` that misreads correct English:

    - SpellCheck on the "s" of a name's possessive after an initial ("Kathy H.'s");
    - TheyToThem where "they" starts a clause with its verb ("to show they had souls");
    - MassNouns on "a/an" and an abstract noun with a complement ("a nostalgia for");
    - PronounVerbAgreement after a preposition or determiner ("owing to he exam period":
      "he" is "the" mistyped, and "exam" no verb);
    - CompoundNouns on two words whose second is a verb in -s starting a clause or taking
      an object ("the dark road shows that ...": not "roadshows").
    """
    if rule == SPELL_RULE:
        # only the flag's last characters: searching from 0 made each flag cost the
        # whole text (12,000 flags in a 200 kB text: 21 s)
        return INITIAL_POSSESSIVE.search(text, max(0, end - 4), end) is not None
    if rule == "TheyToThem":
        following = _NEXT_WORD.match(text, end)
        return following is not None and (
            following.group(1).lower() in _AUXILIARIES or following.group(1).endswith("ed")
        )
    if rule == "MassNouns":
        flagged = _ARTICLE_AND_NOUN.fullmatch(text, start, end)
        following = _NEXT_WORD.match(text, end)
        return (
            flagged is not None
            and (
                _ABSTRACT_ENDING.search(flagged.group(1)) is not None
                or flagged.group(1).lower() in _FEELINGS_IN_ING
            )
            and following is not None
            and following.group(1).lower() in _COMPLEMENTS
        )
    if rule == "CompoundNouns":
        following = _NEXT_WORD.match(text, end)
        return (
            _TWO_WORDS.fullmatch(text, start, end) is not None
            and following is not None
            and following.group(1).lower() in _CLAUSE_STARTS
        )
    if rule == "PronounVerbAgreement":
        before = _PREVIOUS_TWO_WORDS.search(text, max(0, start - 40), start)
        return (
            before is not None
            and before.group(2).lower() in ("he", "she", "it")
            and before.group(1).lower() in _NOT_BEFORE_A_SUBJECT
        )
    return False


def mla_ellipses_joined(text: str) -> str:
    """`text` with each spaced ellipsis (". . .") as dots then zero-width spaces ("...")."""
    return SPACED_ELLIPSIS.sub(_joined_ellipsis, text)


def _joined_ellipsis(match: re.Match[str]) -> str:
    dots = match.group().count(".")
    return "." * dots + ZERO_WIDTH_SPACE * (len(match.group()) - dots)


def chunks_for_harper(text: str, limit: int = HARPER_CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """(offset, piece) covering `text`, each piece at most `limit` characters.

    Each piece ends at the last paragraph break in the second half of its window, else
    the last sentence end, else the last space; an essay under the limit is one piece.
    """
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = limit
        for separator in ("\n\n", ". ", " "):
            found = window.rfind(separator, limit // 2)
            if found > 0:
                cut = found + len(separator)
                break
        yield start, window[:cut]
        start += cut
    yield start, text[start:]


def blank_unlintable(text: str) -> tuple[str, list[tuple[int, int]]]:
    """`text` with every long run holding no word, and every word longer than any
    English one, turned into spaces; and the spans turned."""
    spans: list[tuple[int, int]] = []
    for start, end in sorted(m.span() for r in (WORDLESS_RUN, LONG_WORD) for m in r.finditer(text)):
        if spans and start <= spans[-1][1]:  # apostrophes are in both: "'" * 300
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    if not spans:
        return text, spans
    parts, last = [], 0
    for start, end in spans:
        parts += [text[last:start], re.sub(r"\S", " ", text[start:end])]
        last = end
    parts.append(text[last:])
    return "".join(parts), spans


def _with_spaces(text: str, start: int, end: int) -> tuple[int, int]:
    """The span widened over the spaces on either side of it."""
    while start > 0 and text[start - 1].isspace():
        start -= 1
    while end < len(text) and text[end].isspace():
        end += 1
    return start, end


def spelling_variants(word: str) -> list[str]:
    """American and lower/title-case forms of `word` to look up ("THEATRE" -> "theater").

    None for a token with digits ("CAPS1", "B2B"): no case or spelling of it is a
    dictionary word, and each lookup of an unknown word costs Harper a suggestion search.
    """
    if any(ch.isdigit() for ch in word):
        return []
    suffix_match = _POSSESSIVE.search(word)
    suffix = suffix_match.group(1) if suffix_match else ""
    stem = word[: len(word) - len(suffix)]
    stems = {stem}
    if stem.isupper() and len(stem) > 1:
        stems |= {stem.lower(), stem.capitalize()}
    variants = set()
    for form in stems:
        lower = form.lower()
        american = lower
        for pattern, replacement in _BRITISH_PATTERNS:
            american = pattern.sub(replacement, american)
            single = pattern.sub(replacement, lower)
            for candidate in (single, american):
                if candidate != lower:
                    variants.add(candidate if form.islower() else candidate.capitalize())
        if form != stem:
            variants.add(form)
    return sorted(v + suffix for v in variants)
