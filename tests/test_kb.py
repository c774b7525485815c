"""The knowledge base: one canonical entity per real-world thing, whatever the language."""

from __future__ import annotations

import json
import re
import shutil
import socket
from collections import defaultdict
from pathlib import Path

import pycountry
import pytest

from newsweave.enrich.entities.kb import DATA_DIR, ENTITY_TYPES, KnowledgeBase, KnowledgeBaseError

ORGANISATIONS = [
    "kb:united-nations", "kb:nato", "kb:european-union", "kb:european-commission",
    "kb:european-parliament", "kb:council-of-the-eu", "kb:european-central-bank",
    "kb:african-union", "kb:arab-league", "kb:opec", "kb:who", "kb:imf", "kb:world-bank",
    "kb:wto", "kb:osce", "kb:icc", "kb:icj", "kb:iaea", "kb:unhcr", "kb:unicef", "kb:wfp",
    "kb:icrc", "kb:red-crescent", "kb:amnesty-international", "kb:human-rights-watch",
    "kb:msf", "kb:g7", "kb:g20", "kb:brics", "kb:asean", "kb:interpol", "kb:europol",
    "kb:frontex", "kb:islamic-state", "kb:al-qaeda", "kb:hamas", "kb:hezbollah",
    "kb:houthis", "kb:taliban", "kb:al-shabaab", "kb:boko-haram", "kb:kataib-hezbollah",
    "kb:popular-mobilization-forces", "kb:islamic-resistance-in-iraq", "kb:wagner-group",
    "kb:pkk", "kb:ypg", "kb:sdf", "kb:hts", "kb:irgc", "kb:quds-force",
    "kb:global-coalition-against-daesh", "kb:iraqi-security-forces", "kb:peshmerga", "kb:idf",
    "kb:centcom", "kb:pentagon", "kb:white-house", "kb:kremlin", "kb:reuters", "kb:rudaw",
]


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


@pytest.fixture(scope="module")
def names(kb: KnowledgeBase) -> dict[tuple[str, str], set[str]]:
    """(kind, form) → ids; alias forms casefolded, acronyms as written."""
    index: dict[tuple[str, str], set[str]] = defaultdict(set)
    for form, key, _lang, kind in kb.aliases():
        index[(kind, form if kind == "acronym" else form.casefold())].add(key)
    return index


def test_loads_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the knowledge base must load without the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    kb = KnowledgeBase.load()
    assert len(kb) > 400 and kb.get("cc:IQ") is not None


@pytest.mark.parametrize("form,kind", [
    ("Stato Islamico", "alias"), ("Isis", "alias"), ("Daesh", "alias"), ("État islamique", "alias"),
    ("Islamischer Staat", "alias"), ("Исламское государство", "alias"),
    ("الدولة الإسلامية", "alias"), ("ISIS", "acronym"), ("ISIL", "acronym"), ("IS", "acronym"),
])
def test_isis_forms_name_one_entity(names: dict, form: str, kind: str) -> None:
    key = form if kind == "acronym" else form.casefold()
    assert names[(kind, key)] == {"kb:islamic-state"}


def test_is_is_an_acronym_never_an_alias(names: dict) -> None:
    assert not any(kind != "acronym" and form == "is" for kind, form in names)


@pytest.mark.parametrize("form,key", [
    ("Stati Uniti", "cc:US"), ("Iraq", "cc:IQ"), ("Syria", "cc:SY"), ("Iran", "cc:IR"),
    ("Gaza", "kb:gaza-strip"), ("Reuters", "kb:reuters"), ("Rudaw", "kb:rudaw"),
    ("Pentagono", "kb:pentagon"), ("Inherent Resolve", "kb:global-coalition-against-daesh"),
    ("Coalizione Globale contro Daesh", "kb:global-coalition-against-daesh"),
    ("Mohammed Shia al-Sudani", "kb:mohammed-shia-al-sudani"),
    ("Al-Sudani", "kb:mohammed-shia-al-sudani"), ("Qassem Soleimani", "kb:qassem-soleimani"),
    ("Abu Mahdi al-Muhandis", "kb:abu-mahdi-al-muhandis"), ("Saddam Hussein", "kb:saddam-hussein"),
    ("Sabrin Singh", "kb:sabrina-singh"), ("Caggins", "kb:myles-caggins"),
])
def test_seed_names(names: dict, form: str, key: str) -> None:
    assert names[("alias", form.casefold())] == {key}


