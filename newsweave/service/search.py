"""Hybrid search: full-text and vector rankings fused by reciprocal rank fusion.

One query runs two searches over the store and fuses their rankings
(docs/search.md):

- **full text** (``store.search.match``): BM25 over FTS5 on SQLite, a
  ``tsvector`` per article on PostgreSQL, over the folded words of title and text.
  Any query word may match (OR), rare words count most; the articles holding the
  words in double quotes, as a phrase, come first;
- **vectors**: the query embedded with e5's ``query: `` prefix, against the stored
  ``passage: `` vectors (title and lead), through the store's vector index, or
  exactly over the filtered articles when a filter leaves few; and the raw query
  vector against the raw stored vectors of every candidate, which ranks the query's
  own language best.

A document's fused score is ``sum(weight / (k + rank))`` over the rankings it appears
in (:class:`Fusion`). The vector ranking is primary (it crosses languages); the
full-text ranking adds names, numbers and places, which survive translation.

Results carry a highlighted snippet, their story, and facet counts over every
candidate that passed the filters. ``stories=True`` ranks stories by their articles'
scores. Bad input raises :class:`SearchError` (a ``ValueError``) with its reason.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

import numpy as np

from ..clean.fold import fold
from ..clean.searchtext import query_units, search_words, split_query
from ..enrich.embed import Embedder
from ..enrich.entities.frequency import WordFrequency
from ..enrich.language import LanguageIdentifier
from ..store.base import StoreAPI
from ..store.search import SearchFilter
from ..stories.normalise import VectorNormaliser, load_prior
from .facts import CLAIM_STATUSES, list_claims
from .values import bad_character

MAX_LIMIT = 1000
DEFAULT_MAX_QUERY_CHARS = 1000
# Below this many filtered articles, vectors are compared exactly over all of them.
EXACT_SCAN_MAX = 20_000
SNIPPET_CHARS = 240
# A query word this common (Zipf, wordfreq) in one of the store's main languages is a
# function word ("the", "di", "und"): the full-text side leaves it out. BM25 would
# weigh it low in a large store, but not in a small one, where "the" matches only the
# English articles and ranks them above the story asked for in other languages.
FUNCTION_WORD_ZIPF = 5.8
FREQUENCY_LANGS = 8
# Languages not looked up: unknown, and those written without spaces, whose words
# wordfreq cuts with tokenisers we do not ship (and whose query units are pairs).
NO_FUNCTION_WORDS = frozenset({"und", "zh", "ja", "ko", "th", "my", "km", "lo", "bo"})
_LANG = re.compile(r"^(?:[a-z]{2,3}|und)$")
_PLACE = re.compile(r"^(?:cc:[A-Z]{2}|a1:[A-Z]{2}\.[\w.]+|gn:\d+)$")
_WORD = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[^\W_]+")


class SearchError(ValueError):
    """A search request that cannot be run as given: the message says why."""


@dataclass(frozen=True)
class Fusion:
    """How the rankings are fused: reciprocal rank fusion with constant ``k``, each
    ranking weighted, from the ``depth`` best of each (tuned on the tuning half of the
    SemEval dev pairs, docs/benchmarks.md). The full-text side is two rankings: among
    articles in the query's language (``same_weight``), where every topical word
    matches, and among the others (``other_weight``), where only what survives
    translation does (names, numbers, places). A short query (``short_units`` words or
    fewer) is mostly a name, in no language one can tell: its full-text side is one
    ranking over all languages, weighted ``short_weight``, so an exact name wins. The
    articles holding every quoted phrase of the query form one more ranking, weighted
    ``phrase_weight``, so they come first; the others still follow (a query pasted from
    a text often holds quotation marks, and its other-language reports never hold the
    quoted words).

    The corrected vectors cross languages, but within one language the embedder's own
    (raw) vectors rank better: the correction lets the same story's reports in other
    languages crowd out the query's language. So the candidates of every other ranking
    are ranked once more by their raw vectors, and the ``raw_depth`` best of that
    ranking count, weighted ``raw_weight``. Short and strong: the embedder's own five
    nearest mostly stay in the first ten (as they do in a plain vector search) however
    many other-language reports the corrected vectors bring, while the raw vectors'
    preference for the query's own language reaches no further down the list. Measured
    with 1,500 to 9,700 unrelated articles stored beside the SemEval pairs, a longer,
    lighter raw ranking let the query's own language fall below vector search alone
    (docs/benchmarks.md). A short query has no language to keep: its raw ranking stays
    long and light (``short_raw_weight``, ``short_raw_depth``), so the articles that
    hold the name come first."""

    k: float = 40.0
    vector_weight: float = 1.0
    raw_weight: float = 0.75
    raw_depth: int = 5
    short_raw_weight: float = 0.2
    short_raw_depth: int = 20
    same_weight: float = 0.35
    other_weight: float = 0.2
    short_weight: float = 1.0
    phrase_weight: float = 3.0
    short_units: int = 3
    depth: int = 100


@dataclass(frozen=True)
class Filters:
    """The user's filters, as given (validated by :func:`make_filter`)."""

    date_from: str | None = None
    date_to: str | None = None
    lang: str | Sequence[str] | None = None
    source: str | Sequence[str] | None = None
    story: int | None = None
    entity: int | None = None
    place: str | None = None
    speaker: int | None = None
    claim_status: str | None = None


