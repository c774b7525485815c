"""Linking mentions across articles: which stored entity each mention names.

Inside one document :mod:`newsweave.enrich.entities.link` has given every mention a
key. Here those keys meet the entities already stored, read through
:class:`EntityLookups` (the store's ``entities`` satisfies it; this module imports no
store):

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
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

from ...models import Mention, Place, Sentence
from .decide import name_parts
from .lexicon import is_latin
from .link import name_key, variant_key

NEAR_COS = 0.9  # embedding similarity two spellings of one name must also reach
STORY_ARTICLES = 200  # a story's latest articles searched for a lone name's person


class EntityLookups(Protocol):
    """The stored entities, as the linker reads and extends them."""

    def entity_by_key(self, key: str) -> int | None: ...
    def entity_key_name(self, entity_id: int) -> tuple[str, str]: ...
    def mention_forms(self, entity_id: int) -> list[tuple[str, int]]: ...
    def entities_by_alias(self, norm: str, type_: str, limit: int) -> list[int]: ...
    def entities_by_variant(self, variant: str, limit: int) -> list[int]: ...
    def entities_by_variant_named(self, variant: str, limit: int) -> list[tuple[int, str]]: ...
    def story_people(self, article_id: int, articles: int) -> list[tuple[int, str, str]]: ...
    def forget_article(self, article_id: int) -> None: ...
    def add_sentences(self, article_id: int, sentences: Sequence[Sentence]) -> None: ...
    def create_entity(self, key: str, type_: str, name: str, place_id: str | None) -> int: ...
    def add_variants(self, pairs: Iterable[tuple[str, int]]) -> None: ...
    def rename_entity(self, entity_id: int, name: str) -> None: ...
    def put_place(self, p: Place) -> None: ...
    def add_mentions(self, article_id: int, mentions: Sequence[Mention],
                     entity_ids: Sequence[int]) -> None: ...
    def add_aliases(self, rows: Iterable[tuple[int, str, str, str, int]]) -> None: ...
    def mark_enriched(self, article_id: int, stage: str, model: str) -> None: ...


class CrossLinker:
    """Links each analysed article's mentions to stored entities and saves them.

    ``similar`` (optional) scores a name against others with the embedder (one cosine
    per other name, in one call); ``given_names`` is the
    set of known first names (folded). With both, a misspelt first name links to the
    one person of that surname it is one letter away from ("Sabrin Singh" → "Sabrina
    Singh"), but only when the misspelling is not itself a first name ("Mario" and
    "Maria" Rossi are two people) and the embedder agrees (cosine ≥ 0.9).
    """

    def __init__(self, lookups: EntityLookups,
                 similar: Callable[[str, Sequence[str]], list[float]] | None = None,
                 given_names: frozenset[str] = frozenset()) -> None:
        self.db = lookups
        self.similar = similar
        self.given_names = given_names
        self._story_people = _StoryPeople(lookups, None)  # set per article by save()
        self._story_names: dict[str, str] = {}

    def save(self, article_id: int, sentences: Sequence[Sentence], mentions: Sequence[Mention],
             model: str) -> list[int]:
        """Replace what is stored for ``article_id`` with this analysis; the entity
        id of each mention, in order."""
        self.db.forget_article(article_id)
        self._story_people = _StoryPeople(self.db, article_id)
        self._story_names = {}
        self.db.add_sentences(article_id, sentences)
        by_key: dict[str, int] = {}  # one lookup per entity per article, not per mention
        ids = [by_key[m.key] if m.key in by_key else by_key.setdefault(m.key or "",
                                                                        self._entity_for(m))
               for m in mentions]
        for m in mentions:  # every occurrence of a lone name linked through the story
            m.name = self._story_names.get(m.key or "", m.name)
        for place in {m.place.id: m.place for m in mentions if m.place is not None}.values():
            self.db.put_place(place)
        self.db.add_mentions(article_id, mentions, ids)
        aliases = Counter((eid, m.text, _how(m)) for m, eid in zip(mentions, ids, strict=True))
        self.db.add_aliases((eid, text, name_key(text), how, n)
                            for (eid, text, how), n in aliases.items())
        self._show_best_names({eid for key, eid in by_key.items() if key.startswith("new:")})
        self.db.mark_enriched(article_id, "entities", model)
        return ids

    def _show_best_names(self, entity_ids: set[int]) -> None:
        """Show an entity first seen in the stream by its best-attested full form: Latin
        script first (the one most readers of a cross-lingual picture read), then the
        form with the most words, then the commonest. "Annika Solberg", not the
        "Анника Сольберг" of the first article; the name an entity got from a longer
        span ("Tribunale di Milano") stays. Curated and gazetteer names never change."""
        for eid in entity_ids:
            key, name = self.db.entity_key_name(eid)
            if not key.startswith("new:"):
                continue
            forms = [(name, 0), *self.db.mention_forms(eid)]
            best = max(forms, key=lambda f: (is_latin(f[0]), len(f[0].split()), f[1], f[0]))[0]
            if best != name and len(best.split()) >= len(name.split()):
                self.db.rename_entity(eid, best)

    def _entity_for(self, m: Mention) -> int:
        key = m.key or ""
        if key.startswith("new:PER:") and " " not in key:
            person = self._story_people.owner(key[len("new:PER:"):])
            if person is not None:  # "Bashar", in a story whose other articles name
                self._story_names[key] = person[1]  # "Bashar al-Assad": that person
                return person[0]
        found = self.db.entity_by_key(key)
        if found is not None:
            return found
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
            self.db.put_place(m.place)
        entity_id = self.db.create_entity(key, type_, m.name or m.text,
                                          m.place.id if m.place else None)
        variant = variant_key(m.name or m.text) if type_ in ("PER", "ORG") else None
        if variant is not None:
            self.db.add_variants(
                [(f"{type_}:{variant}", entity_id)]
                + ([(f"PER-last:{variant.split()[-1]}", entity_id)] if type_ == "PER" else []))
        return entity_id

    def _by_near_name(self, m: Mention) -> int | None:
        """The one person of this surname whose first name this one misspells."""
        variant = variant_key(m.name or m.text)
        if self.similar is None or variant is None or m.type != "PER":
            return None
        first, last = variant.split()[0], variant.split()[-1]
        rows = self.db.entities_by_variant_named(f"PER-last:{last}", 20)
        close = [(eid, name) for eid, name in rows if self._first_misspelt(first, name)]
        if not close:
            return None
        cosines = self.similar(m.name or m.text, [name for _, name in close])
        hits = [eid for (eid, _), cos in zip(close, cosines, strict=True) if cos >= NEAR_COS]
        return hits[0] if len(hits) == 1 else None

    def _first_misspelt(self, first: str, other_name: str) -> bool:
        """Whether ``first`` is one letter away from the other name's first name, and
        not both real first names ("Mario", "Maria": two people)."""
        other = variant_key(other_name)
        if other is None:
            return False
        theirs = other.split()[0]
        if first == theirs or min(len(first), len(theirs)) < 4 or _edits(first, theirs) != 1:
            return False
        return not (first in self.given_names and theirs in self.given_names)

    def _by_variant(self, m: Mention) -> int | None:
        """The one entity of this type whose name is a spelling variant of this one."""
        variant = variant_key(m.name or m.text)
        if variant is None or m.type not in ("PER", "ORG"):
            return None
        rows = self.db.entities_by_variant(f"{m.type}:{variant}", 2)
        return rows[0] if len(rows) == 1 else None

    def _by_distinctive_alias(self, m: Mention) -> int | None:
        norm = name_key(m.text)
        compact = m.text.replace(".", "")
        distinctive = len(norm.split()) >= 2 or (compact.isupper() and len(compact) >= 3)
        if not distinctive:
            return None
        rows = self.db.entities_by_alias(norm, m.type, 2)
        return rows[0] if len(rows) == 1 else None


class _StoryPeople:
    """The people named in full in the other articles of an article's story, by the
    words of their names: a lone first name, surname or other part of one name joins
    that person when exactly one person of the story has it ("Bashar" in one report,
    "Bashar al-Assad" in another of the same story). Outside a story a lone name never
    links: two people may share it. Read from the store once, on first use; the
    story's latest ``STORY_ARTICLES`` articles are read, so the cost stays bounded."""

    def __init__(self, lookups: EntityLookups, article_id: int | None) -> None:
        self.db = lookups
        self.article_id = article_id
        self._by_word: dict[str, set[tuple[int, str]]] | None = None

    def owner(self, word: str) -> tuple[int, str] | None:
        """(entity id, name) of the one person of the story ``word`` is part of."""
        if self._by_word is None:
            self._by_word = self._read() if self.article_id is not None else {}
        found = self._by_word.get(word, set())
        return next(iter(found)) if len(found) == 1 else None

    def _read(self) -> dict[str, set[tuple[int, str]]]:
        assert self.article_id is not None
        out: dict[str, set[tuple[int, str]]] = {}
        for eid, name, norm in self.db.story_people(self.article_id, STORY_ARTICLES):
            words = norm.split()
            for w in {words[-1], *name_parts([words])}:
                out.setdefault(w, set()).add((eid, name))
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