def test_seed_acronyms_and_lowercase_forms(names: dict) -> None:
    assert names[("acronym", "ISF")] == {"kb:iraqi-security-forces"}
    assert names[("acronym", "US")] == {"cc:US"}
    assert names[("lowercase", "forze di sicurezza irachene")] == {"kb:iraqi-security-forces"}


@pytest.mark.parametrize("key", ["cc:IQ", "cc:US", "cc:IR", "cc:SY", "cc:IL", "cc:PS", "cc:TR",
                                 "cc:RU", "cc:UA", "cc:CN", "cc:DE", "cc:FR", *ORGANISATIONS])
def test_ten_languages_or_more(kb: KnowledgeBase, key: str) -> None:
    entry = kb.get(key)
    assert entry is not None and len(entry.languages()) >= 10, entry and entry.languages()


@pytest.mark.parametrize("form,country", [
    ("statunitensi", "US"), ("iracheno", "IQ"), ("Turkish", "TR"), ("Iraqis", "IQ"),
    ("irakischen", "IQ"), ("иракский", "IQ"), ("iraniani", "IR"), ("Israeli", "IL"),
    ("américains", "US"), ("Syrian", "SY"), ("Welsh", "GB"), ("Congolese", None), ("is", None),
])
def test_demonyms(kb: KnowledgeBase, form: str, country: str | None) -> None:
    assert kb.country_of_demonym(form) == country


def test_no_two_people_share_a_one_word_alias(kb: KnowledgeBase) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for entry in kb.entries():
        if entry.type == "PER":
            for forms in entry.aliases.values():
                for form in forms:
                    if not re.search(r"\s", form):
                        owners[form.casefold()].add(entry.id)
    assert {form: ids for form, ids in owners.items() if len(ids) > 1} == {}


def test_entries_are_well_formed(kb: KnowledgeBase) -> None:
    iso2 = {c.alpha_2 for c in pycountry.countries}
    for entry in kb.entries():
        assert entry.type in ENTITY_TYPES, entry.id
        assert entry.name and entry.aliases["en"][0] == entry.name, entry.id
        assert entry.country is None or entry.country in iso2, entry.id
        if entry.id.startswith("cc:"):
            assert entry.id[3:] in iso2 and entry.type == "LOC"
    assert {e.id for e in kb.entries() if e.id.startswith("cc:")} == {f"cc:{c}" for c in iso2}
    assert kb.get("cc:IZ") is None and kb.get("cc:IQ").name == "Iraq"  # ISO, never FIPS


def test_version_is_stable(kb: KnowledgeBase) -> None:
    assert KnowledgeBase.load().version == kb.version
    assert re.fullmatch(r"kb-[0-9a-f]{12}\+pycountry-\S+\+babel-\S+\+countryinfo-\S+", kb.version)


# -- companies, political parties, football clubs and sports bodies ------------------------

