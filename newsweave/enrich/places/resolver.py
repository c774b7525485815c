"""Choosing one gazetteer entry for each place name of an article.

A name such as "Paris" or "Georgia" has many candidates; the article around it
usually says which one is meant. :class:`PlaceResolver` takes every place mention of
ONE article and scores each candidate in log10-population units (one point is worth
a factor of ten in population):

* **prior** — ``log10(population + 1)``, countries and divisions carrying the
  population of their places; plus, for a match on a real name (not a GeoNames
  alternate name), a *feature* bonus: country +2, continent +2, first-level division
  +1, second-level +0.3 ("Georgia" alone is the country, "Texas" the state rather than
  a village in Mexico); minus a *match* cost: alternate name 1, name matched only
  without its Arabic article 1, transliteration-level (loose) match 2;
* **context** — what the *other* names of the article (never a name's own
  candidates, nor the same entry reached through another name) and the demonym
  countries passed in say: +3 for a candidate in a country the article is about,
  +1.5 for one in a first-level division the article names or has other places in
  (a country holds all its divisions), up to +2.5 for closeness to the other places
  (``exp(-d / 100 km)``, cities and second-level divisions);
* **language** — +0.3 for a candidate in a country that speaks the article's
  language (GeoNames' country languages): a tie-breaker.

The other names are uncertain too. Each name holds a plausibility over its
candidates, ``r(d) = 10 ** ((score(d) - its best score) / TEMPERATURE)`` (1 for its
best candidate, the prior first), and a candidate's support is the best ``r`` among
the other names' candidates that share its country (its division; times closeness).
Scores and plausibilities are updated together for :data:`ROUNDS` rounds, so "Paris"
next to "Henry County" settles on the pair in Tennessee that lies together, and
"Dublin" beside "Columbus" on Ohio. Then the best candidate of each name is chosen,
and a division named like its main city gives way to the city ("Baghdad" the city,
not the governorate) when the city holds a quarter of the division's population.

A name the gazetteer lacks stays None; nothing is matched by substring or edit
distance. The same name gets the same entry throughout an article. Ties are broken
by population, then id: results are deterministic.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ...models import Place
from ..lexicon_files import press_countries as read_press_countries
from .build import ANY_LANG, LOCALES
from .gazetteer import ALT, LOOSE, NAME, STRIPPED, Gazetteer, Match
from .names import place_key

FEATURE_BONUS = {"country": 2.0, "continent": 2.0, "region": 1.0, "water": 1.0, "admin1": 1.0,
                 "admin2": 0.3,
                 "city": 0.0}
KIND_PENALTY = {NAME: 0.0, ALT: 1.0, STRIPPED: 1.0, LOOSE: 2.0}
COUNTRY_BONUS = 3.0
ADMIN1_BONUS = 1.5
NEAR_BONUS, NEAR_KM = 2.5, 100.0
LANG_BONUS = 0.3
ROUNDS = 3
TEMPERATURE = 2.0
# A division yields to a same-named city holding this share of its population
# ("Washington", "New York": the cities, as the press means them).
CITY_SHARE = 0.1
# ... and, named in another language, a division that its city nearly fills (a city
# state: Vienna holds half of its Land; LGL and GeoVirus lost 0.4 points with 0.1).
CITY_STATE_SHARE = 0.4
# ... or a quarter of it, seen from abroad (an article in a language the country does
# not speak): New York City holds 28 % of the state's people in the gazetteer.
CITY_STATE_SHARE_ABROAD = 0.25
LOOKUP_LIMIT = 200  # candidates read from the gazetteer per name
KEEP = 30  # candidates per name kept after the prior
STRAY_POPULATION = 100_000  # a smaller town alone in its country is no answer (_drop_strays)
# A name a source tags with the article's language ("El Cairo", "Londres" in Spanish:
# CLDR) is that language's own name for the place: no alternate-name cost, and this.
TAG_BONUS = 1.0
# An alternate name that is an everyday word form of the article's language (Zipf of
# at least this much in it, 1 more than its median in other languages: "Ginebra" in
# Spanish) names a place the language knows well: if a place of this population has
# it as an alternate name, the language means that place ("exonym"), as if tagged.
EXONYM_ZIPF, EXONYM_MARGIN, EXONYM_POPULATION, EXONYM_LETTERS = 2.5, 1.0, 20_000, 5
EXONYM_LANGS = ("en", "es", "fr", "it", "de", "pt", "nl")  # compared against
# Languages whose exonyms we infer: GeoNames' own names are already the English forms
# ("Athens" in English is no alternate name of Oshkosh to promote).
EXONYM_FOR = EXONYM_LANGS[1:]
# A place that bears the word as its own name, and is at least this many times as
# populous as the largest that has it as an alternate name, explains the word's
# frequency: "Milán" is Milan (1.4 M), not Syracuse, New York (0.14 M), which lists
# it among its alternate names; "Florencia", Colombia (0.13 M) does not explain the
# Spanish word for Florence (0.38 M). It was 10 until 2026-12-08 (Milán → Syracuse).
EXONYM_RATIO = 1.0
# ... and a city this populous bearing it explains it whatever else lists it as an
# alternate name: "Zaragoza" (0.69 M) is no Tijuana (1.9 M, an old name of it).
EXONYM_EXPLAINED = 500_000
# Support from the other names for a place in a country the article never names,
# in an article that names countries: two ambiguous names that happen to have
# neighbouring homonyms far away ("Palmira" and "Ginebra" in Colombia) are weak
# evidence beside the countries the text names.
UNNAMED_SUPPORT = 0.7
# A capital or major city beats a homonym village (under VILLAGE people, VILLAGE_RATIO
# times smaller) unless the article gives local evidence for the village: another
# place in its division or near it, not only its country (_major_over_village).
VILLAGE, VILLAGE_RATIO, LOCAL_EVIDENCE = 100_000, 10.0, 0.75
# A hamlet (a town of fewer people) needs local evidence (LOCAL_EVIDENCE points from
# its division or neighbours in the context scores) in any article that
# names other places: "Alá" is not Ala, a Chinese village of 2,900 (LGL and
# GeoVirus lost 0.1-0.2 points more at 10,000).
HAMLET = 3_000
EARTH_KM = 6371.0088
_POINTS = ("city", "admin2")  # features whose coordinates say where an article is


def distance_km(a: Place | tuple[float, float], b: Place | tuple[float, float]) -> float:
    """Great-circle distance between two places or (lat, lon) pairs, in km."""
    (lat1, lon1) = (a.lat, a.lon) if isinstance(a, Place) else a
    (lat2, lon2) = (b.lat, b.lon) if isinstance(b, Place) else b
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


@dataclass(slots=True)
class _Candidates:
    """The kept candidates of every distinct name of one article, flattened."""

    places: list[Place]
    owner: np.ndarray  # index of the name each candidate belongs to
    prior: np.ndarray

    def pairwise(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Same-country, same-division and closeness matrices between candidates of
        *different* names (zero within a name)."""
        country = np.array([p.country or f"?{i}" for i, p in enumerate(self.places)])
        admin1 = np.array([f"{p.country}.{p.admin1}" if p.admin1 and p.feature != "country"
                           else f"?{i}" for i, p in enumerate(self.places)])
        # Evidence comes from the other names, and never from the same entry reached
        # through another name ("Mecca" is also an alternate name of Medina, Ohio).
        ids = np.array([p.id for p in self.places])
        other = (self.owner[:, None] != self.owner[None, :]) & (ids[:, None] != ids[None, :])
        same_country = (country[:, None] == country[None, :]) & other
        same_admin1 = (admin1[:, None] == admin1[None, :]) & other
        lat = np.radians([p.lat for p in self.places])
        lon = np.radians([p.lon for p in self.places])
        h = (np.sin((lat[:, None] - lat[None, :]) / 2) ** 2 + np.cos(lat)[:, None]
             * np.cos(lat)[None, :] * np.sin((lon[:, None] - lon[None, :]) / 2) ** 2)
        km = 2 * EARTH_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
        point = np.array([p.feature in _POINTS for p in self.places])
        near = np.exp(-km / NEAR_KM) * (point[:, None] & point[None, :]) * other
        # A country holds all its divisions: a division never wins over the country it
        # shares a name with ("Taiwan", "Mexico") on the strength of its own places.
        is_country = np.array([p.feature == "country" for p in self.places])
        same_admin1[is_country] = same_country[is_country]
        return same_country.astype(float), same_admin1.astype(float), near


