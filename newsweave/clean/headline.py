"""Which line of a scraped text is its headline.

A page saved as text starts with whatever the scraper met first: the site's menu,
a "boutique" link, a sidebar headline, a date line, then the headline, a standfirst
and the body. The first line is the headline in only about half of real scraped
files. The headline is the line, above the body, that the body is about: its words
come back in the paragraphs under it. A sidebar headline ("Department store to close
seven shops") shares nothing with a report on Syria under it.

:func:`choose_headline` looks at the lines above the first paragraph, keeps those
that read like a headline (photo captions, credits and bylines never do), and takes
the first one whose content words the body repeats at least twice, passing over a
section label ("GUERRA EN SIRIA") that stands right above a longer headline; when
none does, the first headline-like line (a short note with an unusual title still
gets its own first line). The page furniture around a headline then settles which of
its neighbours is the headline: the line over a standfirst, the line under an
overline when a photo caption or byline follows it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from .boilerplate import read_rules

HEAD_LINES = 40  # headline candidates looked at above the body (a sidebar may come first)
MAX_HEADLINE_WORDS = 35
MAX_HEADLINE_CHARS = 250
PARAGRAPH_WORDS = 40  # a line this long is body text: the headline is above it
BODY_CHARS = 3000  # how much of the text under a candidate is searched for its words
PROSE_WORDS = 15  # a line this long is running text; shorter ones may be a sidebar's links
MIN_SHARE = 0.4  # share of a headline's content words that its body repeats
KICKER_WORDS = 4  # a label this short right above a headline is a section name
KICKER_GAP = 3  # lines between a section label and the headline it stands over
KICKER_HEADLINE_WORDS = 20  # a longer line under a label is a standfirst, not the headline
SHORT_HEADLINE_WORDS = 3  # a headline this short, right over its body, may repeat one word
DATELINE_WORDS = 7  # a line this short that names a year is a date line
_WORD = re.compile(r"\w+", re.U)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def content_words(line: str) -> set[str]:
    """Folded words of four letters or more, without digits: what a body repeats."""
    return {w.casefold() for w in _WORD.findall(line)
            if len(w) >= 4 and not any(ch.isdigit() for ch in w)}


def reads_like_headline(line: str) -> bool:
    """Short, mostly letters, more than one word; no link, no trailing colon, and not
    a teaser cut short with "..." (a sidebar's truncated link)."""
    words = line.split()
    if not 2 <= len(words) <= MAX_HEADLINE_WORDS or len(line) > MAX_HEADLINE_CHARS:
        return False
    stripped = line.rstrip()
    if credit_kind(line) is not None:
        return False  # a photo caption, a credit or a byline stands under a headline
    if "://" in line or "@" in line or stripped.endswith((":", "...", "…")):
        return False
    if _YEAR.search(line) and len(words) <= DATELINE_WORDS:
        return False  # "Giovedì 10 settembre 2015", "Site name | July 29, 2020"
    letters = sum(ch.isalpha() for ch in line)
    return letters * 2 >= len(line.replace(" ", ""))


def credit_kind(line: str) -> str | None:
    """What page furniture ``line`` is when it is a photo caption, a photo credit or a
    byline (``data/clean/credits.tsv``): lines that stand under a headline, never one."""
    folded = " ".join(line.split())
    return next((kind for kind, rule in _credit_rules() if rule.search(folded)), None)


@lru_cache(maxsize=1)
def _credit_rules() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The rules of ``newsweave/data/clean/credits.tsv``, read once."""
    return tuple(read_rules("credits.tsv"))


def _is_paragraph(line: str) -> bool:
    return len(line.split()) >= PARAGRAPH_WORDS


def _is_kicker(line: str) -> bool:
    """A section label above a headline: "GUERRA EN SIRIA", "Conflicto en Siria"."""
    words = line.split()
    return len(words) <= KICKER_WORDS or line.isupper()


def _relevant(lines: Sequence[str], i: int) -> bool:
    """The body under line ``i`` repeats at least two of its content words, and at
    least ``MIN_SHARE`` of them unless a date line stands right under it (a long
    headline over a live page or an article that opens on one detail); or, for a
    short headline (``SHORT_HEADLINE_WORDS`` content words or fewer) that stands right
    over the body or its photo caption, one of them: a short headline words things
    its body says in other words."""
    words = content_words(lines[i])
    found = len(words & _body_words(lines, i))
    if found >= 2 and (found >= MIN_SHARE * len(words) or _over_dateline(lines, i)):
        return True
    return found >= 1 and len(words) <= SHORT_HEADLINE_WORDS and _over_body(lines, i)


def _over_body(lines: Sequence[str], i: int) -> bool:
    """The next line under line ``i`` is running text or a photo caption or credit."""
    below = _next_line(lines, i)
    return below is not None and (_is_paragraph(lines[below])
                                  or credit_kind(lines[below]) is not None)


def _over_dateline(lines: Sequence[str], i: int) -> bool:
    """The next line under line ``i`` is a date line ("(Aggiornato alle 09:12 del 3
    marzo 2012)", "Le Courrier — 4 mai 2012 à 10h15"): pages date the headline."""
    below = _next_line(lines, i)
    if below is None:
        return False
    line = lines[below].strip()
    return bool(_YEAR.search(line)) and len(line.split()) <= DATELINE_WORDS


def choose_headline(lines: Sequence[str]) -> int | None:
    """Index in ``lines`` of the headline, or None when the text opens with its body.

    ``lines`` are the article's lines with boilerplate already taken out (blank ones
    allowed). Lines ending in a full stop are headlines only when nothing else is
    (prompts and standfirsts end in one; headlines seldom do).
    """
    candidates: list[int] = []
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        if _is_paragraph(line) or len(candidates) >= HEAD_LINES:
            break
        if reads_like_headline(line.strip()):
            candidates.append(i)
    if not candidates:
        return None
    relevant = [i for i in candidates if _relevant(lines, i)]
    for rank, i in enumerate(relevant):
        following = relevant[rank + 1] if rank + 1 < len(relevant) else None
        if following is not None and _labels(lines[i].strip(), lines[following].strip(),
                                             following - i):
            continue  # a section label or a prefixed copy: the headline is the next line
        return _under_overline(lines, candidates, _headline_over_standfirst(lines, candidates, i))
    unpunctuated = [i for i in candidates if not lines[i].rstrip().endswith(".")]
    return (unpunctuated or candidates)[0]


def _under_overline(lines: Sequence[str], candidates: list[int], i: int) -> int:
    """The line right under a chosen line when that one is its headline and the chosen
    line an overline: a page sets the photo caption, the credit or the byline right
    under the headline, so of two headline-like lines stacked over one of those the
    lower is the headline ("Dodici morti a Borgo Nuovo" over "Il governo promette
    un'inchiesta" over "… | Agenzia Sud"). The lower line must read as a headline of
    its own: no full stop, not a standfirst's length, not the lower-case second half
    of a headline set on two lines."""
    below = _next_line(lines, i)
    if below is None or below not in candidates:
        return i
    line = lines[below].strip()
    if line.endswith(".") or len(line.split()) > KICKER_HEADLINE_WORDS or line[0].islower():
        return i
    after = _next_line(lines, below)
    return below if after is not None and credit_kind(lines[after]) is not None else i


def _next_line(lines: Sequence[str], i: int) -> int | None:
    """Index of the first line under line ``i`` that is not blank."""
    return next((j for j in range(i + 1, len(lines)) if lines[j].strip()), None)


def _labels(line: str, following: str, distance: int) -> bool:
    """True when ``line`` stands over ``following`` as a label: a short section name
    ("GUERRA EN SIRIA") over a headline, or the headline with a section word glued in
    front ("Monde Libye: …" over "Libye: …")."""
    if distance > KICKER_GAP or following.endswith("."):
        return False
    if following in line and len(following) * 10 >= len(line) * 6:
        return True
    return (_is_kicker(line) and not _is_kicker(following)
            and len(following.split()) <= KICKER_HEADLINE_WORDS)


def _headline_over_standfirst(lines: Sequence[str], candidates: list[int], i: int) -> int:
    """The line right above a chosen standfirst when that line reads like its headline:
    a standfirst repeats the body, its headline often words things the body does not.
    A standfirst ends in a full stop, or runs longer than a headline under a label
    (``KICKER_HEADLINE_WORDS``) without one ("Gli scontri nel quartiere hanno lasciato
    dodici morti, …" under "Che cosa succede a Valmare"); over such a long line a short
    label ("Venire a Valmare", a menu entry) is not taken for its headline."""
    sentence = lines[i].rstrip().endswith(".")
    if not sentence and len(lines[i].split()) <= KICKER_HEADLINE_WORDS:
        return i
    above = next((j for j in range(i - 1, -1, -1) if lines[j].strip()), None)
    if above is None or above not in candidates or lines[above].rstrip().endswith("."):
        return i
    return above if sentence or not _is_kicker(lines[above].strip()) else i


def _body_words(lines: Sequence[str], after: int) -> set[str]:
    """Content words of the running text under line ``after`` (its first few thousand
    chars), leaving out other lines that repeat it.

    In a text set in paragraphs only the paragraphs count: a headline's words come
    back in them, while a sidebar link's words come back in the other short links of
    the same sidebar. A hard-wrapped text (most of it in short lines) counts whole."""
    own = lines[after].strip().casefold()
    below = [ln for ln in lines[after + 1:] if ln.strip().casefold() != own]
    prose = [ln for ln in below if len(ln.split()) >= PROSE_WORDS]
    if 2 * sum(map(len, prose)) < sum(map(len, below)):
        prose = below
    chunk: list[str] = []
    size = 0
    for line in prose:
        chunk.append(line)
        size += len(line)
        if size >= BODY_CHARS:
            break
    return content_words(" ".join(chunk))
