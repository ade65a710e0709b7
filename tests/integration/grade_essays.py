"""Varied student essays for the grade integration tests, generated from written sentences.

Each essay is assembled from sentence templates (written for this project)
with several slots, so no two essays are alike, yet all are on the same
prompt: a literary analysis of a novel. Some essays carry spelling mistakes,
some are short, so the class summary has a spread of scores and grammar
categories. Deterministic for a given seed.
"""

from __future__ import annotations

import random

NOVELS = [
    ("Never Let Me Go", "Kazuo Ishiguro", ["Kathy", "Tommy", "Ruth"], "Hailsham"),
    ("Of Mice and Men", "John Steinbeck", ["George", "Lennie", "Curley"], "the ranch"),
    ("The Great Gatsby", "F. Scott Fitzgerald", ["Nick", "Gatsby", "Daisy"], "West Egg"),
    ("To Kill a Mockingbird", "Harper Lee", ["Scout", "Atticus", "Boo"], "Maycomb"),
    ("Frankenstein", "Mary Shelley", ["Victor", "the creature", "Elizabeth"], "Geneva"),
    ("Lord of the Flies", "William Golding", ["Ralph", "Jack", "Piggy"], "the island"),
]
THEMES = ["hope", "loneliness", "loyalty", "memory", "ambition", "guilt", "innocence", "power"]
ADJECTIVES = ["quiet", "painful", "hopeful", "bitter", "fragile", "stubborn", "tender", "uneasy"]
VERBS = ["reveals", "suggests", "shows", "insists", "argues", "implies", "hints", "proves"]
PLACES = ["a kitchen", "a muddy field", "a long road", "a crowded room", "a shore", "a porch"]
OBJECTS = ["a letter", "an old photograph", "a song", "a drawing", "a broken watch", "a map"]

INTRO = [
    "In {novel}, {author} {verb} that {theme} can survive even in a {adj} world.",
    "{author}'s {novel} is a story about {theme}, told through the {adj} eyes of {a}.",
    "Many readers see {novel} as a tale of {theme}, but {author} {verb} something more {adj}.",
    "The central idea of {novel} is that {theme} shapes every choice {a} makes.",
]
CONFLICT = [
    "The main conflict is between {a} and {b}, who want very different things from {place}.",
    "{a} struggles against a {adj} world that has already decided how the story will end.",
    "Inside {a} there is a {adj} fight between {theme} and the fear of losing {c}.",
    "{b} stands in the way of {a}, and their quarrel grows sharper at {place}.",
]
RISING = [
    "As the story moves on, {a} finds {object} near {place} and keeps it like a secret.",
    "Tension builds when {b} learns what {c} has been hiding for so long.",
    "Each chapter adds another {adj} detail, and the reader starts to expect the worst.",
    "Small moments, such as {object} left on a table, slowly push {a} toward a decision.",
]
CLIMAX = [
    "The turning point comes when {a} finally confronts {b} at {place}.",
    "At the climax, {a} has to choose between {theme} and safety, and chooses {theme}.",
    "Everything changes the night {b} tells {a} the truth about {object}.",
    "The most intense scene is the {adj} argument in {place}, where nothing can be taken back.",
]
RESOLUTION = [
    "In the end, {a} accepts what cannot be changed but keeps a {adj} kind of {theme}.",
    "By the last page, {a} is alone, yet the memory of {c} gives the ending some light.",
    "The novel closes with {a} looking back at {place}, wiser and more {adj} than before.",
    "Finally, {author} leaves us with {object}, a symbol of the {theme} that remains.",
]
TYPOS = {
    "because": "becuase",
    "their": "there",
    "believe": "beleive",
    "which": "wich",
    "really": "realy",
    "until": "untill",
    "finally": "finaly",
    "different": "diffrent",
}


