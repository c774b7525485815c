"""Who is speaking: the speaker's words next to a reporting verb, and the entity they are.

A speaker is found in the words of the sentence beside the verb (its subject before
it, "Smith said"; or after it, "said Smith", "ha affermato in una nota l'ufficio di
al-Sudani"; or the source after "according to"). It is resolved to an entity from the
entity annotator's mentions (docs/entities.md), by evidence only:

- a name in the speaker's words: the person there, else the organisation, else the
  place (a capital or a country speaking for its government); "the spokesman for
  the coalition" and "l'ufficio di al-Sudani" are the coalition and al-Sudani;
- an apposition, "Hugh Hill, a doctor, said": the name before it;
- a role noun ("the spokesman", "il portavoce"): the person that the same role noun
  stood beside earlier in the text ("The spokesman ..., Colonel Myles B. Caggins");
  failing that, when the noun is definite, the last named speaker of the paragraph or
  the one before;
- a pronoun: the nearest preceding person of a compatible gender (given names from
  Faker's lists) in the paragraph, outside quotes; failing that, the last named
  speaker of the paragraph before;
- no subject at all (a pro-drop language's "ha aggiunto", or a floating quote): the
  last named speaker of the paragraph or the one before.

Anything else stays unresolved (``None``).
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from functools import lru_cache

from ...clean.fold import fold
from ...models import Mention
from .lexicon import QuoteLexicon
from .words import BOUNDARY_PUNCT, STOP_PUNCT, Word

SPEAKER_TYPES = ("PER", "ORG", "LOC")
MAX_SUBJECT_WORDS = 12
MAX_AFTER_WORDS = 12
MAX_APPOSITION_WORDS = 20  # "director of the Institute for ... law school"
APPOSITION_SEGMENTS = 3  # "Schiff, 56, who has served ..., told"
ROLE_NAME_GAP = 3  # words between a role and its holder's name ("ai trasporti")
ROLE_WINDOW = 8  # words between a role noun and the name it stood beside
QUOTE_MARK_CHARS = frozenset("“”„«»‹›‚‘’\"'「」『』〝〞〟＂")


@dataclass(frozen=True, slots=True)
class Speaker:
    """The speaker's words: ``kind`` is mention, role, pronoun or words; ``mention``
    the name inside them, ``role`` the role noun, ``gender`` a pronoun's."""

    start: int
    end: int
    kind: str
    mention: Mention | None = None
    role: str | None = None
    definite: bool = False
    gender: str | None = None


@lru_cache(maxsize=1)
def given_name_genders() -> dict[str, str]:
    """Folded given name -> "m" or "f", from Faker's gendered first-name lists of every
    locale; a name on both lists has no entry. Empty without Faker."""
    try:
        providers = importlib.import_module("faker.providers.person")
    except ImportError:
        return {}
    male: set[str] = set()
    female: set[str] = set()
    for module in pkgutil.iter_modules(providers.__path__):
        provider = getattr(importlib.import_module(f"{providers.__name__}.{module.name}"),
                           "Provider", None)
        male.update(fold(n) for n in getattr(provider, "first_names_male", ()) or ()
                    if isinstance(n, str))
        female.update(fold(n) for n in getattr(provider, "first_names_female", ()) or ()
                      if isinstance(n, str))
    out = {n: "m" for n in male - female}
    out.update({n: "f" for n in female - male})
    return out


def is_person(mention: Mention) -> bool:
    """A person, or a name the annotator typed otherwise that opens with a given name
    of known gender ("Hugh Hill", where "Hill" made it a place)."""
    if mention.type == "PER":
        return True
    parts = (mention.name or mention.text).split()
    return mention.type in SPEAKER_TYPES and len(parts) > 1 \
        and fold(parts[0].strip(".,")) in given_name_genders()


def gender_of(mention: Mention) -> str | None:
    """A person's gender from the first given name of their name, None when unknown."""
    parts = (mention.name or mention.text).split()
    return given_name_genders().get(fold(parts[0].strip(".,"))) if len(parts) > 1 else None


