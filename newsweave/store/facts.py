"""What articles say and when: temporal expressions, quotes and quantities.

Written per article by the ``dates``, ``quotes`` and ``quantities`` stages (rows are
the JSON shapes of ``newsweave annotate``, with the sentence index added); read per
story for its timeline, its quotes and its claims. Claims are not stored: the service
compares a story's quantities across its sources when it is read, so a new article
corroborates or contradicts what is there without rewriting anything.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .sqlite import Store

TABLES = ("time_expressions", "quotes", "quantities")

# The article fields each fact is read with: its provenance, and what decides whether
# two sources are independent (the site, and whether one duplicates the other).
_ARTICLE = ("a.story_id, a.title AS article_title, a.lang, a.site, a.url, a.source, "
            "a.published, a.duplicate_of")


_QUOTES = ("SELECT t.id, t.article_id, t.sentence, t.char_start, t.char_end, t.text, "
           "t.direct, t.cue_start, t.cue_end, t.speaker_start, t.speaker_end, "
           f"t.speaker_text, t.speaker_entity_id, e.name AS speaker_name, {_ARTICLE} "
           "FROM quotes t JOIN articles a ON a.id = t.article_id "
           "LEFT JOIN entities e ON e.id = t.speaker_entity_id WHERE {where}")


class FactTables:
    """Reads and writes ``time_expressions``, ``quotes`` and ``quantities``."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def forget_facts(self, article_id: int) -> None:
        """Undo an earlier analysis of the article (re-annotation after an upgrade)."""
        for table in TABLES:
            self.store.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))

    def add_dates(self, article_id: int, rows: Sequence[Mapping[str, Any]]) -> None:
        """``{sentence, start, end, text, type, value, granularity, relative}`` rows."""
        self.store.executemany(
            "INSERT INTO time_expressions (article_id, sentence, char_start, char_end, text, "
            "type, value, granularity, relative) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(article_id, r["sentence"], r["start"], r["end"], r["text"], r["type"],
              r["value"], r.get("granularity"), int(bool(r.get("relative")))) for r in rows])

    def add_quotes(self, article_id: int, rows: Sequence[Mapping[str, Any]]) -> None:
        """``{sentence, start, end, text, direct, cue, speaker, speaker_entity_id}`` rows;
        ``cue`` and ``speaker`` are ``{start, end, text}`` or None."""
        self.store.executemany(
            "INSERT INTO quotes (article_id, sentence, char_start, char_end, text, direct, "
            "cue_start, cue_end, speaker_start, speaker_end, speaker_text, speaker_entity_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(article_id, r["sentence"], r["start"], r["end"], r["text"], int(bool(r["direct"])),
              *_span(r.get("cue"))[:2], *_span(r.get("speaker")), r.get("speaker_entity_id"))
             for r in rows])

    def add_quantities(self, article_id: int, rows: Sequence[Mapping[str, Any]]) -> None:
        """``{sentence, start, end, text, value, low, high, approx, unit, counted, where,
        when}`` rows (``where`` a place id, ``when`` a TIMEX3 value, either None)."""
        self.store.executemany(
            "INSERT INTO quantities (article_id, sentence, char_start, char_end, text, value, "
            "low, high, approx, unit, counted, place_id, time_value) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(article_id, r["sentence"], r["start"], r["end"], r["text"], r.get("value"),
              r.get("low"), r.get("high"), int(bool(r.get("approx"))), r.get("unit"),
              r.get("counted"), r.get("where"), r.get("when")) for r in rows])

    # -- reads, per story ------------------------------------------------------------
    def story_dates(self, story_ids: Sequence[int]) -> list[dict[str, Any]]:
        """The stories' temporal expressions with their sentence's text and article."""
        return self._with_sentence("time_expressions", "t.type, t.value, t.granularity, "
                                   "t.relative", story_ids)

    def story_quotes(self, story_ids: Sequence[int]) -> list[dict[str, Any]]:
        """The stories' quotes with their speaker's entity and their article."""
        return self._rows(_QUOTES.format(where="a.story_id IN ({marks})")
                          + " ORDER BY a.seq, t.char_start", story_ids)

    def quotes(self, story: int | None = None, speaker: int | None = None,
               limit: int | None = None) -> list[dict[str, Any]]:
        """Quotes across stories, in stream order: of one story, of one speaker entity."""
        where, params = ["1 = 1"], []
        if story is not None:
            where.append("a.story_id = ?")
            params.append(story)
        if speaker is not None:
            where.append("t.speaker_entity_id = ?")
            params.append(speaker)
        sql = _QUOTES.format(where=" AND ".join(where)) + " ORDER BY a.seq, t.char_start"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [dict(r) for r in self.store.execute(sql, params)]

    def stories_with_quantities(self) -> list[int]:
        """The ids of the stories whose articles state something counted."""
        return [int(r[0]) for r in self.store.execute(
            "SELECT DISTINCT a.story_id FROM quantities t JOIN articles a ON a.id = t.article_id "
            "WHERE t.counted IS NOT NULL AND a.story_id IS NOT NULL ORDER BY a.story_id")]

    def entity_sentences(self, entity_id: int) -> list[tuple[int, int]]:
        """``(article_id, sentence)`` of every sentence that names the entity."""
        return [(int(r[0]), int(r[1])) for r in self.store.execute(
            "SELECT DISTINCT article_id, sentence FROM mentions WHERE entity_id = ?",
            (entity_id,))]

    def story_quantities(self, story_ids: Sequence[int]) -> list[dict[str, Any]]:
        """The stories' quantities with their sentence's text and article."""
        return self._with_sentence("quantities", "t.value, t.low, t.high, t.approx, t.unit, "
                                   "t.counted, t.place_id, t.time_value", story_ids)

    def _with_sentence(self, table: str, columns: str, story_ids: Sequence[int]
                       ) -> list[dict[str, Any]]:
        return self._rows(
            f"SELECT t.id, t.article_id, t.sentence, t.char_start, t.char_end, t.text, "
            f"{columns}, substr(a.text, CAST(s.char_start AS INTEGER) + 1, "
            "CAST(s.char_end - s.char_start AS INTEGER)) "
            f"AS sentence_text, {_ARTICLE} FROM {table} t "
            "JOIN articles a ON a.id = t.article_id "
            "LEFT JOIN sentences s ON s.article_id = t.article_id AND s.idx = t.sentence "
            "WHERE a.story_id IN ({marks}) ORDER BY a.seq, t.char_start", story_ids)

    def _rows(self, sql: str, story_ids: Sequence[int]) -> list[dict[str, Any]]:
        return [dict(r) for r in self.store.select_in(sql, story_ids)]


def _span(span: Mapping[str, Any] | None) -> tuple[Any, Any, Any]:
    if not span:
        return (None, None, None)
    return (span["start"], span["end"], span.get("text"))