def generate_essay(rng: random.Random, short: bool = False, typos: float = 0.0) -> str:
    novel, author, (a, b, c), place_name = rng.choice(NOVELS)

    used: set[str] = set()

    def sentence(templates: list[str]) -> str:
        for _ in range(20):  # avoid repeating a sentence within one essay
            text = fill(rng.choice(templates))
            if text not in used:
                break
        used.add(text)
        return text

    def fill(template: str) -> str:
        return template.format(
            novel=novel,
            author=author,
            a=a,
            b=b,
            c=c,
            theme=rng.choice(THEMES),
            adj=rng.choice(ADJECTIVES),
            verb=rng.choice(VERBS),
            place=rng.choice([*PLACES, place_name]),
            object=rng.choice(OBJECTS),
        )

    def paragraph(templates: list[str], extra: list[list[str]]) -> str:
        parts = [sentence(templates)] + [
            sentence(rng.choice(extra)) for _ in range(rng.randint(2, 4))
        ]
        return " ".join(p[0].upper() + p[1:] for p in parts)

    if short:
        return sentence(INTRO) + " " + sentence(RESOLUTION) + "\n"
    body = [CONFLICT, RISING, CLIMAX]
    paragraphs = [
        paragraph(INTRO, [CONFLICT]),
        paragraph(CONFLICT, body),
        paragraph(RISING, body),
        paragraph(CLIMAX, body),
        paragraph(RESOLUTION, [RESOLUTION, INTRO]),
    ]
    text = "\n\n".join(paragraphs) + "\n"
    if typos:
        words = text.split(" ")
        for i, word in enumerate(words):
            if word in TYPOS and rng.random() < typos:
                words[i] = TYPOS[word]
            elif len(word) > 6 and word.isalpha() and rng.random() < typos / 10:
                j = rng.randrange(1, len(word) - 2)
                words[i] = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
        text = " ".join(words)
    return text


def generate_class(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    essays = []
    for i in range(count):
        essays.append(generate_essay(rng, short=i % 40 == 39, typos=0.6 if i % 5 == 0 else 0.0))
    return essays


COPIED_ORIGINAL = """\
Never Let Me Go is narrated by Kathy, who looks back on Hailsham with a tenderness that slowly
becomes unbearable once we understand what the school was for. The guardians teach art and poetry
to children who will never be allowed to grow old, and Kathy accepts this without rebellion.

Her friendship with Ruth is full of small betrayals. Ruth lies about the pencil case, pretends to
know about the secret guard, and later keeps Tommy for herself even though she can see that Kathy
loves him. Yet Kathy forgives her each time, because forgiving is the only power she has left.

The turning point comes when Kathy and Tommy visit Madame and learn that the rumoured deferrals
never existed. The gallery was only meant to prove that the students had souls at all. Tommy
screams in the dark field as he did when he was a boy, and Kathy holds him until he is quiet.

In the end Kathy drives alone to a field in Norfolk where rubbish has caught on the fence. She
imagines Tommy appearing on the horizon, then gets back in the car and goes where she is supposed
to be. Her calm is the saddest thing in the book, and it is also a kind of courage.
"""

COPIED_EDITED = """\
Never Let Me Go is told by Kathy, who looks back on Hailsham with a tenderness that slowly becomes
unbearable once we understand what the school was really for. The guardians teach art and poetry
to children who will never be allowed to grow old, and Kathy accepts it without rebellion.

Her friendship with Ruth is full of little betrayals. Ruth lies about the pencil case, pretends to
know about the secret guard, and later keeps Tommy for herself although she can see that Kathy
loves him. Yet Kathy forgives her every time, because forgiving is the only power she has left.

The turning point comes when Kathy and Tommy visit Madame and find out that the rumoured deferrals
never existed. The gallery was only meant to prove that the students had souls at all. Tommy
screams in the dark field as he did when he was a boy, and Kathy holds him until he is calm.

In the end Kathy drives alone to a field in Norfolk where rubbish has caught on the fence. She
imagines Tommy appearing on the horizon, then gets back in the car and drives where she is supposed
to be. Her calm is the saddest part of the book, and it is also a sort of courage.
"""
