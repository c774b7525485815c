"""Temporal expressions in text: where they are and their TIMEX3 values.

:class:`DateFinder` runs a language's :class:`~.grammar.Grammar` over the text, keeps
the longest match at each place, then gives each expression its value, left to right:

* absolute ones as written ("7 ottobre 2023" ``2023-10-07``, "nel 2014" ``2014``);
* relative ones counted from the publication date when it is known ("ieri",
  "mercoledì", "l'anno scorso", "last week", "three years ago"); when it is not,
  they stay relative, with ``X`` for what is unknown ("mercoledì" ``XXXX-WXX-3``,
  "il 7 ottobre" ``XXXX-10-07``) and are never guessed;
* "tre anni dopo", "the following year": counted from the expression the text has
  just named (anchor ``previous-expression``);
* durations (``P3Y``) and sets ("every week" ``P1W``, "ogni lunedì" ``XXXX-WXX-1``).

A weekday, or a month without a year, is the last one before the publication date,
unless its sentence speaks of the future (the language's ``future_cues``): then it is
the next one.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Protocol

from .grammar import KINDS, Grammar, key
from .rules import language_files, read_shared

log = logging.getLogger(__name__)
DEFAULT_MAX = 500
_RANK = {kind: i for i, kind in enumerate(KINDS)}
_WORD_BEFORE = re.compile(r"((?:[^\W\d_]+['’])?[^\W\d_]+['’]?)\s*$")
_TWO_BEFORE = re.compile(r"([^\W\d_]+\s+[^\W\d_]+['’]?)\s*$")
_NEXT_WORD = re.compile(r"\s*([^\W\d_])")
_SENTENCE_END = re.compile(r"[.!?\n]")
_CLAUSE_END = re.compile(r"[.!?\n;:,]")
_GRAN_RANK = {"day": 0, "week": 1, "weekend": 1, "month": 2, "quarter": 3, "season": 3,
              "year": 4, "decade": 5, "century": 6}


class _Span(Protocol):
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """One temporal expression: its span in the text as given and its TIMEX3 value.

    ``type``: DATE, TIME, DURATION or SET. ``granularity``: year, month, week,
    weekend, day, time, quarter, season, decade, century or ref (PRESENT_REF and the
    like). ``relative``: the value was counted from an anchor (``anchor``:
    ``publication`` or ``previous-expression``), or is kept relative with ``X`` where
    the anchor is unknown. ``sentence``: index of its sentence when sentences were
    given.
    """

    start: int
    end: int
    text: str
    type: str
    value: str
    granularity: str
    relative: bool
    anchor: str | None = None
    sentence: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``annotate``'s ``dates`` (docs/cli.md)."""
        return {"start": self.start, "end": self.end, "text": self.text, "type": self.type,
                "value": self.value, "granularity": self.granularity,
                "relative": self.relative, "anchor": self.anchor, "sentence": self.sentence}


@dataclass(frozen=True, slots=True)
class DateFindings:
    """What :meth:`DateFinder.find` found, and how many expressions the cap left out."""

    expressions: list[TimeExpression]
    cut: int = 0


@dataclass(slots=True)
class _Resolved:
    type: str
    value: str
    granularity: str
    relative: bool = False
    anchor: str | None = None
    point: date | None = None  # the day it stands for, when fully known (for "later")
    floating: bool = False  # a clock time or part of day whose day is not stated
    needs_day: bool = False  # a bare part of the day ("tarde"): kept only after a day


@dataclass(slots=True)
class _Context:
    text: str
    grammar: Grammar
    published: date | None
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    indexes: list[int] = field(default_factory=list)
    last: tuple[date, str] | None = None  # the last fully known date, at its granularity

    def bounds(self, start: int, end: int, clause: bool = False) -> tuple[int, int]:
        """The sentence (or, with ``clause``, the clause) around ``start``-``end``."""
        if self.starts and not clause:
            i = max(bisect.bisect_right(self.starts, start) - 1, 0)
            return self.starts[i], self.ends[i]
        ends = _CLAUSE_END if clause else _SENTENCE_END
        lo, hi = max(0, start - 200), min(len(self.text), end + 200)
        before = [m.end() for m in ends.finditer(self.text, lo, start)]
        after = ends.search(self.text, end, hi)
        return (before[-1] if before else lo), (after.start() if after else hi)

    def future(self, start: int, end: int) -> bool:
        """Whether the clause around ``start``-``end`` speaks of the future."""
        if self.grammar.future is None:
            return False
        if self.text[end - 1:end] == "." and _last_word(self.text, end - 1) in \
                self.grammar.full_months:
            end -= 1  # "il 3 luglio. Partirà": the full stop ends the clause, not a "lug."
        lo, hi = self.bounds(start, end, clause=True)
        return bool(self.grammar.future.search(self.text, lo, hi))


def _last_word(text: str, end: int) -> str:
    """The folded word that ends at ``end``."""
    start = end
    while start > 0 and text[start - 1].isalpha():
        start -= 1
    return key(text[start:end])