class SentenceNames:
    """The speaker-capable mentions of one sentence, by the word they start at."""

    def __init__(self, ws: list[Word], mentions: list[Mention]) -> None:
        self.ws = ws
        self.by_start: dict[int, Mention] = {}
        self.spans: list[tuple[int, int, Mention]] = []  # word indexes [a, b)
        self.covered: set[int] = set()  # words inside a name ("Myles B. Caggins")
        for m in mentions:
            if m.type not in SPEAKER_TYPES:
                continue
            idx = [i for i, w in enumerate(ws) if w.start >= m.start and w.end <= m.end]
            if idx:
                self.by_start[idx[0]] = m
                self.spans.append((idx[0], idx[-1] + 1, m))
                self.covered.update(idx[1:])

    def inside(self, a: int, b: int) -> list[Mention]:
        """Mentions wholly inside words ``[a, b)``, in order."""
        return [m for s, e, m in self.spans if s >= a and e <= b]

    def end_of(self, i: int) -> int:
        """The word after the mention starting at ``i`` (``i + 1`` if none)."""
        for s, e, _ in self.spans:
            if s == i:
                return e
        return i + 1


def pick(mentions: list[Mention]) -> Mention | None:
    """The speaker among names: the last person, else organisation, else place."""
    people = [m for m in mentions if is_person(m)]
    if people:
        return people[-1]
    for kind in SPEAKER_TYPES:
        found = [m for m in mentions if m.type == kind]
        if found:
            return found[-1]
    return None


def is_boundary(w: Word, lex: QuoteLexicon) -> bool:
    """A word that closes a subject going backwards from its verb."""
    return (w.quoted or w.text in QUOTE_MARK_CHARS or w.text in BOUNDARY_PUNCT
            or w.text in STOP_PUNCT or w.key in lex.conjunctions
            or w.key in lex.complementizers)


def describe(ws: list[Word], a: int, b: int, names: SentenceNames,
             lex: QuoteLexicon) -> Speaker | None:
    """What the words ``[a, b)`` are as a speaker."""
    while a < b and (ws[a].key in lex.auxiliaries or ws[a].is_punct):
        a += 1
    while b > a and ws[b - 1].is_punct:
        b -= 1
    if a >= b:
        return None
    start, end = ws[a].start, ws[b - 1].end
    mention = pick(names.inside(a, b))
    if mention is not None:
        return Speaker(start, end, "mention", mention=mention)
    if b - a == 1 and ws[a].text.lower() in lex.pronouns:
        return Speaker(start, end, "pronoun", gender=lex.pronouns[ws[a].text.lower()])
    for i in range(a, b):
        if ws[i].key in lex.body_nouns:
            return Speaker(start, end, "words")
        if ws[i].key in lex.role_nouns and (ws[i].lower or i == a or ws[i - 1].key in
                                            lex.definite_articles):  # "Mr. King" is a name
            definite = i > a and ws[i - 1].key in lex.definite_articles \
                or (i > a + 1 and ws[a].key in lex.definite_articles)
            return Speaker(start, end, "role", role=ws[i].key, definite=definite)
    return Speaker(start, end, "words")


def subject_before(ws: list[Word], cue: int, names: SentenceNames,
                   lex: QuoteLexicon) -> tuple[Speaker | None, int, str]:
    """The subject before the verb at word ``cue``: (speaker, the word its clause
    starts at, what stands before it: "start", "comma", "mark", "conj" or "other")."""
    i = cue - 1
    while i >= 0 and ws[i].key in lex.auxiliaries and not ws[i].quoted:
        i -= 1
    j = i
    while j >= 0 and (j in names.covered or not is_boundary(ws[j], lex)
                      or ws[j].text == ")") and i - j < MAX_SUBJECT_WORDS:
        if ws[j].text == ")":  # "Gov. Pat McCrory (R) said": the brackets are no boundary
            while j > 0 and ws[j].text != "(":
                j -= 1
        j -= 1
    before = _what(ws, j, lex)
    if j == i and j >= 0 and ws[j].text == ",":
        appos = _apposition(ws, j, names, lex)
        if appos is not None:
            return appos, j, "apposition"
    return describe(ws, j + 1, i + 1, names, lex), j + 1, before


def _what(ws: list[Word], j: int, lex: QuoteLexicon) -> str:
    if j < 0:
        return "start"
    w = ws[j]
    if w.text == ",":
        return "comma"
    if w.quoted or w.text in QUOTE_MARK_CHARS:
        return "mark"
    if w.key in lex.conjunctions:
        return "conj"
    return "other"


