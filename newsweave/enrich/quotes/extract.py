"""Quotes and their speakers in one text: direct, indirect and mixed.

The steps, for one document:

1. the direct quotes: the words between quotation marks (:mod:`.marks`);
2. the cues of every sentence, outside the marks: reporting verbs ("said", "ha
   affermato"), source phrases ("according to", "secondo", "laut") and their German
   cousins after the source ("zufolge", ", so der Sprecher"), from the language's
   data file (:mod:`.lexicon`);
3. a frame for each cue: its speaker (:mod:`.speakers`) and the reported words,
   after the verb ("said that ...", "told Reuters ...") or before it ("..., he
   said."), cut at the next cue of the sentence;
4. the frames and the marks reconciled: a direct quote inside a frame's words is
   that frame's quote (a mixed quote when the frame's words reach beyond the marks
   by a few words); a frame with no marks is an indirect quote; marks with no frame
   are a floating quote, spoken by the last speaker of the paragraph or the one
   before ("“...,” he said. “...”"), or by the name before a colon;
5. the speakers resolved to entities, in text order (:mod:`.speakers`).

A quote's span is the reported words only, without the speaker and the verb.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ...models import Mention, Sentence
from .lexicon import QuoteLexicon, build, load_lexicons
from .marks import Span, find_marked
from .speakers import (
    ROLE_WINDOW,
    SentenceNames,
    Speaker,
    describe,
    gender_of,
    is_boundary,
    is_person,
    speaker_after,
    subject_before,
)
from .words import STOP_PUNCT, Word, words

DEFAULT_MAX_CHARS = 5000  # setting quote_max_chars: a longer "quote" is unbalanced marks
MIN_CONTENT_WORDS = 3  # reported words of an indirect quote
MIN_FLOATING_WORDS = 4  # a quote with no verb: fewer words are a term ("hot beds")
MIN_INLINE_WORDS = 6  # ... and fewer inside a sentence that goes on around it
MIN_MIXED_EXTRA = 3  # words beyond the marks that make a mixed quote
CONTENT_WINDOW = 8  # words between the verb and "that"
MAX_SOURCE_WORDS = 8  # words of a source after "according to" with no name in them
PP_WINDOW = 6  # "said after the convention he would": a phrase before the pronoun
RULES_VERSION = "quotes-2"
_DASH = re.compile(r"[ \t]*[―—–-][ \t]*")
_LINE_START = re.compile(r"\n(?=[^\n])")  # a line break before a line with text


@dataclass(frozen=True, slots=True)
class TextSpan:
    """A piece of the text: offsets into it and its words."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(slots=True)
class Quote:
    """A quote: the reported words (``start``/``end``, without speaker and verb), the
    cue, the speaker's words and the entity they resolve to (``(id, name)``)."""

    start: int
    end: int
    text: str
    direct: bool
    cue: TextSpan | None
    speaker: TextSpan | None
    speaker_entity: tuple[str, str] | None
    sentence: int

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``newsweave annotate`` (docs/cli.md)."""
        entity = ({"id": self.speaker_entity[0], "name": self.speaker_entity[1]}
                  if self.speaker_entity else None)
        return {"start": self.start, "end": self.end, "text": self.text,
                "direct": self.direct, "cue": self.cue.to_dict() if self.cue else None,
                "speaker": self.speaker.to_dict() if self.speaker else None,
                "speaker_entity": entity}


@dataclass(slots=True)
class _Frame:
    """A cue with its speaker and the reported words it may have."""

    cue: tuple[int, int]
    speaker: Speaker | None
    regions: list[tuple[int, int]]  # the reported words, most likely first
    sentence: int
    inherit: bool = False  # no subject: the speaker of the quote before


@dataclass(slots=True)
class _Found:
    """A quote before its speaker is resolved."""

    start: int
    end: int
    direct: bool
    frame: _Frame | None
    sentence: int
    colon_speaker: Speaker | None = None


@dataclass(slots=True)
class _Doc:
    """One document's text, words and names, as the rules read them."""

    text: str
    lex: QuoteLexicon
    marked: list[Span]
    sentences: list[Sentence]
    words: list[list[Word]] = field(default_factory=list)
    names: list[SentenceNames] = field(default_factory=list)
    paragraphs: list[int] = field(default_factory=list)  # start offsets
    quoted: list[tuple[int, int]] = field(default_factory=list)

    def paragraph(self, pos: int) -> int:
        return bisect.bisect_right(self.paragraphs, pos) - 1

    def in_quote(self, pos: int) -> bool:
        i = bisect.bisect_right(self.quoted, (pos, float("inf"))) - 1
        return i >= 0 and self.quoted[i][0] <= pos < self.quoted[i][1]


