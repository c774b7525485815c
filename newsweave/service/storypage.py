"""What the story and article pages of the web UI show, as plain dicts.

Every read is bounded, whatever the story's size: the first articles of each
language (the rest a page at a time), the most-named entities and places, the first
quotes, a fixed number of sentences for the summary. The timeline and the claims are
read whole (they are grouped across the story's sources) and their entries shown up
to a limit. Sources are named as :func:`newsweave.service.source_label` names them.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from ..errors import NotFound
from ..store.base import StoreAPI
from . import get_article, source_label
from .central import central_sentences
from .facts import story_claims, story_timeline
from .highlight import Span, segments

PER_LANGUAGE = 10  # articles listed per language on the story page
ENTITIES = 40
PLACES = 200
QUOTES = 30
TIMELINE = 60
CLAIMS = 40
SOURCES_SHOWN = 6  # sources named per timeline entry or claim; the rest counted
SUMMARY_ARTICLES = 30  # articles, and sentences of each, that the summary reads
SUMMARY_SENTENCES = 10
SUMMARY_LENGTH = 3
STATUS_ORDER = {"contradicted": 0, "corroborated": 1, "single": 2}


def web_link(url: str | None) -> str | None:
    """``url`` when a browser may follow it (http or https with a host), else None: a
    ``javascript:`` or ``file:`` address stays text."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


class Sources:
    """Names and links of a story's articles, read once per page for the ids asked."""

    def __init__(self, store: StoreAPI, roots: dict[int, list[str]]) -> None:
        self.store = store
        self.roots = roots
        self.known: dict[int, dict[str, Any]] = {}

    def load(self, ids: Iterable[int]) -> None:
        """Read the articles not read yet."""
        wanted = {int(i) for i in ids} - set(self.known)
        for row in self.store.queries.articles_brief(wanted) if wanted else []:
            self.known[row["id"]] = self.describe(row)

    def describe(self, row: dict[str, Any]) -> dict[str, Any]:
        """``{id, title, lang, name, url}`` of an article row."""
        name = source_label(row["site"], row["url"], row["source"],
                            self.roots.get(row["run_id"], []))
        return {"id": row["id"], "title": row["title"], "lang": row["lang"], "name": name,
                "url": web_link(row["url"])}

    def of(self, ids: Iterable[int], limit: int = SOURCES_SHOWN) -> dict[str, Any]:
        """``{shown: [article descriptions], more: how many not shown}``."""
        ids = list(dict.fromkeys(int(i) for i in ids))
        self.load(ids[:limit])
        shown = [self.known[i] for i in ids[:limit] if i in self.known]
        return {"shown": shown, "more": len(ids) - len(shown)}


def _roots(store: StoreAPI, story_id: int) -> dict[int, list[str]]:
    return {r["id"]: json.loads(r["sources"]) for r in store.queries.story_runs(story_id)}


def story_page(store: StoreAPI, story_id: int, reader_lang: str = "en") -> dict[str, Any]:
    """Everything the story page shows (see the module's docstring for the bounds)."""
    row = store.queries.story(story_id)
    if row is None:
        raise NotFound(f"no story with id {story_id}")
    sources = Sources(store, _roots(store, story_id))
    counts = store.queries.story_language_counts(story_id)
    entities, places = named_things(store, story_id)
    groups = [language_group(store, sources, story_id, c["lang"], c["n"]) for c in counts]
    main_lang = counts[0]["lang"] if counts else None
    summary_lang = reader_lang if any(c["lang"] == reader_lang for c in counts) else main_lang
    return {
        "id": row["id"], "title": row["title"], "size": sum(c["n"] for c in counts),
        "first_seen": min((c["first"] for c in counts if c["first"]), default=None),
        "last_seen": max((c["last"] for c in counts if c["last"]), default=None),
        "languages": groups,
        "summary": summary(store, sources, story_id, summary_lang),
        "timeline": timeline(store, sources, story_id),
        "places": places,
        "entities": entities,
        "quotes": quotes(store, sources, story_id),
        "claims": claims(store, sources, story_id),
        "related": related(store, story_id),
    }