def _apposition(ws: list[Word], comma: int, names: SentenceNames,
                lex: QuoteLexicon) -> Speaker | None:
    """The name of a subject with an apposition that ends at ``comma``: "Hugh Hill, a
    doctor, said", "Peter Marsh, who runs a bakery, said" (the name before it), "The
    shop's owner, Daniel Price, said" (the name inside it); None when there is none."""
    for _ in range(APPOSITION_SEGMENTS):
        k = comma - 1
        while k >= 0 and ws[k].text != "," and not ws[k].quoted and ws[k].text not in ";:" \
                and ws[k].text not in STOP_PUNCT and comma - k <= MAX_APPOSITION_WORDS:
            k -= 1
        if k < 1 or ws[k].text != ",":
            return None
        for s, e, m in names.spans:
            if s == k + 1 and e == comma and is_person(m):  # the apposition is the name
                return Speaker(m.start, m.end, "mention", mention=m)
        for _s, e, m in names.spans:
            if e == k:  # the name before the apposition
                return Speaker(m.start, m.end, "mention", mention=m)
        comma = k
    return None


def speaker_after(ws: list[Word], b: int, names: SentenceNames, lex: QuoteLexicon,
                  skip_preps: bool = True) -> tuple[Speaker | None, int]:
    """The speaker after a verb (or after "according to") that ends at word ``b``:
    (speaker, the word after it)."""
    n, k = len(ws), b
    while k < n and ws[k].key in lex.auxiliaries and not ws[k].quoted:
        k += 1
    if k < n and ws[k].text.lower() in lex.pronouns and not ws[k].quoted:
        return describe(ws, k, k + 1, names, lex), k + 1
    limit = min(n, k + MAX_AFTER_WORDS)
    while k < limit:
        w = ws[k]
        if w.quoted or w.text in STOP_PUNCT or w.text in BOUNDARY_PUNCT \
                or w.key in lex.complementizers:
            return None, k
        if skip_preps and w.key in lex.prepositions and k not in names.by_start:
            k = _skip_phrase(ws, k + 1, limit, names, lex)
            continue
        if k in names.by_start or w.key in lex.definite_articles or w.key in lex.role_nouns \
                or not w.lower:
            end = _np_end(ws, k, limit, names, lex)
            end = _role_then_name(ws, k, end, names, lex)
            named = _named_after(ws, end, names)
            if named is not None and not names.inside(k, end):
                return named, names.end_of(end + 1)
            return describe(ws, k, end, names, lex), end
        k += 1
    return None, k


def _role_then_name(ws: list[Word], k: int, end: int, names: SentenceNames,
                    lex: QuoteLexicon) -> int:
    """"l'assessore ai trasporti Enrico Esposito": a role's phrase that ends in a name
    takes the name in."""
    if names.inside(k, end) or not any(ws[i].key in lex.role_nouns for i in range(k, end)):
        return end
    for i in range(end, min(len(ws), end + ROLE_NAME_GAP + 1)):
        if ws[i].is_punct or ws[i].quoted:
            break
        if i in names.by_start and is_person(names.by_start[i]):
            return names.end_of(i)
    return end


def _named_after(ws: list[Word], end: int, names: SentenceNames) -> Speaker | None:
    """"a affirmé le maire, Julien Moreau.": the name in apposition after a role."""
    if end + 1 < len(ws) and ws[end].text == "," and end + 1 in names.by_start:
        after = names.end_of(end + 1)
        if after >= len(ws) or ws[after].is_punct:
            m = names.by_start[end + 1]
            return Speaker(m.start, m.end, "mention", mention=m)
    return None


def _skip_phrase(ws: list[Word], k: int, limit: int, names: SentenceNames,
                 lex: QuoteLexicon) -> int:
    """Past a prepositional phrase: up to the next article, name or punctuation."""
    k += 1  # the preposition's own object starts the phrase
    while k < limit and not (ws[k].key in lex.definite_articles or k in names.by_start
                             or ws[k].is_punct):
        k += 1
    return k


def _np_end(ws: list[Word], k: int, limit: int, names: SentenceNames,
            lex: QuoteLexicon) -> int:
    """The end of the noun phrase that starts at word ``k``."""
    while k < limit:
        if k in names.by_start:
            k = names.end_of(k)
            if k < limit and ws[k].key not in lex.of_words:
                break
            continue
        w = ws[k]
        if w.key in lex.of_words and k + 1 < limit and not ws[k + 1].is_punct:
            k += 1
            continue
        if w.quoted or w.is_punct or w.key in lex.complementizers \
                or w.key in lex.conjunctions or (w.key in lex.prepositions
                                                 and w.key not in lex.of_words):
            break
        k += 1
    return k
