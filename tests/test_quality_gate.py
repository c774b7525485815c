"""Quality gate: story clustering and entities on gold sets we wrote, with pinned floors.

Every floor lives in tests/quality/baseline.json (language ID's too, which
tests/test_language.py checks). A drop below a floor fails CI. Raising a floor is a
commit of its own, after the improvement is measured, made with
`python -m benchmarks.gate` (which refuses to lower one): see docs/benchmarks.md,
"Quality gate". With $NEWSWEAVE_GATE_RESULTS set, each test records what it measured
in that file, for `python -m benchmarks.gate --from FILE`.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from benchmarks.gate import floor, record
from newsweave import service
from newsweave.enrich.entities import Annotator
from newsweave.stories.evaluate import bcubed, pairwise

TESTS = Path(__file__).resolve().parent
DEMO = TESTS.parent / "newsweave" / "data" / "demo"

# (name, source, gold file, id column, label column); floors "stories.<name>.bcubed_f1"
# and "stories.<name>.pairwise_f1" in the baseline.
GATES = [
    ("headlines", TESTS / "data/stories/headlines.jsonl", TESTS / "data/stories/gold.tsv",
     "id", "story"),
    ("demo", DEMO / "corpus", DEMO / "gold.tsv", "file_or_id", "event"),
]


def _key(article: dict, corpus: Path) -> str:
    if corpus.suffix == ".jsonl":
        return article["external_id"]
    rel = Path(article["source"]).relative_to(corpus.resolve()).as_posix()
    return f"{rel}#{article['external_id']}" if article["external_id"] else rel


@pytest.mark.parametrize("name, source, gold_file, id_col, label_col", GATES,
                         ids=[g[0] for g in GATES])
def test_story_quality_floor(make_pipeline: Callable, name: str, source: Path, gold_file: Path,
                             id_col: str, label_col: str) -> None:
    with gold_file.open(encoding="utf-8") as fh:
        gold = {row[id_col]: row[label_col] for row in csv.DictReader(fh, delimiter="\t")}
    pipeline = make_pipeline(f"{name}.db")
    pipeline.ingest([str(source)])
    articles = service.list_articles(pipeline.store)
    keys = [_key(a, source) for a in articles]
    assert sorted(keys) == sorted(gold), "every gold item ingested exactly once"
    predicted = [a["story"] for a in articles]
    labels = [gold[k] for k in keys]
    b3, pw = bcubed(predicted, labels), pairwise(predicted, labels)
    print(f"{name}: BCubed {b3}, pairwise {pw}")
    record(f"stories.{name}.bcubed_f1", b3.f1)
    record(f"stories.{name}.pairwise_f1", pw.f1)
    b3_floor, pw_floor = floor(f"stories.{name}.bcubed_f1"), floor(f"stories.{name}.pairwise_f1")
    assert b3.f1 >= b3_floor, f"{name}: BCubed F1 {b3.f1:.3f} fell below {b3_floor}"
    assert pw.f1 >= pw_floor, f"{name}: pairwise F1 {pw.f1:.3f} fell below {pw_floor}"


# Entity F1 (surface form and type, PER/ORG/LOC) on tests/data/ner/gold.jsonl: 20 news
# sentences we wrote in it, en, fr, es, de, pt (about 75 names); floor "entities.gold.f1".
# Its conventions follow docs/entities.md: a bare institution noun of a known country
# is a name ("la police", "the army"), a lowercase place word belongs to the place
# ("fiume Magra", "quartier de Noailles"), and Italian "X di <town>" is two names
# ("Procura", "Palermo").


def test_entity_quality_floor(annotator: Annotator) -> None:
    tp = fp = fn = 0
    misses = []
    with (TESTS / "data/ner/gold.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            gold = Counter((s, t) for s, t in rec["entities"])
            pred = Counter((m.text, m.type) for m in annotator.annotate(rec["text"], rec["lang"])
                           if m.type in ("PER", "ORG", "LOC"))
            hit = sum((gold & pred).values())
            tp, fp, fn = tp + hit, fp + sum(pred.values()) - hit, fn + sum(gold.values()) - hit
            if gold != pred:
                misses.append((rec["id"], dict(gold - pred), dict(pred - gold)))
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    f1 = 2 * precision * recall / (precision + recall)
    print(f"entities: P {precision:.4f}, R {recall:.4f}, F1 {f1:.4f}")
    record("entities.gold.f1", f1)
    pinned = floor("entities.gold.f1")
    assert f1 >= pinned, f"entity F1 {f1:.3f} fell below {pinned}: {misses}"


# Places end to end: tests/data/places/news.jsonl holds short news texts we wrote in en,
# it, es, fr and de, each toponym with its country and point (cities at their centre,
# divisions and countries at the gazetteer's point for them). The annotator finds and
# resolves the names in the raw text; a toponym counts when a LOC mention overlapping
# its first occurrence lies within 161 km (Acc@161, as benchmarks/bench_geo.py scores
# LGL and GeoNews end to end; missed = wrong). Floor "places.news.acc161".
PLACES = TESTS / "data/places/news.jsonl"


def _place_docs() -> list:
    from benchmarks.bench_geo import Doc, Toponym

    docs = []
    for line in PLACES.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        tops = []
        for t in rec["toponyms"]:
            found = re.search(rf"(?<!\w){re.escape(t['text'])}(?!\w)", rec["text"])
            assert found, f"{rec['id']}: {t['text']!r} is not in the text"
            tops.append(Toponym(found.start(), found.end(), t["name"], t["lat"], t["lon"],
                                t["kind"], t["country"]))
        docs.append(Doc(rec["id"], rec["text"], sorted(tops, key=lambda t: t.start),
                        rec["lang"]))
    return docs


def test_places_fixture_is_sound() -> None:
    import pycountry

    docs = _place_docs()
    tops = [t for d in docs for t in d.toponyms]
    assert {d.lang for d in docs} >= {"en", "it", "es", "fr", "de"}
    assert len(tops) >= 40
    assert all(pycountry.countries.get(alpha_2=t.country) for t in tops)
    assert all(-90 <= t.lat <= 90 and -180 <= t.lon <= 180 for t in tops)
    assert all(t.kind in ("city", "admin", "country") for t in tops)


def test_places_quality_floor(annotator: Annotator) -> None:
    from benchmarks.bench_geo import e2e_counts

    counts = e2e_counts(_place_docs(), annotator, types=("LOC",))
    acc = counts.summary()["acc161"]
    misses = [(doc, top.name, best and (best.name, best.country), round(km))
              for doc, top, best, km in counts.misses]
    print(f"places: Acc@161 {acc:.4f} over {len(counts.errors)} toponyms; misses {misses}")
    record("places.news.acc161", acc)
    pinned = floor("places.news.acc161")
    assert acc >= pinned, f"places Acc@161 {acc:.3f} fell below {pinned}: {misses}"