def language_group(store: StoreAPI, sources: Sources, story_id: int, lang: str,
                   total: int, limit: int = PER_LANGUAGE, cursor: str | None = None
                   ) -> dict[str, Any]:
    """One language's articles, a page at a time: ``{lang, total, articles,
    next_cursor}``; each article ``{id, title, lang, published, duplicate_of, source,
    url}``."""
    page = store.queries.story_articles(story_id, lang, limit, cursor)
    articles = []
    for r in page.rows:
        described = sources.describe(r)
        sources.known[r["id"]] = described
        articles.append({"id": r["id"], "title": r["title"], "lang": r["lang"],
                         "published": r["published"], "duplicate_of": r["duplicate_of"],
                         "source": described["name"], "url": described["url"]})
    return {"lang": lang, "total": total, "articles": articles,
            "next_cursor": page.next_cursor}


def story_language_page(store: StoreAPI, story_id: int, lang: str, limit: int,
                        cursor: str | None = None) -> dict[str, Any]:
    """The story's articles in one language, a page at a time (the "all articles"
    view): :func:`language_group` plus the story's ``id`` and ``title``."""
    row = store.queries.story(story_id)
    if row is None:
        raise NotFound(f"no story with id {story_id}")
    counts = {c["lang"]: c["n"] for c in store.queries.story_language_counts(story_id)}
    if lang not in counts:
        raise NotFound(f"story {story_id} has no articles in {lang!r}")
    sources = Sources(store, _roots(store, story_id))
    group = language_group(store, sources, story_id, lang, counts[lang], limit, cursor)
    return {"id": row["id"], "title": row["title"], **group}


def summary(store: StoreAPI, sources: Sources, story_id: int,
            lang: str | None) -> dict[str, Any]:
    """``{lang, sentences: [{text, article, score}]}``: the story's central sentences
    in ``lang`` (the reader's language when the story has it, else its main one). A
    line that is its article's headline is no sentence of the summary: headlines are
    listed with the articles already."""
    if lang is None:
        return {"lang": None, "sentences": []}
    rows = [r for r in store.queries.story_sentences(story_id, lang, SUMMARY_ARTICLES,
                                                     SUMMARY_SENTENCES)
            if " ".join(str(r["text"]).split()) != " ".join(str(r["title"] or "").split())]
    chosen = central_sentences(rows, SUMMARY_LENGTH)
    sources.load(c["article_id"] for c in chosen)
    return {"lang": lang, "sentences": [
        {"text": c["text"], "score": c["score"], "article": sources.known.get(c["article_id"])}
        for c in chosen]}


def timeline(store: StoreAPI, sources: Sources, story_id: int) -> dict[str, Any]:
    """``{entries: [{date, granularity, relative, text, sources}], more}``."""
    got = story_timeline(store, story_id)
    sources.load(i for e in got[:TIMELINE] for i in e["sources"][:SOURCES_SHOWN])
    entries = [{**e, "sources": sources.of(e["sources"]), "label": date_label(e["date"]),
                "datetime": "" if "X" in e["date"] else e["date"]} for e in got[:TIMELINE]]
    return {"entries": entries, "more": max(0, len(got) - TIMELINE)}


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
DATE = re.compile(r"(\d{4}|XXXX)(?:-(\d{2}))?(?:-(\d{2}))?$")
WEEK = re.compile(r"(\d{4})-W(\d{2})$")


def date_label(value: str) -> str:
    """A TIMEX3 date for a reader: ``2020-01`` as ``January 2020``, ``2003-03-20`` as
    ``20 March 2003``, ``XXXX-10-07`` as ``7 October (year not stated)``, ``2024-W03``
    as ``week 3 of 2024``; anything else as it is."""
    week = WEEK.match(value)
    if week:
        return f"week {int(week.group(2))} of {week.group(1)}"
    found = DATE.match(value)
    if not found or (found.group(2) and not 1 <= int(found.group(2)) <= 12):
        return value
    year, month, day = found.groups()
    parts = [str(int(day))] if day else []
    parts += [MONTHS[int(month) - 1]] if month else []
    parts.append("(year not stated)" if year == "XXXX" else year)
    return " ".join(parts)


