"""Geoparsing benchmark: place resolution on LGL, GeoVirus and GeoNews.

Run from the repository root::

    python -m benchmarks.bench_geo           # gold spans: resolver vs population baseline
    python -m benchmarks.bench_geo --e2e     # also end to end, names found by the Annotator
    python -m benchmarks.bench_geo --e2e --set geonews [--split dev|holdout|all]
    python -m benchmarks.bench_geo --e2e --set geonews --errors 30   # dev errors listed

``--set`` picks the corpora: ``lgl-geovirus`` (the default), ``geonews`` or ``all``.
**GeoNews** is the project's own set (``benchmarks/data/geonews``, see
:mod:`benchmarks.geonews`): 104 news articles written for it in es, fr, it and de,
every toponym annotated with its country and point; it is scored per language and
overall, by split (``dev`` by default; ``holdout`` is not to be looked at while
tuning, and ``--errors`` refuses it). Each article goes to the resolver and the
Annotator with its own language. Its end-to-end mode counts only ``LOC`` mentions
(GeoNews does not annotate nationality words), and besides Acc@161 it reports the
**wrong-country share**: of the gold toponyms with a country that were found and
resolved, the share whose place lies in another country (gold spans: of those the
resolver answered).

Data, read at run time from ``../shared/data/geo`` (override with
``NEWSWEAVE_SHARED``), never copied: ``lgl.xml`` (local US news, 588 articles,
toponyms with GeoNames coordinates; those without coordinates are left out, as usual
in the literature) and ``GeoVirus.xml`` (WikiNews articles on epidemics; its
``start``/``end`` are one-based and are shifted here).

Two modes:

* **gold spans** — the gold toponym strings of each article go to
  :meth:`PlaceResolver.resolve` together (one call per article, in text order), as
  does the *population baseline*: the most populous candidate the gazetteer has for
  the string (same candidates, no context). Metrics over all gold toponyms:
  **Acc@161** (share predicted within 161 km, 100 miles; unresolved counts as wrong),
  **AUC** of the error curve (Gritta et al. 2018, "What's missing in geoparsing?"):
  errors ``e_i`` in km, unresolved and larger ones set to 20,039 km (half the
  equator), sorted; ``AUC = trapz(ln(1 + e_i)) / (ln(20039) · (n - 1))``; 0 is
  perfect, 1 every answer at the antipode, lower is better), **median error** km and
  **coverage** (share with any answer).
* **end to end** (``--e2e``) — :class:`newsweave.enrich.entities.Annotator` finds
  the mentions; a gold toponym counts as found when a predicted ``LOC`` mention with a
  place (or a nationality word, ``demonym``, which resolves to its country: LGL tags
  "American" as a toponym) overlaps its span; Acc@161 over all gold toponyms (missed = wrong);
  precision = predicted LOC mentions with a place that overlap a gold toponym and lie
  within 161 km of it, over all predicted LOC mentions with a place (a lower bound:
  the corpora do not tag every toponym); articles per second.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from typing import Any

from benchmarks.common import find_data, md_table, write_results

MAX_KM = 20039.0  # half the Earth's circumference: the worst possible error
ACC_KM = 161.0


@dataclass(slots=True)
class Toponym:
    """One gold toponym: its span in the article text, its string and coordinates."""

    start: int
    end: int
    name: str
    lat: float
    lon: float
    kind: str  # GeoNames feature code in LGL, "loc" in GeoVirus, GeoNews' kind
    country: str | None = None  # ISO alpha-2, GeoNews only


@dataclass(slots=True)
class Doc:
    """One gold article."""

    id: str
    text: str
    toponyms: list[Toponym]
    lang: str = "en"


def load_lgl(path: Path) -> list[Doc]:
    """LGL articles and their toponyms that have gold coordinates."""
    docs = []
    for art in ET.parse(path).getroot().iter("article"):
        tops = []
        for top in art.iter("toponym"):
            tag = top.find("gaztag")
            if tag is None or tag.findtext("lat") is None:
                continue
            tops.append(Toponym(int(top.findtext("start")), int(top.findtext("end")),
                                top.findtext("phrase") or "", float(tag.findtext("lat")),
                                float(tag.findtext("lon")), tag.findtext("fcode") or "?"))
        docs.append(Doc(art.get("docid") or str(len(docs)), art.findtext("text") or "",
                        sorted(tops, key=lambda t: t.start)))
    return docs


def load_geovirus(path: Path) -> list[Doc]:
    """GeoVirus articles; spans shifted to zero-based where the text says so."""
    docs = []
    for i, art in enumerate(ET.parse(path).getroot().iter("article")):
        text = art.findtext("text") or ""
        tops = []
        for loc in art.iter("location"):
            name = loc.findtext("name") or ""
            start, end = int(loc.findtext("start")), int(loc.findtext("end"))
            if text[start:end] != name and text[start - 1:end - 1] == name:
                start, end = start - 1, end - 1
            tops.append(Toponym(start, end, name, float(loc.findtext("lat")),
                                float(loc.findtext("lon")), "loc"))
        docs.append(Doc(str(i), text, sorted(tops, key=lambda t: t.start)))
    return docs


def load_geonews(split: str) -> dict[str, list[Doc]]:
    """GeoNews articles of one split (``dev``, ``holdout``, ``all``) by language."""
    from benchmarks.geonews import LANGS, load

    out: dict[str, list[Doc]] = {}
    for lang in LANGS:
        out[lang] = [Doc(rec["id"], rec["text"], [
            Toponym(t["start"], t["end"], t["text"], t["lat"], t["lon"], t["kind"],
                    t["country"]) for t in rec["toponyms"]], lang)
            for rec in load([lang], split)]
    return out


# -- metrics -----------------------------------------------------------------------------
def error_km(pred: Any, top: Toponym) -> float:
    """Error of a prediction (a Place or None) for a gold toponym, capped at MAX_KM."""
    if pred is None:
        return MAX_KM
    from newsweave.enrich.places.resolver import distance_km

    return min(MAX_KM, distance_km(pred, (top.lat, top.lon)))


def scores(errors: list[float], answered: int) -> dict[str, float]:
    """Acc@161, AUC (see module docstring), median error and coverage."""
    n = len(errors)
    if n == 0:
        return {"n": 0}
    logs = sorted(math.log1p(e) for e in errors)
    trapz = sum(logs) - (logs[0] + logs[-1]) / 2 if n > 1 else logs[0]
    auc = trapz / (math.log(MAX_KM) * max(n - 1, 1))
    return {"n": n, "acc161": sum(e <= ACC_KM for e in errors) / n, "auc": auc,
            "median_km": median(errors), "coverage": answered / n}


def wrong_country(pred: Any, top: Toponym) -> bool | None:
    """Whether an answer lies in another country than the gold one; None when there
    is no answer or the gold toponym has no country (a sea, a cross-border region)."""
    if pred is None or top.country is None:
        return None
    return pred.country != top.country


def country_share(flags: list[bool | None]) -> dict[str, float]:
    """Wrong-country share over the answers that can be judged."""
    judged = [f for f in flags if f is not None]
    return {"country_judged": len(judged),
            "wrong_country": sum(judged) / len(judged) if judged else 0.0}


# -- gold spans ---------------------------------------------------------------------------
def gold_spans(docs: list[Doc], gazetteer: Any, resolver: Any) -> dict[str, Any]:
    """Resolver and population baseline on the gold toponym strings."""
    errs: dict[str, list[float]] = defaultdict(list)
    answered: dict[str, int] = defaultdict(int)
    flags: dict[str, list[bool | None]] = defaultdict(list)
    by_kind: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    start = time.perf_counter()
    for doc in docs:
        names = [t.name for t in doc.toponyms]
        preds = resolver.resolve(names, lang=doc.lang) if names else []
        for top, pred in zip(doc.toponyms, preds, strict=True):
            for system, place in (("resolver", pred), ("population", _most_populous(
                    gazetteer, top.name))):
                err = error_km(place, top)
                errs[system].append(err)
                answered[system] += place is not None
                flags[system].append(wrong_country(place, top))
                by_kind[system][top.kind].append(err)
    seconds = time.perf_counter() - start
    out: dict[str, Any] = {s: {**scores(errs[s], answered[s]), **country_share(flags[s])}
                           for s in ("resolver", "population")}
    out["seconds"] = seconds
    out["by_kind"] = {s: {k: scores(v, len(v)) for k, v in kinds.items()}
                      for s, kinds in by_kind.items()}
    return out


def country_outlines() -> dict[str, list[Any]]:
    """countryinfo's country outlines by ISO code (for the reference-point diagnostic)."""
    from newsweave.enrich.places.build import countryinfo_records, find_sources
    from newsweave.enrich.places.centres import polygons

    return {iso: polygons(rec.get("geoJSON"))
            for iso, rec in countryinfo_records(find_sources()).items()}


