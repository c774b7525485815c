"""A generated multilingual news stream for determinism tests (templates in ``events``).

:func:`generate` turns the templates into about 110 dated records in Italian, English,
Spanish and French: ten events, each reported by several outlets in several languages
over several days (people named in full first, by surname after; organisations
spelled out, then by acronym), daily roundups that name people by surname alone,
unrelated single reports, and syndicated copies (duplicates). Each outlet's footer
recurs under its articles, so cleaning's line memory is exercised too. The same seed
always gives the same records, in publication order.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .events import EVENTS, OUTLETS, ROUNDUPS, SINGLETONS, WEEKDAYS, Event, Template

DAY0 = datetime(2026, 3, 2, tzinfo=UTC)  # a Monday
ROUNDUP_DAYS = {"it": (3, 4, 5), "es": (4, 5), "en": (4, 5), "fr": (5,)}
COPY_SHARE = 0.35  # follow-ups republished by a second outlet (first reports always are)


@dataclass(frozen=True)
class Planned:
    """An article before its text is filled: template, language, day and hour."""

    template: Template
    lang: str
    day: int
    minute: int
    outlet: int
    group: str  # the event's key, "roundup" or "single": what a story should hold


def generate(seed: int = 12) -> list[dict[str, str]]:
    """The corpus as JSON records (``id``, ``title``, ``text``, ``published``,
    ``source``; and, for the tests' eyes only, ``group`` and ``lang``), sorted by
    publication time."""
    rng = random.Random(seed)
    plan: list[Planned] = []
    for event in EVENTS:
        plan.extend(_event_plan(event, rng))
    for lang, templates in ROUNDUPS.items():
        for template, day in zip(templates, ROUNDUP_DAYS[lang], strict=True):
            plan.append(Planned(template, lang, day, 23 * 60 + rng.randint(0, 50),
                                rng.randrange(2), "roundup"))
    for lang, templates in SINGLETONS.items():
        for template in templates:
            plan.append(Planned(template, lang, rng.randint(0, 6), rng.randint(360, 1380),
                                rng.randrange(2), "single"))
    plan.sort(key=lambda p: (p.day, p.minute))
    return [_record(p, k) for k, p in enumerate(plan)]


def _event_plan(event: Event, rng: random.Random) -> list[Planned]:
    """First reports on the event's first day, follow-ups on the days after; first
    reports, and some follow-ups, republished by the language's other outlet."""
    out = []
    for lang in dict.fromkeys([*event.first, *event.follow]):
        firsts, follows = event.first.get(lang, []), event.follow.get(lang, [])
        for k, template in enumerate(firsts + follows):
            later = k - len(firsts)
            day = event.start if later < 0 else event.start + 1 + later % max(1, event.days - 1)
            day = min(day, event.start + event.days - 1)
            minute = rng.randint(360, 1320)
            outlet = rng.randrange(2)
            out.append(Planned(template, lang, day, minute, outlet, event.key))
            if later < 0 or rng.random() < COPY_SHARE:
                out.append(Planned(template, lang, day, minute + rng.randint(20, 90),
                                   1 - outlet, event.key))
    return out


def _record(p: Planned, k: int) -> dict[str, str]:
    when = DAY0 + timedelta(days=p.day, minutes=p.minute)
    name, footer = OUTLETS[p.lang][p.outlet]
    numbers = random.Random(f"{p.template[0]}|{p.day}")  # a copy repeats the figures
    headline, body = (_fill(part, p.lang, when, numbers) for part in p.template)
    return {"id": f"{_slug(name)}-{k:03d}", "title": headline,
            "text": f"{body}\n\n{footer}", "published": when.isoformat(),
            "source": name, "group": p.group, "lang": p.lang}


def _fill(text: str, lang: str, when: datetime, rng: random.Random) -> str:
    text = re.sub(r"\{num:(\d+):(\d+)\}",
                  lambda m: str(rng.randint(int(m[1]), int(m[2]))), text)
    return text.replace("{wd}", WEEKDAYS[lang][when.weekday()])


def _slug(name: str) -> str:
    return re.sub(r"\W+", "-", name.lower()).strip("-")


def write_corpus(folder: Path, seed: int = 12) -> list[str]:
    """Write one JSON file per record into ``folder`` (created), named in publication
    order; returns their paths in that order. The language is left for the pipeline
    to find, as in real feeds."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for k, record in enumerate(generate(seed)):
        path = folder / f"{k:03d}.json"
        fields = {key: value for key, value in record.items() if key not in ("group", "lang")}
        path.write_text(json.dumps(fields, ensure_ascii=False), encoding="utf-8")
        paths.append(str(path))
    return paths
