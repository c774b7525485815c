"""Persisting an article's sentences and mentions, and linking them across articles.

Inside one document :mod:`newsweave.enrich.entities.link` has given every mention a
key. Here those keys meet the entities already stored:

- ``kb:``, ``cc:``, ``a1:``, ``gn:`` keys name one thing everywhere: same key, same
  entity.
- a ``new:`` key (a name the knowledge base lacks) first looks for a stored entity
  that already has this form as a *distinctive* alias: an acronym of three letters
  or more, or a name of two words or more, learned from an earlier article ("ISF"
  spelled out as "Iraqi Security Forces" there). Only an unambiguous hit links.
- a one-word person ("Bashar", "Assad") links only inside a story: to the one person
  named in full in the story's other articles whose name has that word
  (:class:`_StoryPeople`); outside a story it never links (two people may share it).
- otherwise a new entity is created under the key.

Every surface form is recorded as an alias with a count, so ``entities --json``
shows all the names an entity went by.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from ..enrich.entities.decide import name_parts
from ..enrich.entities.lexicon import is_latin
from ..enrich.entities.link import name_key, variant_key
from ..models import Mention, Place, Sentence
from .sqlite import Store, utcnow

NEAR_COS = 0.9  # embedding similarity two spellings of one name must also reach
STORY_ARTICLES = 200  # a story's latest articles searched for a lone name's person


class EntityTables:
    """Writes of ``sentences``, ``mentions``, ``entities``, ``entity_aliases``, ``places``.

    ``similar`` (optional) scores two names with the embedder; ``given_names`` is the
    set of known first names (folded). With both, a misspelt first name links to the
    one person of that surname it is one letter away from ("Sabrin Singh" → "Sabrina
    Singh"), but only when the misspelling is not itself a first name ("Mario" and
    "Maria" Rossi are two people) and the embedder agrees (cosine ≥ 0.9).
    """

    def __init__(self, store: Store, similar: Callable[[str, str], float] | None = None,
                 given_names: frozenset[str] = frozenset()) -> None:
        self.conn = store.conn
        self.similar = similar
        self.given_names = given_names
        self._story_people = _StoryPeople(self.conn, None)  # set per article by save()
        self._story_names: dict[str, str] = {}

    def save(self, article_id: int, sentences: Sequence[Sentence], mentions: Sequence[Mention],
             model: str) -> None:
        """Replace what is stored for ``article_id`` with this analysis."""
        self._forget(article_id)
        self._story_people = _StoryPeople(self.conn, article_id)
        self._story_names = {}
        self.conn.executemany(
            "INSERT INTO sentences (article_id, idx, char_start, char_end) VALUES (?, ?, ?, ?)",
            [(article_id, s.index, s.start, s.end) for s in sentences])
        by_key: dict[str, int] = {}  # one lookup per entity per article, not per mention
        ids = [by_key[m.key] if m.key in by_key else by_key.setdefault(m.key or "",
                                                                        self._entity_for(m))
               for m in mentions]
        for m in mentions:  # every occurrence of a lone name linked through the story
            m.name = self._story_names.get(m.key or "", m.name)
        for place in {m.place.id: m.place for m in mentions if m.place is not None}.values():
            self._put_place(place)
        self.conn.executemany(
            "INSERT INTO mentions (article_id, sentence, char_start, char_end, text, type, "
            "entity_id, place_id, source, confidence) VALUES (?,?,?,?,?,?,?,?,?,?)",
            [(article_id, m.sentence, m.start, m.end, m.text, m.type, eid,
              m.place.id if m.place else None, m.source, m.confidence)
             for m, eid in zip(mentions, ids, strict=True)])
        self.conn.executemany(
            "UPDATE entities SET mentions = mentions + ?, articles = articles + 1 WHERE id=?",
            [(n, eid) for eid, n in Counter(ids).items()])
        aliases = Counter((eid, m.text, _how(m)) for m, eid in zip(mentions, ids, strict=True))
        self.conn.executemany(
            "INSERT INTO entity_aliases (entity_id, alias, norm, how, count) VALUES (?,?,?,?,?) "
            "ON CONFLICT (entity_id, alias) DO UPDATE SET count = count + excluded.count",
            [(eid, text, name_key(text), how, n) for (eid, text, how), n in aliases.items()])
        self._show_best_names({eid for key, eid in by_key.items() if key.startswith("new:")})
        self.conn.execute(
            "INSERT OR REPLACE INTO enrichments (article_id, stage, model, at) VALUES (?,?,?,?)",
            (article_id, "entities", model, utcnow()))

    def _show_best_names(self, entity_ids: set[int]) -> None:
        """Show an entity first seen in the stream by its best-attested full form: Latin
        script first (the one most readers of a cross-lingual picture read), then the
        form with the most words, then the commonest. "Annika Solberg", not the
        "Анника Сольберг" of the first article; the name an entity got from a longer
        span ("Tribunale di Milano") stays. Curated and gazetteer names never change."""
        for eid in entity_ids:
            key, name = self.conn.execute("SELECT key, name FROM entities WHERE id=?",
                                          (eid,)).fetchone()
            if not key.startswith("new:"):
                continue
            forms = [(name, 0), *self.conn.execute(
                "SELECT alias, count FROM entity_aliases WHERE entity_id=? AND how='mention' "
                "AND count > 0", (eid,)).fetchall()]
            best = max(forms, key=lambda f: (is_latin(f[0]), len(f[0].split()), f[1], f[0]))[0]
            if best != name and len(best.split()) >= len(name.split()):
                self.conn.execute("UPDATE entities SET name=? WHERE id=?", (best, eid))

    def _forget(self, article_id: int) -> None:
        """Undo an earlier analysis of the article (re-annotation after an upgrade)."""
        rows = self.conn.execute("SELECT entity_id, text FROM mentions WHERE article_id=?",
                                 (article_id,)).fetchall()
        for entity_id in {r[0] for r in rows}:
            n = sum(1 for r in rows if r[0] == entity_id)
            self.conn.execute("UPDATE entities SET mentions = mentions - ?, "
                              "articles = articles - 1 WHERE id=?", (n, entity_id))
        for entity_id, text in rows:
            self.conn.execute("UPDATE entity_aliases SET count = count - 1 "
                              "WHERE entity_id=? AND alias=?", (entity_id, text))
        self.conn.execute("DELETE FROM mentions WHERE article_id=?", (article_id,))
        self.conn.execute("DELETE FROM sentences WHERE article_id=?", (article_id,))

    def _entity_for(self, m: Mention) -> int:
        key = m.key or ""
        if key.startswith("new:PER:") and " " not in key:
            person = self._story_people.owner(key[len("new:PER:"):])
            if person is not None:  # "Bashar", in a story whose other articles name
                self._story_names[key] = person[1]  # "Bashar al-Assad": that person
                return person[0]
        row = self.conn.execute("SELECT id FROM entities WHERE key=?", (key,)).fetchone()
        if row is not None:
            return int(row[0])
        if key.startswith("new:"):
            linked = (self._by_distinctive_alias(m) or self._by_variant(m)
                      or self._by_near_name(m))
            if linked is not None:
                return linked
        type_ = "LOC" if m.type == "demonym" else m.type
        return self._create(m, key, type_)

    def _create(self, m: Mention, key: str, type_: str) -> int:
        """A new entity under ``key``, with its spelling variants recorded."""
        if m.place is not None:
            self._put_place(m.place)
        cur = self.conn.execute(
            "INSERT INTO entities (key, type, name, place_id) VALUES (?, ?, ?, ?)",
            (key, type_, m.name or m.text, m.place.id if m.place else None))
        entity_id = int(cur.lastrowid)
        variant = variant_key(m.name or m.text) if type_ in ("PER", "ORG") else None
        if variant is not None:
            self.conn.executemany(
                "INSERT OR IGNORE INTO entity_variants (variant, entity_id) VALUES (?, ?)",
                [(f"{type_}:{variant}", entity_id)]
                + ([(f"PER-last:{variant.split()[-1]}", entity_id)] if type_ == "PER" else []))
        return entity_id

    def _by_near_name(self, m: Mention) -> int | None:
        """The one person of this surname whose first name this one misspells."""
        variant = variant_key(m.name or m.text)
        if self.similar is None or variant is None or m.type != "PER":
            return None
        first, last = variant.split()[0], variant.split()[-1]
        rows = self.conn.execute(
            "SELECT e.id, e.name FROM entity_variants v JOIN entities e ON e.id = v.entity_id "
            "WHERE v.variant=? LIMIT 20", (f"PER-last:{last}",)).fetchall()
        hits = [int(r[0]) for r in rows if self._misspells(first, r[1], m.name or m.text)]
        return hits[0] if len(hits) == 1 else None

    def _misspells(self, first: str, other_name: str, name: str) -> bool:
        other = variant_key(other_name)
        if other is None:
            return False
        theirs = other.split()[0]
        if first == theirs or min(len(first), len(theirs)) < 4 or _edits(first, theirs) != 1:
            return False
        if first in self.given_names and theirs in self.given_names:
            return False  # two real first names: two people
        return self.similar(name, other_name) >= NEAR_COS

    def _by_variant(self, m: Mention) -> int | None:
        """The one entity of this type whose name is a spelling variant of this one."""
        variant = variant_key(m.name or m.text)
        if variant is None or m.type not in ("PER", "ORG"):
            return None
        rows = self.conn.execute("SELECT entity_id FROM entity_variants WHERE variant=? LIMIT 2",
                                 (f"{m.type}:{variant}",)).fetchall()
        return int(rows[0][0]) if len(rows) == 1 else None

    def _by_distinctive_alias(self, m: Mention) -> int | None:
        norm = name_key(m.text)
        compact = m.text.replace(".", "")
        distinctive = len(norm.split()) >= 2 or (compact.isupper() and len(compact) >= 3)
        if not distinctive:
            return None
        rows = self.conn.execute(
            "SELECT DISTINCT a.entity_id FROM entity_aliases a "
            "JOIN entities e ON e.id = a.entity_id WHERE a.norm=? AND e.type=? LIMIT 2",
            (norm, m.type)).fetchall()
        return int(rows[0][0]) if len(rows) == 1 else None

    def _put_place(self, p: Place) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO places (id, name, feature, country, admin1, lat, lon, "
            "population) VALUES (?,?,?,?,?,?,?,?)",
            (p.id, p.name, p.feature, p.country, p.admin1, p.lat, p.lon, p.population))


class _StoryPeople:
    """The people named in full in the other articles of an article's story, by the
    words of their names: a lone first name, surname or other part of one name joins
    that person when exactly one person of the story has it ("Bashar" in one report,
    "Bashar al-Assad" in another of the same story). Outside a story a lone name never
    links: two people may share it. Read from the store once, on first use; the
    story's latest ``STORY_ARTICLES`` articles up to this one in the stream are read,
    so the cost stays bounded. Only those before it: the batch's later articles are
    in the story already but not yet annotated, and counting them would make the
    window depend on where batches begin."""

    def __init__(self, conn: Any, article_id: int | None) -> None:
        self.conn = conn
        self.article_id = article_id
        self._by_word: dict[str, set[tuple[int, str]]] | None = None

    def owner(self, word: str) -> tuple[int, str] | None:
        """(entity id, name) of the one person of the story ``word`` is part of."""
        if self._by_word is None:
            self._by_word = self._read() if self.article_id is not None else {}
        found = self._by_word.get(word, set())
        return next(iter(found)) if len(found) == 1 else None

    def _read(self) -> dict[str, set[tuple[int, str]]]:
        row = self.conn.execute("SELECT story_id, seq FROM articles WHERE id=?",
                                (self.article_id,)).fetchone()
        if row is None or row[0] is None:
            return {}
        rows = self.conn.execute(
            "SELECT DISTINCT e.id, e.name, a.norm FROM mentions m "
            "JOIN entities e ON e.id = m.entity_id "
            "JOIN entity_aliases a ON a.entity_id = e.id "
            "WHERE m.article_id IN (SELECT id FROM articles WHERE story_id=? AND id != ? "
            "AND seq < ? ORDER BY seq DESC, id DESC LIMIT ?) AND e.type='PER' "
            "AND a.how='mention' AND a.count > 0 AND a.norm LIKE '% %'",
            (row[0], self.article_id, row[1], STORY_ARTICLES)).fetchall()
        out: dict[str, set[tuple[int, str]]] = {}
        for eid, name, norm in rows:
            words = norm.split()
            for w in {words[-1], *name_parts([words])}:
                out.setdefault(w, set()).add((int(eid), name))
        return out


def _edits(a: str, b: str) -> int:
    """Levenshtein distance, for two short words."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _how(m: Mention) -> str:
    compact = m.text.replace(".", "")
    if compact.isupper() and len(compact) <= 6 and m.name and m.name != m.text:
        return "acronym"
    if m.name and m.name != m.text and len(m.text.split()) == 1 and m.type == "PER":
        return "coref"
    return "mention"
