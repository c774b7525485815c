"""PostgreSQL's words table (``search_terms``: each full-text word's document
frequency, kept by a trigger) and its trigram matches, against real databases.

The articles are written here and stored through the store's own insert (no
pipeline, no models): full-text search alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from newsweave.models import Article
from newsweave.service.search import search
from newsweave.store.base import StoreAPI
from newsweave.store.open import open_store

ARTICLES = [
    ("en", "Caggins wins the harbour vote",
     "Mayor Ruth Caggins won the vote on the new harbour wall by a wide margin."),
    ("en", "Harbour wall works begin",
     "Work on the harbour wall began on Monday, the port authority said."),
    ("it", "Iniziano i lavori al porto",
     "I lavori alla diga del porto sono iniziati lunedì, ha detto l'autorità portuale."),
    # Polish: PostgreSQL has no configuration for it ('simple')
    ("pl", "Nowy most w Warszawie",
     "Nowy most w Warszawie otwarto w sobotę. Mieszkańcy Warszawy czekali dwa lata."),
    ("pl", "Pociągi do Krakowa",
     "Warszawa i Kraków mają nowe połączenie kolejowe od niedzieli."),
]


@pytest.fixture
def store(new_db: Callable[[str], str]) -> Iterator[StoreAPI]:
    with open_store(new_db("terms.db")) as opened:
        with opened.batch():
            for seq, (lang, title, text) in enumerate(ARTICLES, start=1):
                opened.insert_article(Article(source="s", title=title, text=text, lang=lang,
                                              content_hash=f"h{seq}", ingest_key=f"k{seq}"),
                                      seq, None)
        yield opened


def on_postgres(store: StoreAPI) -> bool:
    return hasattr(store, "url")


def recount(store: StoreAPI) -> dict[str, int]:
    """Each lexeme's document frequency, counted over ``article_search`` now."""
    return {r[0]: int(r[1]) for r in store.execute(
        "SELECT t, count(*) FROM article_search, unnest(tsvector_to_array(doc)) t GROUP BY t")}


def kept(store: StoreAPI) -> dict[str, int]:
    return {r[0]: int(r[1]) for r in store.execute("SELECT term, docs FROM search_terms")}


def titles(result: dict) -> list[str]:
    return [h["title"] for h in result["items"]]


def test_the_words_table_counts_every_documents_words(store: StoreAPI) -> None:
    """The kept counts are the counts: after inserts, a rolled-back insert, a changed
    document and a removed one (the trigger follows every write of the index)."""
    if not on_postgres(store):
        pytest.skip("SQLite's FTS5 keeps its own document frequencies")
    assert kept(store) == recount(store) and kept(store)["harbour"] == 2
    with pytest.raises(RuntimeError), store.batch():
        store.insert_article(Article(source="s", title="Harbour again", text="harbour",
                                     lang="en", content_hash="h9", ingest_key="k9"), 9, None)
        raise RuntimeError("interrupted")
    assert kept(store) == recount(store) and kept(store)["harbour"] == 2
    with store.batch():
        store.execute("UPDATE article_search SET doc = to_tsvector('simple', 'harbour quay') "
                      "WHERE article_id = 1")
        store.execute("DELETE FROM article_search WHERE article_id = 2")
    assert kept(store) == recount(store)
    assert kept(store)["harbour"] == 1 and kept(store)["quay"] == 1
    assert "caggins" not in kept(store)  # no document holds it any longer


def test_a_misspelt_name_finds_the_written_one(store: StoreAPI) -> None:
    """On PostgreSQL a word no document holds matches the nearest stored words by
    trigram similarity ("Cagins": "caggins"); SQLite's FTS5 has no trigram match."""
    result = search(store, "Cagins")
    if on_postgres(store):
        assert titles(result)[:1] == ["Caggins wins the harbour vote"]
    else:
        assert titles(result) == []
    # a word that is stored is matched as it is, not by its neighbours
    assert titles(search(store, "Caggins")) == ["Caggins wins the harbour vote"]
    assert titles(search(store, "Zqxwv")) == []


def test_words_of_a_language_without_a_configuration_match_their_near_forms(
        store: StoreAPI) -> None:
    """A query in a language PostgreSQL has no configuration for (Polish) is not
    stemmed; its words also match their near forms by trigram ("warszawie" finds
    "warszawa" and "warszawy"), the exact form ranking first. An Italian query
    (which has its configuration) does not."""
    if not on_postgres(store):
        pytest.skip("trigram matching is PostgreSQL's")
    ids = {r[1]: int(r[0]) for r in store.execute("SELECT id, title FROM articles")}
    polish = [i for i, _ in store.search.match([("warszawie",)], [], "pl",
                                               _no_filter(), 10)]
    assert polish[0] == ids["Nowy most w Warszawie"]
    assert ids["Pociągi do Krakowa"] in polish
    italian = [i for i, _ in store.search.match([("warszawie",)], [], "it",
                                                _no_filter(), 10)]
    assert italian == [ids["Nowy most w Warszawie"]]


def test_rarer_words_weigh_more(store: StoreAPI) -> None:
    """A word's weight is its inverse document frequency, read from the words
    table: every word held by some document is searched, the rarer weighing more."""
    if not on_postgres(store):
        pytest.skip("the words table is PostgreSQL's")
    weights = dict(store.search._weights([("harbour",), ("lavori",), ("caggins",)], "english"))
    assert set(weights) == {"harbour", "lavori", "caggins"}
    assert weights["caggins"] > weights["harbour"]  # rarer counts more


def test_the_postings_bound_keeps_the_rarest_words(store: StoreAPI,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """PostgreSQL bounds the words searched as SQLite does (``MAX_POSTINGS``): the
    rarest first while their documents add up to the bound, the rarest always."""
    if not on_postgres(store):
        pytest.skip("the words table is PostgreSQL's (SQLite: test_search_sides.py)")
    units = [("harbour",), ("lavori",), ("caggins",)]  # in 2, 1 and 1 documents
    assert [t for t, _ in store.search._weights(units, "english")] == [
        "harbour", "lavori", "caggins"]
    monkeypatch.setattr("newsweave.store.search.MAX_POSTINGS", 2)
    assert [t for t, _ in store.search._weights(units, "english")] == ["lavori", "caggins"]
    monkeypatch.setattr("newsweave.store.search.MAX_POSTINGS", 0)
    assert [t for t, _ in store.search._weights(units, "english")] == ["lavori"]


@pytest.mark.parametrize("langs", [(), ("en", "it"), ("pl",)])
def test_both_language_sides_in_one_pass_are_the_two_searches(store: StoreAPI,
                                                              langs: tuple[str, ...]) -> None:
    """PostgreSQL ranks the query's language and the others in one statement: the
    same rankings as two searches, one per side (the SQLite way)."""
    from newsweave.store.search import SearchFilter, SearchTables

    units = [("harbour",), ("porto",), ("warszawie",), ("caggins",), ("lavori",)]
    for lang in ("en", "it", "pl"):
        filt = SearchFilter(langs=langs)
        assert (store.search.match_by_language(units, [], lang, filt, 2)
                == SearchTables.match_by_language(store.search, units, [], lang, filt, 2))
        phrase = [["harbour", "wall"]]
        assert (store.search.match_by_language([], phrase, lang, filt, 10)
                == SearchTables.match_by_language(store.search, [], phrase, lang, filt, 10))


def _no_filter() -> object:
    from newsweave.store.search import SearchFilter

    return SearchFilter()
