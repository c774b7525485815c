"""Places on real news: where the Annotator puts the places of scraped es/fr/it articles.

    python -m benchmarks.bench_places_real                  # es and fr, 120 articles each
    python -m benchmarks.bench_places_real --langs it --per-lang 0   # every Italian article
    python -m benchmarks.bench_places_real --show 40 --json out.json

CL-TLS (``../shared/data/timelines``, read at run time, never copied) holds scraped
Spanish, French and Italian news about Egypt, Libya and Syria. It has no place gold,
so this is a diagnostic, not a score: every article's text goes through
:class:`newsweave.enrich.entities.Annotator` as ``newsweave annotate`` would see it
(raw, boilerplate included), and each resolved place mention is counted by country.
Places of such news lie in the region of its topics: Egypt, Libya, Syria and their
neighbours, Europe and the United States (:data:`REGION`). A resolved place outside
it ("El Cairo" in Georgia, US would be inside; "Ginebra" in Colombia is outside) is
most often a resolver error, sometimes a real mention (China, Venezuela): the sample
it prints is there to be checked by hand. Articles are sampled evenly over the sorted
paths, so the same arguments give the same sample.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .common import find_data, md_table

# Egypt, Libya, Syria and their neighbours (the Middle East and North Africa), Europe
# (GeoNames' continent EU, with Turkey, Cyprus and the Caucasus), and the US.
MENA = ("EG LY SY LB JO IL PS IQ TR SA YE SD SS TN DZ MA EH IR KW QA BH AE OM CY TD NE ML "
        "MR ER ET DJ SO AF PK")
EUROPE = ("AD AL AT AX BA BE BG BY CH CZ DE DK EE ES FI FO FR GB GG GI GR HR HU IE IM IS IT "
          "JE LI LT LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM UA VA XK GE AM AZ")
REGION = frozenset((MENA + " " + EUROPE + " US").split())


@dataclass(slots=True)
class Resolved:
    """One resolved place mention, where it came from and where it went."""

    path: str
    text: str
    place_id: str
    name: str
    feature: str
    country: str | None
    population: int
    named: bool  # the article names this place's country (by name or demonym)

    @property
    def inside(self) -> bool:
        """Whether the place lies in the region of the topics (a region of no single
        country, such as the Middle East, counts as inside)."""
        return self.country is None or self.country in REGION


def sample_paths(root: Path, lang: str, per_lang: int) -> list[Path]:
    """``per_lang`` article files of one language, evenly spread over the sorted paths
    (all of them with 0); reference timelines excluded."""
    paths = sorted(p for p in (root / lang).rglob("*.txt") if "reference" not in p.parts)
    if per_lang <= 0 or per_lang >= len(paths):
        return paths
    step = len(paths) / per_lang
    return [paths[int(i * step)] for i in range(per_lang)]


def resolve_article(annotator: Any, path: Path, lang: str, root: Path) -> list[Resolved]:
    """The resolved place mentions of one article file (raw text, language given)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    rel = str(path.relative_to(root))
    mentions = [m for m in annotator.annotate(text, lang=lang)
                if m.type in ("LOC", "demonym") and m.place is not None]
    named = {m.place.country for m in mentions if m.place.feature == "country"}
    return [Resolved(rel, m.text, m.place.id, m.place.name, m.place.feature, m.place.country,
                     m.place.population, m.place.country in named) for m in mentions]


def _label(r: Resolved) -> str:
    return f"{r.text} -> {r.name} ({r.country}, {r.feature}, {r.population:,})"


def summarise(found: list[Resolved]) -> dict[str, Any]:
    """Counts by country, the share outside the region (of all resolved mentions, and
    of those below country level, which the resolver chose), the outside mentions, and
    the *unsupported* ones: below country level, in a country the article never names
    (inside the region too: "El Cairo" in Georgia, US is in the US)."""
    below = [r for r in found if r.feature != "country"]
    outside = [r for r in found if not r.inside]
    outside_below = [r for r in below if not r.inside]
    lonely = [r for r in below if not r.named and r.country is not None]
    return {"resolved": len(found), "outside": len(outside),
            "outside_share": len(outside) / len(found) if found else 0.0,
            "below_country": len(below), "outside_below": len(outside_below),
            "outside_below_share": len(outside_below) / len(below) if below else 0.0,
            "unsupported": len(lonely),
            "by_country": dict(Counter(r.country or "-" for r in found).most_common()),
            "outside_names": Counter(_label(r) for r in outside_below).most_common(),
            "unsupported_names": Counter(_label(r) for r in lonely).most_common()}


def run(langs: list[str], per_lang: int, root: Path) -> dict[str, Any]:
    """Annotate the sampled articles of each language; results per language."""
    from newsweave.enrich.entities import Annotator

    annotator = Annotator.load()
    results: dict[str, Any] = {"annotator": annotator.version}
    for lang in langs:
        paths = sample_paths(root, lang, per_lang)
        start = time.perf_counter()
        found = [r for p in paths for r in resolve_article(annotator, p, lang, root)]
        res = summarise(found)
        res.update(articles=len(paths), seconds=time.perf_counter() - start)
        results[lang] = res
    return results


def report(results: dict[str, Any], langs: list[str], show: int) -> None:
    """Print the per-language table, the countries and the outside sample."""
    rows = [[lang, r["articles"], r["resolved"], f"{100 * r['outside_share']:.1f}",
             r["below_country"], f"{100 * r['outside_below_share']:.1f}", r["unsupported"],
             f"{r['seconds']:.0f}"] for lang in langs for r in [results[lang]]]
    print(md_table(["lang", "articles", "resolved", "outside %", "below country",
                    "of those outside %", "unsupported", "seconds"], rows))
    for lang in langs:
        res = results[lang]
        top = ", ".join(f"{c} {n}" for c, n in list(res["by_country"].items())[:25])
        print(f"\n{lang} by country: {top}")
        for key, what in (("outside_names", "below country level, outside the region"),
                          ("unsupported_names", "below country level, country not named")):
            print(f"{lang} {what} (count, mention -> place), {show} most frequent:")
            for name, count in res[key][:show]:
                print(f"  {count:4d}  {name}")


def main(argv: list[str] | None = None) -> int:
    """Run the diagnostic and print it; ``--json`` also writes the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--langs", default="es,fr", help="comma-separated (es, fr, it)")
    parser.add_argument("--per-lang", type=int, default=120,
                        help="articles per language, evenly sampled (0: all)")
    parser.add_argument("--show", type=int, default=30, help="outside names printed")
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args(argv)
    found = find_data("timelines")
    if found is None:
        return 0
    langs = [x.strip() for x in args.langs.split(",") if x.strip()]
    results = run(langs, args.per_lang, found[0])
    report(results, langs, args.show)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
