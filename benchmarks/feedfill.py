"""Stores with stories of known shape, written straight through the store's SQL: for
the feed's tests (stories with controlled dates, languages, outlets, entities and
claims) and its latency benchmark (100k articles in a minute, no models).

Nothing here runs the pipeline: the rows are what ingest would have written for such
articles (one story per :class:`StorySpec`, its label the first article), so the
feed's reads see a real schema on either backend.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from newsweave.store.base import StoreAPI

INGESTED = "2026-12-07T00:00:00+00:00"


@dataclass(frozen=True)
class Art:
    """An article of a story: when, in which language, from which outlet, naming
    which entities (names of :data:`ENTITY` kinds: ``PER:Name``, ``LOC:Name@CC``),
    what it counts (``(counted, value)`` pairs), and whether it is a duplicate."""

    published: datetime | None
    lang: str = "en"
    site: str = "The Daily"
    entities: tuple[str, ...] = ()
    claims: tuple[tuple[str, float], ...] = ()
    duplicate: bool = False


@dataclass
class StorySpec:
    title: str
    articles: list[Art] = field(default_factory=list)


def fill(store: StoreAPI, stories: Sequence[StorySpec], chunk: int = 5000) -> list[int]:
    """Write ``stories``; their ids, in order."""
    entity_ids: dict[str, int] = {}
    ids = []
    with store.batch():
        run = store.start_run(["feedfill"])
        seq = store.next_seq()
        for spec in stories:
            story_id, seq = _story(store, spec, seq, run, entity_ids)
            ids.append(story_id)
        store.execute("DELETE FROM language_counts")
        store.execute("INSERT INTO language_counts(lang, articles) "
                      "SELECT lang, count(*) FROM articles GROUP BY lang")
        store.execute("UPDATE entities SET articles = (SELECT count(DISTINCT article_id) "
                      "FROM mentions m WHERE m.entity_id = entities.id), mentions = "
                      "(SELECT count(*) FROM mentions m WHERE m.entity_id = entities.id)")
    return ids


def _story(store: StoreAPI, spec: StorySpec, seq: int, run: int,
           entity_ids: dict[str, int]) -> tuple[int, int]:
    story_id = store.insert(
        "INSERT INTO stories(size, centroid, languages, model) VALUES (0, ?, '[]', 'feedfill')",
        (b"\x00" * 4,))
    members, original = [], None
    for art in spec.articles:
        seq += 1
        key = hashlib.sha1(f"{story_id}:{seq}".encode()).hexdigest()
        title = spec.title if not members else f"{spec.title} ({len(members) + 1})"
        article_id = store.insert(
            "INSERT INTO articles(seq, run_id, ingest_key, content_hash, source, fmt, title, "
            "text, published, site, url, lang, duplicate_of, story_id, ingested_at) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (seq, run, key, key, f"https://{_host(art.site)}/{key}", "html", title,
             f"{title}. Text.", art.published.isoformat() if art.published else None,
             art.site, f"https://{_host(art.site)}/{key}", art.lang,
             original if art.duplicate and original else None, story_id, INGESTED))
        original = original or article_id
        members.append((article_id, art))
        _entities(store, article_id, art, entity_ids)
        _claims(store, article_id, art)
    originals = [a for _, a in members if not a.duplicate]
    days = [a.published.timestamp() / 86400.0 for a in originals if a.published]
    store.execute("UPDATE stories SET size = ?, label_article_id = ?, first_seen = ?, "
                  "last_seen = ?, last_seq = ?, languages = ? WHERE id = ?",
                  (len(originals), members[0][0] if members else None,
                   min(days) if days else None, max(days) if days else None, seq,
                   "[" + ", ".join(f'"{c}"' for c in sorted({a.lang for a in originals}))
                   + "]", story_id))
    return story_id, seq


def _host(site: str) -> str:
    return "".join(ch for ch in site.lower() if ch.isalnum()) + ".example"


def _entities(store: StoreAPI, article_id: int, art: Art, entity_ids: dict[str, int]) -> None:
    for k, name in enumerate(art.entities):
        if name not in entity_ids:
            entity_ids[name] = _entity(store, name)
        kind = name.split(":", 1)[0]
        store.execute("INSERT INTO mentions(article_id, sentence, char_start, char_end, text, "
                      "type, entity_id, source, confidence) VALUES (?,?,?,?,?,?,?,?,?)",
                      (article_id, 0, k, k + 1, name, kind, entity_ids[name], "feedfill", 1.0))


def _entity(store: StoreAPI, name: str) -> int:
    kind, rest = name.split(":", 1)
    label, _, country = rest.partition("@")
    place = None
    if kind == "LOC":
        place = f"feedfill:{label}"
        store.execute("INSERT INTO places(id, name, feature, country, lat, lon) "
                      "VALUES (?,?,?,?,?,?) ON CONFLICT DO NOTHING",
                      (place, label, "city", country or None, 0.0, 0.0))
    return store.insert("INSERT INTO entities(key, type, name, place_id) VALUES (?,?,?,?)",
                        (f"feedfill:{name}", kind, label, place))


CLAIMS_PLACE = "feedfill:Valmarine"  # where every figure is stated: only located
#                                       figures can contradict one another


def _claims(store: StoreAPI, article_id: int, art: Art) -> None:
    if art.claims:
        store.execute("INSERT INTO places(id, name, feature, country, lat, lon) "
                      "VALUES (?,?,?,?,?,?) ON CONFLICT DO NOTHING",
                      (CLAIMS_PLACE, "Valmarine", "city", None, 0.0, 0.0))
    for counted, value in art.claims:
        store.execute("INSERT INTO quantities(article_id, sentence, char_start, char_end, "
                      "text, value, low, high, approx, counted, place_id) "
                      "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                      (article_id, 0, 0, 5, f"{value:g} {counted}", value, value, value, 0,
                       counted, CLAIMS_PLACE))
