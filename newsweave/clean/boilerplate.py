"""Page furniture that can be told from one line alone: notices, prompts, code.

Three kinds of line are boilerplate wherever they stand in a scraped text, not only
at its edges (where :func:`newsweave.clean.text.clean_text` looks):

* **notices and prompts** every site has: cookie and privacy notices, "enable
  JavaScript", notification and subscription prompts, closed comments, reproduction
  notices, search and menu labels. The rules are a data file,
  ``newsweave/data/clean/boilerplate.tsv``, one regular expression per line with the
  reason shown to the user; they describe what a notice *does*, in es, fr, it, de
  and en, not one site's wording;
* **code**: CSS rules and script text that a scraper kept as text;
* lines that only recur across articles, which need the stream's memory: see
  :mod:`newsweave.clean.recurrence`.

Every removed line is kept with its reason (:class:`Removed`), so nothing is dropped
silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

MAX_RULE_LINE_CHARS = 300  # a longer line is running text, whatever words it contains

# A selector (a run of selector characters with a letter in it) right before "{", and a
# declaration with ":" before "}". Matched only from the start of a run, possessively:
# the plain form (``[\w-]+[\s,>.#:\w-]*\{``) tried every split of every run and took
# 80 s on a 4,000-letter word.
_CSS_RULE = re.compile(r"(?<![\s,>.#:\w-])[\s,>.#:]*+[\w-][\s,>.#:\w-]*+\{[^{}:]*+:[^{}]*+\}")
_SCRIPT = re.compile(
    r"(?:\bfunction\s*\w*\s*\(|\bvar\s+\w+\s*=|\b(?:let|const)\s+\w+\s*=|\bdocument\.\w+|"
    r"\bwindow\.\w+|=>\s*\{|\bgoogletag\.|\bdataLayer\b|\bjQuery\b|\$\(\s*['\"\w])")
_CODE_CHARS = frozenset("{}();=<>[]$_\\|")


@dataclass(frozen=True, slots=True)
class Removed:
    """One line taken out of an article, and why."""

    line: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"line": self.line, "reason": self.reason}


def read_rules(name: str) -> list[tuple[str, re.Pattern[str]]]:
    """The rules of ``newsweave/data/clean/<name>``: one a line, ``<label> TAB
    <regular expression>`` (found case-insensitively); blank lines and ``#`` comments
    skipped. A line without a TAB is an error naming the file and line."""
    text = (resources.files("newsweave") / "data" / "clean" / name).read_text(encoding="utf-8")
    rules = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        label, _, pattern = raw.partition("\t")
        if not pattern:
            raise ValueError(f"{name} line {number}: no TAB between label and rule")
        rules.append((label.strip(), re.compile(pattern.strip(), re.I)))
    return rules


class PhraseRules:
    """The notice and prompt rules of the data file, compiled once per cleaner."""

    def __init__(self, rules: list[tuple[str, re.Pattern[str]]]) -> None:
        self.rules = rules

    @classmethod
    def load(cls) -> PhraseRules:
        """Read ``newsweave/data/clean/boilerplate.tsv``."""
        return cls(read_rules("boilerplate.tsv"))

    def match(self, line: str) -> str | None:
        """The reason ``line`` is a notice or prompt, or None."""
        core = line.strip(" \t\u00a0|•·>»›-–—_*#:;,.!?()[]\"'“”‘’")
        if not core or len(line) > MAX_RULE_LINE_CHARS:
            return None
        for reason, pattern in self.rules:
            if pattern.search(core):
                return reason
        return None


def looks_like_code(line: str) -> bool:
    """True for CSS rules and script statements kept as text by a scraper.

    News prose uses braces, semicolons and ``=`` rarely, and never several together:
    a line with a CSS rule, a script keyword pattern, or more than one in eight of
    its characters from ``{}();=<>[]$_\\|`` is code.
    """
    line = line.strip()
    if len(line) < 6:
        return False
    if _CSS_RULE.search(line) or _SCRIPT.search(line):
        return True
    symbols = sum(1 for ch in line if ch in _CODE_CHARS)
    return symbols >= 4 and symbols * 8 > len(line)
