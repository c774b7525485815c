"""Entities on real news: what the annotator makes of scraped Spanish, French and
Italian articles, so a change can be seen before and after.

Run from the repository root::

    python -m benchmarks.bench_entities_real                 # every es/fr/it article
    python -m benchmarks.bench_entities_real --limit 300     # an even sample per language x topic
    python -m benchmarks.bench_entities_real --langs it      # one language (Italian: held out)

Data (read at run time, never copied): ``../shared/data/timelines/{es,fr,it}/<topic>/
<YYYY-MM-DD>/*.txt`` (CL-TLS; override the folder with ``NEWSWEAVE_SHARED``). There is
no entity gold: this is a diagnostic, not a score. Each language goes, in publication
order, through the pipeline's cleaner (``clean_text``), the real annotator and the
real entity tables of a fresh SQLite store (linking across articles as ``ingest``
does; there are no stories here, so links through a story are not exercised). The
folder gives the language. Printed per language:

- the most frequent entities of each type (articles, mentions);
- aliases that contain a line break (names never should);
- persons whose name is a common word of the language (wordfreq Zipf >= 4, or the
  corpus writes the word in lowercase more often than capitalised mid-sentence);
- lone first names and other one-word parts of a person's full name left as an entity
  of their own ("Bashar" apart from "Bashar al-Assad");
- mentions on lines that recur in 3 or more articles of the language (sidebars and
  related-headline lists the cleaner left in the text).

Spanish and French were read to tune the rules; Italian is the held-out language.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from .common import find_data
from .corpora import TIMELINE_LANGS, timelines

COMMON_ZIPF = 4.0
REPEATED_LINE = 3  # a line in this many articles of a language is a site's, not the story's
_WORD = re.compile(r"[^\W\d_]+")


def lowercase_counts(texts: list[str]) -> tuple[Counter[str], Counter[str]]:
    """How often each word is written in lowercase, and capitalised not at the start
    of a line or after a full stop, over a language's texts."""
    lower: Counter[str] = Counter()
    capital: Counter[str] = Counter()
    for text in texts:
        for m in _WORD.finditer(text):
            word = m.group()
            before = text[max(0, m.start() - 2):m.start()]
            if word.islower():
                lower[word] += 1
            elif word[:1].isupper() and before.strip() not in (".", "") and "\n" not in before:
                capital[word.lower()] += 1
    return lower, capital


def repeated_lines(texts: list[str]) -> set[str]:
    """Lines (stripped, of 3+ words) that occur in ``REPEATED_LINE`` or more texts."""
    seen: Counter[str] = Counter()
    for text in texts:
        seen.update({line.strip() for line in text.split("\n") if len(line.split()) >= 3})
    return {line for line, n in seen.items() if n >= REPEATED_LINE}


def annotate_language(annotator: Any, records: list[dict[str, Any]], db: Path
                      ) -> tuple[Any, list[str]]:
    """Clean, annotate and store one language's records; the store and cleaned texts."""
    from newsweave.clean.text import clean_text
    from newsweave.enrich.entities.crosslink import CrossLinker
    from newsweave.models import Article
    from newsweave.store.sqlite import Store

    store = Store(db)
    tables = CrossLinker(store.entities, None, annotator.lexicons.given_names)
    annotator.memory.clear()
    texts = []
    for n, rec in enumerate(records):
        text, removed = clean_text(rec["text"])
        texts.append(text)
        article = Article(source=rec["id"], text=text, title=text.split("\n", 1)[0][:200],
                          content_hash=f"h{n}", ingest_key=f"k{n}", lang=rec["lang"],
                          removed_lines=removed)
        with store.batch():
            aid = store.insert_article(article, n, None)
            analysis = annotator.analyse(text, rec["lang"])
            tables.save(aid, analysis.sentences, analysis.mentions, annotator.version)
    return store, texts


def top_entities(conn: Any, type_: str, limit: int) -> list[tuple[str, int, int]]:
    return conn.execute("SELECT name, articles, mentions FROM entities WHERE type=? "
                        "AND articles > 0 ORDER BY articles DESC, mentions DESC, name LIMIT ?",
                        (type_, limit)).fetchall()


def broken_aliases(conn: Any) -> list[tuple[str, str, int]]:
    return conn.execute("SELECT e.name, a.alias, a.count FROM entity_aliases a JOIN entities e "
                        "ON e.id = a.entity_id WHERE a.alias LIKE '%' || char(10) || '%' "
                        "AND a.count > 0 ORDER BY a.count DESC").fetchall()


def common_word_persons(conn: Any, zipf: Any, lang: str, lower: Counter[str],
                        capital: Counter[str]) -> list[tuple[str, int, float, int, int]]:
    """One-word persons that are everyday words: (name, articles, zipf, lower, capital)."""
    out = []
    for name, articles in conn.execute("SELECT name, articles FROM entities WHERE type='PER' "
                                       "AND articles > 0 AND name NOT LIKE '% %'"):
        word = name.lower()
        z = zipf(word, lang)
        if z >= COMMON_ZIPF or lower[word] > capital[word]:
            out.append((name, articles, z, lower[word], capital[word]))
    return sorted(out, key=lambda r: (-r[1], r[0]))