def right_country_far_centre(docs: list[Doc], resolver: Any) -> int:
    """Toponyms answered with a country more than 161 km from the gold point although
    the gold point lies inside that country: the answer is right, the two reference
    points differ (GeoVirus' are Wikipedia's, ours GeoNames-like)."""
    import numpy as np

    from newsweave.enrich.places.centres import inside

    outlines = country_outlines()
    count = 0
    for doc in docs:
        preds = resolver.resolve([t.name for t in doc.toponyms], lang="en")
        for top, place in zip(doc.toponyms, preds, strict=True):
            if (place is not None and place.feature == "country"
                    and error_km(place, top) > ACC_KM
                    and any(inside(poly, np.array([top.lon]), np.array([top.lat]))[0]
                            for poly in outlines.get(place.country or "", []))):
                count += 1
    return count


def _most_populous(gazetteer: Any, name: str) -> Any:
    found = gazetteer.lookup(name, limit=1)
    return found[0] if found else None


# -- end to end -----------------------------------------------------------------------------
def load_annotator() -> Any:
    """The default Annotator, or None (after saying why) when it cannot be loaded."""
    try:
        from newsweave.enrich.entities import Annotator

        return Annotator.load(settings=None)
    except Exception as exc:  # noqa: BLE001 - any failure to load skips this mode
        print(f"e2e skipped: {type(exc).__name__}: {exc}")
        return None