def named_things(store: StoreAPI, story_id: int) -> tuple[list[dict[str, Any]],
                                                          list[dict[str, Any]]]:
    """The story's most-named entities (``{id, name, type, place_id, mentions,
    articles}``, at most ``ENTITIES``) and its places for the map (``{id, name, lat,
    lon, country, feature, mentions, articles}``, at most ``PLACES``; ``id`` the
    entity's), most articles first, then most mentions, name, id.

    One pass over the story's mentions counts both and finds how the story spells each
    place: a place's ``name`` is the gazetteer's, with the story's own spelling first
    when it differs beyond case and accents (``Nineveh (Ninawa)``)."""
    tally: dict[int, dict[str, Any]] = {}
    for r in store.queries.story_mentions(story_id):
        t = tally.setdefault(r["entity_id"], {"mentions": 0, "articles": set(), "forms": {}})
        t["mentions"] += r["n"]
        t["articles"].add(r["article_id"])
        text = " ".join(str(r["text"]).split())
        t["forms"][text] = t["forms"].get(text, 0) + r["n"]
    info = {r["id"]: r for r in store.queries.entities_brief(tally)} if tally else {}
    ranked = sorted((i for i in tally if i in info), key=lambda i: (
        -len(tally[i]["articles"]), -tally[i]["mentions"], info[i]["name"], i))
    entities = [{"id": i, "name": info[i]["name"], "type": info[i]["type"],
                 "place_id": info[i]["place_id"], "mentions": tally[i]["mentions"],
                 "articles": len(tally[i]["articles"])} for i in ranked[:ENTITIES]]
    located = [i for i in ranked if info[i]["place_id"]][:PLACES]
    gazetteer = {r["id"]: r for r in store.queries.places_by_id(
        {info[i]["place_id"] for i in located})} if located else {}
    places = []
    for i in located:
        where = gazetteer.get(info[i]["place_id"])
        if where is None:
            continue
        forms = tally[i]["forms"]
        written = min(forms, key=lambda f: (-forms[f], f))
        places.append({"id": i, "name": _named(info[i]["name"], written), "lat": where["lat"],
                       "lon": where["lon"], "country": where["country"],
                       "feature": where["feature"], "mentions": tally[i]["mentions"],
                       "articles": len(tally[i]["articles"])})
    return entities, places


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if c.isalnum())


def _named(name: str, written: str | None) -> str:
    """``written (name)`` when the story spells a place otherwise than the gazetteer
    (beyond case and accents), else ``name``."""
    if not written or _fold(written) == _fold(name) or _fold(written) in _fold(name):
        return name
    return f"{written} ({name})"


def quotes(store: StoreAPI, sources: Sources, story_id: int) -> dict[str, Any]:
    """``{items: [{speaker, speaker_entity, text, direct, article}], more}``: the first
    quotes in stream order, those of duplicate articles left out (their original's
    are there); ``more`` is true when there are others."""
    rows = store.facts.quotes(story=story_id, limit=2 * QUOTES + 1)
    kept = [r for r in rows if r["duplicate_of"] is None]
    sources.load(r["article_id"] for r in kept[:QUOTES])
    items = [{"speaker": r["speaker_text"],
              "speaker_entity": ({"id": r["speaker_entity_id"], "name": r["speaker_name"]}
                                 if r["speaker_entity_id"] is not None else None),
              "text": r["text"], "direct": bool(r["direct"]),
              "article": sources.known.get(r["article_id"])} for r in kept[:QUOTES]]
    return {"items": items, "more": len(kept) > QUOTES or len(rows) > 2 * QUOTES}