def lone_parts(conn: Any, is_given: Any, lang: str) -> list[tuple[str, int, list[str]]]:
    """One-word persons that are a first name, or a part of a stored full name:
    (name, articles, full names containing it)."""
    fulls: dict[str, list[str]] = {}
    rows = conn.execute("SELECT name, articles FROM entities WHERE type='PER' AND articles > 0 "
                        "AND name LIKE '% %' ORDER BY articles DESC").fetchall()
    for name, _ in rows:
        for word in set(re.findall(r"[^\W\d_]+", name.lower())):
            fulls.setdefault(word, []).append(name)
    out = []
    for name, articles in conn.execute("SELECT name, articles FROM entities WHERE type='PER' "
                                       "AND articles > 0 AND name NOT LIKE '% %' "
                                       "AND key LIKE 'new:%'"):
        owners = fulls.get(name.lower(), [])
        if owners or is_given(name, lang):
            out.append((name, articles, owners[:3]))
    return sorted(out, key=lambda r: (-r[1], r[0]))


def repeated_line_mentions(conn: Any, texts: dict[int, str], lines: set[str]
                           ) -> tuple[int, int, Counter[str]]:
    """(mentions on repeated lines, all mentions, entity names most found there)."""
    total = on_repeated = 0
    names: Counter[str] = Counter()
    for aid, start, name in conn.execute("SELECT m.article_id, m.char_start, e.name FROM "
                                         "mentions m JOIN entities e ON e.id = m.entity_id"):
        total += 1
        text = texts[aid]
        a = text.rfind("\n", 0, start) + 1
        b = text.find("\n", start)
        if text[a:b if b >= 0 else len(text)].strip() in lines:
            on_repeated += 1
            names[name] += 1
    return on_repeated, total, names


def report(lang: str, store: Any, texts: list[str], annotator: Any, top: int) -> None:
    conn = store.conn
    n_mentions = conn.execute("SELECT count(*) FROM mentions").fetchone()[0]
    print(f"\n## {lang}: {len(texts)} articles, {n_mentions} mentions "
          f"({'held out' if lang == 'it' else 'tuning'})")
    for type_ in ("PER", "ORG", "LOC", "MISC"):
        rows = top_entities(conn, type_, top)
        print(f"\n{type_} (articles/mentions): "
              + "; ".join(f"{n} {a}/{m}" for n, a, m in rows))
    broken = broken_aliases(conn)
    print(f"\naliases with a line break: {len(broken)}")
    for name, alias, count in broken[:top]:
        print(f"  {alias!r} (of {name!r}) x{count}")
    lower, capital = lowercase_counts(texts)
    common = common_word_persons(conn, annotator.frequency.zipf, lang, lower, capital)
    print(f"\npersons that are common words: {len(common)}")
    for name, articles, z, lo, cap in common[:top]:
        print(f"  {name}: {articles} articles, zipf {z:.1f}, lowercase {lo} / capitalised {cap}")
    parts = lone_parts(conn, annotator.recogniser.is_given, lang)
    print(f"\nlone first names / name parts left apart: {len(parts)} entities, "
          f"{sum(p[1] for p in parts)} article links")
    for name, articles, owners in parts[:top]:
        print(f"  {name}: {articles} articles; full names: {', '.join(owners) or '-'}")
    ids = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY id")]
    on_rep, total, names = repeated_line_mentions(conn, dict(zip(ids, texts, strict=True)),
                                                  repeated_lines(texts))
    print(f"\nmentions on lines repeated in {REPEATED_LINE}+ articles: {on_rep} of {total}; "
          "most: " + "; ".join(f"{n} {c}" for n, c in names.most_common(top)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Entities on real scraped news (diagnostic).")
    parser.add_argument("--limit", type=int, default=None,
                        help="articles in all, sampled evenly per language x topic")
    parser.add_argument("--langs", default=",".join(TIMELINE_LANGS))
    parser.add_argument("--top", type=int, default=15, help="rows per list")
    args = parser.parse_args(argv)
    found = find_data("timelines")
    if found is None:
        return 0
    records = timelines(found[0].parent, args.limit)
    from newsweave.enrich.entities import Annotator
    from newsweave.settings import Settings

    # the rules alone, what every install runs (no spaCy pipeline)
    annotator = Annotator.load(Settings({"entity_models": False}))
    print(f"annotator: {annotator.version}")
    with tempfile.TemporaryDirectory() as tmp:
        for lang in args.langs.split(","):
            recs = [r for r in records if r["lang"] == lang]
            if not recs:
                print(f"\n## {lang}: no articles")
                continue
            started = time.perf_counter()
            store, texts = annotate_language(annotator, recs, Path(tmp) / f"{lang}.db")
            report(lang, store, texts, annotator, args.top)
            print(f"({time.perf_counter() - started:.0f} s)")
            store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