@dataclass(slots=True)
class E2E:
    """Raw end-to-end counts, summable across languages; :meth:`summary` scores them."""

    errors: list[float]
    flags: list[bool | None]
    misses: list[tuple[str, Toponym, Any, float]]  # (doc id, gold, best answer, km)
    found: int = 0
    predicted: int = 0
    correct_pred: int = 0
    articles: int = 0
    seconds: float = 0.0

    def __add__(self, other: E2E) -> E2E:
        return E2E(self.errors + other.errors, self.flags + other.flags,
                   self.misses + other.misses, self.found + other.found,
                   self.predicted + other.predicted, self.correct_pred + other.correct_pred,
                   self.articles + other.articles, self.seconds + other.seconds)

    def summary(self) -> dict[str, Any]:
        """Acc@161 and the rest (see the module docstring), precision, speed."""
        out = scores(self.errors, self.found)
        out.update(precision=self.correct_pred / self.predicted if self.predicted else 0.0,
                   predicted=self.predicted,
                   articles_s=self.articles / self.seconds if self.seconds else 0.0,
                   **country_share(self.flags))
        return out


def e2e_counts(docs: list[Doc], annotator: Any,
               types: tuple[str, ...] = ("LOC", "demonym")) -> E2E:
    """The Annotator on the raw texts (each in its own language), against the gold
    toponyms; a gold toponym takes the best answer among the mentions overlapping it."""
    out = E2E([], [], [], articles=len(docs))
    start = time.perf_counter()
    for doc in docs:
        mentions = [m for m in annotator.annotate(doc.text, lang=doc.lang)
                    if m.type in types and m.place is not None]
        out.predicted += len(mentions)
        hit_pred: set[int] = set()
        for top in doc.toponyms:
            over = [(i, m) for i, m in enumerate(mentions)
                    if m.start < top.end and top.start < m.end]
            best = min((m.place for _, m in over), key=lambda p: error_km(p, top),
                       default=None)
            err = error_km(best, top)
            out.errors.append(err)
            out.flags.append(wrong_country(best, top))
            out.found += bool(over)
            if err > ACC_KM:
                out.misses.append((doc.id, top, best, err))
            hit_pred.update(i for i, m in over if error_km(m.place, top) <= ACC_KM)
        out.correct_pred += len(hit_pred)
    out.seconds = time.perf_counter() - start
    return out


