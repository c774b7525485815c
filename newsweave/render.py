"""Plain-text views of the service's dicts, for a person reading a terminal.

Pure functions from the dicts of :mod:`newsweave.service` to lines of text, so the
CLI stays thin and the views can be tested without a terminal. Long lists are cut
to a few lines with a note saying how many more there are and which command lists
them all: a 500-article story must still fit on a screen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

Highlight = Callable[[str], str]

ENTITY_LINES = 8     # people, organisations, places shown per story
STORY_LINES = 10     # stories shown per entity
MENTION_LINES = 20   # mentions shown per entity
MENTION_WIDTH = 110  # characters of a mention's sentence shown around it


def brackets(text: str) -> str:
    """The highlight used when the output is not a terminal: ``[text]``."""
    return f"[{text}]"


def cut(text: str, width: int) -> str:
    """``text`` on one line, at most ``width`` characters (an ellipsis marks a cut)."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def plural(n: int, word: str) -> str:
    """``1 article``, ``2 articles``."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def mention_window(sentence: str, start: int, end: int,
                   width: int = MENTION_WIDTH) -> tuple[str, str, str]:
    """(before, mention, after): the part of ``sentence`` around ``sentence[start:end]``
    that fits ``width`` characters, centred on the mention, cut at word boundaries,
    with ``…`` where text was left out. The mention itself is never cut."""
    mention = " ".join(sentence[start:end].split())
    room = max(width - len(mention), 0)
    before = " ".join(sentence[:start].split())
    after = " ".join(sentence[end:].split())
    keep_before = min(len(before), max(room // 2, room - len(after)))
    keep_after = min(len(after), room - keep_before)
    left = _tail(before, keep_before)
    right = _head(after, keep_after)
    sep_l = " " if sentence[:start][-1:].isspace() else ""
    sep_r = " " if sentence[end:end + 1].isspace() else ""
    return left + sep_l, mention, sep_r + right


def _tail(text: str, n: int) -> str:
    """At most ``n`` characters from the end of ``text``, starting at a word; ``…``
    marks the cut."""
    if n >= len(text):
        return text
    if n < 2:
        return "…"
    cut_at = len(text) - (n - 1)
    if not text[cut_at - 1].isspace():  # do not start inside a word
        space = text.find(" ", cut_at)
        cut_at = len(text) if space < 0 else space + 1
    return "…" + text[cut_at:]


def _head(text: str, n: int) -> str:
    """At most ``n`` characters from the start of ``text``, ending at a word; ``…``
    marks the cut."""
    if n >= len(text):
        return text
    if n < 2:
        return "…"
    cut_at = n - 1
    if not text[cut_at].isspace():  # do not end inside a word
        space = text.rfind(" ", 0, cut_at)
        cut_at = 0 if space < 0 else space
    return text[:cut_at].rstrip() + "…"


def mention_line(m: dict[str, Any], mark: Highlight, width: int = MENTION_WIDTH) -> str:
    """One mention: its article and the window of its sentence, the mention marked."""
    sentence, s0 = m.get("sentence"), m.get("sentence_start")
    if sentence is None or s0 is None:
        return f"    article {m['article']}: {mark(m['text'])}"
    before, name, after = mention_window(sentence, m["start"] - s0, m["end"] - s0, width)
    return f"    article {m['article']}: {before}{mark(name)}{after}"


# -- a story ---------------------------------------------------------------------------
def story_view(s: dict[str, Any], max_articles: int) -> list[str]:
    """The whole story for ``newsweave story ID``: languages, sources, who, where,
    related stories, then its articles (the first ``max_articles``; 0: all)."""
    lines = [f"story {s['id']}: {cut(s['title'], 100)}", f"  {_span(s)}"]
    langs = s.get("language_counts") or dict.fromkeys(s["languages"], 0)
    lines.append("  languages: " + ", ".join(f"{k} {v}" if v else k for k, v in langs.items()))
    if s.get("sources"):
        lines.append("  sources: " + _capped([f"{x['name']} ({x['articles']})"
                                             for x in s["sources"]], 12))
    lines += _entity_lines("people", [e for e in s["entities"] if e["type"] == "PER"])
    lines += _entity_lines("organisations", [e for e in s["entities"] if e["type"] == "ORG"])
    lines += _place_lines(s)
    lines += _related_lines(s)
    lines += _timeline_lines(s.get("timeline", []))
    lines += _quote_lines(s.get("quotes", []))
    lines += _claim_lines(s.get("claims", []))
    lines += _article_lines(s, max_articles)
    return lines


def _timeline_lines(entries: list[dict[str, Any]], shown: int = 12) -> list[str]:
    """When: each date once, with its sentence and how many articles state it."""
    if not entries:
        return ["  timeline: no dates found"]
    lines = ["  timeline:"]
    for e in entries[:shown]:
        date = e["date"].replace("XXXX", "????") + (" (year unknown)" if e["relative"] else "")
        lines.append(f"    {date} ({plural(len(e['sources']), 'article')}): {cut(e['text'], 90)}")
    if len(entries) > shown:
        lines.append(f"    … and {len(entries) - shown} more dates")
    return lines


def _quote_lines(quotes: list[dict[str, Any]], shown: int = 8) -> list[str]:
    """Who said what: the speaker (resolved to an entity when known) and the words."""
    if not quotes:
        return ["  quotes: none found"]
    lines = ["  quotes:"]
    for q in quotes[:shown]:
        who = q["speaker_entity"]["name"] if q["speaker_entity"] else (q["speaker"] or
                                                                         "speaker unknown")
        said = f"“{cut(q['text'], 90)}”" if q["direct"] else cut(q["text"], 90)
        lines.append(f"    {who} (article {q['article']}): {said}")
    if len(quotes) > shown:
        lines.append(f"    … and {len(quotes) - shown} more quotes")
    return lines


def _claim_lines(claims: list[dict[str, Any]], shown: int = 8) -> list[str]:
    """Which numbers the sources agree on: status first, then the number and its sources."""
    if not claims:
        return ["  claims: none found"]
    lines = ["  claims:"]
    for c in claims[:shown]:
        sources = ", ".join(str(a) for a in c["sources"])
        lines.append(f"    {c['status']}: {c['text']} {c['counted']} (articles {sources})")
    if len(claims) > shown:
        lines.append(f"    … and {len(claims) - shown} more claims")
    return lines


def _span(s: dict[str, Any]) -> str:
    text = plural(s["size"], "article")
    dupes = sum(1 for a in s["articles"] if a.get("duplicate_of"))
    if dupes:
        text += f" ({dupes} duplicate{'s' if dupes != 1 else ''})"
    if s["first_seen"]:
        first, last = s["first_seen"][:10], s["last_seen"][:10]
        text += f", {first}" + (f" to {last}" if last != first else "")
    undated = sum(1 for a in s["articles"] if not a.get("published"))
    if undated:
        text += f"; {undated} undated"
    return text


def _capped(items: Sequence[str], limit: int) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f", … {len(items) - limit} more" if len(items) > limit else "")


def _entity_lines(label: str, entities: list[dict[str, Any]]) -> list[str]:
    if not entities:
        return []
    items = [f"{e['name']} #{e['id']} ({e['articles']})" for e in entities]
    return [f"  {label}: {_capped(items, ENTITY_LINES)}"]


def _place_lines(s: dict[str, Any]) -> list[str]:
    """Resolved places with their country and feature; place names that stayed off
    the map (unknown or fictional) after them."""
    resolved = {p["id"]: p for p in s["places"]}
    items = []
    for e in s["entities"]:
        if e["type"] != "LOC":
            continue
        p = resolved.get(e["id"])
        where = f"{p['country'] or '--'}, {p['feature']}" if p else "not on the map"
        items.append(f"{e['name']} #{e['id']} ({where})")
    return [f"  places: {_capped(items, ENTITY_LINES)}"] if items else []


def _related_lines(s: dict[str, Any]) -> list[str]:
    related = s.get("related_stories")
    if related is None:  # a listing's story: ids only
        return [f"  related: {', '.join(map(str, s['related']))}"] if s["related"] else []
    if not related:
        return []
    lines = ["  related stories:"]
    lines += [f"    story {r['id']}: {cut(r['title'], 70)} ({plural(r['size'], 'article')})"
              for r in related[:5]]
    if len(related) > 5:
        lines.append(f"    … {len(related) - 5} more")
    return lines


def _article_lines(s: dict[str, Any], max_articles: int) -> list[str]:
    arts = s["articles"]
    shown = arts if max_articles <= 0 else arts[:max_articles]
    lines = [f"  articles ({len(arts)}):"]
    for a in shown:
        dup = f" (duplicate of {a['duplicate_of']})" if a.get("duplicate_of") else ""
        date = (a.get("published") or "")[:10] or "undated"
        lines.append(f"  - {a['id']:>5} [{a['lang']}] {date:<10} {cut(a['title'], 64)}{dup}")
    if len(shown) < len(arts):
        lines.append(f"  … {len(arts) - len(shown)} more: `newsweave articles --story "
                     f"{s['id']}` lists them all (or `story {s['id']} --articles 0`)")
    return lines


# -- an entity -------------------------------------------------------------------------
def entity_view(e: dict[str, Any], mark: Highlight) -> list[str]:
    """``newsweave entity ID``: names, place, stories, mentions in context, company."""
    lines = [f"#{e['id']} {e['name']} ({e['type']}): {plural(len(e['articles']), 'article')}, "
             f"{plural(e['mentions'], 'mention')}",
             f"  names: {', '.join(e['aliases'])}"]
    if e["place"]:
        p = e["place"]
        lines.append(f"  place: {p['feature']} in {p['country']}, {p['lat']:.4f}, "
                     f"{p['lon']:.4f}")
    stories = e.get("stories_list", [])
    if stories:
        lines.append(f"  stories ({len(stories)}):")
        lines += [f"    story {x['id']}: {cut(x['title'], 70)} ({plural(x['size'], 'article')}, "
                  f"{x['articles']} naming it)" for x in stories[:STORY_LINES]]
        if len(stories) > STORY_LINES:
            lines.append(f"    … {len(stories) - STORY_LINES} more (`--json` lists all)")
    mentions = e["mentions_list"]
    if mentions:
        lines.append(f"  mentions ({e['mentions']}):")
        lines += [mention_line(m, mark) for m in mentions[:MENTION_LINES]]
        if e["mentions"] > MENTION_LINES:
            lines.append(f"  … {e['mentions'] - MENTION_LINES} more (`--json` lists "
                         f"{len(mentions)})")
    if e["co_occurring"]:
        lines.append("  with: " + ", ".join(c["name"] for c in e["co_occurring"][:10]))
    return lines


def search_view(result: dict[str, Any], by_story: bool) -> list[str]:
    """Search results as text: one line per hit, its snippet below (marks as «»)."""
    if not result["items"]:
        return [f"no results for {result['query']!r}"]
    lines = [f"{result['total']} results for {result['query']!r}"]
    for n, hit in enumerate(result["items"], start=1):
        if by_story:
            head = (f"{n}. story {hit['story']} ({plural(hit['size'], 'article')}, "
                    f"{', '.join(hit['langs'])}): {cut(hit['title'], 90)}")
        else:
            head = (f"{n}. [{hit['lang']}] article {hit['article_id']}, story {hit['story']}: "
                    f"{cut(hit['title'], 90)}")
        lines += [head, "   " + _plain_snippet(hit["snippet"])]
    return lines


def _plain_snippet(snippet: str) -> str:
    """A result snippet for the terminal: marks as «», HTML entities decoded."""
    import html

    return html.unescape(snippet.replace("<mark>", "«").replace("</mark>", "»"))
