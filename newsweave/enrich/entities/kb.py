"""The knowledge base: canonical entities with every name they go by, in many languages.

Two kinds of entry, one record (:class:`KBEntry`):

* **Curated** entries (``kb:<slug>``) are written by hand in ``newsweave/data/kb/
  entities.json``: organisations, armed groups, institutions, media, people and a few
  regions, each with aliases per language, case-sensitive acronyms and, where the
  press writes a name in lowercase, lowercase aliases.
* **Countries** (``cc:<ISO2>``) are generated when the KB is loaded, one per ISO 3166-1
  country: names in ~40 CLDR locales (via babel), pycountry's names, countryinfo's
  alternative spellings. Curated entries with a ``cc:`` id add press forms,
  inflections and acronyms to the generated country instead of replacing it.

``newsweave/data/kb/demonyms.json`` maps nationality words ("iracheni", "Turkish",
"иракский") to countries; countryinfo's English demonyms fill in the countries it
does not cover. A generated name or demonym that two countries share ("Congolese")
is dropped rather than guessed, and a curated name always wins over a generated one.

Nothing is read at import time and nothing is cached in module globals: build one
:class:`KnowledgeBase` with :meth:`KnowledgeBase.load` and pass it around. Its
``version`` names the data files' hash and the library versions, so every mention
linked with it can say what it was linked against. ``docs/kb.md`` says how to add
entries.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "kb"
DATA_FILES = ("entities.json", "demonyms.json")
# MISC: named products and events the press treats as names but that are neither
# organisations nor places ("Facebook", "Instagram": platforms, not their company).
ENTITY_TYPES = ("PER", "ORG", "LOC", "MISC")
ALIAS_KINDS = ("alias", "acronym", "lowercase")
UNDETERMINED = "und"  # language tag of names whose language the source does not say

# CLDR locales whose country names become aliases: babel identifier -> language tag.
COUNTRY_LOCALES = {
    loc: loc.replace("_", "-")
    for loc in (
        "en it fr es de pt nl pl ru uk el tr ar zh zh_Hant ja sv ro sl cs hu fi da "
        "he fa ku ckb ko hi id vi bg hr sr sk lt lv et ca sq az ka hy no"
    ).split()
}
# The library packages whose data the generated countries come from (for ``version``).
SOURCES = ("pycountry", "babel", "countryinfo")

_CURATED_KEYS = frozenset({"id", "type", "name", "aliases", "acronyms", "lowercase_aliases",
                           "lowercase_ok", "country", "role", "seat"})
_LANG_TAG = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?$")
_ISO_CODE = re.compile(r"^[A-Z]{2,3}$")


class KnowledgeBaseError(ValueError):
    """The curated data is inconsistent; the message names the entry and the fix."""


@dataclass(frozen=True, slots=True)
class KBEntry:
    """One canonical entity and every name it goes by.

    ``aliases`` maps a language tag to the names used in that language (the canonical
    ``name`` is the first English one); the tag says where a form is used, not where
    it may be matched: "Reuters" is an English alias and appears in Italian text.
    ``acronyms`` match only with this exact case ("IS" never matches the verb "is");
    ``lowercase_aliases`` may match in all-lowercase text ("forze di sicurezza
    irachene"), where ordinary aliases need a capital in the matched span.
    """

    id: str
    type: str
    name: str
    aliases: dict[str, tuple[str, ...]]
    acronyms: tuple[str, ...] = ()
    lowercase_aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    country: str | None = None
    role: str | None = None
    seat: str | None = None  # a landmark's town, as the gazetteer names it ("Washington")

    def __hash__(self) -> int:  # the dict fields are not hashable; the id is unique
        return hash(self.id)

    def languages(self) -> set[str]:
        """Language tags with at least one alias (``und`` excluded)."""
        return {lang for lang, forms in self.aliases.items() if forms} - {UNDETERMINED}


@dataclass(slots=True)
class _Draft:
    """A mutable entry while the KB is assembled; frozen into a :class:`KBEntry`."""

    id: str
    type: str
    name: str
    country: str | None = None
    role: str | None = None
    seat: str | None = None
    aliases: dict[str, list[str]] = field(default_factory=dict)
    acronyms: list[str] = field(default_factory=list)
    lowercase: dict[str, list[str]] = field(default_factory=dict)

    def add(self, lang: str, *forms: str | None) -> None:
        """Add forms under ``lang``, skipping blanks and repeats."""
        bucket = self.aliases.setdefault(lang, [])
        for form in forms:
            form = (form or "").strip()
            if form and form not in bucket:
                bucket.append(form)

    def freeze(self) -> KBEntry:
        english = self.aliases.get("en", [])
        self.aliases["en"] = [self.name, *(f for f in english if f != self.name)]
        known = {f for lang, forms in self.aliases.items() if lang != UNDETERMINED for f in forms}
        if UNDETERMINED in self.aliases:  # a form with a language tag says more
            self.aliases[UNDETERMINED] = [f for f in self.aliases[UNDETERMINED] if f not in known]
        return KBEntry(
            id=self.id, type=self.type, name=self.name,
            aliases={lang: tuple(forms) for lang, forms in self.aliases.items() if forms},
            acronyms=tuple(dict.fromkeys(self.acronyms)),
            lowercase_aliases={lang: tuple(dict.fromkeys(forms))
                               for lang, forms in self.lowercase.items() if forms},
            country=self.country, role=self.role, seat=self.seat)


class KnowledgeBase:
    """Canonical entities (curated and generated countries) and nationality words."""

    def __init__(self, entries: Iterable[KBEntry],
                 demonyms: Mapping[str, Mapping[str, Iterable[str]]], version: str) -> None:
        self._entries = {entry.id: entry for entry in entries}
        self._demonyms = [(form, code, lang) for code, langs in demonyms.items()
                          for lang, forms in langs.items() for form in forms]
        self._by_demonym = {form.casefold(): code for form, code, _ in self._demonyms}
        self.version = version

    @classmethod
    def load(cls, data_dir: Path | None = None) -> KnowledgeBase:
        """Read the curated JSON files and generate the countries (offline, ~0.3 s)."""
        directory = Path(data_dir) if data_dir is not None else DATA_DIR
        raw = {name: (directory / name).read_bytes() for name in DATA_FILES}
        curated = [_draft_from_json(item) for item in _json(raw["entities.json"], "entities.json")]
        _check_curated(curated)
        countries, info = _generated_countries({d.id for d in curated if d.id.startswith("cc:")})
        drafts = _merge(countries, curated)
        demonyms = _demonyms(_json(raw["demonyms.json"], "demonyms.json"), info, countries)
        return cls((d.freeze() for d in drafts), demonyms, _version(raw))

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, id: str) -> KBEntry | None:
        """The entry with this id (``kb:…`` or ``cc:XX``), or None if there is none."""
        return self._entries.get(id)

    def entries(self) -> Iterator[KBEntry]:
        """Every entry: the generated countries first, then the curated entries."""
        return iter(self._entries.values())

    def aliases(self) -> Iterator[tuple[str, str, str | None, str]]:
        """``(surface form, kb id, language or None, kind)`` for every name in the KB.

        ``kind`` is one of :data:`ALIAS_KINDS`: ``alias`` (case-insensitive, needs a
        capital in the text), ``acronym`` (exact case only, language None) or
        ``lowercase`` (case-insensitive, may match all-lowercase text).
        """
        for entry in self._entries.values():
            for lang, forms in entry.aliases.items():
                tag = None if lang == UNDETERMINED else lang
                for form in forms:
                    yield form, entry.id, tag, "alias"
            for form in entry.acronyms:
                yield form, entry.id, None, "acronym"
            for lang, forms in entry.lowercase_aliases.items():
                for form in forms:
                    yield form, entry.id, lang, "lowercase"

    def demonyms(self) -> Iterator[tuple[str, str, str]]:
        """``(form, ISO2 country, language)`` for every nationality word."""
        return iter(self._demonyms)

    def country_of_demonym(self, form: str) -> str | None:
        """The ISO2 country a nationality word refers to ("statunitensi" → "US"),
        case-insensitively; None for a word that is not a known demonym."""
        return self._by_demonym.get(form.casefold())


# -- curated data --------------------------------------------------------------------------

def _json(data: bytes, name: str) -> Any:
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise KnowledgeBaseError(f"{name} is not valid UTF-8 JSON: {exc}") from exc


def _draft_from_json(item: Mapping[str, Any]) -> _Draft:
    """One curated JSON object → a draft, checked field by field."""
    eid = str(item.get("id", ""))
    unknown = set(item) - _CURATED_KEYS
    if unknown:
        raise KnowledgeBaseError(f"{eid or item}: unknown keys {sorted(unknown)}")
    if not re.fullmatch(r"kb:[a-z0-9][a-z0-9-]*|cc:[A-Z]{2}", eid):
        raise KnowledgeBaseError(f"bad id {eid!r}: use kb:<lowercase-slug> or cc:<ISO2>")
    etype = item.get("type", "LOC" if eid.startswith("cc:") else None)
    if etype not in ENTITY_TYPES or (eid.startswith("cc:") and etype != "LOC"):
        raise KnowledgeBaseError(f"{eid}: type {etype!r} is not one of {ENTITY_TYPES}")
    if eid.startswith("kb:") and not item.get("name"):
        raise KnowledgeBaseError(f"{eid}: a curated entry needs a canonical English name")
    draft = _Draft(eid, etype, item.get("name") or "", item.get("country"), item.get("role"),
                   item.get("seat"))
    if draft.seat is not None and (etype != "LOC" or not draft.country):
        raise KnowledgeBaseError(f"{eid}: only a place with a country has a seat (the "
                                 "town a landmark stands in)")
    for lang, forms in _lang_lists(item, "aliases"):
        draft.add(lang, *forms)
    for lang, forms in _lang_lists(item, "lowercase_aliases"):
        draft.lowercase.setdefault(lang, []).extend(forms)
    if item.get("lowercase_ok"):  # every alias may then match in lowercase
        for lang, forms in draft.aliases.items():
            draft.lowercase.setdefault(lang, []).extend(forms)
    draft.acronyms.extend(item.get("acronyms", ()))
    return draft


def _lang_lists(item: Mapping[str, Any], key: str) -> Iterator[tuple[str, list[str]]]:
    for lang, forms in (item.get(key) or {}).items():
        if not _LANG_TAG.match(lang) or not isinstance(forms, list):
            raise KnowledgeBaseError(f"{item['id']}: {key}[{lang!r}] must be a list under "
                                     "a language tag such as 'it' or 'zh-Hant'")
        yield lang, [str(f) for f in forms]


def _check_curated(drafts: list[_Draft]) -> None:
    """Duplicate ids, or one name or acronym on two entries, would make links arbitrary."""
    owner: dict[tuple[str, str], str] = {}
    for draft in drafts:
        if draft.country is not None and not re.fullmatch(r"[A-Z]{2}", draft.country):
            raise KnowledgeBaseError(f"{draft.id}: country must be an ISO2 code or null")
        keys = {("id", draft.id)} | {("acronym", a) for a in draft.acronyms}
        keys |= {("alias", f.casefold()) for forms in draft.aliases.values() for f in forms}
        for key in keys:
            if key in owner and owner[key] != draft.id:
                raise KnowledgeBaseError(f"{key[0]} {key[1]!r} is on both {owner[key]} and "
                                         f"{draft.id}: keep it on one entry")
            owner[key] = draft.id


def _merge(countries: dict[str, _Draft], curated: list[_Draft]) -> list[_Draft]:
    """Curated ``cc:`` entries enrich their generated country; ``kb:`` entries follow.

    A generated country name that is also a curated name of another entry is dropped:
    the hand-written entry knows better.
    """
    claimed = {f.casefold(): d.id for d in curated for forms in d.aliases.values() for f in forms}
    for draft in countries.values():
        for lang, forms in draft.aliases.items():
            draft.aliases[lang] = [f for f in forms
                                   if claimed.get(f.casefold(), draft.id) == draft.id]
    others = []
    for extra in curated:
        if extra.country and f"cc:{extra.country}" not in countries:
            raise KnowledgeBaseError(f"{extra.id}: country {extra.country!r} is not ISO 3166-1")
        if not extra.id.startswith("cc:"):
            others.append(extra)
            continue
        if extra.id not in countries:
            raise KnowledgeBaseError(f"{extra.id}: no such ISO 3166-1 country (ids are ISO2, "
                                     "never FIPS: Iraq is cc:IQ)")
        _enrich(countries[extra.id], extra)
    return [*countries.values(), *others]


def _enrich(country: _Draft, extra: _Draft) -> None:
    country.name = extra.name or country.name
    country.role = extra.role or country.role
    for lang, forms in extra.aliases.items():
        country.add(lang, *forms)
    country.acronyms.extend(extra.acronyms)
    for lang, forms in extra.lowercase.items():
        country.lowercase.setdefault(lang, []).extend(forms)


# -- generated countries -----------------------------------------------------------------

def _generated_countries(curated_ids: set[str]) -> tuple[dict[str, _Draft], dict[str, dict]]:
    """One draft per ISO 3166-1 country, and countryinfo's record per ISO2 code."""
    # Imported here, not at module level: the KB is built on demand, never on import.
    import pycountry
    from babel import Locale

    names = {tag: Locale.parse(loc).territories for loc, tag in COUNTRY_LOCALES.items()}
    info = _countryinfo()
    drafts: dict[str, _Draft] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        draft = _Draft(f"cc:{code}", "LOC", _english_name(country, names["en"].get(code)),
                       country=code, role="Country")
        for tag, territories in names.items():
            if code in territories:
                draft.add(tag, *_cldr_variants(territories[code], tag))
        draft.add("en", *(n for n in _pycountry_names(country) if ", " not in n))
        extra = info.get(code, {})
        draft.add(UNDETERMINED, extra.get("nativeName"),
                  *(s for s in extra.get("altSpellings", ()) if not _ISO_CODE.match(s)))
        for lang, text in (extra.get("translations") or {}).items():
            draft.add(lang, text)
        drafts[draft.id] = draft
    _drop_shared_names(drafts)
    return drafts, info


def _countryinfo() -> dict[str, dict]:
    from countryinfo import CountryInfo

    return {rec["ISO"]["alpha2"]: rec for rec in CountryInfo.all().values()
            if (rec.get("ISO") or {}).get("alpha2")}


def _english_name(country: Any, cldr: str | None) -> str:
    """The press's short English name: pycountry's common name ("Iran"), else CLDR's
    unless it is a display form ("Antigua & Barbuda", "Congo - Kinshasa")."""
    common = getattr(country, "common_name", None)
    if common:
        return common
    if cldr and not re.search(r"&| - |\(|SAR", cldr):
        return cldr.replace("’", "'")
    return country.name if ", " not in country.name else (cldr or country.name)


def _pycountry_names(country: Any) -> list[str]:
    return [getattr(country, key, None) or "" for key in ("name", "common_name", "official_name")]


def _cldr_variants(name: str, tag: str) -> list[str]:
    """A CLDR display name and the forms the press writes for it."""
    forms = [name]
    paren = re.fullmatch(r"(.+?)\s*\((.+)\)", name)  # "Myanmar (Burma)" → "Myanmar"; the
    if paren:  # part in brackets is often another country ("Saint-Martin (France)")
        forms.append(paren.group(1))
    if tag == "en":
        forms += [f.replace(" & ", " and ").replace("St. ", "Saint ") for f in forms]
    forms += [f.replace("’", "'") for f in forms]
    return forms


def _drop_shared_names(drafts: dict[str, _Draft]) -> None:
    """A name two countries share (in any language) names neither reliably: drop it."""
    owners: dict[str, set[str]] = {}
    for draft in drafts.values():
        for forms in draft.aliases.values():
            for form in forms:
                owners.setdefault(form.casefold(), set()).add(draft.id)
    for draft in drafts.values():
        for lang, forms in draft.aliases.items():
            draft.aliases[lang] = [f for f in forms if len(owners[f.casefold()]) == 1]


# -- demonyms ---------------------------------------------------------------------------

def _demonyms(curated: Mapping[str, Mapping[str, list[str]]], info: Mapping[str, dict],
              countries: Mapping[str, _Draft]) -> dict[str, dict[str, list[str]]]:
    """Curated demonyms plus countryinfo's English ones, each form on one country."""
    taken: dict[str, str] = {}
    result: dict[str, dict[str, list[str]]] = {}
    for code, langs in curated.items():
        if f"cc:{code}" not in countries:
            raise KnowledgeBaseError(f"demonyms.json: {code!r} is not an ISO2 country code")
        for lang, forms in langs.items():
            for form in forms:
                if taken.setdefault(form.casefold(), code) != code:
                    raise KnowledgeBaseError(f"demonyms.json: {form!r} is under both "
                                             f"{taken[form.casefold()]} and {code}")
            result.setdefault(code, {})[lang] = list(forms)
    generated: dict[str, set[str]] = {}
    for code, form in _countryinfo_demonyms(info, countries):
        if form.casefold() not in taken:
            generated.setdefault(form, set()).add(code)
    for form, codes in generated.items():
        if len(codes) == 1:  # "Congolese" (CD and CG) is left out
            result.setdefault(codes.pop(), {}).setdefault("en", []).append(form)
    return result


def _countryinfo_demonyms(info: Mapping[str, dict], countries: Mapping[str, _Draft]
                          ) -> Iterator[tuple[str, str]]:
    """countryinfo's English demonyms, split ("Antiguan,Barbudan") and without the ones
    that are just the country's name ("Djibouti", "Gibraltar")."""
    for code, rec in info.items():
        draft = countries.get(f"cc:{code}")
        if draft is None:
            continue
        names = {f.casefold() for forms in draft.aliases.values() for f in forms}
        for form in (rec.get("demonym") or "").split(","):
            form = form.strip()
            if form and form.casefold() not in names:
                yield code, form


def _version(raw: Mapping[str, bytes]) -> str:
    """``kb-<hash of the data files>+pycountry-…+babel-…+countryinfo-…``."""
    digest = hashlib.sha256()
    for name in DATA_FILES:
        digest.update(name.encode() + b"\0" + raw[name] + b"\0")
    libs = "+".join(f"{pkg}-{package_version(pkg)}" for pkg in SOURCES)
    return f"kb-{digest.hexdigest()[:12]}+{libs}"