@pytest.mark.parametrize("form,kind,key", [
    ("Microsoft", "alias", "kb:microsoft"), ("Газпром", "alias", "kb:gazprom"),
    ("Twitter", "alias", "kb:x-twitter"), ("Leonardo S.p.A.", "alias", "kb:leonardo"),
    ("Montepaschi", "alias", "kb:monte-dei-paschi"), ("MPS", "acronym", "kb:monte-dei-paschi"),
    ("Uber", "acronym", "kb:uber"), ("Wikimedia", "alias", "kb:wikimedia-foundation"),
    ("Fratelli d'Italia", "alias", "kb:fratelli-d-italia"), ("PSOE", "acronym", "kb:psoe"),
    ("AfD", "acronym", "kb:afd"), ("Единая Россия", "alias", "kb:united-russia"),
    ("Indian National Congress", "alias", "kb:indian-national-congress"),
    ("Juventus", "alias", "kb:juventus"),
    ("Paris Saint-Germain", "alias", "kb:paris-saint-germain"),
    ("UEFA", "acronym", "kb:uefa"), ("国际奥委会", "alias", "kb:ioc"),
])
def test_companies_parties_and_sports_names(names: dict, form: str, kind: str, key: str) -> None:
    assert names[(kind, form if kind == "acronym" else form.casefold())] == {key}


@pytest.mark.parametrize("form,key", [
    ("X", "kb:x-twitter"), ("Leonardo", "kb:leonardo"), ("Ferrari", "kb:ferrari"),
    ("Congress", "kb:indian-national-congress"), ("Liverpool", "kb:liverpool-fc"),
    ("Porto", "kb:fc-porto"), ("Emirates", "kb:emirates-airline"), ("Arsenal", "kb:arsenal-fc"),
    ("Napoli", "kb:ssc-napoli"), ("Roma", "kb:as-roma"),
    ("Meta", "kb:meta"), ("Uber", "kb:uber"), ("Mercedes", "kb:mercedes-benz"),
    ("Italo", "kb:italo-ntv"), ("Enea", "kb:enea"), ("Anas", "kb:anas"), ("Eta", "kb:eta"),
    ("Bild", "kb:bild"), ("Conte", "kb:giuseppe-conte"), ("Clinton", "kb:bill-clinton"),
])
def test_bare_names_that_are_also_places_people_or_words(names: dict, form: str, key: str) -> None:
    """Only the unambiguous forms name these ("FC Porto", "Leonardo S.p.A."); "Uber" is
    an exact-case acronym, never an alias ("Über" folds to it)."""
    for kind in ("alias", "lowercase"):
        assert key not in names[(kind, form.casefold())]
    assert key not in names[("acronym", form)] or form == "Uber"


def test_a_city_s_foreign_name_names_its_club_only_in_the_club_s_language(
        kb: KnowledgeBase) -> None:
    """In Italian the city is Milano, Genova: there "Milan", "Genoa" are the clubs."""
    for form, key in (("Milan", "kb:ac-milan"), ("Genoa", "kb:genoa-cfc")):
        langs = {lang for f, k, lang, kind in kb.aliases() if f == form and k == key}
        assert langs == {"it"}


def test_no_name_is_shared_by_two_entries(kb: KnowledgeBase) -> None:
    owners: dict[tuple[bool, str], set[str]] = defaultdict(set)
    for form, key, _lang, kind in kb.aliases():
        owners[(kind == "acronym", form if kind == "acronym" else form.casefold())].add(key)
    assert {form: ids for form, ids in owners.items() if len(ids) > 1} == {}


def test_a_seat_belongs_to_a_landmark_with_a_country(tmp_path: Path) -> None:
    """A seat says which town a building stands in: a person or an organisation has none,
    and a place without a country (the Moon) has no town to be in."""
    shutil.copy(DATA_DIR / "demonyms.json", tmp_path / "demonyms.json")
    entry = {"id": "kb:test-palace", "type": "ORG", "name": "Test Palace",
             "aliases": {"en": ["Test Palace"]}, "country": "IT", "seat": "Rome"}
    (tmp_path / "entities.json").write_text(json.dumps([entry]), encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="kb:test-palace: only a place"):
        KnowledgeBase.load(tmp_path)
    entry["type"] = "LOC"
    (tmp_path / "entities.json").write_text(json.dumps([entry]), encoding="utf-8")
    assert KnowledgeBase.load(tmp_path).get("kb:test-palace").seat == "Rome"
