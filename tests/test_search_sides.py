"""SQLite's full text at scale: a match under a filter of languages only reads the
FTS5 index alone, both language sides in one ranked pass, the languages from an
in-memory map (``LanguageMap``). Same answers as one joined statement per side,
however the store grows or rolls back.

The articles are written here and stored through the store's own insert (no
pipeline, no models), in a real SQLite file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsweave.models import Article
from newsweave.store.open import open_store
from newsweave.store.search import SearchFilter, _fts_query
from newsweave.store.sqlite import Store

LANGS = ("en", "it", "de", "fr")
WORDS = ("harbour", "porto", "vento", "caggins", "diga", "wall", "storm", "fleet")


def article(k: int, lang: str) -> Article:
    """The ``k``-th invented article: a few of :data:`WORDS`, repeated unevenly, so
    that BM25 ranks them in many different orders."""
    words = [WORDS[(k * j + j) % len(WORDS)] for j in range(1, 2 + k % 5)]
    text = " ".join(words * (1 + k % 3)) + f" filler{k} words{k % 7}"
    return Article(source=f"s{k % 3}", title=" ".join(words[:2]), text=text, lang=lang,
                   content_hash=f"h{k}", ingest_key=f"k{k}",
                   published=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=7 * k))


def fill(store: Store, start: int, count: int) -> None:
    with store.batch():
        seq = store.next_seq()
        for k in range(start, start + count):
            store.insert_article(article(k, LANGS[k % len(LANGS)]), seq + k - start, None)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "sides.db") as opened:
        fill(opened, 0, 120)
        yield opened


def joined(store: Store, units: list[tuple[str, ...]], phrases: list[list[str]], lang: str,
           filt: SearchFilter, limit: int) -> tuple[list, list]:
    """The two sides as two joined statements (what a filter beyond languages runs)."""
    query = _fts_query(units, phrases)
    same = (store.search._joined(query, replace(filt, langs=(lang,)), limit, bool(units))
            if not filt.langs or lang in filt.langs else [])
    other = store.search._joined(query, replace(filt, not_langs=(*filt.not_langs, lang)),
                                 limit, bool(units))
    return same, other


FILTERS = [SearchFilter(), SearchFilter(langs=("en", "it")), SearchFilter(langs=("de",)),
           SearchFilter(not_langs=("fr",)),
           SearchFilter(date_from="2026-01-05", date_to="2026-01-20", langs=("en", "de")),
           SearchFilter(sources=("s1",)), SearchFilter(ids=tuple(range(3, 90, 4)))]


@pytest.mark.parametrize("filt", FILTERS)
@pytest.mark.parametrize("limit", [1, 7, 200])
@pytest.mark.parametrize("set_max", [20_000, 5])
def test_one_pass_is_the_two_joined_statements(store: Store, filt: SearchFilter, limit: int,
                                               set_max: int,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Whether the filter's ids are kept in memory (few pass) or each match is joined
    to its article (more than ``FILTERED_SET_MAX``), the answers are the same."""
    monkeypatch.setattr("newsweave.store.search.FILTERED_SET_MAX", set_max)
    units = [("harbour",), ("caggins",), ("storm",), ("words3",)]
    for lang in ("en", "it", "fr", "pt"):
        assert (store.search.match_by_language(units, [], lang, filt, limit)
                == joined(store, units, [], lang, filt, limit))
        assert (store.search.match_by_language([], [["porto", "vento"]], lang, filt, limit)
                == joined(store, [], [["porto", "vento"]], lang, filt, limit))
    query = _fts_query(units, [])
    assert (store.search.match(units, [], None, filt, limit)
            == store.search._joined(query, filt, limit, True))


def test_the_map_follows_new_articles_and_rollbacks(store: Store) -> None:
    units = [("harbour",), ("caggins",)]
    before = store.search.match_by_language(units, [], "en", SearchFilter(), 500)
    fill(store, 120, 40)  # more articles after the map was read
    after = store.search.match_by_language(units, [], "en", SearchFilter(), 500)
    assert after == joined(store, units, [], "en", SearchFilter(), 500)
    assert len(after[0]) + len(after[1]) > len(before[0]) + len(before[1])
    # a batch rolled back, its ids handed out again to articles in other languages; a
    # search inside the batch saw its rows (and must not have kept their languages)
    with pytest.raises(RuntimeError), store.batch():
        seq = store.next_seq()
        for k in range(8):
            store.insert_article(article(1000 + k, "en"), seq + k, None)
        inside = store.search.match_by_language(units, [], "en", SearchFilter(), 500)
        assert inside == joined(store, units, [], "en", SearchFilter(), 500)
        raise RuntimeError("roll back")
    with store.batch():
        seq = store.next_seq()
        for k in range(8):
            store.insert_article(article(1000 + k, "it"), seq + k, None)
    assert (store.search.match_by_language(units, [], "en", SearchFilter(), 500)
            == joined(store, units, [], "en", SearchFilter(), 500))


def test_the_postings_bound_keeps_the_rarest_words(store: Store,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Words are taken rarest first while their documents add up to ``MAX_POSTINGS``
    (the rarest always); the match ranks those alone. No bound is reached in a
    store this small."""
    tables = store.search
    units = [("harbour",), ("filler7",), ("words3",), ("storm",), ("nowhere",)]
    docs = {u: tables._documents(u, 10**6) for u in units}
    assert docs[("filler7",)] == 1 and docs[("nowhere",)] == 0
    assert tables.within_budget(units) == units
    monkeypatch.setattr("newsweave.store.search.MAX_POSTINGS",
                        1 + docs[("words3",)])
    assert tables.within_budget(units) == [("filler7",), ("words3",), ("nowhere",)]
    monkeypatch.setattr("newsweave.store.search.MAX_POSTINGS", 0)
    assert tables.within_budget(units) == [("nowhere",)]
    assert tables.within_budget([("storm",)]) == [("storm",)]  # one word is always searched
    assert (tables.match(units, [], None, SearchFilter(), 50)
            == tables.match([("nowhere",)], [], None, SearchFilter(), 50) == [])
