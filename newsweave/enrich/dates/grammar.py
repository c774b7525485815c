"""One language's temporal grammar: regular expressions built from its word files.

Every pattern is an alternation of literal words joined by bounded whitespace, so a
match costs time linear in the text (no nested repetition, no backtracking blow-up).
The patterns overlap on purpose ("tre anni" is a duration, "tre anni fa" a date): the
finder keeps the longest match at each place, the earlier pattern of :data:`KINDS` on
a tie.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# Pattern kinds, strongest first on a tie of length.
KINDS = ("iso", "numeric", "dmy", "mdy", "my", "quarter", "consecutive", "edge", "decade",
         "century", "holiday", "ago", "later",
         "following", "from_previous", "day_of_month", "set", "set_adverb", "relative",
         "deictic", "season", "month", "weekday", "time", "duration", "year", "daypart")


def key(word: str) -> str:
    """How words are looked up: case-folded, curly apostrophes straight, one space."""
    return " ".join(unicodedata.normalize("NFC", word).replace("’", "'").casefold().split())


def alt(words: Iterable[str]) -> str:
    """An alternation matching any of ``words`` (longest first), case as given.

    Lowercase words are folded into a prefix tree ("sett(?:embre)?|set"...): the
    regular-expression engine tries the branches of an alternation one by one at every
    word start, so a flat list of a hundred words costs a hundred tries where the tree
    costs one per letter. The tree matches the same strings in the same order (a longer
    word before its prefix, as the flat list sorted longest first does), so matches are
    unchanged. Words with capitals or a curly apostrophe keep the flat list: under
    case-insensitive matching two of their branches could match the same text.
    """
    parts = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
    if not parts:
        return r"(?!x)x"  # matches nothing
    if any(w != w.lower() or "’" in w for w in parts):
        return "(?:" + "|".join(_literal(w) for w in parts) + ")"
    tree: dict[str, dict] = {}
    for w in parts:
        node = tree
        for atom in _atoms(w):
            node = node.setdefault(atom, {})
        node[_END] = {}
    return "(?:" + _branches(tree) + ")"


_END = ""  # the key that marks a word ending at a node of the prefix tree


def _branches(node: dict[str, dict]) -> str:
    """The pattern of a prefix-tree node: its children as one alternation, optional
    (and tried first, being greedy) when a word also ends here."""
    kids = [atom + _branches(child) for atom, child in sorted(node.items()) if atom != _END]
    if not kids:
        return ""
    body = kids[0] if len(kids) == 1 else "(?:" + "|".join(kids) + ")"
    return f"(?:{body})?" if _END in node else body


def prefix(words: Iterable[str]) -> str:
    """Any of ``words`` followed by the space before the next word; elided words
    ("l'", "un'") need none."""
    words = set(words)
    elided = {w for w in words if w.endswith("'")}
    spaced = words - elided
    options = []
    if spaced:
        options.append(alt(spaced) + r"\s+")
    if elided:
        options.append(alt(elided) + r"\s*")
    return "(?:" + "|".join(options) + ")" if options else r"(?!x)x"


def _literal(word: str) -> str:
    return "".join(_atoms(word))


def _atoms(word: str) -> list[str]:
    """One pattern piece per character: either apostrophe, any white space, the rest
    literally."""
    return ["['’]" if ch == "'" else r"\s+" if ch == " " else re.escape(ch) for ch in word]


def full_names(table: Mapping[str, int]) -> dict[str, int]:
    """Names that are not short abbreviations: at most one letter shorter than the
    longest name of the same number ("mayo", "märz"; not "mar", "sept", "lun")."""
    longest: dict[int, int] = {}
    for word, n in table.items():
        longest[n] = max(longest.get(n, 0), len(word))
    return {w: n for w, n in table.items() if len(w) >= longest[n] - 1}


@dataclass(slots=True)
class Grammar:
    """A language's compiled patterns and the look-up tables their handlers read."""

    lang: str
    words: dict[str, Any]
    months: dict[str, int]
    weekdays: dict[str, int]
    full_months: frozenset[str] = frozenset()
    patterns: list[tuple[str, re.Pattern[str]]] = field(default_factory=list)
    future: re.Pattern[str] | None = None
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def build(cls, lang: str, words: dict[str, Any], months: Mapping[str, int],
              weekdays: Mapping[str, int]) -> Grammar:
        """Compile ``words`` (a checked language file) with its month and weekday names."""
        g = cls(lang, words, {key(k): v for k, v in months.items()},
                {key(k): v for k, v in full_names(weekdays).items()})
        g.full_months = frozenset(full_names(g.months))
        for name in ("numbers", "units", "ordinals", "relative", "deictic", "following",
                     "from_previous", "holidays",
                     "set_adverbs", "day_parts", "seasons", "clock_suffixes"):
            g.tables[name] = {key(k): v for k, v in words.get(name, {}).items()}
        g.tables["vague"] = {key(w): "X" for w in words.get("vague", [])}
        g.tables["later"] = {key(w): 1 for w in words.get("later", [])}
        g.tables["later"].update({key(w): -1 for w in words.get("earlier", [])})
        g.tables["year_cues"] = {key(w): True for w in words.get("year_cues", [])}
        g.tables["lowercase_only"] = {key(w): True for w in words.get("lowercase_only", [])}
        g.tables["duration_relative"] = {key(w): True for w in words.get("duration_relative", [])}
        g.tables["prepositions"] = {key(w): True for w in words.get("prepositions", [])}
        g.tables["time_cues"] = {key(w): True for w in words.get("time_cues", [])}
        g.patterns = g._compile()
        cues = words.get("future_cues", [])
        g.future = re.compile("|".join(f"(?:{c})" for c in cues), re.I) if cues else None
        return g

    def _compile(self) -> list[tuple[str, re.Pattern[str]]]:
        w = self.words
        mon_any = alt(self.months)
        mon_full = alt(full_names(self.months))
        wd = alt(self.weekdays)
        art = prefix(w["articles"])
        rel = alt(w["relative"])
        relp = prefix(w["relative"])
        units = alt(w["units"])
        quarter_units = alt(u for u, c in w["units"].items() if c == "Q")
        seasons = alt(w["seasons"])
        conn = r"(?:" + prefix(w["connectors"]) + r")?"
        nump = r"(?:\d{1,4}(?:[.,]5)?\s*|" + prefix([*w["numbers"], *w["vague"]]) + ")"
        hyphenated = r"(?:\d{1,4}-|" + alt(w["numbers"]) + "-)"  # "three-year", "10-day"
        b, e = r"(?<![\w])", r"(?!\w)"
        day = r"(?P<d>[0-3]?\d)(?:\.|º|°|ª|er|st|nd|rd|th)?"
        year = r"(?P<y>[12]\d{3})(?!\d)"
        target = f"(?:{units}|{wd}|{seasons})"
        parts = alt(w["day_parts"])
        cent = alt(u for u, c in w["units"].items() if c == "CE")
        src: dict[str, str] = {
            "iso": r"(?<![\w./-])(?P<y>[12]\d{3})-(?P<m>[01]\d)-(?P<d>[0-3]\d)"
                   r"(?:[T ](?P<h>[01]\d|2[0-3]):(?P<mi>[0-5]\d))?(?![\w-]|:\d)",
            "numeric": r"(?<![\w./:-])(?P<a>[0-3]?\d)(?P<s>[./-])(?P<b>[01]?\d)(?P=s)"
                       r"(?P<y>[12]\d{3}|\d\d)(?![\w/:]|[.-]\d)",
            "dmy": rf"{b}(?:(?P<wd>{wd})\s*,?\s+(?:{art})?)?(?:(?P<rel0>{relp}))?{day}"
                   rf"\s*{conn}(?P<m>{mon_any})"
                   rf"(?:\.(?!\d))?(?:\s*,?\s*{conn}{year})?(?:\s+(?P<rel>{rel}))?{e}",
            "my": rf"{b}(?P<m>{mon_full})\.?\s*,?\s+{conn}{year}",
            "quarter": rf"{b}(?:{art})?(?:(?P<o>{prefix(w['ordinals'])})|(?P<od>[1-4])"
                       rf"(?:st|nd|rd|th|º|°|er|e|\.)?\s+)(?P<u>{quarter_units})"
                       rf"(?:\s*,?\s+{conn}{year})?{e}",
            "consecutive": rf"{b}(?:{art})?(?P<o>{prefix(w['ordinals'])})(?:(?P<c1>"
                           rf"{alt(w['consecutive'])})\s+)?(?P<u>{units})(?:\s+(?P<c2>"
                           rf"{alt(w['consecutive'])}))?{e}",
            "edge": rf"{b}(?P<edge>{prefix(w['period_edges'])})(?:{art})?(?:(?P<r1>{relp}))?"
                    rf"(?P<u>{units})(?:\s+(?P<r2>{rel}))?{e}",
            "century": rf"{b}(?:(?P<c>[12]?\d)(?:st|nd|rd|th|º|°|e|er|ème|\.)?\s+(?P<u1>{cent})|"
                       rf"(?<![\w-])(?P<r1>[XVI]{{1,6}})(?:e|ème|er)?\s+(?P<u2>{cent})|"
                       rf"(?P<u3>{cent})\s+(?P<r2>[XVI]{{1,6}})){e}",
            "holiday": rf"{b}(?P<w>{alt(w['holidays'])})"
                       rf"(?:\s*,?\s+{conn}{year})?{e}",
            "decade": rf"{b}(?:{alt(w['decade_words'])}\s+(?:['’]|(?P<c1>1[5-9]|20))?(?P<d1>\d)0"
                      rf"(?!\d)|(?<!['’])(?:(?P<c2>1[5-9]|20)|['’])(?P<d2>\d)0"
                      rf"{alt(w['decade_suffixes'])}{e})",
            "ago": rf"{b}(?:{alt(w['ago_before'])}\s+(?P<n1>{nump})(?P<u1>{units})|"
                   rf"(?P<n2>{nump})(?P<u2>{units})\s+{alt(w['ago_after'])}|"
                   rf"(?P<ahead1>{alt(w['ahead_before'])})\s+(?P<n3>{nump})(?P<u3>{units})|"
                   rf"(?P<n4>{nump})(?P<u4>{units})\s+(?P<ahead2>{alt(w['ahead_after'])})){e}",
            "later": rf"{b}(?P<n>{nump})(?P<u>{units})\s+"
                     rf"(?P<dir>{alt([*w['later'], *w['earlier']])}){e}",
            "following": rf"{b}(?:{art})?(?:(?P<f1>{prefix(w['following'])})(?P<u1>{units})|"
                         rf"(?P<u2>{units})\s+(?P<f2>{alt(w['following'])})){e}",
            "set": rf"{b}{prefix(w['every'])}(?P<n>{nump})?(?P<u>{units}|{wd}|{seasons}){e}",
            "set_adverb": rf"{b}(?P<w>{alt(w['set_adverbs'])}){e}",
            "relative": rf"{b}(?P<art>{art})?(?:(?P<r1>{relp})(?P<u1>{target})|(?P<u2>{target})"
                        rf"\s+(?P<r2>{rel})){e}",
            "deictic": rf"{b}(?P<w>{alt(w['deictic'])}){e}",
            "month": rf"{b}(?:(?P<r1>{relp}))?(?P<m>{mon_full})(?:\s+(?P<r2>{rel}))?{e}",
            "season": rf"{b}(?:{art})?(?P<s>{seasons})(?:\s*,?\s+{conn}{year})?{e}",
            "weekday": rf"{b}(?P<wd>{wd})(?P<p>{parts})?{e}",
            "time": rf"{b}(?:(?P<cue>{alt(w['time_cues'])})\s+)?(?P<h>[01]?\d|2[0-4])"
                    rf"(?:(?P<sep>[:.]|\s?h\s?)(?P<mi>[0-5]\d))?(?:\s*(?P<suf>"
                    rf"{alt(w['clock_suffixes'])}))?(?!\w|[:.]\d)",
            "duration": rf"{b}(?:(?P<n>{nump})(?P<u>{units})(?:\s+(?P<half>"
                        rf"{alt(w['half_after'])}))?{e}|(?P<nh>{hyphenated})"
                        rf"(?P<uh>{units})(?!\w|-\w))",
            "from_previous": rf"{b}(?P<w>{alt(w['from_previous'])}){e}",
            "day_of_month": rf"{b}(?:(?P<rel0>{relp}))?{alt(w['day_words'])}\s+(?P<d>[0-3]?\d)"
                            rf"(?!\d|\s*{conn}{mon_any})",
            "year": r"(?<![\w.,'’/$€£])(?P<y>1[5-9]\d\d|20\d\d)(?![\w%]|[.,]\d)",
            "daypart": rf"{b}(?P<glue>{prefix(w['day_part_glue'])})?"
                       rf"(?P<p>{alt(w['day_parts'])}){e}",
        }
        if w.get("month_day"):
            src["mdy"] = (rf"{b}(?:(?P<wd>{wd}),?\s+)?(?P<m>{mon_any})\.?\s+{day}(?!\d)"
                          rf"(?:,?\s+{year})?{e}")
        return [(kind, re.compile(src[kind], re.I)) for kind in KINDS if kind in src]
