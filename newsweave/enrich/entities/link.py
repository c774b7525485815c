"""Give every mention of one document a canonical entity key.

Order of evidence, strongest first:

1. a knowledge-base alias matched the span: its entry (``kb:…``, ``cc:XX``);
2. a place mention resolved in the gazetteer: the country (``cc:XX``) or the place
   (``a1:…``, ``gn:…``);
3. within the document: a lone surname is the full name it ends ("Caggins" →
   "Myles B. Caggins II"); an acronym is the name it abbreviates, when the text
   spells it out ("Iraqi Security Forces (ISF)") or its letters are the initials of a
   name in the same document;
4. otherwise a new entity keyed by its type and folded longest form
   (``new:PER:myles b caggins ii``), so "al-Sudani" and "Al Sudani" meet.

Two different people who share a surname are never merged: a lone surname joins a
full name only inside one document, and only when exactly one full name ends with it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ...models import Mention
from .decide import name_parts
from .lexicon import fold, universal_words

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def name_key(text: str) -> str:
    """Folded, punctuation-free form used to compare names ("Al-Sudani" = "al Sudani")."""
    return _NON_WORD.sub(" ", fold(text)).strip()


_VARIANTS = ((re.compile(r"q"), "k"), (re.compile(r"ou"), "u"), (re.compile(r"ph"), "f"),
             (re.compile(r"(?<=[bcdfgjkmnpqrstvwxz])h"), ""), (re.compile(r"(.)\1"), r"\1"),
             (re.compile(r"y"), "i"))


def variant_key(text: str) -> str | None:
    """A spelling-insensitive key for a name of two words or more, or None.

    Transliteration variants of one name meet ("Qassem Soleimani", "Qasem Soleimani",
    "Kassem Soleimani" → "kasem soleimani"): q→k, ou→u, ph→f, an h after a consonant
    and doubled letters dropped, y→i; Arabic articles ignored. Vowels are kept, so
    "Hassan" and "Hussein" stay apart: two people are never merged on a guess.
    """
    particles = universal_words("spelling_particles")
    words = [w for w in name_key(text).split() if w not in particles]
    if len(words) < 2:
        return None
    out = []
    for word in words:
        for pattern, repl in _VARIANTS:
            word = pattern.sub(repl, word)
        out.append(word)
    return " ".join(out)


def new_key(type_: str, text: str) -> str:
    return f"new:{type_}:{name_key(text)}"


def initials(text: str) -> str:
    """Initials of a multi-word name, skipping connectors: "Iraqi Security Forces" → ISF."""
    skip = universal_words("initials_skip")
    words = [w for w in name_key(text).split() if w not in skip]
    return "".join(w[0] for w in words).upper() if len(words) > 1 else ""


def link_document(text: str, mentions: Sequence[Mention], names: dict[str, str]) -> None:
    """Set ``key`` and ``name`` on every mention in place.

    ``names`` maps knowledge-base keys to canonical names.
    """
    for m in mentions:
        if m.key is None and m.place is not None:
            m.key = f"cc:{m.place.country}" if m.place.feature == "country" else m.place.id
            m.name = names.get(m.key, m.place.name)
        elif m.key is not None:
            m.name = names.get(m.key, m.name or m.text)  # "inst:" keys bring their name
    _surnames(mentions)
    _heads(mentions)
    _acronyms(text, mentions)
    for m in mentions:
        if m.key is None:  # a span that is part of its name ("Tribunale" of "Tribunale
            #                di Milano") carries the whole name
            m.name = m.name or m.text
            m.key = new_key(m.type, m.name)


def _surnames(mentions: Sequence[Mention]) -> None:
    """A one-word person mention takes the key of the one full name ending with it
    ("Caggins"); failing that, of the one full name it is another part of: a first
    or middle name ("Bashar" of "Bashar al-Assad", "Muamar" of "Muamar el Gadafi").
    Full names of one entity (the same knowledge-base key) count once."""
    last: dict[str, list[Mention]] = {}
    part: dict[str, list[Mention]] = {}
    for m in mentions:
        words = name_key(m.text).split()
        if m.type == "PER" and len(words) > 1:
            last.setdefault(words[-1], []).append(m)
            for w in name_parts([words]):
                part.setdefault(w, []).append(m)
    for m in mentions:
        words = name_key(m.text).split()
        if m.type != "PER" or len(words) != 1 or m.key is not None:
            continue
        owners = last.get(words[0]) or part.get(words[0]) or []
        if len({o.key or name_key(o.text) for o in owners}) == 1:
            owner = owners[0]
            m.name = owner.name or owner.text
            m.key = owner.key or new_key("PER", m.name)


def _heads(mentions: Sequence[Mention]) -> None:
    """A one-word organisation mention ("the Coalition") is the one longer organisation
    name of the document that ends with that word ("International Coalition")."""
    full: dict[str, set[str]] = {}
    owner: dict[str, Mention] = {}
    for m in mentions:
        words = name_key(m.text).split()
        if m.type == "ORG" and len(words) > 1:
            key = m.key or new_key("ORG", m.name or m.text)
            full.setdefault(words[-1], set()).add(key)
            owner.setdefault(words[-1], m)
    for m in mentions:
        words = name_key(m.text).split()
        if (m.type == "ORG" and m.key is None and len(words) == 1
                and len(full.get(words[0], ())) == 1):
            o = owner[words[0]]
            m.name = o.name or o.text
            m.key = o.key or new_key("ORG", m.name)


def _acronyms(text: str, mentions: Sequence[Mention]) -> None:
    """Link an acronym to the name it abbreviates in the same document."""
    by_initials: dict[str, list[Mention]] = {}
    for m in mentions:
        if m.type in ("ORG", "LOC") and " " in m.text.strip():
            by_initials.setdefault(initials(m.text), []).append(m)
    ordered = sorted(mentions, key=lambda x: (x.start, x.end))
    for k, m in enumerate(ordered):
        word = m.text.replace(".", "")
        if not (word.isupper() and 2 <= len(word) <= 6) or m.key is not None:
            continue
        owner = _spelled_out(text, m, ordered[max(0, k - 2):k + 3]) \
            or _single(by_initials.get(word, ()))
        if owner is not None:
            m.name = owner.name or owner.text
            m.key = owner.key or new_key(owner.type, m.name)
            m.type = owner.type


def _spelled_out(text: str, acronym: Mention, near: Sequence[Mention]) -> Mention | None:
    """"Long Name (ACR)" or "ACR (Long Name)": the adjacent mention in parentheses
    (``near``: the mentions next to the acronym in text order, so the work per
    acronym does not grow with the document)."""
    for m in near:
        if m is acronym or " " not in m.text.strip():
            continue
        between = text[m.end:acronym.start] if m.end <= acronym.start else text[acronym.end:m.start]
        if len(between) <= 3 and between.strip() == "(":
            return m
    return None


def _single(candidates: Sequence[Mention]) -> Mention | None:
    keys = {m.key or name_key(m.text) for m in candidates}
    return candidates[0] if len(keys) == 1 else None