def end_to_end(docs: list[Doc], annotator: Any) -> dict[str, Any]:
    """The Annotator on the raw texts, scored against the gold toponyms."""
    return e2e_counts(docs, annotator).summary()


# -- driver ---------------------------------------------------------------------------------
def rows_for(name: str, res: dict[str, Any]) -> list[list[Any]]:
    """Table rows for one corpus: resolver, population baseline (and e2e if run)."""
    rows = []
    for system, label in (("resolver", "newsweave resolver"),
                          ("population", "population baseline"),
                          ("e2e", "end to end (Annotator)")):
        r = res.get(system)
        if not r or "acc161" not in r:
            continue
        rows.append([name, label, r["n"], f"{100 * r['acc161']:.1f}", f"{r['auc']:.3f}",
                     f"{r['median_km']:.0f}", f"{100 * r['coverage']:.1f}",
                     f"{100 * r['precision']:.1f}" if "precision" in r else ""])
    return rows


def geonews_rows(split: str, res: dict[str, Any]) -> list[list[Any]]:
    """Table rows for GeoNews: per language and overall, gold spans and end to end."""
    rows = []
    for lang, r in res.items():
        for system, label in (("resolver", "resolver, gold spans"),
                              ("population", "population baseline"),
                              ("e2e", "end to end (Annotator)")):
            x = r.get(system)
            if not x or "acc161" not in x:
                continue
            rows.append([lang, split, label, x["n"], f"{100 * x['acc161']:.1f}",
                         f"{x['auc']:.3f}", f"{x['median_km']:.0f}",
                         f"{100 * x['coverage']:.1f}",
                         f"{100 * x['precision']:.1f}" if "precision" in x else "",
                         f"{100 * x['wrong_country']:.1f} of {x['country_judged']}"])
    return rows


def run_geonews(split: str, gazetteer: Any, resolver: Any, annotator: Any,
                errors: int) -> dict[str, Any]:
    """Score GeoNews per language and overall; print the table (and dev errors)."""
    by_lang = load_geonews(split)
    res: dict[str, Any] = {}
    total: E2E | None = None
    for lang, docs in [*by_lang.items(), ("all", [d for v in by_lang.values() for d in v])]:
        res[lang] = gold_spans(docs, gazetteer, resolver)
        res[lang]["articles"] = len(docs)
        if annotator is not None and lang != "all":
            counts = e2e_counts(docs, annotator, types=("LOC",))
            res[lang]["e2e"] = counts.summary()
            total = counts if total is None else total + counts
    if total is not None:
        res["all"]["e2e"] = total.summary()
    head = ["language", "split", "system", "toponyms", "Acc@161 %", "AUC", "median km",
            "found or answered %", "precision %", "wrong country %"]
    print(f"\nGeoNews ({split})\n")
    print(md_table(head, geonews_rows(split, res)))
    if errors and total is not None:
        print_misses(total, errors)
    return res


