"""The recogniser's candidates and the decisions taken over a whole document.

A :class:`Candidate` is a span the rules consider, with the cue that typed it. Before
the document-level decision some candidates are widened or retyped from their
neighbours in the sentence (:func:`with_place_words`, :func:`with_nationality`,
:func:`place_codes`); then :func:`decide` gives each surface form one type per
document (the strongest cue wins), joins lone surnames to their full names, types
unexplained members of a list of places, and drops what nothing explains.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ...models import Mention
from ..sentences import Token
from .lexicon import Lexicon, fold, universal_particles
from .shapes import place_word_before

# Evidence strength: the strongest cue in a document decides a surface form's type.
STRENGTH = {"kb": 9, "title": 8, "org_head": 7, "loc_head": 6, "place_prep": 5, "given": 5,
            "person_verb": 4, "acronym": 3, "place": 3, "coref": 3, "list": 3,
            "first_name": 3, "surname": 3, "club": 5, "code": 5, "office": 7, "org_noun": 7,
            "memory": 3, "thing": 8, "dateline": 6, "multi": 2, "name": 2, "single": 1, "common": 1}
# Evidence that makes a full name surely a person's, so that a lone first name in the
# same document may stand for it (a run typed a person for want of a better cue may be
# a headline: "Guta Oriental").
SURE_PERSON = frozenset({"kb", "title", "given"})
# Evidence that holds for its own occurrence, whatever the rest of the document says.
OWN_SENSE = frozenset({"kb", "club", "code", "office"})
# Weak place evidence that a person's full name in the same document overrides: "Houston"
# after "Whitney Houston" (KIND +0.005; LGL end to end −0.2).
COREF_OVER = frozenset({"place", "list"})


@dataclass(slots=True)
class Candidate:
    """A span the recogniser considers, before the document-level decision."""

    start: int
    end: int
    text: str
    sentence: int
    type: str
    evidence: str
    key: str | None = None
    tokens: tuple[str, ...] = field(default_factory=tuple)
    initial: bool = False  # first word of its sentence
    name: str | None = None  # the entity's name, when the span is only part of it

    @property
    def strength(self) -> int:
        return STRENGTH[self.evidence]


def name_parts(names: Iterable[Sequence[str]], particles: frozenset[str] | None = None
               ) -> set[str]:
    """The folded words of full names a lone word may stand for, besides the surname:
    first and middle names ("bashar" of "bashar al-assad"), not particles (``particles``,
    else the package's universal ones) or initials."""
    if particles is None:
        particles = universal_particles()
    return {w for tokens in names for w in tokens[:-1]
            if len(w) > 1 and w.isalpha() and w not in particles}


def with_place_words(text: str, toks: list[Token], cands: list[Candidate], lex: Lexicon
                      ) -> None:
    """Widen a name to the lowercase place word before it ("via Cina", "provincia di
    Nuoro"): a street or a province, not the country or town it is named after."""
    index = {t.start: k for k, t in enumerate(toks)}
    for c in cands:
        i = index.get(c.start)
        if i is None or c.type == "demonym" or (k := place_word_before(toks, i, lex)) == i:
            continue
        c.start, c.text = toks[k].start, text[toks[k].start:c.end]
        c.tokens = tuple(fold(t.text) for t in toks[k:i]) + c.tokens
        c.type, c.evidence, c.key = "LOC", "loc_head", None


def with_nationality(text: str, cands: list[Candidate]) -> None:
    """Widen an organisation's name to the lowercase nationality word right after it
    ("Ministero della Sanità sudafricano", "Tribunale speciale iracheno"): which
    country's ministry is part of the name. The nationality word stays a mention."""
    ordered = sorted(cands, key=lambda c: c.start)
    for org, nat in zip(ordered, ordered[1:], strict=False):
        if org.type == "ORG" and org.evidence != "kb" and nat.type == "demonym" \
                and nat.text.islower() and not text[org.end:nat.start].strip():
            org.end, org.text = nat.end, text[org.start:nat.end]
            org.tokens = (*org.tokens, *nat.tokens)


def place_codes(text: str, cands: list[Candidate], agencies: frozenset[str]) -> None:
    """A short code in parentheses after a place is its province or state: "Scarperia
    (FI)", "Treviglio (BG)", "Springfield (IL)"; not an organisation's acronym ("PO"
    is also a Polish party). A news agency after a dateline stays itself ("Roma (AFP)")."""
    ordered = sorted(cands, key=lambda c: c.start)
    for place, code in zip(ordered, ordered[1:], strict=False):
        if place.type == "LOC" and code.key not in agencies and code.text.isupper() \
                and len(code.text) <= 3 \
                and text[place.end:code.start].strip() == "(" \
                and text[code.end:code.end + 3].lstrip().startswith(")"):
            code.type, code.evidence, code.key = "LOC", "code", None


def decide(text: str, cands: list[Candidate], lex: Lexicon, lex_nouns: bool = False
           ) -> list[Mention]:
    """One type per surface form per document; lone surnames join their full names;
    unexplained members of a list of places are places; an unexplained single word at
    the start of a sentence is dropped (it is almost always an ordinary word). Capitalised
    alone mid-sentence, the language's ``bodies`` name a body, not a common noun: "il
    Senato ha approvato", "the Senate voted" (KIND +0.003; "il Consiglio ha deciso",
    "la Corte", "il Ministero", "la Commissione", +0.002; "la Chiesa", KIND train
    +0.0004)."""
    cands = sorted(cands, key=lambda c: c.start)
    _list_places(text, cands, lex.list_glue)
    best: dict[tuple[str, ...], Candidate] = {}
    for c in cands:
        if c.evidence not in OWN_SENSE and (c.tokens not in best
                                            or c.strength > best[c.tokens].strength):
            best[c.tokens] = c
    persons = [c.tokens for c in best.values() if c.type == "PER" and len(c.tokens) > 1]
    parts = name_parts((c.tokens for c in cands  # knowledge-base names too
                        if c.type == "PER" and len(c.tokens) > 1 and c.evidence in SURE_PERSON),
                       lex.universal_particles)
    org_words = {w for c in best.values() if c.type == "ORG" and len(c.tokens) > 1
                 for w in (c.tokens[0], c.tokens[-1])}
    mentions = []
    for c in cands:
        if c.evidence not in OWN_SENSE:
            top = best[c.tokens]
            c.type, c.evidence = top.type, top.evidence
            if (c.strength <= STRENGTH["single"] or c.evidence in COREF_OVER) and any(
                    c.tokens[-1:] == p[-1:] for p in persons):
                c.type, c.evidence = "PER", "coref"
            elif (c.strength <= STRENGTH["single"] or c.evidence in COREF_OVER) \
                    and len(c.tokens) == 1 and c.tokens[0] in parts:
                c.type, c.evidence = "PER", "coref"  # "Bashar" after "Bashar al-Assad",
                #   "Maurizio" after "Maurizio Gasparri" (not Mauritius)
            if c.evidence == "single" and (c.initial or lex_nouns):
                continue  # German: an unexplained capitalised word is a noun
            if c.evidence == "org_head" and len(c.tokens) == 1 and c.name is None \
                    and c.tokens[0] not in org_words \
                    and (c.initial or c.tokens[0] not in lex.bodies):
                continue  # a lone "Ministero", "Corte": a capitalised noun, unless it
                #           stands for a longer name of the document ("the Coalition")
        if c.type == "MISC" and c.evidence not in ("name", "kb"):
            continue  # a name-like word nothing explains: not reported
        if c.type == "PER" and c.evidence != "kb" and len(c.tokens) == 1 \
                and len(c.text) > 1 and c.text.isalpha() and c.text.isupper():
            c.type = "ORG"  # "FI", "LN", "МВД": people are not written as acronyms (KIND
            #                 +0.0001, WikiNEuRal Russian +0.009)
        mentions.append(Mention(start=c.start, end=c.end, text=c.text, type=c.type,
                                sentence=c.sentence, key=c.key, name=c.name, source="rules",
                                confidence=round(c.strength / 9, 2)))
    return mentions


_WEAK = frozenset({"multi", "single", "common"})
_PLACE_EVIDENCE = frozenset({"kb", "place", "place_prep", "loc_head", "list"})
# A person list's members (KIND +0.0018, WikiNEuRal macro +0.0017).
# A lone first name does not make one: "Becker, Clay, Douglas, Grant, Mahnomen" are
# counties.
_PERSON_EVIDENCE = frozenset({"kb", "title", "given", "coref", "surname", "person_verb",
                              "list"})


def _list_places(text: str, cands: list[Candidate], list_glue: re.Pattern[str] | None
                 ) -> None:
    """In "Khanaqin, Qara Tapa and Miqdadiya", a member with only weak evidence
    takes the type of a neighbouring member that is a known place; in "Nibali,
    Visconti, Moerenhout e Evans", of one that is a known person. Two names joined by
    a comma alone are not a list but an apposition: "il re della Thailandia,
    Bhumibol Adulyadej, ha ..."."""
    if list_glue is None:
        return  # a lexicon built by hand, with no conjunctions
    glue = [a.sentence == b.sentence and list_glue.match(text[a.end:b.start]) is not None
            for a, b in zip(cands, cands[1:], strict=False)]
    for _ in range(2):  # a second pass carries the type along longer lists
        for k, (a, b) in enumerate(zip(cands, cands[1:], strict=False)):
            if not glue[k] or (text[a.end:b.start].strip() == ","
                               and not (k > 0 and glue[k - 1])
                               and not (k + 1 < len(glue) and glue[k + 1])):
                continue
            for known, weak in ((a, b), (b, a)):
                if weak.evidence not in _WEAK:
                    continue
                if known.type == "LOC" and known.evidence in _PLACE_EVIDENCE:
                    weak.type, weak.evidence = "LOC", "list"
                elif known.type == "PER" and known.evidence in _PERSON_EVIDENCE \
                        and weak.type != "PER":  # a weak person keeps its nested place
                    weak.type, weak.evidence = "PER", "list"
