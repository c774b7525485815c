"""Page speed: p50, p95 and p99 server time of every web UI page at 100k stored
articles, on SQLite and PostgreSQL.

Run from the repository root::

    python -m benchmarks.bench_web                          # 100k, both backends
    python -m benchmarks.bench_web --articles 10000 --backends sqlite
    python -m benchmarks.bench_web --keep /tmp/nwweb        # keep (and reuse) the stores

No data needed beyond the place gazetteer (built on first use). The articles are
:mod:`benchmarks.bench_search_latency`'s fast fill (the synthetic stream of
:mod:`benchmarks.synthetic`, each article through the store's own writes, vectors
included). Then this benchmark adds what the pages show, again through the store's
own write methods as ingest calls them, without the enrichment models:

* stories with a heavy-tailed size distribution: most of one to a few articles, some
  of tens, a few of hundreds and one of ``GIANT`` (600) articles, each spread over a
  stretch of the stream, with related-story links;
* the sentences of each article, and its mentions: the event's two names from the
  headline (a person and an organisation, each in some hundred articles), one to
  three places drawn from the gazetteer's most populous entries by a Zipf law (real
  ids and coordinates: the top place is named in about one article in seven), and
  up to two "famous" people and organisations, also Zipf-drawn (the top one in about
  one article in ten); one rare person per single-article story;
* quotes (about a third of the articles, spoken by the article's person), temporal
  expressions (the publication day, and years the story's articles share: a
  timeline), and counted quantities a story's articles agree or disagree on
  (claims).

Mentions other than the headline names point at words of the body: the offsets are
real, the words are not the names (the text was written before the names were
drawn). Everything is seeded: the same store every run.

The pages are timed in-process: the REST app with the web UI (``create_app``) under
Starlette's ``TestClient``, each request timed from the call to the full response
(routing, the store's queries, the service, Jinja2 rendering; no network). Each page
type is requested once untimed, then ``--repeats`` times, the types interleaved. The
search page's query vector is precomputed (the e5 query embedding, a fixed cost per
query that does not grow with the store, is timed by ``bench_search_latency``).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .bench_backends import postgres_missing
from .bench_search_latency import (
    CachedQueryEmbedder,
    fill,
    make_queries,
    percentiles,
    postgres,
    record_lang,
)
from .common import commit, md_table, store_folder, write_results
from .synthetic import SyntheticEmbedder, SyntheticNews

SEED = 23
CHUNK = 2000  # articles per transaction while adding the pages' data
GIANT = 600  # the largest story
HUNDREDS = (380, 250, 170, 120)  # a few more stories of hundreds
TOP_PLACES = 3000  # gazetteer entries the places are drawn from
FAMOUS = 400  # recurring people and organisations
ZIPF = 1.1
COUNTED = ("troops", "dead", "injured", "displaced", "arrested", "people")
META_DONE = "bench_web_filled"  # the article count whose pages' data is complete
BUDGET_MS = 300.0  # issue 15: every page at p95


# -- the plan: stories over the stream ----------------------------------------------------
def story_sizes(n: int, rng: np.random.Generator) -> list[int]:
    """Sizes summing to ``n``: the giant, the few hundreds, then a Pareto tail
    (about half the stories single articles, a mean near four)."""
    sizes = [s for s in (GIANT, *HUNDREDS) if s <= n // 4]
    while sum(sizes) < n:
        sizes.append(min(90, int(1.0 / (1.0 - rng.random()) ** (1 / 1.2))))
    sizes[-1] -= sum(sizes) - n
    return [s for s in sizes if s > 0]


def plan_stories(n: int, rng: np.random.Generator) -> np.ndarray:
    """The story number of each of ``n`` articles in stream order: each story's
    articles spread over a stretch of the stream about 1.5 to 6 times its size
    (the giant over a sixth of it), numbered by first appearance."""
    sizes = story_sizes(n, rng)
    where, which = [], []
    for k, size in enumerate(sizes):
        span = n / 6 if size == GIANT else size * rng.uniform(1.5, 6.0)
        start = rng.uniform(0, max(1.0, n - span))
        where.append(start + span * np.sort(rng.random(size)))
        which.append(np.full(size, k))
    order = np.argsort(np.concatenate(where), kind="stable")
    raw = np.concatenate(which)[order]
    _, first = np.unique(raw, return_index=True)
    renumber = np.empty(len(sizes), dtype=np.int64)
    renumber[raw[np.sort(first)]] = np.arange(len(sizes))
    return renumber[raw]


def zipf_weights(n: int) -> np.ndarray:
    w = 1.0 / np.arange(1, n + 1) ** ZIPF
    return w / w.sum()


def gazetteer_places(limit: int) -> list[Any]:
    """The gazetteer's ``limit`` most populous entries (countries, regions, cities)."""
    from newsweave.enrich.places.gazetteer import Gazetteer
    from newsweave.models import Place

    with Gazetteer.open() as gaz:
        path = gaz.path
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT id, name, feature, country, admin1, lat, lon, population "
                            "FROM places WHERE feature != 'continent' "
                            "ORDER BY population DESC, id LIMIT ?", (limit,)).fetchall()
    finally:
        conn.close()
    return [Place(*r) for r in rows]


