"""Hybrid search (service.search, ``newsweave search``) on both backends.

The corpus is written here: short invented reports in several languages and scripts,
ingested through the real pipeline (real models, real SQLite or PostgreSQL).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsweave import service
from newsweave.clean.searchtext import query_units, search_words, split_query
from newsweave.cli import main
from newsweave.pipeline import Pipeline
from newsweave.service.search import Filters, Fusion, SearchError, search, snippet
from newsweave.store.base import StoreAPI

RECORDS = [
    {"id": "harbour-en", "source": "Coast Herald", "published": "2026-03-02", "lang": "en",
     "title": "Porto Vento breakwater finished before the storms",
     "text": "The harbour authority of Porto Vento said on Monday that the new breakwater "
             "is finished. Mayor Elena Marchetti said: \"The fleet is safe this winter.\" "
             "Engineers used 4,000 recycled concrete blocks."},
    {"id": "harbour-it", "source": "Gazzetta del Porto", "published": "2026-03-03", "lang": "it",
     "title": "Porto Vento, la diga foranea è finita prima delle tempeste",
     "text": "L'autorità portuale di Porto Vento ha annunciato lunedì che la nuova diga "
             "foranea è stata completata. La sindaca Elena Marchetti ha detto che la flotta "
             "sarà al sicuro. Sono stati usati 4.000 blocchi di cemento riciclato."},
    {"id": "orchestra-de", "source": "Abendblatt", "published": "2025-11-20", "lang": "de",
     "title": "Das Stadtorchester von Lindau spielt wieder im Kurhaus",
     "text": "Nach zwei Jahren Umbau spielt das Stadtorchester von Lindau am Samstag wieder im "
             "Kurhaus. Dirigentin Johanna Brenner freut sich auf das Publikum."},
    {"id": "orchestra-fr", "source": "Le Quotidien", "published": "2025-11-21", "lang": "fr",
     "title": "L'orchestre municipal de Lindau retrouve le Kurhaus",
     "text": "Après deux ans de travaux, l'orchestre municipal de Lindau rejoue samedi au "
             "Kurhaus. La cheffe Johanna Brenner se réjouit de retrouver le public."},
    {"id": "wheat-ar", "source": "Al Wadi", "published": "2026-01-10", "lang": "ar",
     "title": "ارتفاع أسعار القمح في الأسواق المحلية",
     "text": "ارتفعت أسعار القمح في الأسواق المحلية هذا الأسبوع بسبب الجفاف، وقال التجار إن "
             "المخزون يكفي لشهرين فقط."},
    {"id": "rail-ru", "source": "Vestnik", "published": "2026-02-14", "lang": "ru",
     "title": "Новая железная дорога до Каггинска открыта",
     "text": "Новая железная дорога до города Каггинск открыта в пятницу. Поезда будут "
             "ходить каждый час."},
    {"id": "rail-zh", "source": "Huabao", "published": "2026-02-15", "lang": "zh",
     "title": "新铁路今天开通",
     "text": "连接两个城市的新铁路今天正式开通，每小时有一班火车。"},
]


@pytest.fixture
def corpus(make_pipeline: Callable[..., Pipeline], tmp_path: Path) -> StoreAPI:
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in RECORDS),
                    encoding="utf-8")
    pipe = make_pipeline("search.db")
    pipe.ingest([str(path)])
    return pipe.store


def ids_of(store: StoreAPI) -> dict[str, int]:
    return {a["external_id"]: a["id"] for a in service.list_articles(store)}


def found(result: dict) -> list[int]:
    return [h["article_id"] for h in result["items"]]


# -- words (no store) ---------------------------------------------------------------
@pytest.mark.parametrize(("text", "words"), [
    ("Città NEAR(x) -y:z *", ["citta", "near", "x", "y", "z"]),
    ("مُحَمَّد الأمير", ["محمد", "الامير"]),
    ("Каггинск", ["kagginsk"]),
    ("新铁路", ["新", "铁", "路"]),
])
def test_search_words_fold_and_split_every_script(text: str, words: list[str]) -> None:
    assert search_words(text) == words


def test_cjk_runs_are_searched_as_pairs_and_quotes_make_phrases() -> None:
    assert query_units(search_words("新铁路 open")) == [("新", "铁"), ("铁", "路"), ("open",)]
    assert split_query('"Porto Vento" storms “x y”') == ([["porto", "vento"], ["x", "y"]],
                                                         ["storms"])


def test_snippet_marks_the_query_words_and_escapes_html() -> None:
    text = "<b>Intro</b> " + "filler " * 60 + "the Porto Vento breakwater is finished " + \
           "more " * 60
    out = snippet(text, {"porto", "vento"})
    assert "<mark>Porto</mark> <mark>Vento</mark>" in out
    assert out.startswith("…") and out.endswith("…")
    assert "<b>" not in snippet("<b>Porto</b>", {"porto"})


# -- searching ------------------------------------------------------------------
def test_names_cross_languages_and_scripts(corpus: StoreAPI, embedder: object) -> None:
    ids = ids_of(corpus)
    top = found(search(corpus, "Marchetti", embedder=embedder))[:2]
    assert sorted(top) == sorted([ids["harbour-en"], ids["harbour-it"]])
    # Cyrillic folds to Latin: a Latin-script query finds the Russian report first
    assert found(search(corpus, "Kagginsk", embedder=embedder))[0] == ids["rail-ru"]
    assert found(search(corpus, "القمح", embedder=embedder))[0] == ids["wheat-ar"]
    assert found(search(corpus, "铁路", embedder=embedder))[0] == ids["rail-zh"]


def test_an_english_query_finds_the_german_and_french_reports(corpus: StoreAPI,
                                                               embedder: object) -> None:
    ids = ids_of(corpus)
    top = found(search(corpus, "city orchestra returns to the concert hall",
                       embedder=embedder))[:2]
    assert sorted(top) == sorted([ids["orchestra-de"], ids["orchestra-fr"]])


def test_short_and_long_queries_each_use_their_own_raw_ranking(corpus: StoreAPI,
                                                              embedder: object) -> None:
    """A long query's raw-vector ranking is short and strong (its language's best stay
    in the first ten); a short one, mostly a name, keeps the long light one, so the
    articles holding the name come first (docs/search.md, "Fusion")."""
    def scored(query: str, fusion: Fusion | None = None) -> list[tuple[int, float]]:
        items = search(corpus, query, embedder=embedder, fusion=fusion)["items"]
        return [(h["article_id"], h["score"]) for h in items]

    heavy = Fusion(raw_weight=50.0, raw_depth=1, short_raw_weight=50.0, short_raw_depth=1)
    long_query = "city orchestra returns to the concert hall after two years"
    assert scored("Marchetti", Fusion(raw_weight=50.0, raw_depth=1)) == scored("Marchetti")
    assert scored("Marchetti", heavy) != scored("Marchetti")
    assert scored(long_query, Fusion(short_raw_weight=50.0, short_raw_depth=1)) == \
        scored(long_query)
    assert scored(long_query, heavy) != scored(long_query)


def test_a_quoted_phrase_wins(corpus: StoreAPI, embedder: object) -> None:
    ids = ids_of(corpus)
    result = search(corpus, '"recycled concrete" harbour breakwater storms', embedder=embedder)
    assert found(result)[0] == ids["harbour-en"]
    assert "<mark>recycled</mark> <mark>concrete</mark>" in result["items"][0]["snippet"]
    # the phrase in the other order is not the phrase: the Italian report comes first
    result = search(corpus, '"concrete recycled" Marchetti', embedder=embedder)
    assert found(result)[0] != ids["harbour-en"] or len(found(result)) > 1


def test_results_carry_story_snippet_and_facets(corpus: StoreAPI, embedder: object) -> None:
    result = search(corpus, "Porto Vento", embedder=embedder, limit=3)
    first = result["items"][0]
    assert set(first) >= {"article_id", "story", "title", "lang", "score", "snippet"}
    assert first["story"] is not None and "<mark>" in first["snippet"]
    langs = {f["lang"]: f["count"] for f in result["facets"]["lang"]}
    assert sum(langs.values()) == result["total"] and langs["it"] == 1
    assert {f["source"] for f in result["facets"]["source"]} >= {"Coast Herald"}


def test_filters(corpus: StoreAPI, embedder: object) -> None:
    ids = ids_of(corpus)

    def only(**kw: object) -> list[int]:
        return sorted(found(search(corpus, "Porto Vento Lindau", embedder=embedder,
                                   filters=Filters(**kw), limit=50)))

    assert only(lang="it") == [ids["harbour-it"]]
    assert only(lang="de,fr") == sorted([ids["orchestra-de"], ids["orchestra-fr"]])
    assert only(date_from="2026-03-03") == [ids["harbour-it"]]
    assert only(date_to="2025-11-20") == [ids["orchestra-de"]]
    assert only(source="Le Quotidien") == [ids["orchestra-fr"]]
    story = corpus.queries.article(ids["harbour-en"])["story"]
    assert ids["harbour-en"] in only(story=story)
    assert all(corpus.queries.article(i)["story"] == story for i in only(story=story))


def test_entity_place_and_speaker_filters_agree_with_the_store(corpus: StoreAPI,
                                                               embedder: object) -> None:
    people = [e for e in service.list_entities(corpus) if e["name"].endswith("Marchetti")]
    assert people, service.list_entities(corpus)
    person = people[0]["id"]
    hits = found(search(corpus, "harbour", embedder=embedder, filters=Filters(entity=person)))
    assert hits and set(hits) <= set(people[0]["articles"])
    quoted = {q["article"] for q in service.facts.list_quotes(corpus, entity=person)}
    speaker = set(found(search(corpus, "fleet", embedder=embedder,
                               filters=Filters(speaker=person))))
    assert speaker == quoted & speaker
    # a country covers every place in it; a country nobody names finds nothing
    assert found(search(corpus, "harbour", embedder=embedder,
                        filters=Filters(place="cc:AQ"))) == []


def test_claim_status_filter(corpus: StoreAPI, embedder: object) -> None:
    claims = service.facts.list_claims(corpus)
    for status in ("corroborated", "single", "contradicted"):
        sources = {a for c in claims if c["status"] == status for a in c["sources"]}
        hits = set(found(search(corpus, "blocks", embedder=embedder,
                                filters=Filters(claim_status=status), limit=50)))
        assert hits <= sources


def test_stories_rank_stories(corpus: StoreAPI, embedder: object) -> None:
    ids = ids_of(corpus)
    result = search(corpus, "orchestra Lindau", embedder=embedder, stories=True)
    first = result["items"][0]
    assert ids["orchestra-de"] in first["articles"] or ids["orchestra-fr"] in first["articles"]
    assert [s["story"] for s in result["items"]] == sorted(
        {s["story"] for s in result["items"]}, key=[s["story"] for s in result["items"]].index)


def test_pages_follow_cursors_without_overlap(corpus: StoreAPI, embedder: object) -> None:
    first = search(corpus, "Porto Vento Lindau train", embedder=embedder, limit=2)
    second = search(corpus, "Porto Vento Lindau train", embedder=embedder, limit=2,
                    cursor=first["next_cursor"])
    assert first["next_cursor"] and not set(found(first)) & set(found(second))
    with pytest.raises(SearchError, match="another query"):
        search(corpus, "other", embedder=embedder, cursor=first["next_cursor"])
    with pytest.raises(SearchError, match="not one this search gave out"):
        search(corpus, "x", cursor="%%%not-a-cursor")


# -- bad input ------------------------------------------------------------------------
@pytest.mark.parametrize("query", ['"', "*", "NEAR", "-", ":", "(", "a OR b)", "title:x",
                                   "' OR 1=1; --", "Robert'); DROP TABLE articles;--",
                                   'NEAR("a" "b", 2)', "\x00", "%_%"])
def test_query_syntax_is_just_words(corpus: StoreAPI, query: str) -> None:
    result = search(corpus, query)
    assert isinstance(result["items"], list)
    assert len(service.list_articles(corpus)) == len(RECORDS)


def test_empty_long_and_invalid_requests(corpus: StoreAPI) -> None:
    assert search(corpus, "")["items"] == [] and search(corpus, "  ")["total"] == 0
    with pytest.raises(SearchError, match="10000 characters.*1000"):
        search(corpus, "x" * 10_000)
    bad = [Filters(date_from="yesterday"), Filters(lang="english!"), Filters(story=0),
           Filters(place="Iraq"), Filters(claim_status="true"),
           Filters(date_from="2026-02-01", date_to="2026-01-01")]
    for f in bad:
        with pytest.raises(SearchError):
            search(corpus, "harbour", filters=f)
    with pytest.raises(SearchError, match="limit"):
        search(corpus, "harbour", limit=-1)


# -- the command ----------------------------------------------------------------------
def test_cli_search_json_and_errors(corpus: StoreAPI) -> None:
    db = corpus.location if "://" in corpus.location else str(corpus.path)
    if "://" in db:
        db = corpus.url
    runner = CliRunner()
    out = runner.invoke(main, ["search", "Marchetti", "--db", db, "--json", "--limit", "2"])
    assert out.exit_code == 0, out.output
    items = json.loads(out.output)
    assert len(items) == 2
    assert set(items[0]) >= {"article_id", "story", "title", "lang", "score", "snippet"}
    bad = runner.invoke(main, ["search", "x" * 10_000, "--db", db, "--json"])
    assert bad.exit_code == 2 and "search_max_query_chars" in bad.output
    assert "Traceback" not in bad.output
    bad = runner.invoke(main, ["search", "x", "--db", db, "--place", "Atlantis"])
    assert bad.exit_code == 2 and "place must be" in bad.output
    text = runner.invoke(main, ["search", "Marchetti", "--db", db, "--no-vectors"])
    assert text.exit_code == 0 and "«Marchetti»" in text.output


# -- the seed scenario and upgrades --------------------------------------------------
def cli_search(db: str, query: str) -> list[dict]:
    out = CliRunner().invoke(main, ["search", query, "--db", db, "--json"])
    assert out.exit_code == 0, out.output
    return json.loads(out.output)


@pytest.mark.parametrize("query", ["talks on withdrawing US troops from Iraq",
                                   "Gespräche über den Abzug der US-Truppen aus dem Irak"])
def test_seed_talks_rank_000_and_001_first(new_db: Callable[[str], str], seeds: Path,
                                           query: str) -> None:
    db = new_db("seeds.db")
    assert CliRunner().invoke(main, ["ingest", str(seeds), "--db", db,
                                     "--no-progress"]).exit_code == 0
    names = {a["id"]: Path(a["source"]).name[:3] for a in json.loads(
        CliRunner().invoke(main, ["articles", "--db", db, "--json"]).output)}
    hits = [names[h["article_id"]] for h in cli_search(db, query)]
    assert sorted(hits[:2]) == ["000", "001"], hits
    assert [names[h["article_id"]] for h in cli_search(db, "Caggins")][0] == "002"


@pytest.mark.sqlite_only
def test_an_upgraded_database_is_searchable(tmp_path: Path, backend: str) -> None:
    from tests.test_upgrade import unpack

    db = unpack(tmp_path)
    hits = json.loads(CliRunner().invoke(main, ["search", "Bisagno", "--db", str(db), "--json",
                                                "--no-vectors"]).output)
    assert len(hits) >= 3 and all("<mark>Bisagno</mark>" in h["snippet"] for h in hits)


def test_the_index_reads_an_articles_first_characters_cut_at_a_space() -> None:
    from newsweave.clean.searchtext import INDEXED_CHARS, indexed_part

    short = "short text"
    assert indexed_part(short) == short
    long = "word " * (INDEXED_CHARS // 4)
    part = indexed_part(long)
    assert INDEXED_CHARS // 2 < len(part) <= INDEXED_CHARS and part.endswith("word")


# -- what a query reads at scale ---------------------------------------------------
def test_language_counts_kept_at_insert(corpus: StoreAPI) -> None:
    """The store counts articles per language as it inserts them (no scan per query):
    the counts match the articles, survive reopening, and grow with the next ingest."""
    from newsweave.store.open import open_store

    store = corpus
    by_lang = {r["lang"]: r["n"] for r in map(dict, store.execute(
        "SELECT lang, count(*) AS n FROM articles GROUP BY lang"))}
    kept = {r["lang"]: r["articles"] for r in map(dict, store.execute(
        "SELECT lang, articles FROM language_counts"))}
    assert kept == by_lang and sum(kept.values()) == len(RECORDS)
    assert store.queries.languages() == sorted(by_lang, key=lambda x: (-by_lang[x], x))
    assert store.queries.articles_total() == len(RECORDS)
    assert store.queries.counts()["languages"] == store.queries.languages()
    with open_store(store.location, readonly=True) as again:
        assert again.queries.languages() == store.queries.languages()


def test_language_counts_roll_back_with_their_article(new_db: Callable[[str], str]) -> None:
    """A batch that fails leaves no count behind: the counts are written in the
    article's own transaction."""
    from newsweave.models import Article
    from newsweave.store.open import open_store

    with open_store(new_db("counts.db")) as store:
        with store.batch():
            store.insert_article(Article(source="s", text="uno", title="t", lang="it",
                                         content_hash="h1", ingest_key="k1"), 1, None)
        with pytest.raises(RuntimeError), store.batch():
            store.insert_article(Article(source="s", text="dos", title="t", lang="es",
                                         content_hash="h2", ingest_key="k2"), 2, None)
            raise RuntimeError("interrupted")
        assert store.queries.languages() == ["it"]
        assert store.queries.articles_total() == 1