class DateFinder:
    """Finds and normalises temporal expressions; reads the word files once, then
    builds each language's grammar on first use."""

    def __init__(self, folder: Traversable | Path | None = None,
                 max_expressions: int = DEFAULT_MAX) -> None:
        shared = read_shared(folder)
        self._files = language_files(folder)
        self._months: dict[str, dict[str, int]] = shared["months"]
        self._weekdays: dict[str, dict[str, int]] = shared["weekdays"]
        self._month_first = frozenset(shared.get("month_first", ()))
        self._grammars: dict[str, Grammar] = {}
        self.max_expressions = max_expressions

    @property
    def languages(self) -> list[str]:
        """Languages with a date file."""
        return sorted(self._files)

    def grammar(self, lang: str | None) -> Grammar:
        """The grammar of ``lang``; a language without a file gets numeric dates and
        years only."""
        lang = lang if lang in self._files else "xx"
        if lang not in self._grammars:
            words = self._files.get(lang) or _bare_words()
            self._grammars[lang] = Grammar.build(lang, words, self._months.get(lang, {}),
                                                 self._weekdays.get(lang, {}))
        return self._grammars[lang]

    def find(self, text: str, lang: str | None, published: date | datetime | str | None = None,
             sentences: Sequence[_Span] | None = None) -> DateFindings:
        """Every temporal expression of ``text``, in order (see the module doc)."""
        grammar = self.grammar(lang)
        ctx = _Context(text, grammar, as_date(published))
        if sentences:
            ctx.starts = [s.start for s in sentences]
            ctx.ends = [s.end for s in sentences]
            ctx.indexes = [getattr(s, "index", i) for i, s in enumerate(sentences)]
        spans = _select(_candidates(text, grammar, self._month_first))
        cut = max(0, len(spans) - self.max_expressions)
        if cut:
            log.warning("%d temporal expressions beyond max_dates_per_article=%d left out",
                        cut, self.max_expressions)
            spans = spans[: self.max_expressions]
        found: list[tuple[int, int, str, _Resolved]] = []
        for start, end, kind, m in spans:
            resolved = _resolve(kind, m, ctx, self._month_first)
            if resolved is None:
                continue
            if resolved.point is not None:
                ctx.last = (resolved.point, resolved.granularity)
            found.append((start, end, kind, resolved))
        return DateFindings(_finish(text, found, ctx), cut)