class PlaceResolver:
    """Resolves the place names of one article together (see the module docstring)."""

    def __init__(self, gazetteer: Gazetteer, keep: int = KEEP,
                 zipf: Callable[[str, str | None], float] | None = None,
                 press_countries: Mapping[str, str] | None = None) -> None:
        """``zipf`` (word, language) → Zipf frequency, for exonyms; without it only
        tagged names count as the article language's own. ``press_countries``:
        language → the country whose press writes nearly all of its news (the lexicon
        files' ``press_country``, read from the package unless given): an Italian
        article's lone Italian town is no stray ("Lucca Comics"). Only where one
        country dominates a language's press."""
        self.gazetteer = gazetteer
        self.keep = keep
        self.zipf = zipf
        self.press_countries = dict(press_countries if press_countries is not None
                                    else read_press_countries())

    def resolve(self, names: Sequence[str], context_countries: Sequence[str] = (),
                lang: str | None = None) -> list[Place | None]:
        """The chosen entry for each name (in order), or None where none fits.

        ``names`` are all the place mentions of one article, in order (repeats
        welcome); ``context_countries`` ISO codes the article is about by other
        evidence (demonyms: "Iraqi" → IQ); ``lang`` the article's language.
        """
        keys = [place_key(n) for n in names]
        found: dict[str, list[Match]] = {}
        for key, name in zip(keys, names, strict=True):
            if key and key not in found:
                matches = self.gazetteer.matches(name, LOOKUP_LIMIT)
                if matches:
                    found[key] = matches
        if not found:
            return [None] * len(names)
        names_of = dict(zip(keys, names, strict=True))
        cands = self._candidates([(names_of[k], found[k]) for k in found], lang)
        if not len(cands.places):
            return [None] * len(names)
        weights = country_weights(context_countries)
        scores, local = self._context_scores(cands, weights)
        chosen: dict[str, Place] = {}
        majors: dict[str, Place | None] = {}
        for i, key in enumerate(found):
            idx = np.flatnonzero(cands.owner == i)
            if not len(idx):
                continue
            best = min(idx, key=lambda j: (-scores[j], -cands.places[j].population,
                                           cands.places[j].id))
            if len(found) > 1 and cands.places[best].feature == "city" \
                    and cands.places[best].population < HAMLET \
                    and local[best] < LOCAL_EVIDENCE:
                continue  # a hamlet nothing near it in the article points to
            chosen[key] = _prefer_city(found[key], cands.places[best],
                                       self._abroad(cands.places[best], lang))
            majors[key] = _major(idx, cands.places[best], cands.places)
        _major_over_village(chosen, majors, lambda p: self._abroad(p, lang))
        home = self.press_countries.get(lang or "")
        pointed = set(weights) | ({home} if home else set())
        _drop_strays(chosen, pointed)
        self._drop_stray_spellings(chosen, found, names_of, pointed, lang)
        return [chosen.get(k) for k in keys]

    def _drop_stray_spellings(self, chosen: dict[str, Place], found: dict[str, list[Match]],
                              names_of: dict[str, str], pointed: set[str],
                              lang: str | None) -> None:
        """Leave unresolved a place reached only through an alternate spelling that no
        source gives in the article's language, when nothing else in the article points
        to its country (see _drop_strays): GeoNames lists "Dual" for Douala, "Sun" for
        Anshun, "Stop" for Pará and "No" for Edo, and a word of page furniture lands
        there. Its own name or a part of it ("New York" for New York City), a name
        tagged in the article's language or in none, and an exonym the language writes
        ("Ginebra") stay."""
        if sum(1 for place in chosen.values() if place.country) < 2:
            return  # a name alone (seas aside): nothing in the article points elsewhere
        by_country = Counter(place.country for place in chosen.values())
        for key, place in list(chosen.items()):
            if place.feature in ("country", "continent") or place.country in pointed \
                    or by_country[place.country] > 1:
                continue
            match = next((m for m in found[key] if m.place.id == place.id), None)
            if match is None or match.kind == NAME or any(
                    (lang in m.langs or ANY_LANG in m.langs)
                    for m in found[key] if m.place.country == place.country):
                continue  # the city of "Genf": the German name is the Land's, tagged
            if match.kind == ALT and place.population >= EXONYM_POPULATION \
                    and self._exonym(names_of[key], lang):
                continue
            if f" {key} " in f" {place_key(place.name)} ":
                continue  # its own name shortened: "New York" for New York City
            del chosen[key]

    def _candidates(self, found: list[tuple[str, list[Match]]], lang: str | None
                    ) -> _Candidates:
        """Each name's KEEP best candidates on the prior, flattened; a candidate reached
        only through another language's name for it is none."""
        places: list[Place] = []
        owner: list[int] = []
        prior: list[float] = []
        for i, (name, matches) in enumerate(found):
            exonym = self._exonym(name, lang) and _unexplained(matches, lang)
            scored = sorted(((self.prior(m, lang, exonym), m.place) for m in matches
                             if not foreign(m, lang, matches)),
                            key=lambda sp: (-sp[0], -sp[1].population, sp[1].id))
            for score, place in scored[: self.keep]:
                places.append(place)
                owner.append(i)
                prior.append(score)
        return _Candidates(places, np.array(owner), np.array(prior))

    def prior(self, match: Match, lang: str | None = None, exonym: bool = False) -> float:
        """Population, feature, match quality and language terms of one candidate; a
        name the article's language writes for this place (tagged, or an ``exonym``
        alternate name of a place of EXONYM_POPULATION or more) costs nothing and
        earns TAG_BONUS."""
        place = match.place
        own = match.kind != NAME and bool(lang) and (lang in match.langs or (
            exonym and match.kind == ALT and place.population >= EXONYM_POPULATION))
        score = math.log10(place.population + 1) - (0.0 if own else KIND_PENALTY[match.kind])
        if own:  # a real name already has no cost: its tags change nothing
            score += TAG_BONUS
        if match.kind == NAME:
            score += FEATURE_BONUS.get(place.feature, 0.0)
        if lang and place.country and lang in self.gazetteer.languages(place.country):
            score += LANG_BONUS
        return score

    @staticmethod
    def _abroad(place: Place, lang: str | None) -> bool:
        """Whether an article in ``lang`` looks at ``place`` from abroad: the language
        is not official in its country (an Italian or French report on New York)."""
        return bool(lang and place.country) and lang not in official_languages(
            place.country or "")

    def _exonym(self, name: str, lang: str | None) -> bool:
        """Whether ``name`` is an everyday word form of ``lang`` rather than of the
        others (see EXONYM_ZIPF): "Ginebra" in Spanish, "Genève" in French."""
        if self.zipf is None or lang not in EXONYM_FOR or name.isupper() \
                or len(name) < EXONYM_LETTERS:
            return False
        own = self.zipf(name, lang)
        if own < EXONYM_ZIPF:
            return False
        others = sorted(self.zipf(name, other) for other in EXONYM_LANGS if other != lang)
        return own >= others[len(others) // 2] + EXONYM_MARGIN

    @staticmethod
    def _context_scores(cands: _Candidates, weights: dict[str, float]
                        ) -> tuple[np.ndarray, np.ndarray]:
        """Scores after ROUNDS rounds of context (see the module docstring), and each
        candidate's local evidence (its division and neighbour terms)."""
        same_country, same_admin1, near = cands.pairwise()
        given = np.array([weights.get(p.country or "", 0.0) for p in cands.places])
        # Other names count less for a place in a country the article never names (or
        # names far less than its main one).
        damp = (UNNAMED_SUPPORT + (1 - UNNAMED_SUPPORT) * given if weights
                else np.ones(len(given)))
        scores = cands.prior.copy()
        local = np.zeros(len(given))
        for _ in range(ROUNDS):
            r = _plausibility(scores, cands.owner)
            local = damp * (ADMIN1_BONUS * (same_admin1 * r).max(1)
                            + NEAR_BONUS * (near * r).max(1))
            scores = (cands.prior
                      + COUNTRY_BONUS * np.maximum(damp * (same_country * r).max(1), given)
                      + local)
        return scores, local


def country_weights(countries: Sequence[str]) -> dict[str, float]:
    """Each context country's weight, by how often the article names it against its
    most named one: ``count / top count``. A country named once in an article that
    names Syria six times pulls its homonyms little (LGL and GeoVirus: unchanged
    against a weight of 1 for every named country)."""
    counts = Counter(c.upper() for c in countries if c)
    if not counts:
        return {}
    top = max(counts.values())
    return {c: n / top for c, n in counts.items()}


def _unexplained(matches: list[Match], lang: str | None = None) -> bool:
    """Whether a name's frequency in ``lang`` is left unexplained by its real-name
    bearers: no country, division or continent is called so, no place is called so in
    that language by name (CLDR writes "Cancún" for the Mexican city in Spanish, so the
    word's frequency is no sign of Changchun, of which "Cancun" is an alternate name),
    and no place of that name is EXONYM_RATIO times as populous as the largest that
    has it as an alternate, nor has EXONYM_EXPLAINED people ("Ginebra": Geneva, not
    the Colombian village; "México" is the country's own name; "Zaragoza" the Spanish
    city)."""
    if any(m.kind == NAME and (m.place.feature in ("country", "continent", "admin1")
                               or (lang and lang in m.langs))
           for m in matches):
        return False
    alt = max((m.place.population for m in matches if m.kind == ALT), default=-1)
    real = max((m.place.population for m in matches if m.kind == NAME), default=0)
    return alt >= 0 and real < min(EXONYM_RATIO * max(alt, 1), EXONYM_EXPLAINED)


def foreign(match: Match, lang: str | None, matches: Sequence[Match] = ()) -> bool:
    """Whether ``match`` comes only through names that sources give in other languages,
    not in the article's (one we have tags for): "Berlino" is no Spanish name of Berlin.
    First-level divisions are not foreign either (their tags, from ISO 3166-2
    translations, are patchy: "Wallonie" is tagged Vietnamese only), except through an
    English name alone: our AP abbreviations ("Ala.": a Spanish "Alá" is no Alabama).
    Countries and continents are known by many names everywhere and are foreign only
    where a town of theirs bears the name as its own (among ``matches``, the name's
    other entries): "Tunis" is Tunisia in Croatian, but in French the city."""
    if not match.langs or lang not in LOCALES or lang in match.langs \
            or ANY_LANG in match.langs:
        return False
    if match.place.feature == "admin1" and match.langs != ENGLISH_ONLY:
        return False
    if match.place.feature not in ("country", "continent"):
        return True
    return any(m.place.feature == "city" and m.place.country == match.place.country
               and (m.kind == NAME or ANY_LANG in m.langs or lang in m.langs)
               for m in matches)


def _major(idx: np.ndarray, chosen: Place, places: list[Place]) -> Place | None:
    """The most populous city or division of the name that dwarfs the chosen village
    (see VILLAGE), or None when the choice is no village or has no such rival."""
    if chosen.feature not in _POINTS or chosen.population >= VILLAGE:
        return None
    rivals = [places[j] for j in idx if places[j].feature in ("city", "admin1")
              and places[j].population >= max(VILLAGE, VILLAGE_RATIO * chosen.population)]
    return max(rivals, key=lambda p: (p.feature == "city", p.population, p.id)) if rivals \
        else None


def _major_over_village(chosen: dict[str, Place], majors: dict[str, Place | None],
                        abroad: Callable[[Place], bool] = lambda _p: False) -> None:
    """A village with a major namesake stays only when another place of the article
    lies in its first-level division or within NEAR_KM of it, and that place is
    firm: not itself a village with a major namesake (two such villages do not vouch
    for each other: "Paris" and "Geneva" are not the pair in Illinois). The country
    alone is no evidence: "Cairo" beside "Washington" is in Egypt."""
    firm = [p for k, p in chosen.items() if majors.get(k) is None]
    for key, major in majors.items():
        village = chosen.get(key)
        if major is None or village is None:
            continue
        if not any(p.id != village.id and p.country == village.country and (
                (p.admin1 and p.admin1 == village.admin1
                 and not (abroad(village) and _big_city(p)))
                or distance_km(p, village) <= NEAR_KM) for p in firm):
            chosen[key] = major


ENGLISH_ONLY = frozenset({"en"})


@lru_cache(maxsize=512)
def official_languages(country: str) -> frozenset[str]:
    """Languages official in ``country``, by law or in fact (CLDR, through babel; the
    gazetteer's GeoNames list also names large minorities: French and Spanish in the
    US). Empty when babel cannot say."""
    try:
        from babel.languages import get_official_languages
        return frozenset(get_official_languages(country, regional=False, de_facto=True))
    except (ImportError, ValueError):
        return frozenset()


def _big_city(place: Place) -> bool:
    """A city of VILLAGE people or more: seen from abroad, an article names it for its
    own sake, not as a sign of the villages of its division ("New York" beside "Roma"
    in an Italian report is no sign of Rome in New York State)."""
    return place.feature == "city" and place.population >= VILLAGE


def _drop_strays(chosen: dict[str, Place], countries: set[str]) -> None:
    """Leave unresolved a small town that nothing else in the article points to: its
    country is neither named nor implied, and no other place of the article is in it,
    while other places are ("Brena", a valley in a story set in Europe, is not Breña in
    Lima). A lone guess of this kind is a random match, not an answer."""
    if sum(1 for place in chosen.values() if place.country) < 2:
        return  # a sea or a region of no country points to none
    by_country = Counter(place.country for place in chosen.values())
    for key, place in list(chosen.items()):
        if place.feature == "city" and place.population < STRAY_POPULATION \
                and place.country not in countries and by_country[place.country] == 1:
            del chosen[key]


def _plausibility(scores: np.ndarray, owner: np.ndarray) -> np.ndarray:
    """Per name, ``10**((score - best score) / TEMPERATURE)``: 1 for its best candidate."""
    r = np.empty_like(scores)
    for i in np.unique(owner):
        idx = owner == i
        r[idx] = np.power(10.0, (scores[idx] - scores[idx].max()) / TEMPERATURE)
    return r


def _prefer_city(matches: list[Match], chosen: Place, abroad: bool = False) -> Place:
    """A division named like its main city yields to that city (see module doc), in
    the city's own name or another language's ("Wien", "Vienne", "Вена": the city of
    Vienna, not the Land, whose ISO 3166-2 names made those exact names of the Land).
    Seen from ``abroad`` the press means the city more readily ("New York" in Italian
    is the city; New York City is "New York" only as an alternate name)."""
    if chosen.feature not in ("admin1", "admin2"):
        return chosen
    alt_share = CITY_STATE_SHARE_ABROAD if abroad else CITY_STATE_SHARE
    cities = [m.place for m in matches
              if m.place.feature == "city" and m.place.country == chosen.country
              and ((m.kind == NAME and m.place.population >= CITY_SHARE * chosen.population)
                   or (m.kind == ALT and m.place.population >= alt_share
                       * chosen.population))]
    return max(cities, key=lambda p: (p.population, p.id)) if cities else chosen