# -- the pages' data ------------------------------------------------------------------------
@dataclass
class StoryAcc:
    """What a story's articles add up to, saved on the story at the end."""

    id: int
    label: int
    centroid: np.ndarray
    size: int = 0
    first: float | None = None
    last: float | None = None
    langs: set[str] = field(default_factory=set)
    last_seq: int = 0
    claim: tuple[str, int] = ("people", 0)
    years: tuple[str, ...] = ()


class Decorator:
    """Adds stories, entities, mentions, quotes, dates and quantities to a store of
    synthetic articles, through the store's write methods."""

    def __init__(self, store: Any, n: int) -> None:
        self.store = store
        self.rng = np.random.default_rng(SEED)
        self.plan = plan_stories(n, self.rng)
        self.places = gazetteer_places(TOP_PLACES)
        self.place_w = zipf_weights(len(self.places))
        news = SyntheticNews(seed=SEED)
        names = news.names
        self.famous = [(f"{names[2 * k]} {names[2 * k + 1]}", "PER" if k % 3 else "ORG")
                       for k in range(FAMOUS)]
        self.famous_w = zipf_weights(FAMOUS)
        self.entity_ids: dict[str, int] = {}
        self.stories: dict[int, StoryAcc] = {}
        self.embedder = SyntheticEmbedder()
        self.recent: deque[StoryAcc] = deque(maxlen=200)

    # -- entities ---------------------------------------------------------------
    def entity(self, key: str, type_: str, name: str, place: Any = None) -> int:
        found = self.entity_ids.get(key)
        if found is None:
            found = self.store.entities.entity_by_key(key)
        if found is None:
            if place is not None:
                self.store.entities.put_place(place)
            found = self.store.entities.create_entity(key, type_, name,
                                                      place.id if place else None)
        self.entity_ids[key] = found
        return found

    def mentions(self, article_id: int, record: dict[str, Any], story_size: int
                 ) -> tuple[list[Any], list[int]]:
        """The article's mentions and their entity ids (headline names first)."""
        from newsweave.models import Mention

        title, text, rng = record["title"], record["text"], self.rng
        words = title.split()
        out: list[tuple[Mention, int]] = []
        at = 0
        for k, (word, type_) in enumerate(zip(words[:2], ("PER", "ORG"), strict=True)):
            at = title.index(word, at)
            key = f"new:{type_}:{word}"
            m = Mention(at, at + len(word), word, type_, 0, key, word)
            out.append((m, self.entity(key, type_, word)))
            at += len(word)
            if k == 0 and story_size == 1:  # a person named once in the whole store
                rare = f"{word} {words[2].capitalize()}"
                rkey = f"new:PER:{rare}:{article_id}"
                out.append((Mention(0, len(words[0]), rare, "PER", 0, rkey, rare),
                            self.entity(rkey, "PER", rare)))
        spans = body_spans(text)
        for idx in sorted(set(rng.choice(len(self.places), size=1 + int(rng.integers(0, 3)),
                                         p=self.place_w).tolist())):
            place = self.places[idx]
            s, e = spans[int(rng.integers(len(spans)))]
            out.append((Mention(s, e, text[s:e], "LOC", 1, place.id, place.name, place,
                                "gazetteer"), self.entity(place.id, "LOC", place.name, place)))
        for idx in sorted(set(rng.choice(FAMOUS, size=int(rng.integers(0, 3)),
                                         p=self.famous_w).tolist())):
            name, type_ = self.famous[idx]
            s, e = spans[int(rng.integers(len(spans)))]
            key = f"kb:bench-{idx}"
            out.append((Mention(s, e, text[s:e], type_, 1, key, name),
                        self.entity(key, type_, name)))
        return [m for m, _ in out], [eid for _, eid in out]

    def write_entities(self, article_id: int, record: dict[str, Any], story_size: int
                       ) -> tuple[list[Any], list[int]]:
        from newsweave.enrich.entities.link import name_key
        from newsweave.models import Sentence

        text = record["text"]
        head = len(record["title"])
        ents = self.store.entities
        ents.add_sentences(article_id, [Sentence(0, 0, head), Sentence(1, head + 1, len(text))])
        mentions, ids = self.mentions(article_id, record, story_size)
        ents.add_mentions(article_id, mentions, ids)
        ents.add_aliases([(eid, m.text, name_key(m.text), "mention", 1)
                          for m, eid in zip(mentions, ids, strict=True)])
        return mentions, ids

    # -- facts ------------------------------------------------------------------
    def write_facts(self, article_id: int, record: dict[str, Any], acc: StoryAcc,
                    mentions: Sequence[Any], ids: Sequence[int]) -> None:
        rng, text = self.rng, record["text"]
        spans = body_spans(text)
        day = record["published"][:10]
        dates = [{"sentence": 1, "start": s, "end": e, "text": text[s:e], "type": "DATE",
                  "value": value, "granularity": "day" if len(value) == 10 else "year",
                  "relative": False}
                 for value, (s, e) in zip((day, *acc.years[:int(rng.integers(0, 3))]),
                                          (spans[int(rng.integers(len(spans)))]
                                           for _ in range(3)), strict=False)]
        self.store.facts.add_dates(article_id, dates)
        if rng.random() < 0.35:
            s, e = spans[int(rng.integers(len(spans)))]
            e = min(len(text), s + 80)
            speaker = mentions[0]
            self.store.facts.add_quotes(article_id, [{
                "sentence": 1, "start": s, "end": e, "text": text[s:e], "direct": True,
                "cue": None, "speaker": {"start": speaker.start, "end": speaker.end,
                                         "text": speaker.text},
                "speaker_entity_id": ids[0]}])
        if acc.size > 1 and rng.random() < 0.4:
            counted, value = acc.claim
            if rng.random() < 0.2:
                value += int(rng.integers(1, 50))
            s, e = spans[int(rng.integers(len(spans)))]
            where = next((m.place.id for m in mentions if m.place is not None), None)
            self.store.facts.add_quantities(article_id, [{
                "sentence": 1, "start": s, "end": e, "text": text[s:e], "value": float(value),
                "low": None, "high": None, "approx": False, "unit": None, "counted": counted,
                "where": where, "when": acc.years[0] if acc.years else None}])

    # -- stories ----------------------------------------------------------------
    def story_of(self, number: int, article_id: int, record: dict[str, Any]) -> StoryAcc:
        acc = self.stories.get(number)
        if acc is None:
            from newsweave.models import StoryState

            vec = self.embedder.embed_passages([record["title"]])[0]
            story_id = self.store.stories.create(
                StoryState(0, vec, 0, None, None, [], article_id, 1.0, 0), "synthetic")
            rng = self.rng
            acc = StoryAcc(story_id, article_id, vec,
                           claim=(COUNTED[int(rng.integers(len(COUNTED)))],
                                  int(rng.integers(10, 5000))),
                           years=tuple(str(y) for y in sorted(set(
                               rng.integers(1990, 2020, size=int(rng.integers(1, 4))).tolist()))))
            self.stories[number] = acc
            self.link(acc)
            self.recent.append(acc)
        return acc

    def link(self, acc: StoryAcc) -> None:
        """Some stories are related to one to three recent ones."""
        if len(self.stories) < 3 or self.rng.random() > 0.3:
            return
        recent = self.recent
        for k in self.rng.choice(len(recent), size=min(len(recent), int(self.rng.integers(1, 4))),
                                 replace=False).tolist():
            self.store.stories.link(acc.id, recent[k].id, float(self.rng.uniform(0.5, 0.8)))

    def add(self, position: int, article_id: int, seq: int, record: dict[str, Any]) -> None:
        """One article: its story, entities and facts."""
        from datetime import datetime

        number = int(self.plan[position])
        acc = self.story_of(number, article_id, record)
        size = self.plan_size(number)
        days = datetime.fromisoformat(record["published"]).timestamp() / 86400.0
        acc.size += 1
        acc.first = days if acc.first is None else min(acc.first, days)
        acc.last = days if acc.last is None else max(acc.last, days)
        acc.langs.add(record_lang(record))
        acc.last_seq = max(acc.last_seq, seq)
        self.store.set_article_story(article_id, acc.id)
        mentions, ids = self.write_entities(article_id, record, size)
        self.write_facts(article_id, record, acc, mentions, ids)

    def plan_size(self, number: int) -> int:
        if not hasattr(self, "_sizes"):
            self._sizes = np.bincount(self.plan)
        return int(self._sizes[number])

    def save_stories(self) -> None:
        from newsweave.models import StoryState

        for acc in self.stories.values():
            self.store.stories.save(StoryState(
                acc.id, acc.centroid, acc.size, acc.first, acc.last, sorted(acc.langs),
                acc.label, 1.0, acc.last_seq))


