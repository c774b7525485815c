"""TIMEX3 values: dates written at a granularity, counted forward and back.

A value is written at the granularity the text gives: ``2014`` (year), ``2020-01``
(month), ``2024-W03`` (ISO week), ``2024-01-24`` (day), ``2024-Q1`` (quarter),
``2023-SU`` (season), ``199`` (decade), ``19`` (century). Parts that are unknown are
``X``: ``XXXX-10-07``, ``XXXX-WXX-3``. Every function here refuses (``None``) rather
than guess: a shift that leaves the years 1-9999 gives no value.
"""

from __future__ import annotations

from datetime import date, timedelta

# Granularity of each unit code, and what an unknown value looks like at it.
GRANULARITY = {"Y": "year", "M": "month", "W": "week", "D": "day", "H": "time",
               "MIN": "time", "S": "time", "DE": "decade", "CE": "century", "Q": "quarter",
               "WE": "weekend", "2W": "week"}
UNKNOWN = {"year": "XXXX", "month": "XXXX-XX", "week": "XXXX-WXX", "day": "XXXX-XX-XX",
           "quarter": "XXXX-QX", "decade": "XXX", "century": "XX", "weekend": "XXXX-WXX-WE",
           "time": "XXXX-XX-XXTXX:XX", "season": "XXXX-XX"}


def fmt(day: date, granularity: str) -> str:
    """``day`` written at ``granularity`` (``year``, ``month``, ``week``, ...)."""
    if granularity == "year":
        return f"{day.year:04d}"
    if granularity == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if granularity in ("week", "weekend"):
        iso_year, week, _ = day.isocalendar()
        return f"{iso_year:04d}-W{week:02d}" + ("-WE" if granularity == "weekend" else "")
    if granularity == "quarter":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    if granularity == "decade":
        return f"{day.year // 10:03d}"
    if granularity == "century":
        return f"{day.year // 100:02d}"
    return day.isoformat()


def shift(day: date, unit: str, n: int) -> date | None:
    """``day`` moved by ``n`` units (``Y``, ``M``, ``W``, ``D``, ``Q``, ``DE``, ``CE``,
    ``WE``, ``2W``); ``None`` outside the calendar or for units below a day."""
    try:
        if unit == "D":
            return day + timedelta(days=n)
        if unit in ("W", "WE"):
            return day + timedelta(weeks=n)
        if unit == "2W":
            return day + timedelta(weeks=2 * n)
        months = {"Y": 12, "M": 1, "Q": 3, "DE": 120, "CE": 1200}.get(unit)
        if months is None:
            return None
        total = day.year * 12 + day.month - 1 + n * months
        year, month = divmod(total, 12)
        return date(year, month + 1, 1)
    except (OverflowError, ValueError):
        return None


def weekday_near(day: date, weekday: int, future: bool) -> date | None:
    """The ``weekday`` (ISO, Monday 1) nearest ``day``: the last one on or before it, or
    with ``future`` the next one on or after it."""
    delta = (weekday - day.isoweekday()) % 7 if future else -((day.isoweekday() - weekday) % 7)
    try:
        return day + timedelta(days=delta)
    except OverflowError:
        return None


def year_for(published: date, month: int, day: int | None, future: bool) -> int:
    """The year of a month (and day) the text names without one, read from the
    publication date: in past-tense news the last such date, allowing two weeks
    ahead for plans stated without a future verb; with ``future`` the next one."""
    year = published.year
    if day is None:
        if future:
            return year + 1 if month < published.month else year
        return year - 1 if month > published.month else year
    try:
        this = date(year, month, min(day, 28) if month == 2 and day == 29 else day)
    except ValueError:
        return year
    if future:
        return year + 1 if this < published - timedelta(days=3) else year
    return year - 1 if this > published + timedelta(days=14) else year


def valid_day(year: int, month: int, day: int) -> bool:
    """True for a real calendar day."""
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def duration(n: float | str, unit: str) -> str:
    """A TIMEX3 duration: ``P3Y``, ``PT2H``, ``PXW`` (unknown count), ``P1.5Y``."""
    if unit == "2W":
        n, unit = (n * 2 if isinstance(n, int | float) else n), "W"
    if unit == "WE":
        return f"P{_num(n)}WE"
    code = {"MIN": "M", "H": "H", "S": "S"}.get(unit)
    if code:
        return f"PT{_num(n)}{code}"
    return f"P{_num(n)}{unit}"


def _num(n: float | str) -> str:
    if isinstance(n, str):
        return n
    return str(int(n)) if float(n).is_integer() else str(n)
