"""Entity state in the store: sentences, mentions, entities, aliases, variants, places.

Inserts and selects only. Which stored entity a mention is
(cross-article linking) is decided outside the store, by
:class:`newsweave.enrich.entities.crosslink.CrossLinker`, through the lookups here:
:class:`EntityTables` satisfies its :class:`~newsweave.enrich.entities.crosslink.
EntityLookups` protocol, so ``store/`` never imports ``enrich/``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ..models import Mention, Place, Sentence
from .values import utcnow

if TYPE_CHECKING:
    from .sqlite import Store


class EntityTables:
    """Reads and writes of ``sentences``, ``mentions``, ``entities``, ``entity_aliases``,
    ``entity_variants``, ``places`` and the entity stage's ``enrichments`` rows."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # -- lookups -------------------------------------------------------------
    def entity_by_key(self, key: str) -> int | None:
        row = self.store.execute("SELECT id FROM entities WHERE key=?", (key,)).fetchone()
        return int(row[0]) if row is not None else None

    def entity_key_name(self, entity_id: int) -> tuple[str, str]:
        """(key, shown name) of an entity."""
        key, name = self.store.execute("SELECT key, name FROM entities WHERE id=?",
                                       (entity_id,)).fetchone()
        return key, name

    def mention_forms(self, entity_id: int) -> list[tuple[str, int]]:
        """(alias, count) of the forms an entity was named by in mentions (count > 0)."""
        return [(r[0], int(r[1])) for r in self.store.execute(
            "SELECT alias, count FROM entity_aliases WHERE entity_id=? AND how='mention' "
            "AND count > 0", (entity_id,))]

    def entities_by_alias(self, norm: str, type_: str, limit: int) -> list[int]:
        """Entities of this type that went by a form with this normalised key."""
        return [int(r[0]) for r in self.store.execute(
            "SELECT DISTINCT a.entity_id FROM entity_aliases a "
            "JOIN entities e ON e.id = a.entity_id WHERE a.norm=? AND e.type=? LIMIT ?",
            (norm, type_, limit))]

    def entities_by_variant(self, variant: str, limit: int) -> list[int]:
        return [int(r[0]) for r in self.store.execute(
            "SELECT entity_id FROM entity_variants WHERE variant=? LIMIT ?", (variant, limit))]

    def entities_by_variant_named(self, variant: str, limit: int) -> list[tuple[int, str]]:
        """(id, name) of entities recorded under a variant key."""
        return [(int(r[0]), r[1]) for r in self.store.execute(
            "SELECT e.id, e.name FROM entity_variants v JOIN entities e ON e.id = v.entity_id "
            "WHERE v.variant=? LIMIT ?", (variant, limit))]

    def story_people(self, article_id: int, articles: int) -> list[tuple[int, str, str]]:
        """(id, name, normalised form) of people named in full (a form of two words or
        more) in the latest ``articles`` other articles of this article's story before
        it in the stream; none when the article is in no story. Only those before it:
        the batch's later articles are in the story already but not yet annotated, and
        counting them would make the window depend on where batches begin."""
        row = self.store.execute("SELECT story_id, seq FROM articles WHERE id=?",
                                 (article_id,)).fetchone()
        if row is None or row[0] is None:
            return []
        return [(int(r[0]), r[1], r[2]) for r in self.store.execute(
            "SELECT DISTINCT e.id, e.name, a.norm FROM mentions m "
            "JOIN entities e ON e.id = m.entity_id "
            "JOIN entity_aliases a ON a.entity_id = e.id "
            "WHERE m.article_id IN (SELECT id FROM articles WHERE story_id=? AND id != ? "
            "AND seq < ? ORDER BY seq DESC, id DESC LIMIT ?) AND e.type='PER' "
            "AND a.how='mention' AND a.count > 0 AND a.norm LIKE '% %'",
            (row[0], article_id, row[1], articles))]

    # -- writes ----------------------------------------------------------------
    def forget_article(self, article_id: int) -> None:
        """Undo an earlier analysis of the article (re-annotation after an upgrade)."""
        rows = self.store.execute("SELECT entity_id, text FROM mentions WHERE article_id=?",
                                  (article_id,)).fetchall()
        for entity_id in {r[0] for r in rows}:
            n = sum(1 for r in rows if r[0] == entity_id)
            self.store.execute("UPDATE entities SET mentions = mentions - ?, "
                               "articles = articles - 1 WHERE id=?", (n, entity_id))
        for entity_id, text in rows:
            self.store.execute("UPDATE entity_aliases SET count = count - 1 "
                               "WHERE entity_id=? AND alias=?", (entity_id, text))
        self.store.execute("DELETE FROM mentions WHERE article_id=?", (article_id,))
        self.store.execute("DELETE FROM sentences WHERE article_id=?", (article_id,))

    def add_sentences(self, article_id: int, sentences: Sequence[Sentence]) -> None:
        self.store.executemany(
            "INSERT INTO sentences (article_id, idx, char_start, char_end) VALUES (?, ?, ?, ?)",
            [(article_id, s.index, s.start, s.end) for s in sentences])

    def create_entity(self, key: str, type_: str, name: str, place_id: str | None) -> int:
        return self.store.insert(
            "INSERT INTO entities (key, type, name, place_id) VALUES (?, ?, ?, ?)",
            (key, type_, name, place_id))

    def add_variants(self, pairs: Iterable[tuple[str, int]]) -> None:
        """Record (variant key, entity id) pairs; pairs already stored are kept."""
        self.store.executemany(
            "INSERT INTO entity_variants (variant, entity_id) VALUES (?, ?) "
            "ON CONFLICT DO NOTHING", list(pairs))

    def rename_entity(self, entity_id: int, name: str) -> None:
        self.store.execute("UPDATE entities SET name=? WHERE id=?", (name, entity_id))

    def put_place(self, p: Place) -> None:
        """Store a gazetteer entry a mention resolved to (once)."""
        self.store.execute(
            "INSERT INTO places (id, name, feature, country, admin1, lat, lon, population) "
            "VALUES (?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING",
            (p.id, p.name, p.feature, p.country, p.admin1, p.lat, p.lon, p.population))

    def add_mentions(self, article_id: int, mentions: Sequence[Mention],
                     entity_ids: Sequence[int]) -> None:
        """Store an article's mentions, each with its entity, and count them on the
        entities (mentions, and one more article each)."""
        self.store.executemany(
            "INSERT INTO mentions (article_id, sentence, char_start, char_end, text, type, "
            "entity_id, place_id, source, confidence) VALUES (?,?,?,?,?,?,?,?,?,?)",
            [(article_id, m.sentence, m.start, m.end, m.text, m.type, eid,
              m.place.id if m.place else None, m.source, m.confidence)
             for m, eid in zip(mentions, entity_ids, strict=True)])
        counts: dict[int, int] = {}
        for eid in entity_ids:
            counts[eid] = counts.get(eid, 0) + 1
        self.store.executemany(
            "UPDATE entities SET mentions = mentions + ?, articles = articles + 1 WHERE id=?",
            [(n, eid) for eid, n in counts.items()])

    def add_aliases(self, rows: Iterable[tuple[int, str, str, str, int]]) -> None:
        """Count (entity id, alias, normalised alias, how linked, count) rows."""
        self.store.executemany(
            "INSERT INTO entity_aliases (entity_id, alias, norm, how, count) VALUES (?,?,?,?,?) "
            "ON CONFLICT (entity_id, alias) DO UPDATE SET "
            "count = entity_aliases.count + excluded.count", list(rows))

    def mark_enriched(self, article_id: int, stage: str, model: str) -> None:
        """Record which version of ``stage`` last analysed the article, and when."""
        self.store.execute(
            "INSERT INTO enrichments (article_id, stage, model, at) VALUES (?,?,?,?) "
            "ON CONFLICT (article_id, stage) DO UPDATE SET model=excluded.model, "
            "at=excluded.at", (article_id, stage, model, utcnow()))
