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

CONNECTORS = frozenset("of for on and the de des du di del della dei degli delle dello "
                       "der für la le y".split())
ELISION = re.compile(r"^(?:[ldnsjcmt]|dell|all|nell|dall|sull|dagl|quell|qu|un|d)['’](?=\w)",
                     re.IGNORECASE)
ELIDED = re.compile(r"^(?:[ldnsjcmt]|dell|all|nell|dall|sull|dagl|quell|qu|un|d)['’]$",
                    re.IGNORECASE)  # an elided article or preposition as its own token
PREFIXED = re.compile(r"^(?:al|el|ad|an|ar|as|at|ash|az|bin|ibn|abu|ben)[-‐'’]\w", re.I)


def is_cap(word: str) -> bool:
    """A capitalised word, or a prefixed name with a capital after its prefix ("al-Sudani")."""
    return (word[:1].isupper() and any(c.isalpha() for c in word)) or bool(
        PREFIXED.match(word) and word[3:4].isupper())


def first_word(toks: list[Token]) -> int:
    """Index of a sentence's first word (quotes and dashes before it do not count)."""
    return next((k for k, t in enumerate(toks) if any(c.isalnum() for c in t.text)), 0)


# Heads of names that take a country after a connector yet are not that country's
# own name ("Repubblica di Macedonia" is Macedonia; "Banca d'Italia" is a bank).
STATE_HEADS = frozenset("repubblica republic republique republica republik regno kingdom "
                        "royaume reino konigreich stato state etat estado staat emirato "
                        "emirate principato principality".split())


# Compass words after a country's name ("Italia meridionale", "Germania Est").
COMPASS_ADJECTIVES = frozenset(
    "nord sud est ovest centrale settentrionale meridionale orientale occidentale nordorientale "
    "nordoccidentale sudorientale sudoccidentale septentrional septentrionale meridional "
    "meridionale oriental orientale occidental occidentale norte sur este oeste "
    "nordeste noroeste sudeste sudoeste".split())


def capitalised_neighbour(toks: list[Token], folded: list[str], i: int, lex: Lexicon
                          ) -> bool:
    """Whether a capitalised word that is no function word comes just before the
    country's name, not at the start of the sentence: then the country is part of a
    longer name ("Team New Zealand", "Coppa Italia", "Air Cote d'Ivoire"). KIND +0.002,
    WikiNEuRal macro +0.002."""
    k = i - 1
    return k > first_word(toks) and is_cap(toks[k].text) and not lex.is_stop(toks[k].text) \
        and not lex.is_title(toks[k].text) and folded[k] not in lex.loc_preps \
        and folded[k] not in COMPASS_ADJECTIVES


def headed_before(toks: list[Token], folded: list[str], i: int, lex: Lexicon) -> bool:
    """Whether an organisation or place head word and a connector come just before
    position ``i``: "Banca d'Italia", "Bank of England", "Golfo del Messico"."""
    k = i - 1
    while k >= 0 and i - k <= 3 and (folded[k] in CONNECTORS or ELIDED.match(
            toks[k].text) or folded[k] in ("per", "pour", "para", "fur", "voor")):
        k -= 1
    if k < 0 or k == i - 1 or not is_cap(toks[k].text) or folded[k] in STATE_HEADS:
        return False
    return folded[k] in lex.org_heads or folded[k] in lex.loc_heads


# Italian and French write many institutions with one capital: "Corte costituzionale",
# "Camera dei deputati", "Assemblée nationale". After a capitalised organisation head
# these lowercase words continue the name: adjectives (by their ending) and one "of"
# phrase with a lowercase noun.
LOWERCASE_TAILS = {
    "it": ("ale", "ali", "ile", "ili", "ese", "esi", "ano", "ana", "ani", "ane", "ico", "ica",
           "ici", "iche", "ivo", "iva", "ivi", "ive", "are", "ari", "ario", "aria", "orio",
           "oria", "iero", "iera", "ieri", "iere", "ense", "ensi"),
    "fr": ("al", "ale", "aux", "ales", "el", "elle", "els", "elles", "ique", "iques", "ien",
           "ienne", "aine", "ais", "aise", "if", "ive", "aire", "aires", "eur", "ieure"),
}
TAIL_CONNECTORS = frozenset("di del dei della degli delle dello de des du".split())