class QuoteFinder:
    """Finds quotes with the reporting words of every language file."""

    def __init__(self, lexicons: dict[str, QuoteLexicon] | None = None) -> None:
        self.lexicons = load_lexicons() if lexicons is None else lexicons

    @property
    def version(self) -> str:
        """The rules and the languages they know, for provenance."""
        return f"{RULES_VERSION}+{'.'.join(sorted(self.lexicons))}"

    def find(self, text: str, lang: str | None, sentences: list[Sentence],
             mentions: list[Mention], max_chars: int = DEFAULT_MAX_CHARS) -> list[Quote]:
        """The quotes of ``text`` (sentences and mentions from the entity annotator)."""
        lex = self.lexicons.get(lang or "") or build({}, lang or "und")
        doc = _prepare(text, lex, sentences, mentions, max(1, max_chars))
        frames = [f for s in range(len(sentences)) for f in _frames(doc, s)]
        found = _reconcile(doc, frames)
        found = _reported_speech(doc, frames, found)
        return _resolve(doc, found, frames)


def _prepare(text: str, lex: QuoteLexicon, sentences: list[Sentence],
             mentions: list[Mention], max_chars: int) -> _Doc:
    """The document as the rules read it: marks, words and names per sentence,
    paragraph starts."""
    marked = find_marked(text, max_chars)
    doc = _Doc(text, lex, marked, sentences)
    doc.quoted = [(s.open_mark, s.close_mark + 1) for s in marked]
    by_sentence: dict[int, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_sentence[m.sentence].append(m)
    for s in sentences:
        ws = words(text, s.start, s.end, doc.quoted)
        doc.words.append(ws)
        doc.names.append(SentenceNames(ws, by_sentence.get(s.index, [])))
    doc.paragraphs = [0] + [m.end() for m in _LINE_START.finditer(text)]
    return doc


# -- cues and frames ---------------------------------------------------------------------
def _cues(ws: list[Word], lex: QuoteLexicon) -> list[tuple[str, int, int]]:
    """(kind, first word, word after) of every cue: verb, according, after, comma."""
    out: list[tuple[str, int, int]] = []
    i, n = 0, len(ws)
    longest = lex.longest_phrase
    while i < n:
        w = ws[i]
        if w.quoted or w.is_punct:
            i += 1
            continue
        hit = None
        for size in range(min(longest, n - i) if w.key in lex.first_words else 0, 0, -1):
            part = ws[i:i + size]
            if any(x.quoted for x in part):
                continue
            phrase = tuple(x.key for x in part)
            if phrase in lex.according:
                hit = ("according", i, i + size)
            elif phrase in lex.verbs and w.lower:
                hit = ("verb", i, i + size)
            if hit:
                break
        if hit is None and w.key in lex.according_after:
            hit = ("after", i, i + 1)
        if hit is None and w.key in lex.source_after_comma and i and ws[i - 1].text == ",":
            hit = ("comma", i, i + 1)
        if hit:
            out.append(hit)
            i = hit[2]
        else:
            i += 1
    return out


def _frames(doc: _Doc, s: int) -> list[_Frame]:
    """The frames of sentence ``s``, each one's reported words cut at the next one's
    clause."""
    ws, lex = doc.words[s], doc.lex
    frames: list[_Frame] = []
    starts: list[int] = []  # where each cue's clause starts (a word index)
    for kind, a, b in _cues(ws, lex):
        if kind == "verb":
            frame, start = _verb_frame(doc, s, a, b)
        else:
            frame, start = _source_frame(doc, s, kind, a, b)
        if frame is not None:
            frames.append(frame)
            starts.append(start)
    for k, frame in enumerate(frames[:-1]):  # reported words stop at the next clause
        limit = ws[max(starts[k + 1] - 1, 0)].start
        frame.regions = [(r0, min(r1, limit)) if r0 < limit else (r0, r1)
                         for r0, r1 in frame.regions]
    return frames


def _span(ws: list[Word], a: int, b: int) -> tuple[int, int] | None:
    """The words ``[a, b)`` without punctuation at either end, as offsets."""
    while a < b and ws[a].is_punct and not ws[a].quoted:
        a += 1
    while b > a and ws[b - 1].is_punct and not ws[b - 1].quoted:
        b -= 1
    return (ws[a].start, ws[b - 1].end) if a < b else None


def _verb_frame(doc: _Doc, s: int, a: int, b: int) -> tuple[_Frame | None, int]:
    """The frame of the reporting verb at words ``[a, b)`` of sentence ``s`` and the word
    its clause starts at; None when the verb has no speaker and no reported words."""
    ws, names, lex = doc.words[s], doc.names[s], doc.lex
    cue_start = a
    while cue_start > 0 and a - cue_start < 2 and ws[cue_start - 1].key in lex.auxiliaries \
            and not ws[cue_start - 1].quoted:
        cue_start -= 1
    subject, clause, before = subject_before(ws, a, names, lex)
    after = None
    participle = ws[a].key in lex.participles and before == "comma"
    if subject is None and before != "conj" and not participle:
        after, end = speaker_after(ws, b, names, lex)
        if after is not None and not _clause_ends(ws, end, lex):
            after = None  # "Proponents, ..., have urged Congress to": no inversion
    if subject is None and (before == "conj" or participle):
        subject = _first_clause_subject(ws, clause - 1, names, lex)
    if subject is None and after is None and not lex.pro_drop and before == "other":
        return None, clause
    regions: list[tuple[int, int]] = []
    verb = tuple(w.key for w in ws[a:b])
    # "..., Smith said (Friday) (in a statement)." / "“...”, said Smith": the words before
    ends = after is not None or _clause_ends(ws, _past_object(ws, b, names, lex, verb), lex)
    if before in ("comma", "mark") and clause > 1 and ends and not participle:
        first = _clause_start_back(ws, clause - 1, lex)
        region = _span(ws, first, clause - 1)
        if region:
            regions.append(region)
            rest = _interrupted_rest(doc, ws, _past_object(ws, b, names, lex, verb), lex)
            if rest is not None and rest[1] - rest[0] > region[1] - region[0]:
                regions.insert(0, rest)
    if after is None and not regions:
        c = _content_start(ws, b, names, lex, verb)
        if c is not None and c < len(ws):
            region = _span(ws, c, len(ws))
            if region and _word_count(doc.text, *region) >= MIN_CONTENT_WORDS \
                    or region and any(w.quoted for w in ws[c:]):
                regions.append(region)
    frame = _Frame((ws[cue_start].start, ws[b - 1].end), subject or after, regions, s,
                   inherit=subject is None and after is None)
    return frame, clause if subject is not None else cue_start


def _interrupted_rest(doc: _Doc, ws: list[Word], k: int, lex: QuoteLexicon
                      ) -> tuple[int, int] | None:
    """"The plan, he said, would cost more": the reported words after a cue set off
    by commas in mid-sentence, when they are a clause of the writer's words (no marks,
    not a phrase or a second verb); None otherwise."""
    if k + 1 >= len(ws) or ws[k].text != "," or any(w.quoted for w in ws[k + 1:]):
        return None
    first = ws[k + 1]
    if first.is_punct or first.key in lex.prepositions or first.key in lex.conjunctions \
            or first.key in lex.participles or first.key in lex.complementizers \
            or first.key in lex.non_content_starts:
        return None
    region = _span(ws, k + 1, len(ws))
    if region is None or _word_count(doc.text, *region) < MIN_CONTENT_WORDS:
        return None
    return region


def _past_object(ws: list[Word], b: int, names: SentenceNames, lex: QuoteLexicon,
                 verb: tuple[str, ...]) -> int:
    """The word after the verb, its adverbs and (for "told") its addressee."""
    k = b
    while k < len(ws) and ws[k].key in lex.auxiliaries and not ws[k].quoted:
        k += 1
    if " ".join(verb) in lex.object_verbs and k < len(ws) and not ws[k].is_punct:
        k = names.end_of(k) if k in names.by_start else k + 1
    while k < len(ws) and ws[k].key in lex.auxiliaries and not ws[k].quoted:
        k += 1
    return k


def _clause_ends(ws: list[Word], k: int, lex: QuoteLexicon) -> bool:
    """Whether the clause ends at word ``k``: the sentence's end, punctuation, or a
    phrase of time, place or manner ("said Smith in a statement"), not one followed
    by "that" ("ha raccontato ai giornalisti che")."""
    if k >= len(ws) or (ws[k].is_punct and not ws[k].quoted):
        return True
    if ws[k].key not in lex.prepositions:
        return False
    for w in ws[k:k + CONTENT_WINDOW]:
        if w.quoted or w.text in STOP_PUNCT:
            break
        if w.key in lex.complementizers:
            return False
    return True


def _source_frame(doc: _Doc, s: int, kind: str, a: int, b: int
                  ) -> tuple[_Frame | None, int]:
    """"according to X, ...", "..., secondo X", "dem Bericht zufolge ...", ", so X."."""
    ws, names, lex = doc.words[s], doc.names[s], doc.lex
    if kind == "after":
        speaker, clause, _ = subject_before(ws, a, names, lex)
        end = b
    else:
        speaker, end = speaker_after(ws, b, names, lex, skip_preps=False)
        if speaker is None:  # "according to police", "according to federal statistics"
            end = b
            while end < len(ws) and end - b < MAX_SOURCE_WORDS and not ws[end].is_punct \
                    and not ws[end].quoted:
                end += 1
            speaker = describe(ws, b, end, names, lex)
        clause = a
    if speaker is None:
        return None, a
    leading = all(w.is_punct or w.key in lex.auxiliaries for w in ws[:clause])
    if leading:  # the source opens the sentence: the rest is what it said
        k = end
        while k < len(ws) and ws[k].is_punct and not ws[k].quoted:
            k += 1
        region = _span(ws, k, len(ws))
    else:  # the longer side of the sentence, the source phrase left out
        before = _span(ws, _clause_start_back(ws, clause - 1, lex), clause)
        rest = _span(ws, end, len(ws))
        region = before
        if rest and (before is None or rest[1] - rest[0] > before[1] - before[0]):
            region = rest
    regions = [region] if region and _word_count(doc.text, *region) >= MIN_CONTENT_WORDS \
        else []
    return _Frame((ws[a].start, ws[b - 1].end), speaker, regions, s), clause


def _clause_start_back(ws: list[Word], i: int, lex: QuoteLexicon) -> int:
    """Where the reported words before word ``i`` start: the sentence's start, or
    after a semicolon."""
    j = i - 1
    while j >= 0 and ws[j].text != ";":
        j -= 1
    return j + 1


def _first_clause_subject(ws: list[Word], conj: int, names: SentenceNames,
                          lex: QuoteLexicon) -> Speaker | None:
    """"l'ISIS ... si è preso il merito e ha affermato": the first name of the clause
    before the conjunction at ``conj`` is the subject of the verb after it."""
    j = conj - 1
    while j >= 0 and ws[j].text not in ",;:" and not ws[j].quoted:
        j -= 1
    for s0, e0, m in names.spans:
        if j < s0 and e0 <= conj:
            return Speaker(m.start, m.end, "mention", mention=m)
    return None


def _content_start(ws: list[Word], b: int, names: SentenceNames, lex: QuoteLexicon,
                   verb: tuple[str, ...]) -> int | None:
    """Where the reported words after the verb ``ws[:b]`` start, None when the verb
    reports no statement ("confirmed this in an interview", "announced a plan")."""
    n, k = len(ws), b
    for j in range(k, min(n, k + CONTENT_WINDOW)):
        w = ws[j]
        if w.quoted or w.text in STOP_PUNCT:
            break
        if w.key in lex.complementizers or w.text == ":":
            return j + 1
        if w.text == "," and lex.comma_clause:  # "erklärte, die Stadt müsse"
            return j + 2 if j + 1 < n and ws[j + 1].key in lex.complementizers else j + 1
    if " ".join(verb) in lex.object_verbs and k < n:  # "told Reuters", "told him"
        k = names.end_of(k) if k in names.by_start else k + 1
    while k < n and (ws[k].text == "," or ws[k].key in lex.auxiliaries) and not ws[k].quoted:
        k += 1
    if k < n and ws[k].key in lex.prepositions and verb in lex.bare_verbs:
        for j in range(k + 1, min(n, k + PP_WINDOW)):  # "said after the convention he"
            if ws[j].is_punct:
                break
            if ws[j].text in lex.pronouns:
                return j
    if k >= n or ws[k].text in STOP_PUNCT or ws[k].key in lex.non_content_starts \
            or ws[k].key in lex.prepositions or ws[k].key in lex.conjunctions:
        return None
    if not ws[k].quoted and verb not in lex.bare_verbs and ws[k].key not in lex.clause_openers:
        return None  # "announced a new plan": an object, not reported words
    return k


def _word_count(text: str, start: int, end: int) -> int:
    return sum(1 for w in text[start:end].split() if any(c.isalnum() for c in w))


# -- reconciling frames and marks ---------------------------------------------------------
def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _reconcile(doc: _Doc, frames: list[_Frame]) -> list[_Found]:
    found: list[_Found] = []
    used: set[int] = set()
    for mark in doc.marked:
        span = (mark.start, mark.end)
        if any(f.start <= span[0] and span[1] <= f.end for f in found):
            continue  # a second fragment of a mixed quote already found
        best = _frame_for(frames, span, (mark.open_mark, mark.close_mark + 1)) \
            or _frame_after(doc, frames, mark)
        if best is not None:
            used.add(id(best))
            found.append(_with_frame(doc, best, mark))
            continue
        floating = _floating(doc, mark)
        if floating is not None:
            found.append(floating)
    for frame in frames:
        if id(frame) in used or not frame.regions:
            continue
        start, end = frame.regions[0]
        if any(_overlaps((start, end), (f.start, f.end)) for f in found):
            continue
        found.append(_Found(start, end, False, frame, frame.sentence))
    found.sort(key=lambda f: (f.start, f.end))
    return found


def _reported_speech(doc: _Doc, frames: list[_Frame], found: list[_Found]
                     ) -> list[_Found]:
    """German reported speech: a sentence in the subjunctive with no cue of its own,
    right after a quote of the same paragraph, goes on reporting that speaker ("Er
    erklärte, ... Die Tiere seien kaum größer ...")."""
    if not doc.lex.subjunctive_markers:
        return found
    busy = {f.sentence for f in frames} | {q.sentence for q in found}
    out = list(found)
    last = -2
    for s, ws in enumerate(doc.words):
        if s in busy:
            last = s
            continue
        if s != last + 1 or not ws or doc.paragraph(ws[0].start) \
                != doc.paragraph(doc.words[last][0].start if doc.words[last] else 0):
            continue
        if any(w.quoted for w in ws) or not any(w.key in doc.lex.subjunctive_markers
                                                for w in ws):
            continue
        region = _span(ws, 0, len(ws))
        if region and _word_count(doc.text, *region) >= MIN_CONTENT_WORDS:
            out.append(_Found(region[0], region[1], False, None, s))
            last = s
    out.sort(key=lambda f: (f.start, f.end))
    return out


def _frame_for(frames: list[_Frame], span: tuple[int, int], marks: tuple[int, int]
               ) -> _Frame | None:
    """The frame whose reported words hold the quote, the nearest cue first."""
    best, dist = None, None
    for f in frames:
        if any(_overlaps(r, marks) for r in f.regions):
            d = min(abs(f.cue[0] - span[1]), abs(f.cue[1] - span[0]))
            if dist is None or d < dist:
                best, dist = f, d
    return best


def _frame_after(doc: _Doc, frames: list[_Frame], mark: Span) -> _Frame | None:
    """"“We will win.” Smith said on Friday.": marks that open their sentence, and
    right after the closing mark (same line) a frame that opens with its speaker and
    verb ("Smith said", "said Smith") and reports nothing of its own: the sentence
    ended inside the marks, so the frame's clause starts a new one."""
    after = mark.close_mark + 1
    if not doc.sentences or doc.text[doc.sentences[_sentence_of(doc, mark.open_mark)].start:
                                     mark.open_mark].strip():
        return None  # the marks do not open their sentence: a phrase of the writer's
    for f in frames:
        sp = f.speaker
        if f.regions or sp is None:
            continue
        first, second = sorted([(sp.start, sp.end), f.cue])  # "Smith said", "said Smith"
        if first[0] < after or first[0] - after > 2 or second[0] < first[1] \
                or doc.text[after:first[0]].strip() or doc.text[first[1]:second[0]].strip():
            continue
        return f
    return None


def _with_frame(doc: _Doc, frame: _Frame, mark: Span) -> _Found:
    """The quote of a frame that holds direct words: mixed when its words reach well
    beyond the marks. Words before the marks that a comma or colon sets apart ("In
    Baghdad, “...”") are the writer's, not part of the quote."""
    span = (mark.start, mark.end)
    region = next((r for r in frame.regions if _overlaps(r, (mark.open_mark,
                                                               mark.close_mark + 1))),
                  frame.regions[0] if frame.regions else span)
    start = region[0]
    if doc.text[:mark.open_mark].rstrip().endswith((",", ":")) and start < span[0]:
        start = span[0]
    outside = (_word_count(doc.text, start, min(region[1], span[0]))
               + _word_count(doc.text, max(start, span[1]), region[1]))
    if outside >= MIN_MIXED_EXTRA:
        return _Found(min(start, span[0]), max(region[1], span[1]), False, frame,
                      frame.sentence)
    return _Found(span[0], span[1], True, frame, frame.sentence)


def _sentence_of(doc: _Doc, pos: int) -> int:
    starts = [s.start for s in doc.sentences]
    return max(bisect.bisect_right(starts, pos) - 1, 0)


def _floating(doc: _Doc, mark: Span) -> _Found | None:
    """Marks with no cue: a quote when long enough, spoken by the name before a colon
    or by the speaker before."""
    size = _word_count(doc.text, mark.start, mark.end)
    if size < MIN_FLOATING_WORDS:
        return None
    inner = [w for w in doc.text[mark.start:mark.end].split() if w[:1].isalpha()]
    if inner and sum(w[0].isupper() for w in inner) * 2 > len(inner):
        return None  # "State of the Union", "Legend in the Coal Fields": a title
    s = _sentence_of(doc, mark.open_mark)
    sent = doc.sentences[s] if doc.sentences else None
    if sent is not None and size < MIN_INLINE_WORDS:
        before = doc.text[sent.start:mark.open_mark].strip()
        after = doc.text[mark.close_mark + 1:sent.end].strip(" .,;!?…\"”»")
        if before and after:
            return None  # a phrase in quotation marks inside a sentence of the writer's
    named = _colon_speaker(doc, s, mark) or _dash_speaker(doc, mark) if sent is not None \
        else None
    return _Found(mark.start, mark.end, True, None, s, named)


def _colon_speaker(doc: _Doc, s: int, mark: Span) -> Speaker | None:
    """"Colonel Caggins: “...”": the name before a colon just before the marks."""
    ws = doc.words[s]
    k = next((i for i, w in enumerate(ws) if w.start >= mark.open_mark), len(ws))
    if k < 2 or ws[k - 1].text != ":":
        return None
    j = k - 2
    while j >= 0 and not is_boundary(ws[j], doc.lex):
        j -= 1
    speaker = describe(ws, j + 1, k - 1, doc.names[s], doc.lex)
    return speaker if speaker is not None and speaker.kind == "mention" else None


def _dash_speaker(doc: _Doc, mark: Span) -> Speaker | None:
    """"“...” ― Steve Quinlan": a name after a dash right after the closing mark."""
    m = _DASH.match(doc.text, mark.close_mark + 1)
    if m is None:
        return None
    for names in doc.names:
        for _, _, mention in names.spans:
            if mention.start == m.end():
                return Speaker(mention.start, mention.end, "mention", mention=mention)
    return None


# -- resolving speakers --------------------------------------------------------------------
@dataclass(slots=True)
class _Last:
    """The last speaker resolved to a name: who, where named, in which paragraph."""

    mention: Mention
    span: TextSpan
    paragraph: int


def _resolve(doc: _Doc, found: list[_Found], frames: list[_Frame]) -> list[Quote]:
    """Speakers resolved in text order; frames without a quote still name the speaker
    that later quotes may refer to."""
    events: list[tuple[int, int, object]] = [(f.cue[0], 1, f) for f in frames]
    events += [((q.frame.cue[0] if q.frame else q.start), 0, q) for q in found]
    events.sort(key=lambda e: (e[0], e[1]))
    last: _Last | None = None
    resolved: dict[int, tuple[TextSpan | None, Mention | None]] = {}
    for pos, _, item in events:
        frame = item.frame if isinstance(item, _Found) else item
        speaker = frame.speaker if frame else getattr(item, "colon_speaker", None)
        key = id(frame) if frame else id(item)
        if key not in resolved:
            resolved[key] = _who(doc, speaker, pos, last,
                                 inherit=frame is None or frame.inherit)
        span, mention = resolved[key]
        if mention is not None and span is not None:
            last = _Last(mention, span, doc.paragraph(pos))
    out = []
    for q in found:
        span, mention = resolved[id(q.frame) if q.frame else id(q)]
        cue = q.frame.cue if q.frame else None
        out.append(Quote(
            q.start, q.end, doc.text[q.start:q.end], q.direct,
            TextSpan(cue[0], cue[1], doc.text[cue[0]:cue[1]]) if cue else None, span,
            (mention.key, mention.name or mention.text) if mention and mention.key else None,
            q.sentence))
    return out


def _who(doc: _Doc, speaker: Speaker | None, pos: int, last: _Last | None,
         inherit: bool) -> tuple[TextSpan | None, Mention | None]:
    """The speaker's words and the entity they are (None: unresolved)."""
    para = doc.paragraph(pos)
    recent = last if last is not None and para - last.paragraph <= 1 else None
    if speaker is None:
        return _inherited(doc, pos, para, recent) if inherit else (None, None)
    span = TextSpan(speaker.start, speaker.end, doc.text[speaker.start:speaker.end])
    if speaker.kind == "mention":
        return span, speaker.mention
    if speaker.kind == "words" and span.text.split()[-1][:1].isupper():
        return span, _by_surname(doc, span)
    if speaker.kind == "pronoun":
        return span, _antecedent(doc, speaker, para, recent)
    if speaker.kind == "role":
        named = _role_antecedent(doc, speaker)
        if named is None and speaker.definite and recent is not None \
                and is_person(recent.mention):
            named = recent.mention
        return span, named
    return span, None


def _inherited(doc: _Doc, pos: int, para: int, recent: _Last | None
               ) -> tuple[TextSpan | None, Mention | None]:
    """The speaker of words with no subject: the last named speaker when in the same
    paragraph, else the nearest person named before in it, else the last named
    speaker of the paragraph before."""
    if recent is not None and recent.paragraph == para:
        return recent.span, recent.mention
    near = _nearest_person(doc, pos, para, None)
    if near is not None:
        return TextSpan(near.start, near.end, near.text), near
    if recent is not None:
        return recent.span, recent.mention
    return None, None


def _nearest_person(doc: _Doc, pos: int, para: int, gender: str | None
                    ) -> Mention | None:
    """The nearest person named before ``pos`` in paragraph ``para`` (the paragraph
    of ``pos`` or one before it), outside quotes, of a gender compatible with
    ``gender`` (None: any)."""
    for names in reversed(doc.names):
        for _, _, m in reversed(names.spans):
            if m.start >= pos or not is_person(m) or doc.in_quote(m.start):
                continue
            found_in = doc.paragraph(m.start)
            if found_in > para:
                continue
            if found_in < para:
                return None
            if gender is None or gender_of(m) in (None, gender):
                return m
    return None


def _by_surname(doc: _Doc, span: TextSpan) -> Mention | None:
    """"sagte Wolf": a person named in full before whose last name is this word."""
    key = span.text.split()[-1].strip(".,").lower()
    for names in reversed(doc.names):
        for _, _, m in reversed(names.spans):
            if m.start < span.start and is_person(m) \
                    and (m.name or m.text).split()[-1].lower() == key:
                return m
    return None


def _antecedent(doc: _Doc, speaker: Speaker, para: int, recent: _Last | None
                ) -> Mention | None:
    """The nearest person before the pronoun in its paragraph, outside quotes, of a
    compatible gender; else the last named speaker of the paragraph before; else the
    nearest such person of the paragraph before (news paragraphs are a sentence or
    two: "Maria Lopez toured the plant.\n\nShe said ...")."""
    if speaker.gender not in ("m", "f"):
        return None
    near = _nearest_person(doc, speaker.start, para, speaker.gender)
    if near is not None:
        return near
    if recent is not None and is_person(recent.mention) \
            and gender_of(recent.mention) in (None, speaker.gender):
        return recent.mention
    return _nearest_person(doc, speaker.start, para - 1, speaker.gender) if para else None


def _role_antecedent(doc: _Doc, speaker: Speaker) -> Mention | None:
    """The person that the same role noun stood beside earlier ("The spokesman for the
    coalition, Colonel Myles B. Caggins II ... the spokesman concluded")."""
    best: Mention | None = None
    for ws, names in zip(doc.words, doc.names, strict=True):
        if ws and ws[0].start >= speaker.start:
            break
        for i, w in enumerate(ws):
            if w.key != speaker.role or w.start >= speaker.start:
                continue
            near = [m for s0, e0, m in names.spans if is_person(m)
                    and (0 <= s0 - i <= ROLE_WINDOW or 0 <= i - e0 <= 2)]
            if near:
                best = min(near, key=lambda m: abs(m.start - w.start))
    return best
