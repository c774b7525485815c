"""The gazetteer: place names → GeoNames-based entries, from one SQLite file.

The file is built once from installed packages (see :mod:`.build` for the sources)
and cached as ``gazetteer-<version>.sqlite`` in a cache folder (the argument, else
``$NEWSWEAVE_CACHE``, else ``~/.cache/newsweave``). It is written to a temporary file
and renamed, so a reader never sees half a file and two processes building at once
both end with a whole one. A new source version or a change to our build code or
aliases gives a new version, hence a new file; old files are left for the user to
delete.

Entries (``Place.id``): ``cc:IQ`` countries, ``a1:IQ.10`` first-level divisions
(GeoNames admin1 codes), ``a2:US.LA.rapides-parish`` second-level divisions,
``gn:98182`` populated places and continents (GeoNames ids). ``Place.country`` is
always ISO 3166-1 alpha-2 (GeoNames' own country codes are ISO; FIPS never appears).

Every name is indexed under three keys (:mod:`.names`): folded, article-stripped and
loose. A match records how good it is (:data:`NAME` a name we or GeoNames give the
place, :data:`ALT` a GeoNames alternate name, :data:`STRIPPED` either with the
article removed, :data:`LOOSE` only the loose keys agree), and the languages that
write the name so, where a source tags it (CLDR's "El Cairo": es). A short query in
capitals ("OEA", "SANA") is an acronym: it matches only names written in capitals.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import NewsweaveError
from ...models import Place
from .build import (
    ALT,
    LOOSE,
    NAME,
    STRIPPED,
    Sources,
    collect,
    country_languages,
    find_sources,
    is_caps,
    write,
)
from .names import keys

__all__ = ["ALT", "LOOSE", "NAME", "STRIPPED", "Gazetteer", "GazetteerError", "Match",
           "default_cache_dir"]

log = logging.getLogger(__name__)

CACHE_ENV = "NEWSWEAVE_CACHE"
ACRONYM_LETTERS = 5  # a query in capitals this short is an acronym ("OEA", "SANA")
_COLUMNS = "p.id, p.name, p.feature, p.country, p.admin1, p.lat, p.lon, p.population"


class GazetteerError(NewsweaveError):
    """The gazetteer file cannot be built or read."""


MEMO_ENTRIES = 50_000  # gazetteer answers kept in memory (a few MB)


@dataclass(frozen=True, slots=True)
class Match:
    """A candidate entry for a name, how well the name matched it (lower: better), and
    the languages a source says write the name so for this entry (empty: unknown)."""

    place: Place
    kind: int
    langs: frozenset[str] = field(default=frozenset())


def default_cache_dir() -> Path:
    """``$NEWSWEAVE_CACHE``, else ``~/.cache/newsweave``."""
    env = os.environ.get(CACHE_ENV)
    return Path(env).expanduser() if env else Path.home() / ".cache" / "newsweave"


class Gazetteer:
    """Read-only access to a built gazetteer file; use :meth:`open`."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self._conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True,
                                         check_same_thread=False)
            meta = dict(self._conn.execute("SELECT key, value FROM meta"))
        except sqlite3.Error as exc:
            raise GazetteerError(f"cannot read gazetteer {self.path}: {exc}") from exc
        self.meta: dict[str, str] = meta
        self.version: str = meta["version"]
        self._languages: dict[str, frozenset[str]] | None = None
        # answers by (name, limit, loose): the file is read-only and the same names
        # ("Iraq", "Roma") come back in article after article
        self._memo: dict[tuple[str, int, bool], tuple[Match, ...]] = {}

    # -- opening and building ---------------------------------------------------------
    @classmethod
    def open(cls, cache_dir: Path | None = None) -> Gazetteer:
        """The gazetteer for the installed sources, built first if not cached yet."""
        src = find_sources()
        folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        path = folder / f"gazetteer-{src.version}.sqlite"
        if not path.exists():
            cls.build(path, src)
        return cls(path)

    @staticmethod
    def build(path: Path, src: Sources | None = None) -> Path:
        """Build the gazetteer file at ``path`` atomically; logs what it took."""
        src = src or find_sources()
        start = time.perf_counter()
        path.parent.mkdir(parents=True, exist_ok=True)
        log.warning("building the place gazetteer once, into %s (about 30 s)", path)
        entries, missing = collect(src)
        if missing:
            log.warning("aliases for unknown place ids ignored: %s", ", ".join(missing))
        fd, tmp = tempfile.mkstemp(prefix=".gazetteer-", suffix=".tmp", dir=path.parent)
        os.close(fd)
        os.unlink(tmp)
        try:
            meta = {"version": src.version, "entries": str(len(entries)),
                    "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
            write(Path(tmp), entries, country_languages(src), meta)
            with sqlite3.connect(tmp) as conn:  # the build time, measured to the end
                conn.execute("INSERT INTO meta VALUES ('build_seconds', ?)",
                             (f"{time.perf_counter() - start:.1f}",))
            conn.close()
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        log.info("built gazetteer: %d entries, %.1f MB, %.1f s", len(entries),
                 path.stat().st_size / 1e6, time.perf_counter() - start)
        return path

    def close(self) -> None:
        """Close the database connection."""
        self._conn.close()

    def __enter__(self) -> Gazetteer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- queries ------------------------------------------------------------------------
    def matches(self, name: str, limit: int = 50, loose: bool = True) -> list[Match]:
        """Candidates for ``name`` with how each matched, most populous first.

        Loose keys (:func:`.names.loose`) are consulted only when nothing matched
        strictly, and only with ``loose=True``: a transliteration variant should not
        compete with a real name.
        """
        asked = (name, limit, loose)
        found = self._memo.get(asked)
        if found is None:
            if len(self._memo) >= MEMO_ENTRIES:
                self._memo.clear()
            found = self._memo[asked] = tuple(self._matches(name, limit, loose))
        return list(found)

    def _matches(self, name: str, limit: int, loose: bool) -> list[Match]:
        key, stripped, loose_key = keys(name)
        if not key:
            return []
        acronym = is_caps(name) and len(key.replace(" ", "")) <= ACRONYM_LETTERS
        levels = {key: NAME}
        if stripped and not acronym:
            levels[stripped] = STRIPPED
        found = self._query(levels, ceiling=STRIPPED, caps=acronym)
        if not found and loose and loose_key and not acronym:
            found = self._query({loose_key: LOOSE}, ceiling=LOOSE)
        ranked = sorted(found.values(),
                        key=lambda m: (-m.place.population, m.kind, m.place.id))[:limit]
        tags = self._tags(key)
        if tags:
            ranked = [Match(m.place, m.kind, tags.get(m.place.id, frozenset()))
                      for m in ranked]
        return ranked

    def _query(self, levels: dict[str, int], ceiling: int, caps: bool = False
               ) -> dict[str, Match]:
        """Best match per place for the query keys; a row's kind is the worse of the
        query key's level and the indexed key's kind. With ``caps``, only names
        written in capitals."""
        marks = ",".join("?" * len(levels))
        rows = self._conn.execute(
            f"SELECT n.key, n.kind, {_COLUMNS} FROM names n JOIN places p "
            f"ON p.rowid = n.place WHERE n.key IN ({marks})"
            + (" AND n.caps = 1" if caps else ""), list(levels))
        best: dict[str, Match] = {}
        for row in rows:
            kind = max(levels[row[0]], row[1])
            if kind > ceiling:
                continue
            place = Place(*row[2:])
            if place.id not in best or kind < best[place.id].kind:
                best[place.id] = Match(place, kind)
        return best

    def _tags(self, key: str) -> dict[str, frozenset[str]]:
        """Place id → languages that write the folded name ``key`` for it."""
        table: dict[str, set[str]] = {}
        for place_id, lang in self._conn.execute(
                "SELECT p.id, t.lang FROM tags t JOIN places p ON p.rowid = t.place "
                "WHERE t.key = ?", (key,)):
            table.setdefault(place_id, set()).add(lang)
        return {k: frozenset(v) for k, v in table.items()}

    def lookup(self, name: str, limit: int = 50) -> list[Place]:
        """Every entry a surface form may name, most populous first; [] if unknown."""
        return [m.place for m in self.matches(name, limit)]

    def get(self, place_id: str) -> Place | None:
        """The entry with this id (``cc:IQ``, ``a1:IQ.10``, ``gn:98182``), or None."""
        row = self._conn.execute(f"SELECT {_COLUMNS} FROM places p WHERE p.id = ?",
                                 (place_id,)).fetchone()
        return Place(*row) if row else None

    def country(self, iso2: str) -> Place | None:
        """The country with this ISO 3166-1 alpha-2 code, or None."""
        return self.get(f"cc:{iso2.upper()}")

    def languages(self, iso2: str) -> frozenset[str]:
        """ISO 639-1 languages GeoNames lists for a country (official and major)."""
        if self._languages is None:
            table: dict[str, set[str]] = {}
            for country, lang in self._conn.execute("SELECT country, lang FROM languages"):
                table.setdefault(country, set()).add(lang)
            self._languages = {k: frozenset(v) for k, v in table.items()}
        return self._languages.get(iso2.upper(), frozenset())