def lowercase_tail(toks: list[Token], j: int, covered: list[bool], lex: Lexicon) -> int:
    """End of an institution's name written with one capital, from ``j`` (just after
    its capitalised head); ``j`` itself when the language does not do this."""
    endings = LOWERCASE_TAILS.get(lex.lang)
    if not endings:
        return j
    k = j
    while k < len(toks) and k - j < 3 and not covered[k]:
        word = toks[k].text
        if not (word.isalpha() or ELIDED.match(word)) or not word.islower():
            break
        if fold(word) in TAIL_CONNECTORS or ELIDED.match(word):  # "Corte d'appello"
            nxt = toks[k + 1].text if k + 1 < len(toks) else ""
            if nxt.isalpha() and nxt.islower() and len(nxt) > 3 and not covered[k + 1]:
                return k + 2  # "dei deputati": one "of" phrase ends the name
            break
        if len(word) < 5 or not word.endswith(endings):
            break
        k += 1
    return k




# Lowercase place words that make one place name with the name after them, as Italian
# news writes (and KIND tags) them: "provincia di Nuoro", "via Cina", "fiume Dyfi",
# "golfo del Messico". "città di Roma", "isola d'Elba", "stazione di Milano" and
# "ospedale di Padova" are not among them: there the name alone is tagged, measured on
# KIND train (città 53 to 0, isola 7 to 3, stazione 20 to 3, ospedale 23 to 11).
_STREETS_AND_FEATURES = {
    "it": "via viale piazza piazzale corso vicolo lungomare strada lago monte fiume golfo "
          "valle stretto canale oceano mare tunnel traforo vulcano passo laguna autostrada "
          "castello basilica chiesa cattedrale duomo cimitero abbazia",
    "es": "calle avenida plaza paseo carretera lago monte río golfo valle estrecho",
    "fr": "rue avenue boulevard place quai chemin lac mont fleuve rivière golfe vallée "
          "détroit",
}
_DIVISIONS = {
    "it": "provincia distretto prefettura frazione quartiere contea rione",
    "es": "provincia distrito departamento municipio barrio",
    "fr": "province département district quartier",
}
# Folded, as the tokens they are compared with (until 2026-11-22 the accented ones,
# "río", "vallée", never matched; folding them gave WikiNEuRal es +0.004). WikiNEuRal
# es +0.002, fr +0.002 when added (pt −0.001: left out); "località" cost KIND 0.001
# (it tags "località Valle d'Orta" without the word) and is left out. Seas, passes,
# tunnels, motorways and buildings ("oceano Atlantico", "tunnel della Manica",
# "basilica di San Nicola"): KIND train +0.0019, dev +0.0001, WikiNEuRal it +0.001.
PLACE_WORDS_BEFORE: dict[str, frozenset[str]] = {
    lang: frozenset(fold(w) for w in f"{_STREETS_AND_FEATURES[lang]} {words}".split())
    for lang, words in _DIVISIONS.items()}
# Of those, the ones naming a street or a natural feature: the name after them is not
# where the thing is ("via Cina" is not in China; "golfo del Messico" is no town),
# and the gazetteer holds neither, so such a mention stays off the map.
NOT_ON_MAP = frozenset(fold(w) for words in _STREETS_AND_FEATURES.values()
                       for w in words.split())


def not_on_map(name: str) -> bool:
    """Whether a place mention opens with a lowercase street or feature word."""
    first = name.split(maxsplit=1)[0]
    return first.islower() and fold(first) in NOT_ON_MAP


def place_word_before(toks: list[Token], i: int, lex: Lexicon) -> int:
    """Start of "provincia di" / "via" just before the name at ``i``, or ``i``."""
    words = PLACE_WORDS_BEFORE.get(lex.lang)
    if not words or i == 0:
        return i
    k = i - 1
    if k > 0 and (fold(toks[k].text) in TAIL_CONNECTORS or ELIDED.match(toks[k].text)):
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