def body_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each word of the body (after the headline line)."""
    out, at = [], text.index("\n") + 1
    for word in text[at:].split(" "):
        if word:
            out.append((at, at + len(word.rstrip("."))))
        at += len(word) + 1
    return out


def stream(store: Any, news: SyntheticNews, batch: int = CHUNK
           ) -> Iterator[list[tuple[dict[str, Any], dict[str, Any]]]]:
    """The stored articles in stream order with the synthetic record each was made
    from, a chunk at a time."""
    cursor = None
    while True:
        page = store.queries.articles(batch, cursor)
        pairs = [(row, news.record()) for row in page.rows]
        for row, record in pairs:
            if row["external_id"] != record["id"]:
                raise SystemExit(f"article {row['id']} is {row['external_id']}, the stream "
                                 f"says {record['id']}: not this benchmark's store")
        if pairs:
            yield pairs
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def decorate(store: Any, n: int) -> float:
    """Add the pages' data to a store of ``n`` synthetic articles (once); seconds."""
    done = store.get_meta(META_DONE)
    if done == str(n):
        return 0.0
    if store.count("stories"):
        raise SystemExit("the kept store has stories but not this benchmark's complete data: "
                         "delete the --keep folder")
    start = time.perf_counter()
    dec = Decorator(store, n)
    position = 0
    for pairs in stream(store, SyntheticNews()):
        with store.batch():
            for row, record in pairs:
                dec.add(position, row["id"], row["seq"], record)
                position += 1
        print(f"  pages' data: {position:,} articles ({time.perf_counter() - start:.0f} s)",
              file=sys.stderr, flush=True)
    with store.batch():
        dec.save_stories()
        store.set_meta(META_DONE, str(n))
    return time.perf_counter() - start


