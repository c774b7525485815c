"""The value of each kind of match (one function per pattern kind of the grammar).

Each takes the regex match and the finder's context (language tables, publication
date, the last fully known date) and returns the expression's type, value and
granularity, or ``None`` when the match is no date after all (31 February).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from . import calendar as cal
from .grammar import key

if TYPE_CHECKING:
    from .finder import _Context, _Resolved

PUB = "publication"
PREV = "previous-expression"
_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


def _r(*args: Any, **kwargs: Any) -> _Resolved:  # noqa: ANN401
    from .finder import _Resolved
    return _Resolved(*args, **kwargs)


def _day(year: int, month: int, day: int, rel: bool = False, anchor: str | None = None,
         ) -> _Resolved | None:
    if not cal.valid_day(year, month, day):
        return None
    d = date(year, month, day)
    return _r("DATE", d.isoformat(), "day", rel, anchor, d)


def _count(word: str | None, ctx: _Context) -> float | str:
    """The number before a unit: digits, a number word, or X for "several"."""
    if word is None:
        return 1
    w = key(word).rstrip("'").strip()
    if re.fullmatch(r"\d+(?:[.,]5)?", w):
        return float(w.replace(",", ".")) if not w.isdigit() else int(w)
    table = ctx.grammar.tables
    for k in (w, w + "'"):
        if k in table["numbers"]:
            return table["numbers"][k]
        if k in table["vague"]:
            return "X"
    return "X"


def _unit(word: str, ctx: _Context) -> str:
    return ctx.grammar.tables["units"].get(key(word), "")


# -- absolute -----------------------------------------------------------------------
def iso(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    r = _day(int(m["y"]), int(m["m"]), int(m["d"]))
    if r is not None and m["h"]:
        return _r("TIME", f"{r.value}T{m['h']}:{m['mi']}", "time", point=r.point)
    return r


def numeric(m: re.Match[str], month_first: bool) -> _Resolved | None:
    a, b, y = int(m["a"]), int(m["b"]), m["y"]
    year = int(y) if len(y) == 4 else (2000 + int(y) if int(y) < 50 else 1900 + int(y))
    if a <= 12 and b > 12 or (month_first and a <= 12 and b <= 12):
        a, b = b, a
    return _day(year, b, a)


def _month(word: str, ctx: _Context) -> int:
    return ctx.grammar.months.get(key(word).rstrip("."), 0)


def dmy(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    return _day_month(int(m["d"]), _month(m["m"], ctx), m["y"], m["rel"] or m["rel0"], m, ctx)


def mdy(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    return _day_month(int(m["d"]), _month(m["m"], ctx), m["y"], None, m, ctx)


def _day_month(d: int, month: int, y: str | None, rel: str | None, m: re.Match[str],
               ctx: _Context) -> _Resolved | None:
    if not month or not cal.valid_day(2000, month, d):
        return None
    if y:
        return _day(int(y), month, d)
    if ctx.published is None:
        return _r("DATE", f"XXXX-{month:02d}-{d:02d}", "day", True, PUB)
    shift = ctx.grammar.tables["relative"].get(key(rel).rstrip()) if rel else None
    future = shift == 1 or (shift != -1 and ctx.future(m.start(), m.end()))
    year = cal.year_for(ctx.published, month, d, future)
    return _day(year, month, d, True, PUB) or _r("DATE", f"XXXX-{month:02d}-{d:02d}", "day",
                                                  True, PUB)


def my(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    month = _month(m["m"], ctx)
    return _r("DATE", f"{int(m['y']):04d}-{month:02d}", "month",
              point=date(int(m["y"]), month, 1)) if month else None


def year(m: re.Match[str], ctx: _Context) -> _Resolved:
    return _r("DATE", m["y"], "year", point=date(int(m["y"]), 1, 1))


def quarter(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    q = m["od"] or ctx.grammar.tables["ordinals"].get(key(m["o"] or "").rstrip("'").strip())
    if not q or not 1 <= int(q) <= 4:
        return None
    if m["y"]:
        return _r("DATE", f"{m['y']}-Q{q}", "quarter", point=date(int(m["y"]), 3 * int(q) - 2, 1))
    if ctx.published is None:
        return _r("DATE", f"XXXX-Q{q}", "quarter", True, PUB)
    return _r("DATE", f"{ctx.published.year:04d}-Q{q}", "quarter", True, PUB,
              date(ctx.published.year, 3 * int(q) - 2, 1))


def decade(m: re.Match[str], ctx: _Context) -> _Resolved:
    century = m["c1"] or m["c2"] or "19"
    return _r("DATE", f"{century}{m['d1'] or m['d2']}", "decade",
              point=date(int(century) * 100 + int(m["d1"] or m["d2"]) * 10, 1, 1))


# -- counted from the publication date ----------------------------------------------
def deictic(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    code = ctx.grammar.tables["deictic"][key(m["w"])]
    if code.endswith("_REF"):
        return _r("DATE", code, "ref")
    n, _, part = code.partition("D")
    day = cal.shift(ctx.published, "D", int(n)) if ctx.published else None
    value = day.isoformat() if day else "XXXX-XX-XX"
    if part:
        return _r("TIME", f"{value}T{part}", "time", True, PUB, day)
    return _r("DATE", value, "day", True, PUB, day)


def relative(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    t = ctx.grammar.tables
    word = m["u1"] or m["u2"]
    shift = t["relative"].get(key(m["r1"] or m["r2"] or "").rstrip(), 0)
    if key(word) in ctx.grammar.weekdays:
        return _weekday(ctx.grammar.weekdays[key(word)], shift, m, ctx)
    if key(word) in t["seasons"]:
        return _season(t["seasons"][key(word)], shift, ctx)
    unit = _unit(word, ctx)
    gran = cal.GRANULARITY.get(unit)
    if gran is None or gran == "time":
        return None
    if m["art"] and unit != "Q" and key(m["r1"] or m["r2"]).rstrip() in t["duration_relative"]:
        return _r("DURATION", cal.duration(1, unit), gran)  # "the past year": a span
    if ctx.published is None:
        return _r("DATE", cal.UNKNOWN[gran], gran, True, PUB)
    day = cal.shift(ctx.published, unit, shift)
    if day is None:
        return None
    return _r("DATE", cal.fmt(day, gran), gran, True, PUB, day)


def _weekday(wd: int, shift: int, m: re.Match[str], ctx: _Context) -> _Resolved | None:
    if ctx.published is None:
        return _r("DATE", f"XXXX-WXX-{wd}", "day", True, PUB)
    if shift == -1:
        day = cal.weekday_near(ctx.published - timedelta(days=1), wd, False)
    elif shift == 1:
        day = cal.weekday_near(ctx.published + timedelta(days=1), wd, True)
    else:
        day = cal.weekday_near(ctx.published, wd, ctx.future(m.start(), m.end()))
    return _r("DATE", day.isoformat(), "day", True, PUB, day) if day else None


def _season(code: str, shift: int, ctx: _Context, inclusive: bool = False) -> _Resolved:
    """The last (-1), this (0) or next (1) such season; ``inclusive``: the one under way
    counts as the last or the next."""
    if ctx.published is None:
        return _r("DATE", f"XXXX-{code}", "season", True, PUB)
    y, start, now = ctx.published.year, _SEASON_START[code], ctx.published.month
    if shift == -1:
        y = y if start < now or (inclusive and start == now) else y - 1
    elif shift == 1:
        y = y if start > now or (inclusive and start == now) else y + 1
    return _r("DATE", f"{y:04d}-{code}", "season", True, PUB)


def weekday(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    """A weekday named alone: the last one, or the next in a sentence about the future."""
    r = _weekday(ctx.grammar.weekdays[key(m["wd"])], 0, m, ctx)
    if r is None or not m["p"]:
        return r
    part = ctx.grammar.tables["day_parts"][key(m["p"])]
    return _r("TIME", f"{r.value}T{part}", "time", True, PUB)


def month(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    n = _month(m["m"], ctx)
    if not n:
        return None
    if ctx.published is None:
        return _r("DATE", f"XXXX-{n:02d}", "month", True, PUB)
    shift = ctx.grammar.tables["relative"].get(key(m["r1"] or m["r2"] or "").rstrip())
    pub = ctx.published
    if shift == -1:
        y = pub.year if n < pub.month else pub.year - 1
    elif shift == 1:
        y = pub.year if n > pub.month else pub.year + 1
    elif shift == 0:
        y = pub.year
    else:
        y = cal.year_for(pub, n, None, ctx.future(m.start(), m.end()))
    return _r("DATE", f"{y:04d}-{n:02d}", "month", True, PUB, date(y, n, 1))


def ago(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    """"Tre anni fa", "il y a trois ans" (back), "dans trois jours" (ahead): counted from
    the publication date."""
    sign = 1 if m["ahead1"] or m["ahead2"] else -1
    n = _count(m["n1"] or m["n2"] or m["n3"] or m["n4"], ctx)
    unit = _unit(m["u1"] or m["u2"] or m["u3"] or m["u4"], ctx)
    gran = cal.GRANULARITY.get(unit, "day")
    gran = "day" if gran == "time" else gran
    if not isinstance(n, int) or n > 10_000:
        return _r("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", "ref", True, PUB)
    if ctx.published is None:
        return _r("DATE", cal.UNKNOWN[gran], gran, True, PUB)
    day = ctx.published if unit in ("H", "MIN", "S") else \
        cal.shift(ctx.published, unit, sign * n)
    if day is None:
        return None
    return _r("DATE", cal.fmt(day, gran), gran, True, PUB, day)


def time(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    h, mi = int(m["h"]), int(m["mi"] or 0)
    suffix = ctx.grammar.tables["clock_suffixes"].get(key(m["suf"] or ""), "")
    if suffix == "pm" and h < 12:
        h += 12
    elif suffix == "am" and h == 12:
        h = 0
    base = ctx.published.isoformat() if ctx.published else "XXXX-XX-XX"
    return _r("TIME", f"{base}T{h:02d}:{mi:02d}", "time", True, PUB, floating=True)


def daypart(m: re.Match[str], ctx: _Context) -> _Resolved:
    """A part of the day named alone ("in der Nacht"): the day of its sentence, else the
    publication date. Without an article or preposition ("tarde", late) it counts only
    right after a day ("mercoledì sera")."""
    base = ctx.published.isoformat() if ctx.published else "XXXX-XX-XX"
    part = ctx.grammar.tables["day_parts"][key(m["p"])]
    return _r("TIME", f"{base}T{part}", "time", True, PUB, floating=True,
              needs_day=not m["glue"])


def season(m: re.Match[str], ctx: _Context) -> _Resolved:
    code = ctx.grammar.tables["seasons"][key(m["s"])]
    if m["y"]:
        return _r("DATE", f"{m['y']}-{code}", "season")
    if ctx.published is None:
        return _r("DATE", f"XXXX-{code}", "season", True, PUB)
    return _season(code, 1 if ctx.future(m.start(), m.end()) else -1, ctx, inclusive=True)


# -- counted from the expression just named -----------------------------------------
def later(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    n = _count(m["n"], ctx)
    direction = ctx.grammar.tables["later"].get(key(m["dir"]), 1)
    return _from_previous(n, _unit(m["u"], ctx), direction, ctx)


def following(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    direction = ctx.grammar.tables["following"].get(key(m["f1"] or m["f2"]).rstrip(), 1)
    return _from_previous(1, _unit(m["u1"] or m["u2"], ctx), direction, ctx)


def _from_previous(n: float | str, unit: str, direction: int, ctx: _Context
                   ) -> _Resolved | None:
    gran = cal.GRANULARITY.get(unit)
    if gran is None or gran == "time":
        return None
    last = ctx.last
    from .finder import _GRAN_RANK
    if not isinstance(n, int) or last is None \
            or _GRAN_RANK.get(last[1], 9) > _GRAN_RANK.get(gran, 0):
        return _r("DATE", cal.UNKNOWN[gran], gran, True, PREV)
    day = cal.shift(last[0], unit, direction * n)
    if day is None:
        return _r("DATE", cal.UNKNOWN[gran], gran, True, PREV)
    if unit == "Y" and last[1] == "quarter":
        gran = last[1]  # "the third quarter ... a year earlier": that quarter a year before
    return _r("DATE", cal.fmt(day, gran), gran, True, PREV, day)


# -- durations and sets ---------------------------------------------------------------
def duration(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    unit = _unit(m["u"] or m["uh"], ctx)
    if not unit:
        return None
    n = _count(m["n"] or (m["nh"] or "").rstrip("-"), ctx)
    if m["half"] and isinstance(n, int | float):
        n += 0.5
    return _r("DURATION", cal.duration(n, unit), cal.GRANULARITY[unit])


def set(m: re.Match[str], ctx: _Context) -> _Resolved | None:  # noqa: A001 - pattern kind
    word = key(m["u"])
    if word in ctx.grammar.tables["seasons"]:
        return _r("SET", f"XXXX-{ctx.grammar.tables['seasons'][word]}", "season")
    if word in ctx.grammar.weekdays:
        return _r("SET", f"XXXX-WXX-{ctx.grammar.weekdays[word]}", "day")
    unit = _unit(m["u"], ctx)
    if not unit:
        return None
    return _r("SET", cal.duration(_count(m["n"], ctx), unit), cal.GRANULARITY[unit])


def set_adverb(m: re.Match[str], ctx: _Context) -> _Resolved:
    value = ctx.grammar.tables["set_adverbs"][key(m["w"])]
    unit = value.lstrip("PT0123456789")
    gran = cal.GRANULARITY.get("H" if value.startswith("PT") else unit, "day")
    return _r("SET", value, gran)


def from_previous(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    """"La veille", "the next day": a day counted from the last day the text named."""
    code = ctx.grammar.tables["from_previous"][key(m["w"])]
    n, _, part = code.partition("D")
    last = ctx.last
    day = cal.shift(last[0], "D", int(n)) if last and last[1] in ("day", "time") else None
    value = day.isoformat() if day else "XXXX-XX-XX"
    if part:
        return _r("TIME", f"{value}T{part}", "time", True, PREV, day)
    return _r("DATE", value, "day", True, PREV, day)


def day_of_month(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    """"El pasado día 12": that day of the publication's month, or of the month before
    when it is well ahead of the publication date (the next month in a future clause)."""
    d = int(m["d"])
    if not 1 <= d <= 31:
        return None
    if ctx.published is None:
        return _r("DATE", f"XXXX-XX-{d:02d}", "day", True, PUB)
    pub = ctx.published
    shift = ctx.grammar.tables["relative"].get(key(m["rel0"] or "").rstrip())
    future = shift == 1 or (shift != -1 and ctx.future(m.start(), m.end()))
    months = 0
    if future and d < pub.day:
        months = 1
    elif not future and (d > pub.day + 3 or (shift == -1 and d >= pub.day)):
        months = -1
    first = cal.shift(pub.replace(day=1), "M", months)
    if first is None or not cal.valid_day(first.year, first.month, d):
        return None
    return _day(first.year, first.month, d, True, PUB)


def consecutive(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    """"Il terzo mese consecutivo", "the third straight month": a span of that many."""
    word = key(m["o"]).rstrip("'").strip()
    n = ctx.grammar.tables["ordinals"].get(word)
    unit = _unit(m["u"], ctx)
    if not n or not unit or word in ctx.grammar.tables["relative"]:
        return None
    return _r("DURATION", cal.duration(n, unit), cal.GRANULARITY[unit])


def edge(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    """"The end of the year", "le début de l'année prochaine": that unit, counted from
    the publication date."""
    unit = _unit(m["u"], ctx)
    gran = cal.GRANULARITY.get(unit)
    if gran is None or gran == "time":
        return None
    shift = ctx.grammar.tables["relative"].get(key(m["r1"] or m["r2"] or "").rstrip(), 0)
    if ctx.published is None:
        return _r("DATE", cal.UNKNOWN[gran], gran, True, PUB)
    day = cal.shift(ctx.published, unit, shift)
    return _r("DATE", cal.fmt(day, gran), gran, True, PUB, day) if day else None


_ROMAN = {"I": 1, "V": 5, "X": 10}


def century(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    """"The 21st century", "XXe siècle", "siglo XXI": the century, ``20``."""
    n = int(m["c"]) if m["c"] else _roman(m["r1"] or m["r2"])
    if not 1 <= n <= 30:
        return None
    return _r("DATE", f"{n - 1:02d}", "century")


def _roman(text: str) -> int:
    values = [_ROMAN[c] for c in text.upper()]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v
               for i, v in enumerate(values))


def holiday(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    """A holiday on a fixed day: read as that day without a year (or with the one given)."""
    month, day = (int(x) for x in ctx.grammar.tables["holidays"][key(m["w"])].split("-"))
    return _day_month(day, month, m["y"], None, m, ctx)
