"""Reading numbers: digits by the locale's separators, and number words.

Digits: the language's decimal separator is read as one, the other separator and
no-break spaces (and a plain space where the language says so, as French does) group
thousands, but only in groups of exactly three digits. A lone separator before exactly
three digits is a thousands separator in every language ("2.500" in Italian, "2,500"
in English), except that a lone decimal separator of the locale stays decimal ("2,5",
"1.125"); the finder overrides that when a counted noun follows ("1,500 soldati": nobody
counts a soldier in thousandths). Values are exact (:class:`~decimal.Decimal`), so an
absurd magnitude is measured, never overflowed.

Words: a run of number words is composed the usual way (units add, "hundred"
multiplies what precedes it, "thousand" and larger close a group), and one-word
compounds of Italian and German are split into known pieces first
("duemilacinquecento" = due + mila + cinque + cento).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation

_GROUPS = "\u00a0\u202f'’"
_SCIENTIFIC = re.compile(r"^(\d+(?:[.,]\d+)?)[eE]([+-]?\d{1,6})$")


def parse_digits(chunk: str, decimal: str, *, count_noun: bool = False) -> Decimal | None:
    """The value of a run of digits and separators, or None when it is no number in
    this locale (an IP address, "1.2.3", a group of the wrong size)."""
    sci = _SCIENTIFIC.match(chunk)
    if sci:
        mantissa = parse_digits(sci.group(1), decimal)
        return None if mantissa is None else mantissa.scaleb(int(sci.group(2)))
    seps = [(i, c) for i, c in enumerate(chunk) if not c.isdigit()]
    if not seps:
        return Decimal(chunk)
    kinds = {c for _, c in seps}
    if len(kinds) == 1 and len(seps) == 1:
        return _one_separator(chunk, seps[0][0], decimal, count_noun)
    last_i, last_c = seps[-1]
    if len(kinds) >= 2 and last_c in ".," and seps[-2][1] != last_c:
        head, tail = chunk[:last_i], chunk[last_i + 1:]  # "1.234,56" / "1,234.56"
        whole = _grouped(head)
        return None if whole is None else Decimal(f"{whole}.{tail}")
    whole = _grouped(chunk)
    return None if whole is None else Decimal(whole)


def _one_separator(chunk: str, i: int, decimal: str, count_noun: bool) -> Decimal | None:
    head, sep, tail = chunk[:i], chunk[i], chunk[i + 1:]
    if sep in _GROUPS or sep == " ":
        return Decimal(head + tail) if len(tail) == 3 and len(head) <= 3 else None
    grouping = len(tail) == 3 and len(head) <= 3 and head != "0"
    if grouping and (sep != decimal or count_noun):
        return Decimal(head + tail)
    return Decimal(f"{head}.{tail}")


def _grouped(text: str) -> str | None:
    """Digits grouped by one kind of separator in threes, as plain digits."""
    parts = re.split(r"[.,\u00a0\u202f'’ ]", text)
    if len(parts[0]) > 3 or any(len(p) != 3 for p in parts[1:]):
        return None
    seps = {c for c in text if not c.isdigit()}
    return "".join(parts) if len(seps) == 1 else None


def split_compound(word: str, pieces: Mapping[str, float]) -> list[float] | None:
    """The values of the known pieces that make up ``word`` exactly, longest pieces
    first, or None ("duemilacinquecento" -> [2, 1000, 5, 100])."""
    if not word:
        return []
    for size in range(min(len(word), 14), 1, -1):
        head = word[:size]
        if head in pieces:
            rest = split_compound(word[size:], pieces)
            if rest is not None:
                return [pieces[head], *rest]
    return None


def compose(values: Sequence[float]) -> Decimal | None:
    """The number that a sequence of number-word values spells, or None when the
    sequence makes no number ("hundred thousand two" is fine, "two three" is not).
    A negative value is a multiplier word ("dozen": -12), which multiplies what
    precedes it as "hundred" does."""
    total, current, last = Decimal(0), Decimal(0), None
    for raw in values:
        v = abs(Decimal(str(raw)))
        if raw < 0 or v == 100:
            current = max(current, Decimal(1)) * v
        elif v >= 1000:
            total += max(current, Decimal(1)) * v
            current = Decimal(0)
        elif v == 0:
            continue  # a joiner inside a compound ("und")
        else:
            if last is not None and last < 100 and v < 10 and last < 10:
                return None  # "two three" is two numbers, not one
            current += v
        last = v
    return total + current


def exact(value: Decimal) -> int | float:
    """A value for output: an int when it is whole (a float beyond 1e30, which no
    limit lets through: an int of 50,000 digits cannot even be printed)."""
    if value.is_finite() and value != 0 and value.adjusted() > 30:
        return float(value)
    try:
        as_int = int(value)
    except (OverflowError, ValueError, InvalidOperation):
        return float(value)
    return as_int if value == as_int else float(value)