# -- what to request ------------------------------------------------------------------------
def targets(store: Any) -> tuple[dict[str, list[str]], list[str]]:
    """Each page type's URLs (requests rotate through them), picked from the store:
    the largest and small stories, a typical one (the size of the median article's
    story), a frequent and a rare entity and place; and the search queries."""
    stories = [r for r in _all(store.queries.stories) if r["size"] > 0]
    sizes = sorted(stories, key=lambda r: (r["size"], r["id"]))
    weights = np.cumsum([r["size"] for r in sizes])
    median = sizes[int(np.searchsorted(weights, weights[-1] / 2))]["size"]
    small = [r["id"] for r in sizes if r["size"] == 2][:5] or [sizes[0]["id"]]
    mid = [r["id"] for r in sizes if r["size"] == median][:5]
    giant = sizes[-1]["id"]
    giant_articles = store.queries.articles(5, story=giant).rows
    people = store.queries.entities(None, type_="PER").rows
    places = store.queries.places(None).rows
    queries = sorted({q["query"] for q in make_queries(SyntheticNews().records(2000))})[:20]
    return {
        "feed (newest)": ["/ui/"],
        "feed, sort=size": ["/ui/?sort=size"],
        "feed, sort=growth": ["/ui/?sort=growth"],
        "feed, lang=fr": ["/ui/?lang=fr"],
        "feed, frequent place": [f"/ui/?place={places[0]['id']}"],
        "feed, frequent entity": [f"/ui/?entity={people[0]['id']}"],
        "story, small (2 articles)": [f"/ui/stories/{i}" for i in small],
        f"story, typical ({median} articles)": [f"/ui/stories/{i}" for i in mid],
        f"story, largest ({sizes[-1]['size']} articles)": [f"/ui/stories/{giant}"],
        "article": [f"/ui/articles/{r['id']}" for r in giant_articles],
        "entities": ["/ui/entities"],
        f"entity, frequent ({people[0]['articles']:,} articles)":
            [f"/ui/entities/{people[0]['id']}"],
        f"entity, rare ({people[-1]['articles']} article)": [f"/ui/entities/{people[-1]['id']}"],
        "places (map)": ["/ui/places"],
        f"place, frequent ({places[0]['articles']:,} articles)":
            [f"/ui/places/{places[0]['id']}"],
        f"place, rare ({places[-1]['articles']} articles)": [f"/ui/places/{places[-1]['id']}"],
        "search": [f"/ui/search?q={q}" for q in queries],
        "ingest": ["/ui/ingest"],
    }, queries