def claims(store: StoreAPI, sources: Sources, story_id: int) -> dict[str, Any]:
    """``{items, more}``: the story's claims, contradicted first, then corroborated,
    then single-source; each with its named ``sources`` and, when contradicted, the
    ``other_sides`` (the differing figures with their sources). A figure shown as
    another's other side is not listed again on its own."""
    got = story_claims(store, story_id)
    order = sorted(range(len(got)), key=lambda i: (STATUS_ORDER.get(got[i]["status"], 3), i))
    listed: list[int] = []
    covered: set[int] = set()
    for i in order:
        if i in covered:
            continue
        listed.append(i)
        covered.update(j for j in got[i]["contradicts"] if 0 <= j < len(got))
    shown = {j for i in listed[:CLAIMS] for j in (i, *got[i]["contradicts"]) if 0 <= j < len(got)}
    sources.load(a for j in shown for a in got[j]["sources"][:SOURCES_SHOWN])
    items = []
    for i in listed[:CLAIMS]:
        claim = got[i]
        items.append({**claim, "index": i, "named_sources": sources.of(claim["sources"]),
                      "other_sides": [{"index": j, "text": got[j]["text"],
                                       "low": got[j]["low"], "high": got[j]["high"],
                                       "value": got[j]["value"],
                                       "sentence": got[j]["sentences"][0]["sentence"],
                                       "named_sources": sources.of(got[j]["sources"])}
                                      for j in claim["contradicts"] if 0 <= j < len(got)]})
    return {"items": items, "more": max(0, len(listed) - CLAIMS)}


def related(store: StoreAPI, story_id: int) -> list[dict[str, Any]]:
    """Stories linked as related, strongest first: ``[{id, title, size, score}]``."""
    return [{"id": r["id"], "title": r["title"], "size": r["size"],
             "score": round(r["score"], 3)} for r in store.queries.related_stories(story_id)]


# -- the article page ----------------------------------------------------------------
ENTITY_KINDS = {"PER": "person", "ORG": "organisation", "LOC": "place"}


def article_spans(store: StoreAPI, article: dict[str, Any]) -> list[Span]:
    """The article's annotations as :class:`Span` s, each linked to its page: an
    entity to its entity page (a place to its place page), a date and a claim to the
    story's timeline and claims, a quote to its speaker."""
    rows = store.queries.article_spans(article["id"])
    story = f"/ui/stories/{article['story']}" if article.get("story") else ""
    out = []
    for m in rows["mentions"]:
        kind = "place" if m["place_id"] else ENTITY_KINDS.get(m["type"], "entity")
        page = "places" if m["place_id"] else "entities"
        out.append(Span(m["char_start"], m["char_end"], kind,
                        f"/ui/{page}/{m['entity_id']}", f"{kind}: {m['name']}"))
    for d in rows["dates"]:
        out.append(Span(d["char_start"], d["char_end"], "date",
                        f"{story}#timeline" if story else "", f"{d['type'].lower()}: "
                        f"{d['value']}"))
    for q in rows["quotes"]:
        who = q["speaker_name"] or q["speaker_text"] or "unknown speaker"
        href = f"/ui/entities/{q['speaker_entity_id']}" if q["speaker_entity_id"] else ""
        out.append(Span(q["char_start"], q["char_end"], "quote", href, f"quote: {who}"))
    for c in rows["quantities"]:
        if c["counted"]:
            out.append(Span(c["char_start"], c["char_end"], "claim",
                            f"{story}#claims" if story else "", f"claim: {c['counted']}"))
    return out


def article_page(store: StoreAPI, article_id: int) -> dict[str, Any]:
    """Everything the article page shows: :func:`newsweave.service.get_article`, the
    text as highlighted ``paragraphs`` (:func:`newsweave.service.highlight.segments`),
    the source's ``source_name``, a followable ``link``, its ``story_title`` and the
    ``duplicate``'s title."""
    article = get_article(store, article_id)
    brief = store.queries.articles_brief([article_id])[0]
    roots = _roots_of_run(store, brief["run_id"], article.get("story"))
    article["source_name"] = source_label(article["site"], article["url"], article["source"],
                                          roots)
    article["link"] = web_link(article["url"])
    article["paragraphs"] = segments(article["text"] or "", article_spans(store, article))
    story = store.queries.story(article["story"]) if article.get("story") else None
    article["story_title"] = story["title"] if story else None
    article["duplicate"] = None
    if article["duplicate_of"] is not None:
        found = store.queries.articles_brief([article["duplicate_of"]])
        article["duplicate"] = found[0] if found else None
    return article


def _roots_of_run(store: StoreAPI, run_id: int | None, story_id: int | None) -> list[str]:
    if run_id is None or story_id is None:
        return []
    return _roots(store, story_id).get(run_id, [])