def as_date(value: date | datetime | str | None) -> date | None:
    """A publication date as a ``date``; ISO strings are read, ``ValueError`` otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise ValueError(f"published {value!r} is not an ISO date (YYYY-MM-DD)") from None


def _bare_words() -> dict[str, Any]:
    from .rules import FIELDS, _empty
    return {f.name: _empty(f) for f in FIELDS}


# -- candidates ---------------------------------------------------------------------
def _candidates(text: str, g: Grammar, month_first: frozenset[str]
                ) -> list[tuple[int, int, str, re.Match[str]]]:
    out = []
    for kind, pattern in g.patterns:
        for m in pattern.finditer(text):
            start = m.start("h") if kind == "time" else m.start()
            end = m.end()
            if text[end - 1] == "." and kind in ("dmy", "mdy", "my") and m["m"] \
                    and key(m["m"]) in g.full_months:
                end -= 1  # "7 ottobre.": the full stop ends the sentence
            if end > start and _plausible(kind, m, text, g):
                out.append((start, end, kind, m))
    return out


def _plausible(kind: str, m: re.Match[str], text: str, g: Grammar) -> bool:
    """Checks a pattern cannot say: capitals, lowercase-only words, bare years."""
    if g.words.get("capitalised_names"):
        for name in ("m", "wd", "u", "u1", "u2"):
            part = m.groupdict().get(name)
            if part and (key(part) in g.months or key(part) in g.weekdays) \
                    and not part[0].isupper():
                return False
    if kind == "deictic":
        word = m.group("w")
        if key(word) in g.tables["lowercase_only"] and not word.islower():
            return False
    if kind == "year":
        return _bare_year(m, text, g)
    if kind in ("later", "following", "from_previous"):
        last = m.group().split()[-1]
        if key(last) in g.tables["prepositions"]:  # "tre anni dopo l'invasione": a duration
            return not _NEXT_WORD.match(text, m.end())
    if kind == "time":
        return _clock(m, text, g)
    if kind == "edge" and key(f"{m['edge']} {m['u']}") in g.tables["units"]:
        return False  # "fine settimana" is the weekend, not the end of the week
    if kind == "consecutive" and not (m["c1"] or m["c2"]):
        return False
    if kind == "quarter" and m["o"] and not m["y"] \
            and key(m["o"]).rstrip() in g.tables["relative"]:
        return False  # "the last quarter" without a year: the one before publication
    if kind == "season" and not m["y"] and m.start() == m.start("s"):
        return _cued(text[max(0, m.start() - 30): m.start()], g)  # "a été" is no summer
    return True


def _bare_year(m: re.Match[str], text: str, g: Grammar) -> bool:
    """A bare four-digit number is a year after a cue ("nel", "in", "since"), or when no
    lowercase word follows it (not "2000 soldiers")."""
    if _cued(text[max(0, m.start() - 30): m.start()], g):
        return True
    nxt = _NEXT_WORD.match(text, m.end())
    if not nxt:
        return True
    return nxt.group(1).islower() if g.words.get("capitalised_nouns") else \
        not nxt.group(1).islower()


def _cued(before: str, g: Grammar) -> bool:
    """Whether the word (or two) before ends in a year cue ("nel", "d'ici", "in the")."""
    cues = g.tables["year_cues"]
    for pattern in (_TWO_BEFORE, _WORD_BEFORE):
        w = pattern.search(before)
        if w and (key(w.group(1)) in cues or key(re.split(r"['’]", w.group(1))[-1]) in cues):
            return True
    return False


def _clock(m: re.Match[str], text: str, g: Grammar) -> bool:
    """A clock time needs minutes after ":" or "h", a suffix ("pm", "Uhr"), or a cue in
    a language with a 24-hour clock ("alle 15."), with no noun after it ("um 12 Prozent",
    "à 15 ans")."""
    sep, mi, suf, cue = m.group("sep"), m.group("mi"), m.group("suf"), m.group("cue")
    if suf:
        twelve = bool(g.tables["clock_suffixes"].get(key(suf)))
        if not (mi or cue or twelve) and key(suf) in g.tables["units"]:
            return False  # "durante 2 horas" is a duration, "15 Uhr" a time
        return int(m.group("h")) <= (12 if twelve else 24)
    if mi:
        return sep.strip() in (":", "h") or bool(cue)
    if not cue or "" not in g.tables["clock_suffixes"].values():
        return False
    nxt = _NEXT_WORD.match(text, m.end())
    return not nxt or (bool(g.words.get("capitalised_nouns")) and nxt.group(1).islower())


def _select(cands: list[tuple[int, int, str, re.Match[str]]]
            ) -> list[tuple[int, int, str, re.Match[str]]]:
    """The longest candidate at each place (the stronger kind on a tie), in text order."""
    cands.sort(key=lambda c: (c[0] - c[1], _RANK[c[2]], c[0]))
    taken: set[int] = set()
    kept = []
    for c in cands:
        if any(i in taken for i in range(c[0], c[1])):
            continue
        taken.update(range(c[0], c[1]))
        kept.append(c)
    kept.sort(key=lambda c: c[0])
    return kept


# -- values -------------------------------------------------------------------------
def _resolve(kind: str, m: re.Match[str], ctx: _Context, month_first: frozenset[str]
             ) -> _Resolved | None:
    from . import resolve
    if kind == "numeric":
        return resolve.numeric(m, ctx.grammar.lang in month_first)
    return getattr(resolve, kind)(m, ctx)


def _finish(text: str, found: list[tuple[int, int, str, _Resolved]], ctx: _Context
            ) -> list[TimeExpression]:
    """Join a day with the part of the day that follows ("mercoledì sera"); a clock time
    stays apart ("Monday" and "10 a.m.") and takes its sentence's day; sentences
    attached."""
    out: list[TimeExpression] = []
    for start, end, kind, r in found:
        prev = out[-1] if out else None
        joinable = (prev is not None and prev.type == "DATE" and prev.granularity == "day"
                    and _glue(text[prev.end:start], ctx.grammar))
        if kind == "daypart" and joinable and prev is not None:  # "mercoledì sera"
            part = r.value.split("T", 1)[1]
            out[-1] = TimeExpression(prev.start, end, text[prev.start:end], "TIME",
                                     f"{prev.value}T{part}", "time", prev.relative,
                                     prev.anchor, prev.sentence)
            continue
        if kind == "daypart" and r.needs_day:
            continue
        if r.floating:
            r.value = _day_of_sentence(start, end, r.value, found, ctx)
        out.append(TimeExpression(start, end, text[start:end], r.type, r.value,
                                  r.granularity, r.relative, r.anchor,
                                  _sentence(ctx, start)))
    return out


def _day_of_sentence(start: int, end: int, value: str,
                     found: list[tuple[int, int, str, _Resolved]], ctx: _Context) -> str:
    """A clock time or part of day takes the nearest day its sentence names ("at 3:36
    a.m. on Wednesday"), else keeps the publication date it was given."""
    lo, hi = ctx.bounds(start, end)
    best: tuple[int, str] | None = None
    for s, e, _, r in found:
        if lo <= s < hi and r.point is not None and r.granularity in ("day", "time"):
            distance = start - e if e <= start else s - end
            if best is None or distance < best[0]:
                best = (distance, r.point.isoformat())
    return best[1] + value[value.index("T"):] if best else value


def _glue(gap: str, g: Grammar) -> bool:
    gap = gap.strip(" ,\t")
    return not gap or key(gap) in g.tables["time_cues"]


def _sentence(ctx: _Context, start: int) -> int | None:
    if not ctx.starts:
        return None
    return ctx.indexes[max(bisect.bisect_right(ctx.starts, start) - 1, 0)]
