"""Finding quantities in a sentence: the number, its cues, its unit, what it counts.

One pass over each sentence's tokens, left to right. At a number (digits, number
words, or a vague plural such as "migliaia") the finder reads outwards:

1. the core: digits read by the locale (:mod:`.numbers`), a scale after them
   ("2,5 milioni", "$5bn"), or a run of number words ("two million", "duemila");
2. a range: "2-3,000", "between 2,000 and 3,000", "tra 2.000 e 3.000" (the low end
   takes the high end's scale: "2-3 million" is 2 to 3 million);
3. a currency sign before, a unit after ("%", "euro", "km", "di euro");
4. cues before and after: approximation ("circa", "about"), bounds ("more than",
   "oltre": low set, high open; "up to": high set);
5. what is counted: the first noun of the language's ``counted`` list after the
   number (skipping "di"/"of" and up to two other words: "2,500 US troops"), else,
   after a linking word, one before it in the same clause ("the death toll rose to
   45"); a verb of the ``counted_verbs`` list before the number or after the noun
   says what happened: it replaces "people" ("45 persone sono morte", "killing 45
   people": ``killed``) and is added to other nouns ("troops killed").

Then it refuses what is no quantity: years (a bare 1000-2100 with nothing counted
right after it), dates (a day or year beside a month name, "7/10"), clock times
("10:30", "15 Uhr", "alle 10", "20.45" where "." is no decimal point), ordinals
("3rd", German "der 3."), phone numbers, URLs and e-mail addresses, leading zeros,
labels ("article 5", "legge 194") and numbers inside names ("F-16", "G7": letters
stuck to them; "a Boeing 737", "737 MAX": a capitalised word inside the sentence
before, or a word in capitals after, and nothing counted).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .lexicon import QuantityWords
from .model import Quantity
from .numbers import compose, exact, parse_digits, split_compound
from .tokens import NUM, WORD, Phrases, Token, tokenise, tokenizer

# Bounded repetitions: an unbounded ``\S+@`` is quadratic on a long run of digits.
_URL = re.compile(r"(?:https?://|www\.)\S+|(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}"
                  r"(?:\.[\w-]{1,63})+", re.IGNORECASE)
_PHONE = re.compile(r"\+\d[\d ().\-/]{6,}\d|\(0\d+\)\s?\d[\d .\-/]{4,}\d|"
                    r"\b0\d{1,4}[ ./\-]\d{3,}(?:[ ./\-]\d{2,})*\b|\b\d{3}-\d{3,4}-\d{4}\b")
_CLOCK = re.compile(r"^(?:[01]?\d|2[0-4])\.[0-5]\d$")
_POWERS = frozenset({100, 1000, 10 ** 6, 10 ** 9, 10 ** 12})
_LOOKAHEAD = 40  # characters read past a sentence's end, for context
_DATE_MARKS = frozenset({".", "-"})  # "3. Oktober", "7-Oct"
_CLAUSE_MARKS = frozenset(",;:()[]—–\"“”«»")


@dataclass(slots=True)
class _Core:
    """A number read at one place: its value or range, and the tokens it used."""

    first: int
    after: int  # index of the first token after it
    value: Decimal | None
    low: Decimal | None
    high: Decimal | None
    digits: bool  # written in digits
    plain: bool  # digits without separators or scale: could be a year
    scaled: Decimal | None = None  # the scale word's factor, if one followed
    at: int = -1  # the index of its (first) number; -1: ``first``


@dataclass(slots=True)
class _Found:
    """A quantity being assembled."""

    core: _Core
    first: int
    after: int
    approx: bool = False
    lower: bool = False
    upper: bool = False
    unit: str | None = None
    counted: str | None = None
    counted_after: bool = False  # what is counted was read after the number
    counted_gap: int = 0  # words skipped between the number and what it counts
    counted_end: int | None = None  # the end offset of that noun, when after


class QuantityFinder:
    """Finds quantities in texts of one language (see the module docstring)."""

    def __init__(self, words: QuantityWords) -> None:
        self.words = words
        self.lang = words.lang
        self.pattern = tokenizer(words.space_groups)
        p = self.pattern
        w = words.words
        self.number_words: dict[str, float] = dict(w("number_words"))
        self.pieces = {**self.number_words, **dict(w("number_morphemes"))}
        self.compounds = bool(w("number_morphemes"))
        self.multiplier_words = frozenset(w("multiplier_words"))
        self.article_ones = frozenset(w("article_ones"))
        self.bare_multipliers = frozenset(w("bare_multipliers"))
        self.joiners = frozenset(w("number_joiners"))
        self.scales = Phrases(w("scales"), p)
        self.attached = dict(w("attached_scales"))
        self.vague = Phrases(w("vague"), p)
        self.approx_before = Phrases(w("approx_before"), p)
        self.approx_after = Phrases(w("approx_after"), p)
        self.lower_before = Phrases(w("lower_before"), p)
        self.lower_after = Phrases(w("lower_after"), p)
        self.upper_before = Phrases(w("upper_before"), p)
        self.openers = Phrases(w("range_openers"), p)
        self.links = Phrases(w("range_links"), p)
        self.bare_links = Phrases(w("range_bare_links"), p)
        self.units = Phrases({**dict(w("units_after")), **dict(w("units"))}, p)
        self.units_before = Phrases(w("units_before"), p)
        self.counted = Phrases(w("counted"), p)
        self.verbs = Phrases(w("counted_verbs"), p)
        self.verb_keys = frozenset(dict(w("counted_verbs")).values())
        self.generic = frozenset(w("generic_counted"))
        self.currencies = frozenset(w("currencies"))
        self.counted_links = frozenset(w("counted_links"))
        self.time_after = Phrases(w("time_after"), p)
        self.time_before = Phrases(w("time_before"), p)
        self.ordinal_before = frozenset(w("ordinal_before"))
        self.labels = frozenset(w("label_words"))
        self.lookback_links = Phrases(w("lookback_links"), p)
        self.and_words = frozenset(w("and_words"))
        self.months = words.months
        self.date_links = frozenset(w("date_links"))
        self.suffixes = frozenset({*self.attached, *dict(w("units_after")), *dict(w("scales")),
                                   *dict(w("units")), *w("ordinal_suffixes"),
                                   *w("time_after")})
        self.ordinal_suffixes = frozenset(w("ordinal_suffixes"))
        cues = (w("approx_before"), w("lower_before"), w("upper_before"),
                w("range_openers"))
        self.cue_words = frozenset(x for group in cues for phrase in group
                                   for x in phrase.split())

    # -- the sentence --------------------------------------------------------------
    def sentence(self, text: str, start: int, end: int, index: int) -> list[Quantity]:
        """The quantities that start in ``text[start:end]``, one sentence. The tokens
        run a little past its end: a split after "am 3." or "1,2 Mrd." must not hide
        the month or the unit that follows."""
        stop = min(len(text), end + _LOOKAHEAD)
        toks = tokenise(text, start, stop, self.pattern, self.suffixes)
        phones = [(m.start() + start, m.end() + start)
                  for pattern in (_PHONE, _URL) for m in pattern.finditer(text[start:stop])]
        out: list[Quantity] = []
        i = floor = 0
        while i < len(toks) and toks[i].start < end:
            found = self._at(toks, i, phones, floor)
            if found is None:
                i += 1
                continue
            out.append(self._quantity(text, toks, found, index))
            i = floor = found.after
        return out

    def _at(self, toks: list[Token], i: int, phones: list[tuple[int, int]], floor: int
            ) -> _Found | None:
        core = self._core(toks, i)
        if core is None or _inside(toks[i], phones):
            return None
        core = self._range(toks, core)
        found = _Found(core, core.first, core.after)
        self._unit(toks, found)
        self._cues(toks, found)
        self._what(toks, found, floor)
        return None if self._refused(toks, found) else found

    # -- the core number -------------------------------------------------------------
    def _core(self, toks: list[Token], i: int) -> _Core | None:
        tok = toks[i]
        if tok.kind == NUM:
            return self._digits(toks, i)
        if tok.kind != WORD:
            return None
        vague = self.vague.at(toks, i)
        if vague and not self._number_word_before(toks, i):
            n, (low, high) = vague
            return _Core(i, i + n, None, Decimal(str(low)), Decimal(str(high)), False, False)
        return self._words(toks, i)

    def _digits(self, toks: list[Token], i: int) -> _Core | None:
        text = toks[i].text
        if len(text) > 1 and text[0] == "0" and text[1].isdigit():
            return None
        if self.words.decimal == "," and _CLOCK.match(text):
            return None  # "20.45" where "." is no decimal point: a clock time
        if i + 1 < len(toks) and toks[i + 1].start == toks[i].end \
                and toks[i + 1].low in self.ordinal_suffixes and toks[i + 1].low != "°":
            return None  # "3rd", "2ème", "1º": an ordinal
        value = parse_digits(text, self.words.decimal,
                             count_noun=self._counted_after(toks, i + 1))
        if value is None:
            return None
        after, scale = self._scale(toks, i + 1, attached_to=toks[i])
        plain = text.isdigit() and scale is None
        if scale is not None:
            value *= scale
        first = i
        if _minus_before(toks, i):
            value, first, plain = -value, i - 1, False
        return _Core(first, after, value, value, value, True, plain, scale)

    def _scale(self, toks: list[Token], j: int, attached_to: Token
               ) -> tuple[int, Decimal | None]:
        """(index after, factor) of a scale word at ``j``, if there is one."""
        if j < len(toks) and toks[j].start == attached_to.end and toks[j].low in self.attached:
            return j + 1, Decimal(str(self.attached[toks[j].low]))
        k = _past_hyphen(toks, j)
        hit = self.scales.at(toks, k)
        if hit:
            return k + hit[0], Decimal(str(hit[1]))
        return j, None

    def _words(self, toks: list[Token], i: int) -> _Core | None:
        if toks[i].text[:1].isupper() and i > 0 and toks[i - 1].low not in ("(", "\"", "“"):
            return None  # "Three Gorges", "Cinquecento": a name
        values: list[float] = []
        j = i
        while j < len(toks):
            got = self._word_value(toks[j].low)
            if got is not None:
                values.extend(got)
                j += 1
            elif (toks[j].low in self.joiners and values and j + 1 < len(toks)
                  and self._word_value(toks[j + 1].low) is not None):
                j += 1
            else:
                break
        if values and (values[0] in _POWERS or values[0] < 0) \
                and toks[i].low not in self.bare_multipliers \
                and toks[i].low in self.number_words:
            return None  # "million" alone: a scale with no number before it
        while j > i:
            if toks[j - 1].low in self.article_ones and j - 1 == i:
                return None  # "un", "a": an article, not a number
            number = compose(values)
            if number is not None:
                return _Core(i, j, number, number, number, False, False)
            j -= 1
            values = [v for t in toks[i:j] for v in (self._word_value(t.low) or [])]
        return None

    def _word_value(self, word: str) -> list[float] | None:
        """The number-word values one token spells: a word, a hyphenated number
        ("vingt-cinq", "quatre-vingt-dix") or a one-word compound ("duemila")."""
        if word in self.number_words:  # a multiplier ("dozen") is told by its sign
            value = self.number_words[word]
            return [-value if word in self.multiplier_words else value]
        if "-" in word:
            return _hyphenated(word.split("-"), self.number_words)
        if self.compounds and len(word) > 4:
            parts = split_compound(word, self.pieces)
            if parts and len(parts) > 1 and any(p >= 10 for p in parts):
                return parts
        return None

    def _number_word_before(self, toks: list[Token], i: int) -> bool:
        return i > 0 and (toks[i - 1].kind == NUM or toks[i - 1].low in self.number_words
                          and toks[i - 1].low not in self.article_ones)

    # -- ranges ------------------------------------------------------------------------
    def _range(self, toks: list[Token], core: _Core) -> _Core:
        if core.value is None:
            return core
        sign = self.units_before.before(toks, core.first)
        opened = self.openers.before(toks, sign[0] if sign else core.first)
        link = (self.links if opened else self.bare_links).at(toks, core.after)
        if not link:
            return core
        j = core.after + link[0]
        sign_high = self.units_before.at(toks, j)
        j += sign_high[0] if sign_high else 0
        if j >= len(toks) or (toks[j].kind not in (NUM, WORD)):
            return core
        high = self._digits(toks, j) if toks[j].kind == NUM else self._words(toks, j)
        if high is None or high.value is None or core.digits != high.digits:
            return core
        low = core.value
        if core.scaled is None and high.scaled is not None:
            low *= high.scaled
        elif (core.plain or not core.digits) and not high.plain and low < 1000 <= high.value \
                and high.value % 1000 == 0:
            low = _same_magnitude(low, high.value)
        if low >= high.value or (core.plain and high.plain and _year(low)
                                 and _year(high.value)):
            return core
        first = opened[0] if opened else core.first
        return _Core(first, high.after, low, low, high.value, True, core.plain and high.plain,
                     high.scaled, core.first)

    # -- units, cues, what is counted ---------------------------------------------
    def _unit(self, toks: list[Token], f: _Found) -> None:
        at = f.core.first if f.core.at < 0 else f.core.at
        before = self.units_before.before(toks, at)
        if before:
            f.first, f.unit = min(before[0], f.first), before[1]
        k = _past_hyphen(toks, f.after)
        hit = self.units.at(toks, k)
        if hit and not (hit[0] == 1 and len(toks[k].low) == 1 and toks[k].low.isalpha()
                        and toks[k].start > toks[k - 1].end):
            f.unit = hit[1]
            f.after = k + hit[0]
        elif (f.core.scaled is not None or f.core.value is None) and f.after < len(toks) \
                and toks[f.after].low in self.counted_links:
            linked = self.units.at(toks, f.after + 1)
            if linked and self._money(linked[1]):
                f.unit = linked[1]
                f.after += 1 + linked[0]

    def _cues(self, toks: list[Token], f: _Found) -> None:
        for _ in range(2):
            for phrases, kind in ((self.approx_before, "approx"),
                                  (self.lower_before, "lower"), (self.upper_before, "upper")):
                hit = phrases.before(toks, f.first)
                if hit:
                    f.first = hit[0]
                    setattr(f, kind, True)
                    break
        for phrases, kind in ((self.approx_after, "approx"), (self.lower_after, "lower")):
            hit = phrases.at(toks, f.after)
            if hit:
                f.after += hit[0]
                setattr(f, kind, True)

    def _what(self, toks: list[Token], f: _Found, floor: int) -> None:
        noun_at, key = self._counted_noun(toks, f, floor)
        f.counted_after = noun_at >= 0 and key is not None
        if f.counted_after:
            f.counted_end = toks[noun_at - 1].end
        noun_at = f.after if noun_at < 0 else noun_at
        if key is None:
            measured = f.unit is not None and not self._money(f.unit) and f.unit != "percent"
            f.counted = None if measured else (self._verb_before(toks, f.first, floor)
                                                or self._verb_near(toks, f.after, 6))
            return
        if key in self.generic or key not in self.verb_keys:
            verb = self._verb_before(toks, f.first, floor) or self._verb_near(toks, noun_at, 4)
            if verb and key in self.generic:
                key = verb
            elif verb and verb != key:
                key = f"{key} {verb}"
        f.counted = key

    def _money(self, unit: str | None) -> bool:
        return unit is not None and unit.lower() in self.currencies

    def _counted_noun(self, toks: list[Token], f: _Found, floor: int
                      ) -> tuple[int, str | None]:
        """(index after the noun, key) of what the number counts."""
        j, skipped = f.after, 0
        limit = 0 if f.unit and not self._money(f.unit) and f.unit != "percent" else 2
        while j < len(toks) and skipped <= limit:
            hit = self.counted.at(toks, j)
            if hit:
                f.counted_gap = skipped
                return j + hit[0], hit[1]
            tok = toks[j]
            if tok.kind != WORD or self._word_value(tok.low) is not None:
                break
            if tok.low not in self.counted_links:
                skipped += 1
            j += 1
        if f.unit is None or f.unit == "percent" or self._money(f.unit):
            return -1, self._counted_before(toks, f.first, floor)
        return f.after, None

    def _counted_before(self, toks: list[Token], i: int, floor: int) -> str | None:
        if not self.lookback_links.before(toks, i):
            return None  # "the toll rose to 45", not "i militari hanno governato per 30"
        for j in range(i - 1, max(floor - 1, i - 7), -1):
            if toks[j].kind == NUM or toks[j].low in _CLAUSE_MARKS:
                return None
            hit = self.counted.at(toks, j)
            if hit and j + hit[0] <= i:
                return hit[1]
        return None

    def _counted_after(self, toks: list[Token], j: int) -> bool:
        return any(self.counted.at(toks, k) for k in range(j, min(j + 3, len(toks))))

    def _verb_near(self, toks: list[Token], j: int, span: int) -> str | None:
        for k in range(j, min(j + span, len(toks))):
            if toks[k].kind == NUM or toks[k].low in _CLAUSE_MARKS \
                    or toks[k].low in self.and_words:
                return None
            hit = self.verbs.at(toks, k)
            if hit:
                return hit[1]
        return None

    def _verb_before(self, toks: list[Token], i: int, floor: int) -> str | None:
        for j in range(i - 1, max(floor - 1, i - 3), -1):
            if toks[j].kind == NUM or toks[j].low in _CLAUSE_MARKS \
                    or toks[j].low in self.and_words:
                return None
            hit = self.verbs.at(toks, j)
            if hit and j + hit[0] <= i:
                return hit[1]
        return None

    # -- what is no quantity -----------------------------------------------------------
    def _refused(self, toks: list[Token], f: _Found) -> bool:
        core = f.core
        if not core.digits:
            return False
        nothing = f.unit is None and f.counted is None
        i = _first_num(toks, core.first)
        if f.unit is None and (not f.counted_after or f.counted_gap) and core.plain \
                and core.value is not None and _year(core.value):
            return True
        bare = f.unit is None and not f.counted_after
        return (self._date_or_time(toks, i, f, nothing)
                or self._ordinal(toks, i)
                or (bare and self._label(toks, i, f))
                or (nothing and self._in_name(toks, i, f)))

    def _label(self, toks: list[Token], i: int, f: _Found) -> bool:
        """"article 5", "legge 194", "n. 12", "Boeing 737 MAX": a label, not a count."""
        j = i - 1 if i > 0 and toks[i - 1].low != "." else i - 2
        if f.first == i and j >= 0 and toks[j].low in self.labels:
            return True
        nxt = toks[f.after] if f.after < len(toks) else None
        return bool(nxt and nxt.kind == WORD and len(nxt.text) > 1 and nxt.text.isupper()
                    and nxt.start == toks[f.after - 1].end + 1)

    def _date_or_time(self, toks: list[Token], i: int, f: _Found, nothing: bool) -> bool:
        core, unit, first = f.core, f.unit, f.first
        last = core.after - 1
        day_or_year = core.plain and core.value is not None and (
            1 <= core.value <= 31 or _year(core.value))
        if day_or_year and (self._month_near(toks, i, -1) or self._month_near(toks, last, 1)):
            return True
        for j, step in ((i, -1), (last, 1)):
            k = j + step
            if 0 <= k + step < len(toks) and toks[k].low in (":", "/") \
                    and toks[k + step].kind == NUM and _touching(toks, j, k, k + step):
                return True
        if self.time_after.at(toks, core.after):
            return True
        if i >= 2 and toks[i - 2].kind == NUM and self.time_after.at(toks, i - 1):
            return True  # the minutes of "10 h 30"
        small = core.value is not None and core.value <= 24
        clock = nothing or unit == "hour"
        return clock and small and self.time_before.before(toks, first) is not None

    def _month_near(self, toks: list[Token], j: int, step: int) -> bool:
        k = j + step
        if 0 <= k < len(toks) and (toks[k].low in _DATE_MARKS
                                   or toks[k].low in self.date_links):
            k += step
        if not 0 <= k < len(toks) or toks[k].low.rstrip(".") not in self.months:
            return False
        return not (self.words.months_capitalised and toks[k].text[:1].islower())

    def _ordinal(self, toks: list[Token], i: int) -> bool:
        if not self.ordinal_before or i + 1 >= len(toks) or toks[i + 1].low != ".":
            return False
        return i > 0 and toks[i - 1].low in self.ordinal_before \
            and i + 2 < len(toks) and toks[i + 2].kind == WORD

    def _in_name(self, toks: list[Token], i: int, f: _Found) -> bool:
        if f.first != i or i == 0:
            return False
        prev = toks[i - 1]
        return (prev.kind == WORD and prev.text[:1].isupper() and i - 1 > 0
                and prev.low not in self.cue_words and prev.low.rstrip(".") not in self.months)

    # -- the record ------------------------------------------------------------------
    def _quantity(self, text: str, toks: list[Token], f: _Found, index: int) -> Quantity:
        start, end = toks[f.first].start, toks[f.after - 1].end
        core = f.core
        low, high = core.low, core.high
        if f.lower:
            high = None if core.value is not None and core.high == core.value else high
        if f.upper:
            low = None if core.value is not None and core.low == core.value else low
        return Quantity(start, end, text[start:end],
                        None if core.value is None else exact(core.value),
                        None if low is None else exact(low),
                        None if high is None else exact(high),
                        f.approx, f.unit, f.counted, index, f.counted_end)


def _hyphenated(parts: list[str], words: dict[str, float]) -> list[float] | None:
    """Values of hyphen-joined number words, longest known joins first."""
    out: list[float] = []
    i = 0
    while i < len(parts):
        for j in range(len(parts), i, -1):
            joined = "-".join(parts[i:j])
            if joined in words:
                out.append(words[joined])
                i = j
                break
        else:
            return None
    return out


def _past_hyphen(toks: list[Token], j: int) -> int:
    """``j``, or the word after it when ``j`` is a hyphen joining it to the number
    ("10-year", "$3.5-billion")."""
    if 0 < j < len(toks) - 1 and toks[j].low == "-" and toks[j - 1].end == toks[j].start \
            and toks[j].end == toks[j + 1].start and toks[j + 1].kind == WORD:
        return j + 1
    return j


def _minus_before(toks: list[Token], i: int) -> bool:
    """A minus sign stuck to the number, not a dash between two numbers ("-5 degrees",
    not "2-3" nor "2 - 3")."""
    if i == 0 or toks[i - 1].low not in ("-", "−") or toks[i - 1].end != toks[i].start:
        return False
    return i == 1 or (toks[i - 2].end < toks[i - 1].start and toks[i - 2].kind != NUM)


def _same_magnitude(low: Decimal, high: Decimal) -> Decimal:
    """"2-3,000": the low end in the high end's thousands."""
    factor = Decimal(1)
    while low * factor * 1000 <= high and factor < Decimal(10) ** 12:
        factor *= 1000
    return low * factor


def _year(value: Decimal) -> bool:
    return value == value.to_integral_value() and 1000 <= value <= 2100


def _inside(tok: Token, spans: list[tuple[int, int]]) -> bool:
    return any(s <= tok.start < e for s, e in spans)


def _first_num(toks: list[Token], i: int) -> int:
    while i < len(toks) - 1 and toks[i].kind != NUM:
        i += 1
    return i


def _touching(toks: list[Token], *idx: int) -> bool:
    return all(toks[a].end == toks[b].start for a, b in zip(idx, idx[1:], strict=False)) \
        if idx[0] < idx[-1] else all(toks[b].end == toks[a].start
                                     for a, b in zip(idx, idx[1:], strict=False))


__all__ = ["QuantityFinder"]