def test_search_vector_index_follows_new_articles(make_pipeline: Callable[..., Pipeline],
                                                  tmp_path: Path) -> None:
    """Search keeps its vector index open between queries (SQLite: opening the file is
    its largest cost at scale), yet an article ingested since is found at once; every
    stored vector is its own nearest."""
    first_batch, more = tmp_path / "first.jsonl", tmp_path / "more.jsonl"
    first_batch.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in RECORDS),
                           encoding="utf-8")
    more.write_text(json.dumps({"id": "lighthouse-es", "source": "Diario", "lang": "es",
                                "title": "El faro de Isla Corva vuelve a encenderse",
                                "text": "El faro de Isla Corva volvió a encenderse el sábado "
                                        "tras dos años apagado."}), encoding="utf-8")
    pipe = make_pipeline("search.db")
    pipe.ingest([str(first_batch)])
    store = pipe.store
    vectors = store.cvectors(list(ids_of(store).values()))
    dim = next(iter(vectors.values())).shape[0]
    index = store.search.vector_index(dim)
    if not hasattr(store, "url"):
        assert store.search.vector_index(dim) is index  # kept while nothing changed
    for article_id, vec in vectors.items():
        assert int(index.query(vec, 1)[0][0]) == article_id
    pipe.ingest([str(more)])
    new = ids_of(store)["lighthouse-es"]
    assert int(store.search.vector_index(dim).query(store.cvectors([new])[new], 1)[0][0]) == new
    assert new in found(search(store, "Isla Corva faro"))


