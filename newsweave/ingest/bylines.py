"""Publication dates stated in an article's own text: bylines and datelines.

Scraped pages and plain-text exports often carry their date only in the text:
"Pubblicato il 27 gennaio 2024", "Publié le 12 mars 2011 à 14h", "MADRID, 3 jun.
(EFE)", "Veröffentlicht am 3. März 2020", "Published March 3, 2020", a line holding
just "27/01/2024 - 14:32". :func:`byline_date` reads such a line and nothing else.

Precision comes before recall: a wrong date misplaces an article in the story
clock, a missing one only leaves it undated. So only short lines near the start
(the first :data:`TOP_LINES` non-empty lines) or the end (the last
:data:`BOTTOM_LINES`) are read, and a date counts only in one of these positions:

* after a publication cue ("Pubblicato il", "Publié le", "Published"): kind
  ``published``;
* in a dateline, a place then the date then an agency in brackets or a dash
  ("ROMA, 27 gen (ANSA) -"): kind ``dateline``; the first lines only. A dateline
  without a year takes the year of the text's other byline dates, or gives nothing;
* alone on its line, with at most a weekday, a time and a few words of byline
  ("di Redazione · 24 novembre 2011"): kind ``line``; the first lines only, but
  never the very first (above the headline, scraped pages print the day they were
  saved), and never in a photo caption, a quoted post or a list of events;
* after a revision cue ("Mis à jour le", "Aggiornato il", "Updated"): kind
  ``updated``, listed by :meth:`BylineReader.candidates` but never taken for the
  publication date by :func:`byline_date`.

A date mentioned in a sentence ("the 1982 massacre", "il 3 marzo 2011 a Bengasi")
never counts. Teaser lines cut with "…" (lists of related articles) are ignored.
A date alone on a line is also refused when it is more than a year later than
every other year the text mentions: pages saved by a scraper often print the day
they were saved ("Miércoles 11 de noviembre de 2020" above a 2011 article).

Month names, weekdays and cue words, per language, are data:
``newsweave/data/dates/words.json``. Numeric dates are read day first
(27/01/2024), except after an English cue, where a date that reads both ways
(12/03/2011) is refused.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib.resources import files

TOP_LINES = 15
BOTTOM_LINES = 8
MAX_LINE = 300  # longer lines are prose, not bylines; also bounds the regex work
_MAX_BARE_WORDS = 6  # words beside a date alone on its line: "di Redazione ·", an author
_MAX_AFTER_WORDS = 3  # after it: "| Paolo Rossi"; more is a sentence ("12 mars 2011. Les...")
_CUE_REACH = 80  # a cue this far into a line at most: further on, the line is prose
_SOCIAL = re.compile(r"\(@\w|(?:^|\s)@\w{2,}")  # "— Name (@handle) March 3, 2020": a quoted post
_KIND_ORDER = ("published", "dateline", "line", "updated")


@dataclass(frozen=True, slots=True)
class BylineDate:
    """A date read from the text: the day, how it was stated, and the line it came from."""

    day: date
    kind: str  # published | dateline | line | updated
    line: str


@dataclass(frozen=True, slots=True)
class _Found:
    """A date expression inside one line: its span and its parts (year may be absent)."""

    start: int
    end: int
    year: int | None
    month: int
    day: int
    numeric_ambiguous: bool = False


class BylineReader:
    """Finds the publication date in a text's byline or dateline (see the module doc)."""

    def __init__(self, words: dict) -> None:
        months: dict[str, int] = {}
        for table in words["months"].values():
            months.update({k.casefold(): v for k, v in table.items()})
        self.months = months
        self.weekdays = frozenset(w.casefold() for ws in words["weekdays"].values() for w in ws)
        self.cues: dict[str, tuple[str, str]] = {}  # cue -> (kind, language)
        for kind in ("updated", "published"):
            for lang, cues in words["cues"][kind].items():
                for cue in cues:
                    self.cues.setdefault(cue.casefold(), (kind, lang))
        self.month_first = frozenset(words.get("month_first", ()))
        self.captions = frozenset(w.casefold() for ws in words.get("captions", {}).values()
                                  for w in ws)
        self._compile()

    def _compile(self) -> None:
        month = "|".join(sorted(map(re.escape, self.months), key=len, reverse=True))
        day = r"(?P<d>[0-3]?\d)(?:er|º|°|ª|st|nd|rd|th|\.)?"
        year = r"(?P<y>(?:19|20)\d\d)"
        self._dmy = re.compile(
            rf"(?<![\w/.-]){day}\s*(?:de\s+)?(?P<m>{month})\.?,?\s*(?:(?:de|del)\s+)?{year}?(?!\w)",
            re.I)
        self._mdy = re.compile(
            rf"(?<![\w/.-])(?P<m>{month})\.?\s+{day},?\s+{year}(?!\w)", re.I)
        self._num = re.compile(
            r"(?<![\w/.:-])(?P<a>[0-3]?\d)(?P<s>[./-])(?P<b>[01]?\d)(?P=s)"
            r"(?P<y>(?:19|20)\d\d|\d\d)(?![\w/:]|[.-]\d)")
        self._iso = re.compile(
            r"(?<![\w/.-])(?P<y>(?:19|20)\d\d)-(?P<b>[01]\d)-(?P<a>[0-3]\d)(?!\d)")
        cue = "|".join(sorted(map(re.escape, self.cues), key=len, reverse=True))
        self._cue = re.compile(rf"(?:^|[\s|·•—–(-])(?P<cue>{cue})\s*[:\-–]?\s*"
                               rf"(?:(?:le|il|el|am|on|a|à|the|el día|del|du|dal|vom|of)\b\s*)?$",
                               re.I)
        updated = "|".join(sorted((re.escape(c) for c, (kind, _) in self.cues.items()
                                   if kind == "updated"), key=len, reverse=True))
        self._revision = re.compile(rf"[\s,;|·•—–(-](?:{updated})\b", re.I)
        self._dateline = re.compile(
            r"^[\W_]*[A-ZÀ-Þ][\w'’.-]*(?:[ -][\w'’.-]+){0,3}\s*(?:\([^()]{1,30}\)\s*)?,\s*$")
        self._after_dateline = re.compile(r"^\s*(?:\([^\W\d_][\w ./-]{0,30}\)|\.?\s*[-–—]|$)")
        self._time = re.compile(
            r"(?:\b(?:à|a|alle|ore|um|at|a las|alle ore)\s+)?\b\d{1,2}(?:[:h.]\d{2})?"
            r"\s*(?:h|uhr|am|pm|hs|horas)?(?!\w)", re.I)
        self._year_any = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")

    # -- one line --------------------------------------------------------------
    def find_in_line(self, line: str) -> _Found | None:
        """The first date expression of a line, with or without a year."""
        found: list[_Found] = []
        for m in self._dmy.finditer(line):
            found.append(self._from_names(m))
            break
        for m in self._mdy.finditer(line):
            found.append(self._from_names(m))
            break
        for m in self._num.finditer(line):
            item = self._from_numbers(m)
            if item is not None:
                found.append(item)
                break
        for m in self._iso.finditer(line):
            found.append(_Found(m.start(), m.end(), int(m["y"]), int(m["b"]), int(m["a"])))
            break
        valid = [f for f in found if _valid(f)]
        return min(valid, key=lambda f: (f.start, -f.end)) if valid else None

    def _from_names(self, m: re.Match[str]) -> _Found:
        year = int(m["y"]) if m["y"] else None
        return _Found(m.start(), m.end(), year, self.months[m["m"].casefold()], int(m["d"]))

    def _from_numbers(self, m: re.Match[str]) -> _Found | None:
        a, b, y = int(m["a"]), int(m["b"]), m["y"]
        year = int(y) if len(y) == 4 else (2000 + int(y) if int(y) < 70 else 1900 + int(y))
        if m["s"] == "." and len(y) == 2:
            return None  # 3.10.11 is as often a version or a score as a date
        both_ways = a <= 12 and b <= 12 and a != b
        return _Found(m.start(), m.end(), year, b, a, numeric_ambiguous=both_ways)

    # -- the text --------------------------------------------------------------
    def candidates(self, text: str) -> list[BylineDate]:
        """Every byline or dateline date near the start or the end of ``text``,
        strongest kind first (see :func:`BylineReader.find`)."""
        lines = [" ".join(x.split()) for x in text.splitlines()]
        lines = [x for x in lines if x]
        top = lines[:TOP_LINES]
        bottom = lines[max(len(top), len(lines) - BOTTOM_LINES):]
        found: list[tuple[str, _Found, str]] = []
        for index, line in enumerate(top):
            item = self._classify(line, top=True)
            # a date alone on the very first line, above the headline, is in scraped
            # pages the day the page was saved ("31 jul 2020" over a 2018 article)
            if item is not None and not (item[0] == "line" and index == 0):
                found.append((*item, line))
        for line in bottom:
            item = self._classify(line, top=False)
            if item is not None:
                found.append((*item, line))
        return self._resolve(found, text)

    def _classify(self, line: str, top: bool) -> tuple[str, _Found] | None:
        """The kind of date a line states, or None when it states none we trust."""
        if len(line) > MAX_LINE or line.endswith(("…", "...")) or _SOCIAL.search(line):
            return None  # prose, a teaser of another article, a quoted post
        found = self.find_in_line(line)
        if found is None:
            return None
        before, after = line[:found.start], line[found.end:]
        cue = self._cue_before(self._time.sub(" ", before)) if found.start <= _CUE_REACH else None
        if cue is not None:
            kind, lang = cue
            if found.numeric_ambiguous and lang in self.month_first:
                return None
            return (kind, found) if found.year is not None else None
        if not top or self._is_caption(line):
            return None
        if (self._dateline.match(before) and self._after_dateline.match(after)
                and self._rest_words(before)):  # "Lunedì, 29 luglio 2013" names no place
            return "dateline", found
        if found.year is not None and self._is_bare(before, after):
            return "line", found
        return None

    def _cue_before(self, before: str) -> tuple[str, str] | None:
        """The (kind, language) of a cue ending just before the date, weekday aside."""
        words = before.rstrip(" ,.:-–—|").split()
        while words and words[-1].casefold().rstrip(",.") in self.weekdays:
            words.pop()
        m = self._cue.search(" ".join(words).rstrip(" ,"))
        if m is None or not _byline_prefix(m.string[:m.start("cue")]):
            return None
        return self.cues.get(m["cue"].casefold())

    def _is_caption(self, line: str) -> bool:
        words = re.split(r"[^\w]+", line.casefold())
        return any(w in self.captions for w in words)

    def _is_bare(self, before: str, after: str) -> bool:
        """True when the rest of the line is only a weekday, a time, separators and a
        few words of byline (an author, "di Redazione"), not a sentence or a caption."""
        if before.rstrip().endswith("(") and before.strip(" (") or after.rstrip().endswith(","):
            return False  # "(04-11-2020)" after a caption; a sentence that goes on
        revision = self._revision.search(after)  # "… — mis à jour le 6 juillet 2013 à 9h07"
        after = after[:revision.start()] if revision else after
        words_before, words_after = self._rest_words(before), self._rest_words(after)
        if words_after and after.lstrip()[:1] in (":", "."):
            return False  # "28 settembre 1970: muore Nasser.": a list of events
        if any(ch.isdigit() for w in words_before + words_after for ch in w):
            return False
        return len(words_before) <= _MAX_BARE_WORDS and len(words_after) <= _MAX_AFTER_WORDS

    def _rest_words(self, part: str) -> list[str]:
        """The words of part of a line, without times, weekdays and revision cues."""
        rest = self._time.sub(" ", part)
        words = [w for w in re.split(r"[\s,;:|·•—–()/-]+", rest) if w.strip(".")]
        return [w for w in words if w.casefold().rstrip(".") not in self.weekdays
                and self.cues.get(w.casefold().rstrip("."), ("", ""))[0] != "updated"]

    def _resolve(self, found: list[tuple[str, _Found, str]], text: str) -> list[BylineDate]:
        """Complete year-less datelines, drop implausible date lines, order by strength."""
        years = {f.year for _, f, _ in found if f.year is not None}
        out: list[BylineDate] = []
        for kind, f, line in found:
            year = f.year
            if year is None:
                if len(years) != 1:
                    continue  # "MADRID, 3 jun. (EFE)" and no other date to give the year
                year = next(iter(years))
            if kind == "line" and not self._year_plausible(year, text, line):
                continue
            try:
                out.append(BylineDate(date(year, f.month, f.day), kind, line))
            except ValueError:  # 29 February of a year that has none
                continue
        out.sort(key=lambda b: _KIND_ORDER.index(b.kind))
        return out

    def _year_plausible(self, year: int, text: str, line: str) -> bool:
        """A bare date line is no later than a year after the latest year the body names."""
        body_years = [int(y) for x in text.splitlines() if x.strip() and " ".join(x.split()) != line
                      and "©" not in x and "copyright" not in x.casefold()
                      for y in self._year_any.findall(x[:2000])]
        return not body_years or year <= max(body_years) + 1

    def find(self, text: str) -> BylineDate | None:
        """The publication date the text states in a byline or dateline, or ``None``.

        The strongest kind wins: a publication cue, a dateline, a date alone on a
        line near the start. Two date lines near the start with different days (a
        list of related articles) mean neither is trusted. A revision date
        ("Aggiornato il", "Updated") is never taken for the publication date.
        """
        found = self.candidates(text)
        if not found:
            return None
        best = found[0]
        if best.kind == "updated":
            return None  # a revision date: on CL-TLS a third were 2+ days off
        if best.kind == "line" and len({b.day for b in found if b.kind == "line"}) > 1:
            return None
        return best


def _byline_prefix(text: str) -> bool:
    """True when what precedes a cue fits a byline: nothing, a separator, or a few
    capitalised words (an author, a site); "C'est sur une vidéo publiée le" is prose."""
    text = text.strip()
    if not text or text[-1] in "|·•—–-(:,;":
        return True
    words = text.split()
    return len(words) <= 4 and all(w[:1].isupper() for w in words)


def _valid(f: _Found) -> bool:
    if not (1 <= f.month <= 12 and 1 <= f.day <= 31):
        return False
    try:
        date(f.year or 2000, f.month, f.day)  # 2000: a leap year, for a year-less 29 Feb
    except ValueError:
        return False
    return True


@lru_cache(maxsize=1)
def default_reader() -> BylineReader:
    """The reader built from the bundled word lists (built once, on first use)."""
    with files("newsweave").joinpath("data/dates/words.json").open(encoding="utf-8") as fh:
        return BylineReader(json.load(fh))


def byline_date(text: str, reader: BylineReader | None = None) -> BylineDate | None:
    """The publication date stated in ``text``'s byline or dateline, or ``None``."""
    return (reader or default_reader()).find(text)