def _all(listing: Any) -> list[dict[str, Any]]:
    return listing(None).rows


def time_pages(location: str, pages: dict[str, list[str]], queries: Sequence[str],
               repeats: int) -> dict[str, Any]:
    """Each page type once untimed, then ``repeats`` timed requests each, interleaved:
    ms percentiles per type, and the statuses that were not 200."""
    from starlette.testclient import TestClient

    from newsweave.api.app import ServeConfig, create_app
    from newsweave.api.searching import SearchTools
    from newsweave.enrich.language import LanguageIdentifier

    app = create_app(ServeConfig(db=location, read_only=True))
    tools = SearchTools(CachedQueryEmbedder(queries), LanguageIdentifier(), 1000)
    app.state.newsweave.search_tools = lambda: tools
    times: dict[str, list[float]] = {k: [] for k in pages}
    bad: dict[str, set[int]] = {}
    with TestClient(app) as client:
        def one(kind: str, url: str) -> float:
            start = time.perf_counter()
            response = client.get(url)
            spent = 1000 * (time.perf_counter() - start)
            if response.status_code != 200:
                bad.setdefault(kind, set()).add(response.status_code)
            return spent

        for kind, urls in pages.items():
            one(kind, urls[0])
        for k in range(repeats):
            for kind, urls in pages.items():
                times[kind].append(one(kind, urls[k % len(urls)]))
    return {"pages": {k: percentiles(v) for k, v in times.items()},
            "not_ok": {k: sorted(v) for k, v in bad.items()}}


