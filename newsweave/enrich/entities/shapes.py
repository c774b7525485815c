"""Shapes of words and of the names built from them, shared by the recogniser's steps.

Word shapes: capitalised words, elided articles ("d'", "dell'"), Arabic-prefixed names
("al-Sudani"), the first word of a sentence. Name shapes: a country inside a longer
name ("Banca d'Italia", "Team New Zealand"), and institutions that Italian and French
write with one capital ("Camera dei deputati", "Assemblée nationale").
"""

from __future__ import annotations

import re

from ..sentences import Token
from .lexicon import Lexicon, fold

ELISION = re.compile(r"^(?:[ldnsjcmt]|dell|all|nell|dall|sull|dagl|quell|qu|un|d)['’](?=\w)",
                     re.IGNORECASE)
ELIDED = re.compile(r"^(?:[ldnsjcmt]|dell|all|nell|dall|sull|dagl|quell|qu|un|d)['’]$",
                    re.IGNORECASE)  # an elided article or preposition as its own token
PREFIXED = re.compile(r"^(?:al|el|ad|an|ar|as|at|ash|az|bin|ibn|abu|ben)[-‐'’]\w", re.I)


def is_cap(word: str) -> bool:
    """A capitalised word, or a prefixed name with a capital after its prefix ("al-Sudani")."""
    return (word[:1].isupper() and (word[0].isalpha() or any(c.isalpha() for c in word))) or bool(
        PREFIXED.match(word) and word[3:4].isupper())


def first_word(toks: list[Token]) -> int:
    """Index of a sentence's first word (quotes and dashes before it do not count)."""
    return next((k for k, t in enumerate(toks) if any(c.isalnum() for c in t.text)), 0)


def capitalised_neighbour(toks: list[Token], folded: list[str], i: int, lex: Lexicon
                          ) -> bool:
    """Whether a capitalised word that is no function word comes just before the
    country's name, not at the start of the sentence: then the country is part of a
    longer name ("Team New Zealand", "Coppa Italia", "Air Cote d'Ivoire"). KIND +0.002,
    WikiNEuRal macro +0.002."""
    k = i - 1
    return k > first_word(toks) and is_cap(toks[k].text) and not lex.is_stop(toks[k].text) \
        and not lex.is_title(toks[k].text) and folded[k] not in lex.loc_preps \
        and folded[k] not in lex.compass_adjectives


def headed_before(toks: list[Token], folded: list[str], i: int, lex: Lexicon) -> bool:
    """Whether an organisation or place head word and a connector come just before
    position ``i``: "Banca d'Italia", "Bank of England", "Golfo del Messico". A state's
    head ("Repubblica di Macedonia") takes the country's own name: it is no such head."""
    k = i - 1
    while k >= 0 and i - k <= 3 and (folded[k] in lex.connectors or ELIDED.match(
            toks[k].text) or folded[k] in lex.for_prepositions):
        k -= 1
    if k < 0 or k == i - 1 or not is_cap(toks[k].text) or folded[k] in lex.state_heads:
        return False
    return folded[k] in lex.org_heads or folded[k] in lex.loc_heads


def lowercase_tail(toks: list[Token], j: int, covered: list[bool], lex: Lexicon) -> int:
    """End of an institution's name written with one capital, from ``j`` (just after
    its capitalised head); ``j`` itself when the language does not do this. Italian and
    French write many institutions so: "Corte costituzionale", "Camera dei deputati",
    "Assemblée nationale". After a capitalised organisation head these lowercase words
    continue the name: adjectives (by their ending, ``lowercase_tail_endings``) and one
    "of" phrase with a lowercase noun."""
    endings = lex.lowercase_tail_endings
    if not endings:
        return j
    k = j
    while k < len(toks) and k - j < 3 and not covered[k]:
        word = toks[k].text
        if not (word.isalpha() or ELIDED.match(word)) or not word.islower():
            break
        if fold(word) in lex.tail_connectors or ELIDED.match(word):  # "Corte d'appello"
            nxt = toks[k + 1].text if k + 1 < len(toks) else ""
            if nxt.isalpha() and nxt.islower() and len(nxt) > 3 and not covered[k + 1]:
                return k + 2  # "dei deputati": one "of" phrase ends the name
            break
        if len(word) < 5 or not word.endswith(endings):
            break
        k += 1
    return k




# Lowercase place words (a language's ``street_words`` and ``division_words``) make one
# place name with the name after them, as Italian news writes (and KIND tags) them:
# "provincia di Nuoro", "via Cina", "fiume Dyfi", "golfo del Messico". "città di Roma",
# "isola d'Elba", "stazione di Milano" and "ospedale di Padova" are not among them:
# there the name alone is tagged, measured on KIND train (città 53 to 0, isola 7 to 3,
# stazione 20 to 3, ospedale 23 to 11). Folded, as the tokens they are compared with
# (until 2026-11-22 the accented ones, "río", "vallée", never matched; folding them
# gave WikiNEuRal es +0.004). WikiNEuRal es +0.002, fr +0.002 when added (pt −0.001:
# left out); "località" cost KIND 0.001 (it tags "località Valle d'Orta" without the
# word) and is left out. Seas, passes, tunnels, motorways and buildings ("oceano
# Atlantico", "tunnel della Manica", "basilica di San Nicola"): KIND train +0.0019, dev
# +0.0001, WikiNEuRal it +0.001.


def not_on_map(name: str, lex: Lexicon) -> bool:
    """Whether a place mention opens with a lowercase street or feature word of any
    language: the name after it is not where the thing is ("via Cina" is not in China;
    "golfo del Messico" is no town), and the gazetteer holds neither, so such a mention
    stays off the map."""
    first = name.split(maxsplit=1)[0]
    return first.islower() and fold(first) in lex.off_map_words


def place_word_before(toks: list[Token], i: int, lex: Lexicon) -> int:
    """Start of "provincia di" / "via" just before the name at ``i``, or ``i``."""
    words = lex.place_words_before
    if not words or i == 0:
        return i
    k = i - 1
    if k > 0 and (fold(toks[k].text) in lex.tail_connectors or ELIDED.match(toks[k].text)):
        k -= 1  # "provincia di", "golfo del", "valle d'"
    word = toks[k].text
    return k if word.islower() and fold(word) in words else i


def off_map_code(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is a road ("A14") or a code of up to three capitals
    in parentheses ("(FI)", a province or state code): the gazetteer would take it for
    something else ("PO" for a Chinese city), so it stays off the map; the place
    before a code is already on it."""
    word = text[start:end]
    if ROAD.match(word):
        return True  # a motorway ("A14"), which no gazetteer entry stands for
    return word.isupper() and len(word) <= 3 and text[max(0, start - 3):start].rstrip() \
        .endswith("(") and text[end:end + 3].lstrip().startswith(")")


ROAD = re.compile(r"^[AM][0-9]{1,2}$")  # motorways: Italy's A1-A91, Britain's M1-M90