def test_nearest_of_is_exact(corpus: StoreAPI) -> None:
    """The exact ranking of a filtered few (compared in the database on PostgreSQL)
    is the brute-force one: nearest first, ties by id, at most ``depth``."""
    import numpy as np

    store = corpus
    vectors = store.cvectors(sorted(ids_of(store).values()))
    ids = sorted(vectors)
    for article_id in ids:
        query = vectors[article_id]
        sims = {i: float(vectors[i] @ query) for i in ids}
        expected = sorted(ids, key=lambda i: (-sims[i], i))
        got = store.search.nearest_of(np.asarray(query), ids, 3)
        assert got[0] == article_id and len(got) == 3
        assert [round(sims[i], 4) for i in got] == [round(sims[i], 4) for i in expected[:3]]
    assert store.search.nearest_of(vectors[ids[0]], [], 3) == []


def test_nearest_raw_is_exact_over_the_candidates(corpus: StoreAPI) -> None:
    """The raw-vector ranking (the embedder's own vectors, not the corrected copies)
    of a set of candidates: brute force, nearest first, at most ``depth``; an id
    without a vector is left out, and only the candidates are ranked."""
    import numpy as np

    from newsweave.service.search import raw_ranking
    from newsweave.store.search import SearchFilter

    store = corpus
    ids = sorted(ids_of(store).values())
    raw = store.search.raw_vectors(ids)
    for article_id in ids:
        query = np.asarray(raw[article_id])
        sims = {i: float(raw[i] @ query) for i in ids}
        expected = sorted(ids, key=lambda i: (-sims[i], i))
        got = store.search.nearest_raw(query, [*ids, max(ids) + 1000], 3)
        assert got[0] == article_id and len(got) == 3
        assert [round(sims[i], 4) for i in got] == [round(sims[i], 4) for i in expected[:3]]
        some = [i for i in ids if i != expected[1]]
        assert expected[1] not in raw_ranking(store, query, [(some[:3], 1.0), (some[3:], 0.2)],
                                              SearchFilter(), len(ids))
    assert store.search.nearest_raw(raw[ids[0]], [], 3) == []
