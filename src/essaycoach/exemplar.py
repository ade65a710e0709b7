"""The reference exemplar: an essay whose paragraphs are mapped to rubric criteria."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from essaycoach.errors import InputError, RubricError
from essaycoach.essay import Essay, load_essay
from essaycoach.resources import default_exemplar_path
from essaycoach.rubric import Rubric
from essaycoach.wording import plural


@dataclass(frozen=True)
class Exemplar:
    essay: Essay
    criterion_paragraphs: dict[str, tuple[int, ...]]  # criterion id -> 1-based paragraphs

    def passages(self, criterion_id: str) -> list[str]:
        wanted = set(self.criterion_paragraphs.get(criterion_id, ()))
        return [p.text for p in self.essay.paragraphs if p.index in wanted]

    def proper_nouns(self) -> frozenset[str]:
        """Capitalised words that are never sentence-initial: names a speller must accept."""
        counts: Counter[str] = Counter()
        initial: set[str] = set()
        for sentence in self.essay.sentences:
            words = re.findall(r"[A-Za-z][A-Za-z’']*", sentence.text)
            if words:
                initial.add(words[0])
            counts.update(w for w in words[1:] if w[0].isupper())
        names = set()
        for word in counts:
            base = re.sub(r"[’']s$", "", word)
            if word not in initial or counts[word] > 1:
                names.add(base)
        return frozenset(n for n in names if n.lower() not in _COMMON_CAPITALISED)


_COMMON_CAPITALISED = {"i", "in", "the", "a", "an", "as", "at", "by", "still", "however"}


def load_exemplar(rubric: Rubric, path: str | Path | None = None) -> Exemplar:
    """The exemplar at `path`, else the rubric's own, else the bundled one
    (`chosen_exemplar`), checked against the rubric's map."""
    chosen, essay = read_chosen_exemplar(rubric, path)
    return exemplar_for(rubric, essay, given=chosen is not None)


def read_chosen_exemplar(rubric: Rubric, given: str | Path | None) -> tuple[Path | None, Essay]:
    """`chosen_exemplar` and its essay. One the rubric names that cannot be read is the
    rubric's error, naming the rubric file and its key (QA: "nope.txt: exemplar: no such
    file" did not say where the name came from)."""
    chosen = chosen_exemplar(rubric, given)
    try:
        return chosen, read_exemplar(chosen)
    except InputError as error:
        if given is not None or not rubric.exemplar:
            raise
        problem = error.message.removeprefix("exemplar: ")
        raise RubricError(f"{chosen}: {problem}", rubric.source, key="exemplar") from None


def bundled_exemplar_notice(rubric: Rubric, given: str | Path | None) -> str:
    """A warning when a rubric for a task other than a story's analysis names no exemplar:
    its essays are compared with the bundled one, an analysis of a novel (QA: a
    persuasive rubric without its `exemplar` line scored a strong essay 78.1, not 89.1,
    and nothing said why); "" otherwise."""
    if rubric.story_analysis or chosen_exemplar(rubric, given) is not None:
        return ""
    return (
        f"{rubric.source}: the rubric names no exemplar, so essays are compared with the "
        "bundled one, an analysis of Never Let Me Go: name the task's model essay with "
        'exemplar = "..." in the rubric, or --exemplar'
    )


def chosen_exemplar(rubric: Rubric, given: str | Path | None) -> Path | None:
    """The exemplar file a run uses: `given` (--exemplar, or the configuration's), else
    the rubric's `exemplar`, taken from the rubric file's folder; None for the bundled."""
    if given is not None:
        return Path(given)
    if not rubric.exemplar:
        return None
    path = Path(rubric.exemplar).expanduser()
    return path if path.is_absolute() else Path(rubric.source).parent / path


def read_exemplar(path: str | Path | None = None) -> Essay:
    """The exemplar essay at `path`, or the bundled one."""
    try:
        return load_essay(path or default_exemplar_path())
    except InputError as error:  # "file is empty" alone would read as the student's essay
        raise InputError(f"exemplar: {error.message}", error.path, error.key) from None


def exemplar_for(rubric: Rubric, essay: Essay, *, given: bool) -> Exemplar:
    """`essay` as the rubric's exemplar, checked against the paragraphs the rubric maps.

    A criterion mapped to a paragraph the exemplar lacks blames the file the user
    chose: the exemplar when one was `given`, else the rubric.
    """
    mapping = {c.id: c.exemplar_paragraphs for c in rubric.criteria if c.exemplar_paragraphs}
    count = len(essay.paragraphs)
    for number, criterion in enumerate(rubric.criteria):
        beyond = [i for i in criterion.exemplar_paragraphs if not 1 <= i <= count]
        if not beyond:
            continue
        key = f"criterion[{number}].exemplar_paragraphs"
        if given:
            raise InputError(
                f"the exemplar has {plural(count, 'paragraph')}, but the rubric "
                f"({rubric.source}, {key}) maps criterion {criterion.id!r} to paragraph "
                f"{beyond[0]}; use an exemplar with the paragraphs the rubric maps, or a "
                "rubric mapped to this exemplar",
                essay.source,
            )
        raise RubricError(
            f"criterion {criterion.id!r} maps to exemplar paragraph {beyond[0]}, but the "
            f"exemplar {essay.source} has {plural(count, 'paragraph')}",
            rubric.source,
            key,
        )
    return Exemplar(essay, mapping)