# -- one backend ----------------------------------------------------------------------------
def run_backend(name: str, location: str, n: int, repeats: int) -> dict[str, Any]:
    from newsweave.store.open import open_store

    print(f"# {name}, {n:,} articles", file=sys.stderr, flush=True)
    with open_store(location) as store:
        have = store.count("articles")
        if have > n:
            raise SystemExit(f"the kept {name} store holds {have:,} articles, more than {n:,}")
        news = SyntheticNews()
        for _ in range(have):
            news.record()
        fill_s = fill(store, news, n)
        decorate_s = decorate(store, n)
        pages, queries = targets(store)
        counts = {"stories": store.count("stories"),
                  "entities": store.queries.entities(None).rows.__len__()}
    print("  timing pages", file=sys.stderr, flush=True)
    timed = time_pages(location, pages, queries, repeats)
    row = {"backend": name, "articles": n, "fill_s": fill_s, "decorate_s": decorate_s,
           "counts": counts, **timed}
    print(report([row]), file=sys.stderr, flush=True)  # kept should a later backend fail
    return row


def report(rows: list[dict[str, Any]]) -> str:
    """One table: page type by backend, ms p50 / p95 / p99, over-budget p95 in bold."""
    kinds = list(dict.fromkeys(k for r in rows for k in r["pages"]))
    head = ["page", *(f"{r['backend']} ms p50 / p95 / p99" for r in rows)]

    def cell(r: dict[str, Any], kind: str) -> str:
        p = r["pages"].get(kind)
        if p is None:
            return "-"
        p95 = f"**{p['p95']:.0f}**" if p["p95"] > BUDGET_MS else f"{p['p95']:.0f}"
        flag = f" (status {r['not_ok'][kind]})" if kind in r["not_ok"] else ""
        return f"{p['p50']:.0f} / {p95} / {p['p99']:.0f}{flag}"

    lines = [md_table(head, [[k, *(cell(r, k) for r in rows)] for k in kinds]), ""]
    for r in rows:
        lines.append(f"{r['backend']}: {r['articles']:,} articles, {r['counts']['stories']:,} "
                     f"stories, {r['counts']['entities']:,} entities; fill {r['fill_s']:.0f} s, "
                     f"pages' data {r['decorate_s']:.0f} s")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Web page server time at scale.")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--repeats", type=int, default=40, help="timed requests per page type")
    parser.add_argument("--keep", type=Path, help="a folder to keep the stores in (and reuse)")
    args = parser.parse_args(argv)
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    code, load_before = commit(), [round(x, 2) for x in os.getloadavg()]
    rows: list[dict[str, Any]] = []
    with store_folder(args.keep) as folder:
        if "sqlite" in backends:
            rows.append(run_backend("sqlite", str(folder / "web.db"), args.articles,
                                    args.repeats))
        if "postgres" in backends:
            if missing := postgres_missing():
                print(f"postgres skipped: {missing} is not installed", file=sys.stderr)
            else:
                with postgres(args.keep) as url:
                    rows.append(run_backend("postgres", url, args.articles, args.repeats))
    load_after = [round(x, 2) for x in os.getloadavg()]
    print(f"\n## Web pages (code {code}, load average {load_before} before, {load_after} "
          f"after; {args.repeats} timed requests per page)\n")
    print(report(rows))
    write_results("bench_web", {"code_at_start": code, "articles": args.articles,
                                "repeats": args.repeats, "load_avg_before": load_before,
                                "load_avg_after": load_after, "rows": rows})
    return 0


if __name__ == "__main__":
    sys.exit(main())