def print_misses(total: E2E, limit: int) -> None:
    """The first ``limit`` gold toponyms answered wrong or missed end to end (dev)."""
    print(f"\nend-to-end errors ({min(limit, len(total.misses))} of "
          f"{len(total.misses)}):")
    for doc_id, top, place, km in total.misses[:limit]:
        got = f"{place.name} ({place.country}) {km:.0f} km" if place else "not found"
        print(f"  {doc_id} {top.name!r} [{top.country}] -> {got}")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the table, write benchmarks/out/bench_geo.json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--e2e", action="store_true", help="also run end to end")
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles")
    parser.add_argument("--set", default="lgl-geovirus", dest="corpora",
                        choices=("lgl-geovirus", "geonews", "all"), help="which corpora")
    parser.add_argument("--split", default="dev", choices=("dev", "holdout", "all"),
                        help="GeoNews split (holdout: not while tuning)")
    parser.add_argument("--errors", type=int, default=0,
                        help="GeoNews dev split: list the first N end-to-end errors")
    args = parser.parse_args(argv)
    if args.errors and args.split != "dev":
        parser.error("--errors lists dev errors only: the holdout is not to be read")
    paths = None
    if args.corpora != "geonews":
        paths = find_data("geo/lgl.xml", "geo/GeoVirus.xml")
        if paths is None and args.corpora == "lgl-geovirus":
            return 0
    from newsweave.enrich.places import Gazetteer, PlaceResolver

    start = time.perf_counter()
    gazetteer = Gazetteer.open()
    open_s = time.perf_counter() - start
    resolver = PlaceResolver(gazetteer)
    annotator = load_annotator() if args.e2e else None
    results: dict[str, Any] = {"gazetteer": gazetteer.version, "open_s": open_s}
    if args.e2e and annotator is not None:
        results["annotator"] = getattr(annotator, "version", None)
    print(f"gazetteer {gazetteer.version} (opened in {open_s:.1f} s)")
    if paths is not None:
        results.update(run_classic(paths, args.limit, gazetteer, resolver, annotator))
    if args.corpora != "lgl-geovirus":
        results["GeoNews"] = {"split": args.split, **run_geonews(
            args.split, gazetteer, resolver, annotator, args.errors)}
    write_results("bench_geo", results)
    return 0


def run_classic(paths: list[Path], limit: int, gazetteer: Any, resolver: Any,
                annotator: Any) -> dict[str, Any]:
    """LGL and GeoVirus: the tables and notes printed, the results returned."""
    results: dict[str, Any] = {}
    table = []
    for name, loader, path in (("LGL", load_lgl, paths[0]), ("GeoVirus", load_geovirus,
                                                             paths[1])):
        docs = loader(path)[: limit or None]
        res = gold_spans(docs, gazetteer, resolver)
        if annotator is not None:
            res["e2e"] = end_to_end(docs, annotator)
        res["articles"] = len(docs)
        res["right_country_far_centre"] = right_country_far_centre(docs, resolver)
        results[name] = res
        table += rows_for(name, res)
    head = ["corpus", "system", "toponyms", "Acc@161 %", "AUC", "median km", "coverage %",
            "precision %"]
    print()
    print(md_table(head, table))
    for name in ("LGL", "GeoVirus"):
        res = results[name]
        print(f"{name}: {res['right_country_far_centre']} resolver answers count as wrong "
              "although the gold point lies inside the chosen country (reference points "
              "differ)")
    for name in ("LGL", "GeoVirus"):
        e2e = results.get(name, {}).get("e2e") or {}
        if "articles_s" in e2e:
            print(f"{name} end to end: {e2e['articles_s']:.1f} articles/s")
    return results


if __name__ == "__main__":
    sys.exit(main())
