"""Entities on real news (issue 11, item 6): lone first names join their full names,
names never cross a line break, religions and ideologies are no persons, and lines the
cleaner removed yield no mentions. Every text here was written for these tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from newsweave import service
from newsweave.enrich.entities import Annotator
from newsweave.enrich.entities.crosslink import CrossLinker
from newsweave.models import Article, Mention
from newsweave.store.sqlite import Store


def persons(annotator: Annotator, text: str, lang: str) -> list[Mention]:
    return [m for m in annotator.annotate(text, lang) if m.type == "PER"]


def keys_of(mentions: list[Mention], surface: str) -> set[str | None]:
    return {m.key for m in mentions if m.text == surface}


# -- a lone first name joins the full name ---------------------------------------------
LONE_FIRST = [
    ("es", "La ministra Lucía Ferrandis Olmo presentó el plan el lunes. Lucía explicó "
           "después que el dinero llegará en marzo.", "Lucía", "Lucía Ferrandis Olmo"),
    ("fr", "Le maire Étienne Vasseur a présenté le projet lundi. Étienne a ensuite "
           "expliqué que les travaux dureraient un an.", "Étienne", "Étienne Vasseur"),
    ("it", "Il sindaco Gianluca Ferretti ha presentato il progetto lunedì. Gianluca ha "
           "poi spiegato che i lavori dureranno un anno.", "Gianluca", "Gianluca Ferretti"),
]


@pytest.mark.parametrize(("lang", "text", "lone", "full"), LONE_FIRST,
                         ids=[c[0] for c in LONE_FIRST])
def test_lone_first_name_joins_the_full_name(annotator: Annotator, lang: str, text: str,
                                             lone: str, full: str) -> None:
    found = persons(annotator, text, lang)
    assert keys_of(found, lone) == keys_of(found, full) != {None}
    assert next(m for m in found if m.text == lone).name == full


KNOWN_PERSON = [
    ("es", "El régimen de Bashar el Asad respondió el lunes. Bashar prometió reformas.",
     "kb:bashar-al-assad"),
    ("es", "El presidente sirio, Bashar Asad, habló. Luego Bashar Al Assad calló.",
     "kb:bashar-al-assad"),
    ("fr", "Le président syrien Bachar al-Assad a parlé jeudi. Bachar a ensuite quitté Damas.",
     "kb:bashar-al-assad"),
    ("es", "El líder libio Muamar el Gadafi habló por la radio. Muamar dijo que no se irá.",
     "kb:muammar-gaddafi"),
    ("it", "Il presidente Bashar al-Assad ha parlato in tv. Bashar ha detto che resterà.",
     "kb:bashar-al-assad"),
]


@pytest.mark.parametrize(("lang", "text", "key"), KNOWN_PERSON,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(KNOWN_PERSON)])
def test_first_name_and_spellings_of_a_known_person(annotator: Annotator, lang: str,
                                                    text: str, key: str) -> None:
    """A first name before a shorter alias ("Bashar el Asad", "Bashar Al Assad") is the
    knowledge-base person, and so is the first name alone afterwards."""
    found = persons(annotator, text, lang)
    assert len(found) == 2
    assert {m.key for m in found} == {key}


def test_shared_first_name_stays_apart(annotator: Annotator) -> None:
    text = ("Il sindaco Gianluca Ferretti e l'assessore Gianluca Morandi hanno firmato "
            "l'accordo. Gianluca ha detto che è un buon giorno.")
    found = persons(annotator, text, "it")
    lone = next(m for m in found if m.text == "Gianluca")
    assert lone.key not in keys_of(found, "Gianluca Ferretti") | keys_of(found,
                                                                         "Gianluca Morandi")


@pytest.mark.parametrize(("lang", "text"), [
    ("it", "Hafez al-Assad governò la Siria per trent'anni."),
    ("es", "Tras la muerte de su padre Hafez el Asad, su hijo llegó al poder."),
], ids=["it", "es"])
def test_father_is_not_the_son(annotator: Annotator, lang: str, text: str) -> None:
    """Only a first name of the known person extends their alias: "Hafez al-Assad",
    "Hafez el Asad" are the father, one person, not Bashar."""
    found = persons(annotator, text, lang)
    assert len(found) == 1 and found[0].text.startswith("Hafez"), found
    assert found[0].key != "kb:bashar-al-assad"


# -- across the articles of a story ----------------------------------------------------
@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store(tmp_path / "e.db") as s:
        yield s


def add(store: Store, annotator: Annotator, n: int, text: str, story: int | None,
        tables: CrossLinker) -> int:
    a = Article(source=f"/x/{n}.txt", text=text, title=text[:30], content_hash=f"h{n}",
                ingest_key=f"k{n}", lang="it")
    with store.batch():
        aid = store.insert_article(a, n, None)
        if story is not None:  # a story row as the clusterer would have made it
            store.conn.execute("INSERT OR IGNORE INTO stories (id, centroid, model) "
                               "VALUES (?, x'', 'test')", (story,))
            store.set_article_story(aid, story)
        analysis = annotator.analyse(text, "it")
        tables.save(aid, analysis.sentences, analysis.mentions, annotator.version)
    return aid


def entity_with(store: Store, alias: str) -> set[int]:
    return {e["id"] for e in service.list_entities(store) if alias in e["aliases"]}


def test_lone_first_name_joins_the_person_of_its_story(store: Store,
                                                       annotator: Annotator) -> None:
    tables = CrossLinker(store.entities)
    add(store, annotator, 1, "Il sindaco Gianluca Ferretti ha presentato il bilancio.", 7,
        tables)
    add(store, annotator, 2, "Gianluca ha detto che il bilancio è in ordine.", 7, tables)
    add(store, annotator, 3, "Gianluca ha detto che la squadra vincerà.", 8, tables)
    add(store, annotator, 4, "Gianluca ha detto che non è vero.", None, tables)
    full = entity_with(store, "Gianluca Ferretti")
    assert len(full) == 1
    person = service.get_entity(store, next(iter(full)))
    assert sorted(person["articles"]) == [1, 2]  # story 8 and no story: not linked


def test_lone_name_in_a_story_with_two_such_people_stays_apart(store: Store,
                                                               annotator: Annotator) -> None:
    tables = CrossLinker(store.entities)
    add(store, annotator, 1, "Il sindaco Gianluca Ferretti ha firmato.", 7, tables)
    add(store, annotator, 2, "L'assessore Gianluca Morandi ha firmato.", 7, tables)
    add(store, annotator, 3, "Gianluca ha detto che è un buon giorno.", 7, tables)
    for full in ("Gianluca Ferretti", "Gianluca Morandi"):
        (eid,) = entity_with(store, full)
        assert service.get_entity(store, eid)["articles"] == [1 if "Ferretti" in full else 2]


# -- no line break inside a name --------------------------------------------------------
LINE_BREAKS = [
    ("fr", "Le Conseil de\nsécurité de l'ONU s'est réuni jeudi à New York."),
    ("fr", "Le gouvernement\nbritannique a démenti toute négociation avec Damas."),
    ("es", "La Unión\nEuropea y el presidente Pedro\nSánchez hablaron en Bruselas."),
    ("it", "Il ministro Antonio\nRinaldi ha incontrato i vertici dell'Aeronautica\nmilitare."),
]


@pytest.mark.parametrize(("lang", "text"), LINE_BREAKS,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(LINE_BREAKS)])
def test_no_name_crosses_a_line_break(annotator: Annotator, lang: str, text: str) -> None:
    found = annotator.annotate(text, lang)
    assert found, "the names on each line are still found"
    assert all("\n" not in m.text for m in found), [m.text for m in found]


# -- religions, ideologies and common words are no persons -----------------------------
CONCEPTS = [
    ("es", "El Islam es la religión mayoritaria del país, y la Sharia inspira sus leyes.",
     ("Islam", "Sharia")),
    ("fr", "Le Djihad et le Salafisme inquiètent les autorités, qui défendent la Laïcité.",
     ("Djihad", "Salafisme", "Laïcité")),
    ("it", "Il Cristianesimo e l'Islam convivono da secoli; il Comunismo li ha combattuti.",
     ("Cristianesimo", "Islam", "Comunismo")),
]


@pytest.mark.parametrize(("lang", "text", "words"), CONCEPTS, ids=[c[0] for c in CONCEPTS])
def test_religions_and_ideologies_are_no_persons(annotator: Annotator, lang: str, text: str,
                                                 words: tuple[str, ...]) -> None:
    found = {m.text for m in persons(annotator, text, lang)}
    assert not found & set(words), found


def test_concept_word_inside_a_name_stays(annotator: Annotator) -> None:
    found = {m.text for m in persons(annotator, "Saif al-Islam Gheddafi e Islam Karimov "
                                                "si sono incontrati a Tripoli.", "it")}
    assert "Islam Karimov" in found
    assert any("Saif" in name for name in found)


@pytest.mark.parametrize(("lang", "text", "word"), [
    ("fr", "Selon Défense, le budget augmente. La défense nationale coûte cher.", "Défense"),
    ("es", "Según Presidencia, el decreto se firmará hoy. La presidencia no dijo más.",
     "Presidencia"),
    ("fr", "« Nous resterons », a déclaré Signe. Le signe est clair.", "Signe"),
], ids=["fr-defense", "es-presidencia", "fr-signe"])
def test_listed_name_the_text_writes_in_lowercase_is_a_word(annotator: Annotator, lang: str,
                                                           text: str, word: str) -> None:
    assert word not in {m.text for m in persons(annotator, text, lang)}


# -- lines the cleaner removed yield no mentions -----------------------------------------
def test_removed_boilerplate_lines_yield_no_mentions(make_pipeline: Callable,
                                                     tmp_path: Path) -> None:
    page = tmp_path / "articolo.txt"
    page.write_text("Il sindaco Gianluca Ferretti ha presentato il bilancio del comune.\n"
                    "Il documento sarà discusso in consiglio la prossima settimana, ha "
                    "spiegato Ferretti ai giornalisti.\n"
                    "© 2026 Edizioni Ottavio Bellandi S.p.A. Tutti i diritti riservati\n",
                    encoding="utf-8")
    pipeline = make_pipeline()
    pipeline.ingest([str(page)])
    (article,) = service.list_articles(pipeline.store)
    stored = service.get_article(pipeline.store, article["id"])
    assert any("Bellandi" in item["line"] for item in stored["removed_lines"])
    names = {e["name"] for e in service.list_entities(pipeline.store)}
    assert "Gianluca Ferretti" in names
    assert not any("Bellandi" in name or "Ottavio" in name for name in names)


def test_capitalised_particle_opens_a_known_surname(annotator: Annotator) -> None:
    text = "Les partisans du président syrien Al Assad ont manifesté samedi à Damas."
    (person,) = persons(annotator, text, "fr")
    assert (person.text, person.key) == ("Al Assad", "kb:bashar-al-assad")
