"""A country's institutions named by a common noun and a nationality word.

"il governo tedesco", "the Iraqi government", "die deutsche Regierung", "la policía
española" name one specific body: the government of Germany, of Iraq, the Spanish
police. The nationality word is already a mention linked to its country (``cc:DE``);
this module adds an organisation mention over noun and adjective together, linked to
one entity per (institution, country): ``inst:government:DE``, named "Government of
Germany". So the German government is one entity whatever the language of the
article, and is never mixed with another country's, as a bare "il governo" would be
(bare nouns are not reported: which government they mean is a question of
coreference).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ...models import Mention
from .lexicon import fold

# Institution nouns by language (folded; singular and plural), with their kind.
NOUNS: dict[str, dict[str, str]] = {
    "it": {"governo": "government", "governi": "government", "polizia": "police",
           "esercito": "army", "forze armate": "armed forces", "forze": "forces",
           "parlamento": "parliament", "marina": "navy", "aeronautica": "air force",
           "guardia costiera": "coast guard", "regime": "regime",
           "servizi segreti": "intelligence services", "magistratura": "judiciary"},
    "fr": {"gouvernement": "government", "police": "police", "armee": "army",
           "forces armees": "armed forces", "forces": "forces", "parlement": "parliament",
           "marine": "navy", "regime": "regime", "justice": "judiciary"},
    "es": {"gobierno": "government", "policia": "police", "ejercito": "army",
           "fuerzas armadas": "armed forces", "fuerzas": "forces", "parlamento": "parliament",
           "armada": "navy", "regimen": "regime"},
    "pt": {"governo": "government", "policia": "police", "exercito": "army",
           "forcas armadas": "armed forces", "forcas": "forces", "parlamento": "parliament",
           "marinha": "navy", "regime": "regime"},
    "en": {"government": "government", "police": "police", "army": "army",
           "armed forces": "armed forces", "forces": "forces", "military": "military",
           "parliament": "parliament", "navy": "navy", "air force": "air force",
           "coast guard": "coast guard", "regime": "regime", "judiciary": "judiciary",
           "intelligence services": "intelligence services"},
    "de": {"regierung": "government", "polizei": "police", "armee": "army",
           "streitkrafte": "armed forces", "parlament": "parliament", "marine": "navy",
           "luftwaffe": "air force", "kustenwache": "coast guard", "regime": "regime"},
    "nl": {"regering": "government", "politie": "police", "leger": "army",
           "strijdkrachten": "armed forces", "parlement": "parliament", "marine": "navy",
           "regime": "regime"},
}
# Where the nationality word stands: after the noun (Romance) or before it.
NOUN_FIRST = frozenset({"it", "fr", "es", "pt"})
_WORD = re.compile(r"\w+", re.UNICODE)


def institution_mentions(text: str, mentions: Sequence[Mention], lang: str | None,
                         country_names: dict[str, str]) -> list[Mention]:
    """ORG mentions for "noun + nationality word" pairs; ``country_names`` maps
    ``cc:XX`` keys to the country's canonical name."""
    nouns = NOUNS.get(lang or "")
    if not nouns:
        return []
    out = []
    for m in mentions:
        if m.type != "demonym" or not (m.key or "").startswith("cc:"):
            continue
        found = _noun_before(text, m.start, nouns) if lang in NOUN_FIRST \
            else _noun_after(text, m.end, nouns)
        if found is None:
            continue
        start, end, kind = found
        start, end = min(start, m.start), max(end, m.end)
        country = country_names.get(m.key, m.key[3:])
        out.append(Mention(start=start, end=end, text=text[start:end], type="ORG",
                           sentence=m.sentence, key=f"inst:{kind.replace(' ', '-')}:{m.key[3:]}",
                           name=f"{kind.capitalize()} of {country}", source="rules",
                           confidence=m.confidence))
    return out


def _noun_before(text: str, start: int, nouns: dict[str, str]) -> tuple[int, int, str] | None:
    """The institution noun ending just before ``start`` ("governo" of "governo tedesco")."""
    base = max(0, start - 40)
    words = list(_WORD.finditer(text, base, start))
    return _phrase(text, words[-2:], start, nouns, before=True)


def _noun_after(text: str, end: int, nouns: dict[str, str]) -> tuple[int, int, str] | None:
    """The institution noun starting just after ``end`` ("government" of "German
    government")."""
    words = list(_WORD.finditer(text, end, end + 40))
    return _phrase(text, words[:2], end, nouns, before=False)


def _phrase(text: str, words: list[re.Match[str]], edge: int, nouns: dict[str, str],
            before: bool) -> tuple[int, int, str] | None:
    """The longest run of ``words`` (two, else one) touching ``edge`` across white space
    only, and separated by white space only, that is an institution noun."""
    for n in (2, 1):
        if len(words) < n:
            continue
        run = words[-n:] if before else words[:n]
        gaps = [text[a.end():b.start()] for a, b in zip(run, run[1:], strict=False)]
        gaps.append(text[run[-1].end():edge] if before else text[edge:run[0].start()])
        if any(g.strip() for g in gaps):
            continue  # punctuation between: "forze, armate" is no noun
        phrase = fold(" ".join(w.group() for w in run))
        if phrase in nouns:
            return run[0].start(), run[-1].end(), nouns[phrase]
    return None