# -- validating the request ------------------------------------------------------
def _day(value: str, what: str, end: bool) -> str:
    """An ISO date or date-time as stored ``published`` values compare; a plain
    ``to`` date covers its whole day."""
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return (day + timedelta(days=1)).isoformat() if end else day.isoformat()
        return datetime.fromisoformat(value).isoformat()
    except ValueError:
        raise SearchError(f"{what} must be an ISO date (2011-02-11) or date-time, "
                          f"not {value!r}") from None


def _listed(value: str | Sequence[str] | None, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value.split(",") if isinstance(value, str) else list(value)
    listed = tuple(dict.fromkeys(str(v).strip() for v in items if str(v).strip()))
    for item in listed:
        if (why := bad_character(item)) is not None:
            raise SearchError(f"{what} holds {why}: no stored text contains one, so "
                              "nothing could match; remove it")
    return listed


def _positive(value: Any, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise SearchError(f"{what} must be a positive integer id, not {value!r}")
    return value


def _place(value: str | None) -> str | None:
    """A place id (``gn:2172517``, ``a1:IQ.10``) or a country (``cc:IQ`` or ``IQ``)."""
    if value is None:
        return None
    text = value.strip()
    if re.fullmatch(r"[A-Za-z]{2}", text):
        text = "cc:" + text.upper()
    elif text[:3].lower() == "cc:":
        text = "cc:" + text[3:].upper()
    if not _PLACE.match(text):
        raise SearchError(f"place must be a place id (gn:2172517, a1:IQ.10) or a country "
                          f"code (IQ or cc:IQ), not {value!r}")
    return text


def make_filter(store: StoreAPI, f: Filters) -> SearchFilter:
    """The store's filter for the user's ``f``; :class:`SearchError` names what is wrong."""
    langs = tuple(x.lower() for x in _listed(f.lang, "lang"))
    bad = [x for x in langs if not _LANG.match(x)]
    if bad:
        raise SearchError(f"lang must be ISO 639 codes (it, en, und), not {bad[0]!r}")
    ids = None
    if f.claim_status is not None:
        if f.claim_status not in CLAIM_STATUSES:
            raise SearchError(f"claim status must be one of {', '.join(CLAIM_STATUSES)}, "
                              f"not {f.claim_status!r}")
        claims = list_claims(store, status=f.claim_status)
        ids = tuple(sorted({a for c in claims for a in c["sources"]}))
    date_from = _day(f.date_from, "date_from", False) if f.date_from else None
    date_to = _day(f.date_to, "date_to", True) if f.date_to else None
    if date_from and date_to and date_from >= date_to:
        raise SearchError(f"date_from ({f.date_from}) is after date_to ({f.date_to})")
    return SearchFilter(date_from=date_from, date_to=date_to, langs=langs,
                        sources=_listed(f.source, "source"), story=_positive(f.story, "story"),
                        entity=_positive(f.entity, "entity"), place=_place(f.place),
                        speaker=_positive(f.speaker, "speaker"), ids=ids)


def _check_query(query: Any, max_chars: int) -> str:
    if not isinstance(query, str):
        raise SearchError("the query must be text")
    # a NUL is a word break, as the syntax characters are (the query is only words); a
    # lone surrogate cannot even be encoded
    if (why := bad_character(query.replace("\x00", " "))) is not None:
        raise SearchError(f"the query holds {why}; remove it")
    if len(query) > max_chars:
        raise SearchError(f"the query is {len(query)} characters long; the most is {max_chars} "
                          "(setting search_max_query_chars)")
    return query.strip()


# -- cursors ---------------------------------------------------------------------
def _fingerprint(query: str, filt: SearchFilter, stories: bool) -> str:
    key = json.dumps([query, repr(filt), stories], ensure_ascii=False)
    return hashlib.sha1(key.encode()).hexdigest()[:12]


def _encode_cursor(offset: int, fingerprint: str) -> str:
    raw = json.dumps({"o": offset, "q": fingerprint}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str, fingerprint: str) -> int:
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        offset, owner = int(data["o"]), data["q"]
    except (ValueError, TypeError, KeyError):
        raise SearchError(f"cursor {cursor[:40]!r} is not one this search gave out") from None
    if owner != fingerprint or offset < 0:
        raise SearchError("the cursor belongs to another query or other filters: "
                          "ask again without it")
    return offset


# -- the two rankings ------------------------------------------------------------
def query_vectors(store: StoreAPI, embedder: Embedder, query: str,
                  lang: str) -> tuple[np.ndarray, np.ndarray]:
    """The query's e5 vector as the embedder gives it (raw) and corrected as the
    stored vectors were (the mean of its language ``lang`` taken away, the stream's top
    components projected out): the stories' vectors are compared across languages, and
    so is the query with them. Without the correction a query prefers articles in its
    own language; with it, it finds fewer of them (:class:`Fusion`)."""
    raw = embedder.embed_queries([query])[0]
    norm = VectorNormaliser(store.stories, embedder.dim,
                            load_prior(embedder.model_name, embedder.dim))
    return raw, norm.correct(lang, raw)


def query_vector(store: StoreAPI, embedder: Embedder, query: str, lang: str) -> np.ndarray:
    """The query's corrected e5 vector (:func:`query_vectors`)."""
    return query_vectors(store, embedder, query, lang)[1]


def _vector_ranking(store: StoreAPI, qvec: np.ndarray, filt: SearchFilter,
                    phrases: list[list[str]], depth: int) -> list[int]:
    """Article ids nearest the query vector, nearest first (ties by id)."""
    if not filt.empty or phrases:
        ids = (store.search.filtered_ids(filt, EXACT_SCAN_MAX + 1) if not phrases else
               [i for i, _ in store.search.match([], phrases, None, filt, EXACT_SCAN_MAX + 1)])
        if len(ids) <= EXACT_SCAN_MAX:
            return store.search.nearest_of(qvec, ids, depth)
    index = store.search.vector_index(qvec.shape[0])
    want = depth
    while True:
        found, _sims = index.query(qvec, want)
        ids = [int(i) for i in found]
        keep = store.search.passing(ids, filt, phrases)
        ranked = [i for i in ids if i in keep]
        if len(ranked) >= depth or len(ids) < want or want >= 8 * depth:
            return ranked[:depth]
        want *= 2


def _with_duplicates(store: StoreAPI, ids: list[int], filt: SearchFilter,
                     phrases: list[list[str]]) -> list[int]:
    """``ids`` with each one's duplicates right after it: a duplicate has no vector of
    its own and ranks where its original does (if it passes the filters)."""
    dups = store.search.duplicates(ids)
    if not dups:
        return ids
    keep = store.search.passing([d for v in dups.values() for d in v], filt, phrases)
    return [x for i in ids for x in (i, *[d for d in dups.get(i, []) if d in keep])]


def fuse(rankings: Sequence[tuple[Sequence[int], float]], k: float) -> list[tuple[int, float]]:
    """Reciprocal rank fusion: ``(id, sum of weight / (k + rank))``, best first, ties
    by id; ``rankings`` are ``(ids best first, weight)``."""
    scores: dict[int, float] = defaultdict(float)
    for ids, weight in rankings:
        for rank, article_id in enumerate(ids, start=1):
            scores[article_id] += weight / (k + rank)
    return sorted(scores.items(), key=lambda x: (-x[1], x[0]))


# -- the request -------------------------------------------------------------------
def search(store: StoreAPI, query: str, *, filters: Filters | None = None, limit: int = 10,
           cursor: str | None = None, stories: bool = False, embedder: Embedder | None = None,
           fusion: Fusion | None = None, max_query_chars: int = DEFAULT_MAX_QUERY_CHARS,
           identifier: LanguageIdentifier | None = None) -> dict[str, Any]:
    """Search ``store``: ``{query, items, next_cursor, total, facets}``.

    ``items`` are articles (``{article_id, story, title, lang, score, snippet, ...}``)
    or, with ``stories``, stories (``{story, title, size, score, articles, ...}``),
    best first. Without ``embedder`` only the full-text ranking runs; ``identifier``
    tells the query's language (a new one is made when None: pass one to reuse it). A query with no
    words (empty, or only punctuation) finds nothing. :class:`SearchError` on bad input.
    """
    fusion = fusion or Fusion()
    if isinstance(limit, bool) or not isinstance(limit, int) or not 0 <= limit <= MAX_LIMIT:
        raise SearchError(f"limit must be between 0 and {MAX_LIMIT}, not {limit!r}")
    text = _check_query(query, max_query_chars)
    filt = make_filter(store, filters or Filters())
    fingerprint = _fingerprint(text, filt, stories)
    offset = _decode_cursor(cursor, fingerprint) if cursor else 0
    phrases, words = split_query(text)
    units = query_units([w for p in phrases for w in p] + words)
    if not units:
        return {"query": text, "items": [], "next_cursor": None, "total": 0,
                "facets": _facets(store, [])}
    fused = _ranked(store, text, content_units(store, units), phrases, filt, embedder, fusion,
                    identifier)
    ranked = _story_ranking(store, fused) if stories else fused
    page = ranked[offset:offset + limit]
    more = offset + limit < len(ranked)
    marks = {w for p in phrases for w in p} | set(words)
    items = (_story_items(store, page, fused, marks) if stories
             else _article_items(store, page, marks))
    return {"query": text, "items": items, "total": len(ranked),
            "next_cursor": _encode_cursor(offset + limit, fingerprint) if more else None,
            "facets": _facets(store, [i for i, _ in fused])}


@lru_cache(maxsize=1)
def _word_frequency() -> WordFrequency:
    """One :class:`WordFrequency` for every search: making one reads the package's
    metadata (about 5 ms a query)."""
    return WordFrequency()


def content_units(store: StoreAPI, units: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """``units`` without function words of the store's main languages (all of them when
    nothing else is left, so that a query of only such words still searches)."""
    langs = [x for x in store.queries.languages()
             if x not in NO_FUNCTION_WORDS][:FREQUENCY_LANGS]
    freq = _word_frequency()
    kept = [u for u in units if len(u) > 1 or
            max((freq.zipf(u[0], lang) for lang in langs), default=0.0) < FUNCTION_WORD_ZIPF]
    return kept or units


def _ranked(store: StoreAPI, text: str, units: list[tuple[str, ...]],
            phrases: list[list[str]], filt: SearchFilter, embedder: Embedder | None,
            fusion: Fusion, identifier: LanguageIdentifier | None) -> list[tuple[int, float]]:
    """The fused ranking of every candidate."""
    identifier = identifier or LanguageIdentifier()
    lang = identifier.identify(text).lang or "und"
    short = len(units) <= fusion.short_units
    if short:
        rankings = [([i for i, _ in store.search.match(units, [], None, filt,
                                                        fusion.depth)], fusion.short_weight)]
    else:
        rankings = list(zip(text_rankings(store, units, [], filt, lang, fusion.depth),
                            (fusion.same_weight, fusion.other_weight), strict=True))
    if phrases:
        rankings.append(([i for i, _ in store.search.match([], phrases, None, filt,
                                                            fusion.depth)], fusion.phrase_weight))
    if embedder is not None:
        raw, qvec = query_vectors(store, embedder, text, lang)
        nearest = _vector_ranking(store, qvec, filt, [], fusion.depth)
        rankings.append((_with_duplicates(store, nearest, filt, []), fusion.vector_weight))
        weight, depth = ((fusion.short_raw_weight, fusion.short_raw_depth) if short
                         else (fusion.raw_weight, fusion.raw_depth))
        if weight > 0 and depth > 0:
            rankings.append((raw_ranking(store, raw, rankings, filt, depth), weight))
    return fuse(rankings, fusion.k)


def raw_ranking(store: StoreAPI, raw: np.ndarray, rankings: Sequence[tuple[Sequence[int], float]],
                filt: SearchFilter, depth: int) -> list[int]:
    """The candidates of ``rankings`` (every id any of them holds, all within
    ``filt``) ranked by the raw query vector ``raw`` against their raw stored vectors,
    the ``depth`` nearest first, each followed by its duplicates. Only candidates are
    compared: the vector index holds the corrected vectors, and a strong raw match
    within the query's language is among the corrected vectors' or the full text's
    best (on the SemEval tune pairs, all 98 same-language targets that the raw vectors
    put in their top 10 were)."""
    pool = list(dict.fromkeys(i for ids, _w in rankings for i in ids))
    return _with_duplicates(store, store.search.nearest_raw(raw, pool, depth), filt, [])


def text_rankings(store: StoreAPI, units: list[tuple[str, ...]], phrases: list[list[str]],
                  filt: SearchFilter, lang: str, depth: int) -> tuple[list[int], list[int]]:
    """The full-text rankings among the articles in the query's language ``lang`` and
    among the others (each within ``filt``). The first is not searched when the store
    holds no article in ``lang`` (a short or unusual query's language may be one the
    store lacks; a search for nothing would still read the filtered articles)."""
    stored = set(store.queries.languages())
    if lang in stored and (not filt.langs or lang in filt.langs):
        same, other = store.search.match_by_language(units, phrases, lang, filt, depth)
        return [i for i, _ in same], [i for i, _ in other]
    others = replace(filt, not_langs=(lang,)) if lang in stored else filt
    return [], [i for i, _ in store.search.match(units, phrases, lang, others, depth)]


# -- what a result shows ---------------------------------------------------------
def _article_items(store: StoreAPI, page: list[tuple[int, float]],
                   marks: set[str]) -> list[dict[str, Any]]:
    rows = store.search.hits([i for i, _ in page])
    out = []
    for article_id, score in page:
        row = rows[article_id]
        out.append({"article_id": article_id, "story": row["story"], "title": row["title"],
                    "lang": row["lang"], "score": round(score, 6),
                    "snippet": snippet(row["text"], marks), "published": row["published"],
                    "source": row["site"] or row["source"], "url": row["url"],
                    "duplicate_of": row["duplicate_of"]})
    return out


def _story_ranking(store: StoreAPI, fused: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """Stories by their articles' scores: the best article, plus half the second, a
    quarter the third..., so a story with several good hits outranks one lucky hit."""
    per_story: dict[int, list[float]] = defaultdict(list)
    rows = store.search.hits([i for i, _ in fused])
    for article_id, score in fused:
        story = rows[article_id]["story"]
        if story is not None:
            per_story[story].append(score)
    scored = {s: sum(x / 2 ** n for n, x in enumerate(sorted(v, reverse=True)))
              for s, v in per_story.items()}
    return sorted(scored.items(), key=lambda x: (-x[1], x[0]))


def _story_items(store: StoreAPI, page: list[tuple[int, float]],
                 fused: list[tuple[int, float]], marks: set[str]) -> list[dict[str, Any]]:
    rows = store.search.hits([i for i, _ in fused])
    by_story: dict[int, list[int]] = defaultdict(list)
    for article_id, _score in fused:
        by_story[rows[article_id]["story"]].append(article_id)
    out = []
    for story_id, score in page:
        info = store.queries.story(story_id) or {"title": "", "size": 0}
        best = rows[by_story[story_id][0]]
        out.append({"story": story_id, "title": info["title"], "size": info["size"],
                    "score": round(score, 6), "articles": by_story[story_id],
                    "langs": sorted({rows[a]["lang"] for a in by_story[story_id]}),
                    "snippet": snippet(best["text"], marks)})
    return out


def snippet(text: str, marks: set[str], width: int = SNIPPET_CHARS) -> str:
    """The stretch of ``text`` (about ``width`` characters) holding the most distinct
    query words, those words wrapped in ``<mark>``; the start of the text when none
    is found. HTML-escaped otherwise, so it can be shown as it is."""
    import html

    tokens = [(m.start(), m.end()) for m in _WORD.finditer(text)
              if fold(m.group()) in marks]
    start = _best_window(tokens, width)
    end = min(len(text), start + width)
    if start > 0:
        space = text.find(" ", start, start + 30)
        start = space + 1 if space > 0 else start
    if end < len(text):
        space = text.rfind(" ", end - 30, end)
        end = space if space > start else end
    out, at = [], start
    for s, e in tokens:
        if s >= start and e <= end:
            out += [html.escape(text[at:s]), "<mark>", html.escape(text[s:e]), "</mark>"]
            at = e
    out.append(html.escape(text[at:end]))
    body = " ".join("".join(out).split())
    return ("…" if start > 0 else "") + body + ("…" if end < len(text) else "")


def _best_window(tokens: list[tuple[int, int]], width: int) -> int:
    """Where a window of ``width`` characters covering the most matches starts."""
    best, best_count, j = 0, 0, 0
    for i, (s, _e) in enumerate(tokens):
        while j < len(tokens) and tokens[j][1] <= s + width:
            j += 1
        if j - i > best_count:
            best, best_count = max(0, s - width // 4), j - i
    return best


def _facets(store: StoreAPI, ids: list[int]) -> dict[str, list[dict[str, Any]]]:
    """Counts over every candidate: ``lang``, ``source``, ``story``, ``entity`` and
    ``country`` (of the places named), most first, then by value."""
    if not ids:
        return {"lang": [], "source": [], "story": [], "entity": [], "country": []}
    rows = store.search.facet_rows(ids)

    def top(counter: Counter, key: str, n: int = 20) -> list[dict[str, Any]]:
        return [{key: k, "count": c} for k, c in
                sorted(counter.items(), key=lambda x: (-x[1], str(x[0])))[:n]]

    arts = rows["articles"]
    entities = Counter((e["id"], e["name"], e["type"]) for e in rows["entities"])
    countries = Counter(c for c in {(e["article_id"], e["country"]) for e in rows["entities"]
                                    if e["country"]})
    return {
        "lang": top(Counter(a["lang"] for a in arts), "lang"),
        "source": top(Counter(a["source"] for a in arts), "source"),
        "story": top(Counter(a["story"] for a in arts if a["story"] is not None), "story"),
        "entity": [{"id": k[0], "name": k[1], "type": k[2], "count": c} for k, c in
                   sorted(entities.items(), key=lambda x: (-x[1], x[0][1], x[0][0]))[:20]],
        "country": top(Counter(c for _a, c in countries), "country"),
    }


__all__ = ["Filters", "Fusion", "SearchError", "fuse", "make_filter", "search", "snippet",
           "search_words"]
