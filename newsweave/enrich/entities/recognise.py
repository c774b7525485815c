"""Find names in text with no statistical model: knowledge-base aliases, capitalisation
patterns and per-language cue words, decided at the level of the whole document.

Why rules: no multilingual NER model that ships its weights is on PyPI, and hub
downloads fail offline. What carries the work:

1. **Knowledge-base aliases** (countries in ~25 languages, organisations, armed
   groups, leaders, nationality adjectives) matched on folded tokens, longest first.
   Acronyms match only in their exact case ("IS", never "is").
2. **Capitalised runs**: maximal sequences of capitalised words, joined by name
   particles (al-, bin, von, de, di ...) and initials ("Myles B. Caggins II"), with
   leading determiners, sentence-initial common words and titles trimmed off.
3. **Typing cues**: a title before ("Col.", "presidente") makes a person; an
   organisation head word ("Ministero", "Forces", "Bank") an organisation; a place
   head ("Lago", "Mount") or a gazetteer entry a place; a lone acronym an
   organisation; an unexplained run of two or more words a person.
4. **One sense per document** (:mod:`.decide`): a surface form gets one type in a
   document (the one with the strongest cue), and a lone surname takes the type of
   the full name it belongs to ("Caggins" after "Myles B. Caggins II").

When the text has no usable capitals (all caps, all lowercase, or a caseless script)
only knowledge-base matches are reported: guessing from capitals there floods junk.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ...models import Mention, Sentence
from ..sentences import Token, tokens
from .datelines import find_dateline
from .decide import Candidate, decide, place_codes, with_nationality, with_place_words
from .lexicon import Lexicon, fold
from .memory import SurnameMemory
from .shapes import (
    ELIDED,
    ELISION,
    PREFIXED,
    ROAD,
    capitalised_neighbour,
    first_word,
    headed_before,
    is_cap,
    lowercase_tail,
)

# Zipf frequency (see frequency.py) from which a word counts as an everyday word of the
# language: a run whose words include one is not taken for a name on shape alone.
EVERYDAY_RUN = 4.0
EVERYDAY_SINGLE = 3.75
BORROWED_NAME_ZIPF = 4.0
OPENER_ZIPF = 4.5
FUNCTION_WORD_ZIPF = 5.5  # "a", "il", "come", "the", "of": the commonest words
TEAM_WORD_ZIPF = 3.0  # "Suns", "Pistons" are words; most surnames are rarer
# Alias kinds that may be one word of a longer name (acronyms stand alone: "ISF Iraq")
EMBEDDABLE = frozenset({"alias", "demonym"})
# Cues that make a lone word a person only because a list knows it (first names,
# surnames) or a verb follows: weak enough that the text writing the same word in
# lowercase elsewhere ("la défense", "l'interno") says it is a word.
WORD_PERSON_CUES = frozenset({"first_name", "surname", "person_verb"})
MAX_RUN = 8  # tokens: a longer capitalised run is a headline or a list, not a name
_ROMAN = re.compile(r"^[IVXLCDM]+$")  # "XIX" (secolo, век): a number, not a name
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{1,5}$")
_CODE = re.compile(r"^[A-Z]+[0-9]+[A-Z]+[0-9]*$")
_POSSESSIVE = re.compile(r"['’]s?$")
_COMPOUND = re.compile(r"^(.+?)[-‐](?=[A-Z]{2,}\b|[A-Z][a-z])(.+)$")


class Alias:
    """A knowledge-base alias: which entry, how it may match."""

    __slots__ = ("key", "kind", "langs", "surface", "type")

    def __init__(self, key: str, kind: str, type_: str, surface: tuple[str, ...]) -> None:
        self.key, self.kind, self.type, self.surface = key, kind, type_, surface
        self.langs: set[str | None] = set()  # languages whose press uses this form

    def speaks(self, lang: str) -> bool:
        """Whether the form may be read as this entry in a text in ``lang``: forms of
        the text's language, English forms, forms shared by three languages or more
        (international names), and forms of no particular language. So the Italian
        adjective "indiana" is not India in an English text about Indiana, nor the
        Romanian "Columbia" Colombia."""
        return (lang == "_" or None in self.langs or lang in self.langs or "en" in self.langs
                or len(self.langs) >= 3)


PlaceCheck = Callable[[str], int]  # 0 unknown, 1 a small place, 2 a well-known place
Commonness = Callable[[str, str], float]  # (word, language) -> Zipf frequency, 0 unknown


class Recogniser:
    """Rule-based mention finder; all state (alias trie, lexicons) on the object."""

    def __init__(self, aliases: dict[tuple[str, ...], list[Alias]],
                 is_place: PlaceCheck | None = None,
                 given_names: frozenset[str] = frozenset(),
                 common: Commonness | None = None,
                 own_given_names: frozenset[str] | None = None,
                 surnames: frozenset[str] = frozenset(),
                 is_city: Callable[[str], bool] | None = None,
                 agencies: frozenset[str] = frozenset(),
                 concepts: frozenset[str] = frozenset(),
                 own_town: Callable[[str, str], bool] | None = None) -> None:
        self._aliases = aliases
        self._concepts = concepts  # "islam", "sharia", "comunismo": never a person
        self._first_names = _first_names(aliases)  # kb key -> first words of its full names
        # most words start no alias at all; those that do, only aliases of a few lengths
        lengths: dict[str, set[int]] = {}
        for k in aliases:
            lengths.setdefault(k[0], set()).add(len(k))
        self._lengths = {w: sorted(ns, reverse=True) for w, ns in lengths.items()}
        self._given = given_names
        self._own_given = given_names if own_given_names is None else own_given_names
        self._surnames = surnames
        self._is_city = is_city or (lambda _name: False)
        self._agencies = agencies  # knowledge-base keys of news agencies ("Roma (AFP)")
        self._place = is_place or (lambda _name: 0)
        self._common = common or (lambda _word, _lang: 0.0)
        # (name, country code) → whether a town of that country has the name as its own
        self._own_town = own_town or (lambda _name, _country: False)
        self._town_forms: dict[tuple[str, str], bool] = {}

    def find(self, text: str, sentences: Sequence[Sentence], lex: Lexicon,
             memory: SurnameMemory | None = None) -> list[Mention]:
        """All mentions in ``text``, in order, with offsets into ``text``; ``memory``
        (surnames named in full earlier in the stream) is consulted, then taught."""
        cased = _case_reliable(text)
        lower_vocab = _lowercase_words(text) if cased else set()
        cands: list[Candidate] = []
        for sent in sentences:
            toks = entity_tokens(text, sent.start, sent.end)
            covered = [False] * len(toks)
            found = self._dateline(text, toks, sent.index, covered, lex)
            found += self._kb_matches(text, toks, sent.index, covered, cased, lex)
            if cased:
                found.extend(self._runs(text, toks, sent.index, covered, lex,
                                        lower_vocab, first_word(toks)))
                with_place_words(text, toks, found, lex)
                place_codes(text, found, self._agencies)
                with_nationality(text, found)
            cands.extend(found)
        nouns = bool(lex.noun_determiners)  # German: a lone capitalised word is a noun
        if memory is not None and not nouns:
            memory.recall(lex.lang, cands, lower_vocab)
        mentions = decide(text, cands, lex, nouns)
        if memory is not None:
            memory.learn(lex.lang, cands, lower_vocab)
        return mentions

    def _dateline(self, text: str, toks: list[Token], sent: int, covered: list[bool],
                  lex: Lexicon) -> list[Candidate]:
        """The place of a dateline opening the sentence ("EL CAIRO, 11 feb. (EFE)"),
        read title-cased: see :mod:`.datelines`."""
        line = find_dateline(text, toks, lex, self._place)
        if line is None:
            return []
        span = toks[line.start:line.end]
        if any(a.type != "LOC" for a in self._aliases.get(tuple(fold(t.text) for t in span), ())):
            return []  # "EFE -", "NATO –": an agency or a body the knowledge base knows
        for k in range(line.first, line.end):
            covered[k] = True
        return [Candidate(span[0].start, span[-1].end, text[span[0].start:span[-1].end], sent,
                          "LOC", "dateline", None, tuple(fold(t.text) for t in span), True,
                          name=line.name)]

    # -- knowledge base ---------------------------------------------------------------
    def _kb_matches(self, text: str, toks: list[Token], sent: int, covered: list[bool],
                    cased: bool, lex: Lexicon) -> list[Candidate]:
        out = []
        folded = [fold(t.text) for t in toks]
        i = 0
        while i < len(toks):
            if covered[i]:  # a dateline's place, read before
                i += 1
                continue
            hit = self._longest_alias(toks, folded, i, cased, lex.lang)
            if hit is None:
                i += 1
                continue
            j, alias = hit
            if self._opening_word(toks, i, j, alias, lex):
                covered[i] = True  # "Nato a Verona" (born in Verona): a word, not NATO,
                i = j  #             nor a town of that name
                continue
            while j - i > 1 and alias.type == "PER" and (lex.is_title(toks[i].text)
                                                        or toks[i].text == "."):
                i += 1  # "Colonel Myles B. Caggins II": the title is not the name
            if self._opens_longer_name(toks, i, j, alias, lex):
                i = j  # "Terra Santa", "Trump Tower", "Jesús Navas": left to runs
                continue
            i = self._full_name_start(toks, folded, i, j, alias, covered, lex)
            if self._surname_of_given(toks, i, j, alias, covered, lex):
                i = j  # "Steve Forbes", "Leopoldo Pirelli": a person, left to runs
                continue
            embedded = alias.kind in EMBEDDABLE and alias.type in ("ORG", "demonym") \
                and self._inside_longer_name(toks, i, j, lex, alias.type == "ORG")
            if embedded and alias.type == "ORG":
                i = j  # "Lega Nazionale Dilettanti": another organisation, left to runs
                continue
            country = alias.type == "LOC" and alias.kind != "demonym"
            longer = self._inside_longer_place(toks, i, j, lex)  # "Central America"
            if country and not longer and i > 0 and folded[i - 1] in lex.compass_before_country \
                    and is_cap(toks[i - 1].text) and not covered[i - 1]:
                i -= 1  # "Nord Italia", "Centro Italia": still that country
            elif longer or (country and (
                    headed_before(toks, folded, i, lex)
                    or capitalised_neighbour(toks, folded, i, lex))):
                i = j  # "New Jersey", "Banca d'Italia", "Team New Zealand": left to runs
                continue
            if country and j < len(toks) and folded[j] in lex.compass_adjectives:
                j += 1  # "Italia meridionale", "Germania Est": still that country

            span = toks[i:j]
            kind = "demonym" if alias.kind == "demonym" else alias.type
            out.append(Candidate(span[0].start, span[-1].end, text[span[0].start:span[-1].end],
                                 sent, kind, "kb", alias.key, tuple(folded[i:j])))
            for k in range(i, j):  # "Federazione Italiana Rugby": the nationality word
                covered[k] = not embedded  # stays a mention, inside the name the run makes
            i = j
        return out

    @staticmethod
    def _opens_longer_name(toks: list[Token], i: int, j: int, alias: Alias, lex: Lexicon
                           ) -> bool:
        """Whether the match only opens a longer name: a place of no country before more
        of a name ("Terra Santa", "Tierra del Fuego"), a person's one-word name before a
        capitalised word ("Trump Tower", "Jesús Navas")."""
        if alias.kind == "solitary":
            return _name_goes_on(toks, j, lex)
        return alias.type == "PER" and j - i == 1 and j < len(toks) \
            and is_cap(toks[j].text) and not lex.is_stop(toks[j].text)

    def _full_name_start(self, toks: list[Token], folded: list[str], i: int, j: int,
                         alias: Alias, covered: list[bool], lex: Lexicon) -> int:
        """Where a known person's name starts when the text writes their first name
        before a shorter alias, in a spelling the knowledge base lacks: "Bashar el
        Asad", "Bashar Al Assad", "Bashar Asad" are all "Asad" with "Bashar" before it,
        and "Bashar" opens one of that person's full names. Up to two particles ("el",
        "Al") or middle names may stand between; the first name must be capitalised.
        Failing a first name, a capitalised particle just before is part of the
        surname ("le président Al Assad"). ``i`` unchanged otherwise ("Hafez
        al-Assad" is not Bashar)."""
        if alias.type != "PER":
            return i
        firsts = self._first_names.get(alias.key, frozenset())
        k = i - 1
        while k >= max(0, i - 3) and not covered[k] and toks[k].text != LINE_BREAK:
            word = toks[k].text
            if not lex.is_particle(word):
                if folded[k] in firsts and is_cap(word) and not lex.is_title(word):
                    return k
                if not is_cap(word):
                    break
            k -= 1
        if i > 0 and not covered[i - 1] and is_cap(toks[i - 1].text) \
                and lex.is_particle(toks[i - 1].text):
            return i - 1  # "le président Al Assad": a capitalised particle opens the surname
        return i

    def _surname_of_given(self, toks: list[Token], i: int, j: int, alias: Alias,
                          covered: list[bool], lex: Lexicon) -> bool:
        """Whether a one-word alias is the surname of the first name right before it:
        companies named after families ("Steve Forbes", "Leopoldo Pirelli"), people's
        relatives ("Melania Trump"); or, a nationality word too, after a capitalised
        surname particle mid-sentence ("Ignazio La Russa", "a La Russa"). A person's
        one-word alias after another first name and a lowercase particle is another
        person of that family ("Hafez el Asad")."""
        if j - i != 1 or i == 0 or covered[i - 1]:
            return False
        if alias.type == "PER" and i > 1 and not covered[i - 2] \
                and toks[i - 1].text.islower() and lex.is_particle(toks[i - 1].text) \
                and is_cap(toks[i - 2].text) and self.is_given(toks[i - 2].text, lex.lang):
            return True  # "Hafez el Asad": the father, not the Bashar of "Asad" alone
        if not is_cap(toks[i - 1].text):
            return False
        if alias.kind == "alias" and alias.type in ("ORG", "PER") \
                and self.is_given(toks[i - 1].text, lex.lang):
            return True
        return alias.kind in ("alias", "demonym") and i - 1 > first_word(toks) \
            and fold(toks[i - 1].text) in lex.surname_particles

    def _opening_word(self, toks: list[Token], i: int, j: int, alias: Alias, lex: Lexicon
                      ) -> bool:
        """Whether a one-word organisation alias opening the sentence is the everyday word
        it is spelt like: capitalised only as the first word, and followed by a
        function word ("Nato il 27 maggio", "Nato come ..."; not "Nato e Russia"). Not
        a person's name, however common in the press ("Putin ha detto")."""
        if j - i != 1 or i != first_word(toks) or alias.type in ("LOC", "PER") \
                or j >= len(toks) or toks[i].text.isupper():
            return False
        after = toks[j].text
        joins = fold(after) in lex.and_words and fold(after) not in lex.loc_preps  # "a": and/to
        return after[:1].islower() and not joins \
            and self._common(after, lex.lang) >= FUNCTION_WORD_ZIPF \
            and self._common(toks[i].text, lex.lang) >= EVERYDAY_RUN

    def _opens_with_org(self, toks: list[Token], i: int, j: int, lex: Lexicon) -> bool:
        """Whether the run's first words are a knowledge-base organisation's name."""
        folded = [fold(t.text) for t in toks[i:j]]
        hit = self._longest_alias(toks[i:j], folded, 0, True, lex.lang)
        return hit is not None and hit[0] < j - i and hit[1].type == "ORG"

    def _inside_longer_name(self, toks: list[Token], i: int, j: int, lex: Lexicon,
                            organisation: bool) -> bool:
        """Whether name words touch the match, so that it is one part of a longer
        capitalised name ("Federazione Italiana Rugby"). An organisation's name goes on
        only into another organisation's ("Croce Rossa Italiana", "Lega Nazionale
        Dilettanti"), not into its products or people ("Apple Music", "Mps Profumo")."""
        def name_word(k: int) -> bool:
            word = toks[k].text
            return is_cap(word) and not (lex.is_stop(word) or lex.is_title(word)
                                         or lex.is_calendar(word) or _ROMAN.match(word))
        after = [k for k in range(j, min(j + 3, len(toks))) if name_word(k)]
        after = after[:next((n for n, k in enumerate(after) if k != j + n), len(after))]
        before = [i - 1] if i > first_word(toks) and name_word(i - 1) else []
        if not organisation:  # a nationality word inside a name is capitalised
            return is_cap(toks[i].text) and bool(after or before)
        return any(fold(toks[k].text) in lex.org_heads or self._demonym(toks[k].text)
                   for k in after + before)

    def _demonym(self, word: str) -> bool:
        return any(a.kind == "demonym" for a in self._aliases.get((fold(word),), ()))

    def _inside_longer_place(self, toks: list[Token], i: int, j: int, lex: Lexicon) -> bool:
        """Whether capitalised words just before or after a knowledge-base match make,
        with it, a well-known place of their own ("New Jersey", "West Virginia",
        "Guernsey County")."""
        for k in range(max(0, i - 2), i):
            if all(is_cap(t.text) and not lex.is_stop(t.text) for t in toks[k:i]) \
                    and self._place(_join(toks[k:j])) == 2:
                return True
        for k in range(j + 1, min(len(toks), j + 2) + 1):  # "Guernsey County"
            if all(is_cap(t.text) for t in toks[j:k]) and self._place(_join(toks[i:k])) == 2:
                return True
        return False

    def _longest_alias(self, toks: list[Token], folded: list[str], i: int, cased: bool,
                       lang: str) -> tuple[int, Alias] | None:
        for n in self._lengths.get(folded[i], ()):
            j = i + n
            if j > len(toks):
                continue
            for alias in self._aliases.get(tuple(folded[i:j]), ()):
                if _alias_fits(alias, toks[i:j], cased, i == 0) and alias.speaks(lang) \
                        and not self._town_in_this_language(alias, toks[i:j], lang):
                    return j, alias
        return None

    def _town_in_this_language(self, alias: Alias, span: Sequence[Token], lang: str) -> bool:
        """A country's name in other languages that is, in the text's, the name of one
        of its towns: "Tunis" is Tunisia in Croatian and Russian, the capital in French,
        Italian and English. Only the languages that write it for the country read it so."""
        if not alias.key.startswith("cc:") or lang in alias.langs or None in alias.langs \
                or "en" in alias.langs:
            return False
        asked = (_join(span), alias.key[3:])
        if asked not in self._town_forms:
            self._town_forms[asked] = self._own_town(*asked)
        return self._town_forms[asked]

    # -- capitalised runs -----------------------------------------------------------------
    def _runs(self, text: str, toks: list[Token], sent: int, covered: list[bool],
              lex: Lexicon, lower_vocab: set[str], first: int) -> list[Candidate]:
        out = []
        i = 0
        while i < len(toks):
            if covered[i] or not is_cap(toks[i].text) or lex.is_calendar(toks[i].text):
                i += 1
                continue
            j = _run_end(toks, i, covered, lex)
            if fold(toks[j - 1].text) in lex.org_heads and all(
                    lex.is_stop(t.text) for t in toks[i:j - 1]):
                j = lowercase_tail(toks, j, covered, lex)  # "Camera dei deputati"
            town = self._town_after(toks, i, j, lex) if lex.split_at_town else None
            parts = [(i, town), (town + 1, j)] if town is not None \
                else self._split_run(toks, i, j, lex)
            for a, b in parts:
                cand = self._candidate(text, toks, a, b, sent, lex, lower_vocab, first)
                if cand is not None:
                    if town is not None and b == town and cand.type != "LOC":
                        cand.name = text[cand.start:toks[j - 1].end]  # "Tribunale di Milano"
                    if town is not None and a == town + 1 and cand.type == "MISC":
                        cand.type, cand.evidence = "LOC", "place"  # "Festival di Sanremo"
                    out.append(cand)
            i = j
        return out

    def _split_run(self, toks: list[Token], i: int, j: int, lex: Lexicon
                   ) -> list[tuple[int, int]]:
        """Cut a run where a person's name starts inside it: at a connector before a
        given name ("Argenteuil di Claude Monet": a work and its author), or at a given
        name after words that are not part of it ("a Roma Raimondo Bucher": a place and
        a person). Each part is then judged on its own. A capitalised article opening
        the run is passed over ("Il Presidente della Repubblica Giorgio Napolitano"), and
        so is an office before its body ("Presidente del Consiglio Matteo Renzi")."""
        s = i
        while s < j - 1 and lex.is_stop(toks[s].text):
            s += 1
        while s < j - 2 and lex.is_title(toks[s].text) \
                and fold(toks[s + 1].text) in lex.split_connectors:
            s += 2  # "Presidente del | Consiglio Matteo Renzi": the office, then its body
        if j - s == 2 and fold(toks[s].text) in lex.government_words:
            return [(i, s + 1), (s + 1, j)]  # "Governo | Letta"
        for c in range(s + 1, j - 2):
            if fold(toks[c].text) in lex.split_connectors and toks[c].text.islower() \
                    and self.is_given(toks[c + 1].text, lex.lang):  # "Antonio Di Pietro" stays
                return [(i, c), (c + 1, j)]
        g = s
        while g < j - 1 and lex.is_title(toks[g].text):
            g += 1  # "Senator Maria Cantwell of Washington": the name after the title
        if self.is_given(toks[g].text, lex.lang):
            for c in range(g + 2, j - 1):  # "Maria Cantwell | of Washington"
                if fold(toks[c].text) in ("of", "di", "de", "von") \
                        and self._place(_join(toks[c + 1:j])) == 2:
                    return [(i, c), (c + 1, j)]
            for c in range(g + 2, j - 1):  # "Raffaele Cioni | dell'Istituto Nazionale ..."
                if (fold(toks[c].text) in lex.split_connectors or ELIDED.match(toks[c].text)) \
                        and fold(toks[c + 1].text) in lex.org_heads:
                    return [(i, c), (c + 1, j)]
        k = self._person_start(toks, s, j, lex)
        return [(i, k), (k, j)] if k > s else [(i, j)]

    def _town_after(self, toks: list[Token], i: int, j: int, lex: Lexicon) -> int | None:
        """Index of the "di" before a town that closes the run ("Tribunale | di | Milano",
        "Policlinico San Martino | di | Genova"), unless the head is the town's own
        administration or a state ("Comune di Reggio Calabria", "Repubblica di ...")."""
        for n in (1, 2):
            c = j - n - 1
            if c > i and toks[c].text == "di" and fold(toks[i].text) not in lex.own_heads \
                    and self._place(_join(toks[c + 1:j])) >= 1:
                return c
        return None

    def _candidate(self, text: str, toks: list[Token], i: int, j: int, sent: int,
                   lex: Lexicon, lower_vocab: set[str], first: int) -> Candidate | None:
        titled = i > 0 and lex.is_title(toks[i - 1].text) or (
            i > 1 and toks[i - 1].text.islower() and self._demonym(toks[i - 1].text)
            and lex.is_title(toks[i - 2].text))  # "il cantante statunitense Prince"
        if self._articled_place(toks, i, j, lex, first):
            return self._typed(text, toks, i, j, sent, lex, lower_vocab, first, titled)
        while i < j and not self._surname_prefix(toks, i, j, lex, first) and (
                lex.is_stop(toks[i].text)
                or lex.is_title(toks[i].text)
                or (i <= first and fold(toks[i].text) in lower_vocab)
                or (i <= first and j - i > 1 and self._opener(toks[i].text, lex)
                    and self._place(_join(toks[i:j])) < 2)):  # "New York ha"
            if titled and (fold(toks[i].text) in lex.split_connectors
                           or ELIDED.match(toks[i].text)):
                titled = False  # "Sindaco di Ascoli", "Vicepresidente del Consiglio ...":
                #                 the office's place or body, not its holder
            else:
                titled = titled or lex.is_title(toks[i].text)
            i += 1
        while j > i and (toks[j - 1].text == "." or (
                not toks[j - 1].text[:1].isupper()  # a capitalised one closes a surname:
                and (lex.is_particle(toks[j - 1].text)  # "Lucio Dalla"
                     or fold(toks[j - 1].text) in lex.connectors))):
            j -= 1
        if i >= j or j - i > MAX_RUN:
            return None
        return self._typed(text, toks, i, j, sent, lex, lower_vocab, first, titled)

    def _articled_place(self, toks: list[Token], i: int, j: int, lex: Lexicon, first: int
                        ) -> bool:
        """A capitalised article that opens a place's name: "de El Paso", "y La Cruz",
        "a La Spezia" (the article is part of the name, not trimmed)."""
        if j - i < 2 or fold(toks[i].text) not in lex.articles \
                or not toks[i].text[:1].isupper():
            return False
        known = self._place(_join(toks[i:j]))  # at a sentence's start only a well-known
        return known == 2 or (known == 1 and first < i)  # one: "Los Ángeles prohibió"

    def _typed(self, text: str, toks: list[Token], i: int, j: int, sent: int, lex: Lexicon,
               lower_vocab: set[str], first: int, titled: bool) -> Candidate | None:
        """The candidate for the trimmed run ``toks[i:j]``, typed (or None)."""
        span = toks[i:j]
        words = tuple(fold(t.text) for t in span)
        if len(span) == 1 and self._office_body(toks, i, lex):
            return Candidate(span[0].start, span[0].end, span[0].text, sent, "ORG", "office",
                             None, words, i <= first)
        if len(span) == 1 and (len(span[0].text) < 2 or span[0].text.isdigit()
                               or words[0] in lex.loc_heads or _ROMAN.match(span[0].text)):
            return None  # a lone place head ("Paese", "Province") is a common noun
        if len(span) == 1 and (ELIDED.match(span[0].text) or (
                j < len(toks) and toks[j].text in ("'", "’") and toks[j].start == span[0].end)):
            return None  # an elided word alone: "C'è", "L' anno", "Cos' è" (not Kos)
        if len(span) == 1 and words[0] in self._concepts:
            return None  # "el Islam", "la Sharia": a religion, a doctrine, never a person
        if self._thing(toks, i, j, lex):  # "uragano Ike", "la nave Faina", "Sandy, l'uragano"
            return Candidate(span[0].start, span[-1].end, text[span[0].start:span[-1].end],
                             sent, "MISC", "thing", None, words, i <= first)
        type_, evidence = self._type(text, toks, i, j, words, titled, lex)
        if len(span) == 1 and evidence in WORD_PERSON_CUES and words[0] in lower_vocab:
            type_, evidence = "MISC", "common"  # "Défense", "Interno": a name list knows
            #   the word, but the text also writes it in lowercase: a word, not a person
        if evidence in ("single", "multi", "name") and i > 0 \
                and lex.marks_common_noun(toks[i - 1].text):
            return None
        if evidence == "single" and i > 0 and fold(toks[i - 1].text) in lex.single_blockers:
            return None  # "the Mesolithic", "a Victorian": not a name the text explains
        if j < len(toks) and toks[j].text[:1].isdigit() and (
                evidence in ("single", "multi", "name")
                or (evidence == "place" and len(toks[j].text) <= 3 and toks[j].text.isdigit())):
            return None  # "Cita 2", "Apollo 13": a product or a mission ("Paris 2024" stays)
        start = span[0].start
        if type_ == "PER" and i > 0 and toks[i - 1].text in lex.name_titles:
            start = toks[i - 1].start  # "Don Zeno Saltini": the title is part of the span
        return Candidate(start, span[-1].end, text[start:span[-1].end], sent, type_, evidence,
                         None, words, i <= first,
                         name=text[span[0].start:span[-1].end] if start != span[0].start
                         else None)

    @staticmethod
    def _thing(toks: list[Token], i: int, j: int, lex: Lexicon) -> bool:
        """Whether the name at ``toks[i:j]`` is a storm's, a ship's, an operation's: a
        thing word just before it, or in an apposition just after it ("Sandy, l'uragano
        che ..."). Not reported, and the same name elsewhere in the document is not
        either ("Sandy causerà danni")."""
        things = lex.thing_words
        if i > 0 and toks[i - 1].text.islower() and fold(toks[i - 1].text) in things:
            return True
        after = [fold(t.text) for t in toks[j:j + 3]]
        if after[:1] != [","]:
            return False
        rest = after[1:]
        if rest and (rest[0] in lex.articles or ELIDED.match(toks[j + 1].text)):
            rest = rest[1:]
        return bool(rest) and rest[0] in things

    @staticmethod
    def _surname_prefix(toks: list[Token], i: int, j: int, lex: Lexicon, first: int) -> bool:
        """Whether ``toks[i]`` is a capitalised particle opening a surname mid-sentence:
        "De Blasio", "Di Maio", "Della Valle" (not "Di" opening a sentence); an elided
        "D'" anywhere: "D'Alema", "D'Amato" (no capitalised word is elided so)."""
        w = fold(toks[i].text)
        return (i > first or w in ("d'", "d’")) and j - i > 1 and toks[i].text[:1].isupper() \
            and w in lex.surname_prefixes

    @staticmethod
    def _office_body(toks: list[Token], i: int, lex: Lexicon) -> bool:
        """Whether ``toks[i]`` is the body of the office named just before it."""
        article = lex.office_bodies.get(fold(toks[i].text))
        return article is not None and i > 1 and fold(toks[i - 1].text) == article \
            and lex.is_title(toks[i - 2].text)

    def _opener(self, word: str, lex: Lexicon) -> bool:
        """An everyday word that opens a sentence before a name ("Effettivamente
        Merano", "Intanto Mosca"): not a first name, a place or a head word."""
        w = fold(word)
        return self._common(word, lex.lang) >= OPENER_ZIPF and not self.is_given(word, lex.lang) \
            and w not in lex.org_heads and w not in lex.loc_heads and not self._place(word)

    def is_surname(self, word: str, lang: str | None) -> bool:
        """Whether ``word`` is a common surname (Faker's lists) that is not also an
        everyday word of ``lang`` ("Conte", "Colombo" are words in Italian)."""
        return fold(word) in self._surnames and self._common(word, lang) < BORROWED_NAME_ZIPF

    def is_given(self, word: str, lang: str | None = None) -> bool:
        """Whether ``word`` is a common first name, as written (nominative). Trying other
        cases of inflected names ("Владимира", "Andrzeja") was measured on WikiNEuRal
        Russian and Polish and lost more to false first names than it found. A name
        from the borrowed list must not be an everyday word of ``lang`` ("Esteri", a
        first name somewhere, is "foreign affairs" in Italian). (Also refusing names of
        well-known places cost 0.002 F1: knowledge-base and gazetteer matches already
        win over a first name.) Measured: Zipf below 3.0 / 3.5 / 4.0 gave KIND
        0.657 / 0.661 / 0.664."""
        w = fold(word)
        if w in self._own_given:
            return True
        return w in self._given and (lang is None
                                     or self._common(word, lang) < BORROWED_NAME_ZIPF)

    def _person_start(self, toks: list[Token], i: int, j: int, lex: Lexicon) -> int:
        """Where a person's name starts inside a run: "Esteri Antonio Tajani" → at
        "Antonio", when words before the first given name are not names themselves
        (no given name, particle or initial) and carry no cue of their own."""
        after_title = i > 0 and (fold(toks[i - 1].text) in lex.org_connectors or (  # "Presidente
            i > 1 and (fold(toks[i - 1].text) in lex.split_connectors  # della", "presidente del",
                       or ELIDED.match(toks[i - 1].text))  # "presidente dell'"
            and lex.is_title(toks[i - 2].text)))
        for k in range(i + 1, j - 1):  # a given name with a surname after it
            if self.is_given(toks[k].text, lex.lang):
                before = [fold(t.text) for t in toks[i:k]]
                if before[0] in lex.org_heads and any(
                        w in lex.connectors or ELIDED.match(t.text)
                        for w, t in zip(before[1:], toks[i + 1:k], strict=True)):
                    return k  # "Banca d'Italia | Antonio Fazio": an office, then its holder
                if any(self.is_given(t.text, lex.lang)
                       or (len(w) <= 2 and not ELIDED.match(t.text))
                       or before[-1] in lex.saints
                       or (lex.is_particle(w) and w not in lex.org_connectors)
                       for w, t in zip(before, toks[i:k], strict=True)):
                    return i  # "Abu Mahdi al-Muhandis", "San Francisco ..."
                if not after_title and k == i + 1 and (before[0] in lex.org_heads
                                                       or before[0] in lex.loc_heads):
                    return i  # "Fondazione Giorgio Cini" (but "Banca d'Italia | Antonio")
                return k
        return i

    def _type(self, text: str, toks: list[Token], i: int, j: int, words: tuple[str, ...],
              titled: bool, lex: Lexicon) -> tuple[str, str]:
        name = _join(toks[i:j])
        if titled:
            return "PER", "title"
        if i > 0 and toks[i - 1].text.islower() \
                and fold(toks[i - 1].text) in lex.org_words_before:
            return "ORG", "org_noun"  # "la società Luxottica", "il quotidiano Libero"
        if words[0] in lex.org_heads or words[-1] in lex.org_heads or words[-1] in lex.org_suffixes:
            return "ORG", "org_head"
        if len(words) > 1 and self._opens_with_org(toks, i, j, lex):
            return "ORG", "org_head"  # "Croce Rossa Italiana", "Lega Nazionale Dilettanti"
        if len(words) > 1 and (words[0] in lex.loc_heads or words[-1] in lex.loc_tails
                               or words[0] in lex.saints or words[0] in lex.compass_first
                               or words[-1] in lex.compass_last):  # "San Lauro", "South Ossetia"
            return "LOC", "loc_head"
        strength = self._place(name)
        if len(words) > 1 and strength == 2:  # "Minas Gerais" before the given name "Minas"
            return "LOC", "place"
        if len(words) > 1 and self.is_given(toks[i].text, lex.lang):
            return "PER", "given"
        if len(words) == 2 and words[0] in lex.surname_prefixes:
            return "PER", "surname"  # "De Blasio", "Di Maio": a surname
        if len(words) > 1 and self._team(toks, i, j, lex):
            return "ORG", "multi"  # WikiNEuRal +0.002 macro; its place is nested
        after = fold(text[toks[j - 1].end:toks[j - 1].end + 40])
        before = fold(toks[i - 1].text) if i > 0 else ""
        if strength and before in lex.loc_preps:
            return "LOC", "place_prep"
        if strength == 2 and j - i == 1 and before in lex.club_articles \
                and self._is_city(name):
            return "ORG", "club"  # "il Napoli", "contro il Milan": Italian cities take no
            #                       article, their football clubs do
        if strength == 2 or (strength and j - i > 1):  # a two-word village name is rare
            return "LOC", "place"
        if j - i == 1 and ROAD.match(toks[i].text):
            return "LOC", "code"  # "sulla A14", "the M25": a motorway (kept off the map)
        if j - i == 1 and _CODE.match(toks[i].text):
            return "MISC", "single"  # "P2P", "H1N1", "MP3": a code, not a name
        if j - i == 1 and _ACRONYM.match(toks[i].text) and i > 0 \
                and toks[i - 1].text[-1:].isdigit():
            return "MISC", "single"  # "512 MB", "6.000 MW", "01:44 ET": a unit
        if j - i == 1 and _ACRONYM.match(toks[i].text) and toks[i].text not in lex.roman_numerals:
            return "ORG", "acronym"  # before speech verbs: "the VBA said" is not a person
        if j - i == 1 and (before in lex.source_words or before in lex.government_words or (
                before == "to" and i > 1 and fold(
                toks[i - 2].text) == "according")):
            return "PER", "person_verb"  # "secondo Gheddafi", "according to Bloomberg"
        if any(after.lstrip(" ,").startswith(v) for v in lex.person_verbs):  # "X said"
            return "PER", "person_verb"
        if sum(1 for w in words if w not in lex.connectors and not lex.is_particle(w)) >= 2:
            if any(w in lex.org_connectors for w in words) and self._phrase(toks[i:j], lex):
                return "MISC", "common"  # "Greatest Love of All", "Point of Interest": a
                #                          title made of everyday words, with no place
            if any(w in lex.org_connectors for w in words) or self._of_place(toks, i, j, lex):
                return "MISC", "name"  # "United Way of Metropolitan Atlanta", "Festival di
                #                         Sanremo": not a person; its place is nested
            if self._everyday(toks[i:j], lex) >= EVERYDAY_RUN and not (
                    j - i == 2 and self.is_given(toks[i].text)):  # "Giuliano Amato", "Bill
                #   Gates": a first name (from any list) and one more word stay a person
                if self._place(toks[i].text) == 2 or self._place(_join(toks[i:i + 2])) == 2:
                    return "MISC", "name"  # "Dalton Police Chief": its place still counts
                return "MISC", "common"  # "Gran Premio", "World Cup": not reported
            if any(t.text in lex.articled_of for t in toks[i + 1:j - 1]):
                return "LOC", "multi"  # "Barberino del Mugello", "Ciudad del Este": a town
                #                        ("Del Piero" is written with a capital)
            return "PER", "multi"
        if self.is_given(toks[i].text, lex.lang):
            return "PER", "first_name"  # "Luciano", "Hazel": people called by first name
        if strength < 2 and self.is_surname(toks[i].text, lex.lang):
            return "PER", "surname"  # "Calderoli", "Piacentini": KIND +0.004
        # An unexplained single word is most often a place: LOC beat PER and ORG on both
        # KIND and WikiNEuRal (docs/entities.md); but only when the gazetteer knows the
        # name or a place preposition comes before it ("a Tallacano"); otherwise it is
        # dropped ("Netflix", "Triassico": KIND +0.027, WikiNEuRal +0.004).
        parts = toks[i].text.split("-")
        if strength == 0 and len(parts) > 1 and all(is_cap(p) for p in parts) \
                and self._place(parts[0]) == 2:
            return "LOC", "place"  # "Roma-Lido", "Milano-Malpensa": a line, a route (KIND
            #                        +0.003; it lies at its first place, see _core_name)
        if strength == 0 and before not in lex.loc_preps and not lex.inflects_place_names:
            return "MISC", "single"  # dropped: no cue, no gazetteer entry, no "in"/"a"
        if before not in lex.loc_preps and not lex.inflects_place_names \
                and self._everyday(toks[i:j], lex) >= EVERYDAY_SINGLE:
            return "MISC", "common"  # "Mondo", "Grande": a village's name, but a word first
        return "LOC", "single"

    def _team(self, toks: list[Token], i: int, j: int, lex: Lexicon) -> bool:
        """A well-known place, then words that are not a surname: a team, a company, a
        newspaper ("Phoenix Suns", "Detroit Pistons", "Toronto Star")."""
        for n in (1, 2):
            if j - i > n and self._place(_join(toks[i:i + n])) == 2:
                rest = toks[i + n:j]
                return all(is_cap(t.text) for t in rest) and max(
                    self._word_zipf(t.text, lex) for t in rest) >= TEAM_WORD_ZIPF
        return False

    def _of_place(self, toks: list[Token], i: int, j: int, lex: Lexicon) -> bool:
        """Whether the run ends in "di/of" and a well-known place ("EXPO di Milano")."""
        for n in (1, 2):
            k = j - n - 1
            if k > i and fold(toks[k].text) in lex.split_connectors \
                    and self._place(_join(toks[j - n:j])) == 2:
                return True
        return False

    def _word_zipf(self, word: str, lex: Lexicon) -> float:
        """How common ``word`` is in the text's language or in English, whichever is
        more (the world's press quotes English as it is)."""
        return max(self._common(word, lex.lang), self._common(word, "en"))

    def _phrase(self, span: Sequence[Token], lex: Lexicon) -> bool:
        """Whether every word of the span (connectors aside) is an everyday word and
        none is a well-known place."""
        words = [t for t in span if fold(t.text) not in lex.connectors]
        return bool(words) and all(
            self._word_zipf(t.text, lex) >= EVERYDAY_RUN and self._place(t.text) < 2
            for t in words)

    def _everyday(self, span: Sequence[Token], lex: Lexicon) -> float:
        """The highest Zipf frequency among the span's words (connectors and particles
        aside), in the text's language or in English: how much of an everyday phrase it
        is. English counts everywhere because the world's press quotes English titles
        and products as they are ("Rising Star Awards", "Crew Dragon" in Italian):
        KIND +0.001, WikiNEuRal macro +0.004 (es +0.011)."""
        return max((self._word_zipf(t.text, lex) for t in span
                    if fold(t.text) not in lex.connectors and not lex.is_particle(t.text)
                    and not _is_initial(t.text)),  # "V. Topalov": "v" is no word here
                   default=0.0)


# -- helpers -------------------------------------------------------------------------------
LINE_BREAK = "\n"


def entity_tokens(text: str, start: int, end: int) -> list[Token]:
    """Word tokens cut where a name ends inside a word: Romance elisions ("dell'Iraq"
    → "dell'" + "Iraq"), possessives ("Daesh's" → "Daesh" + "'s") and compounds of two
    names ("Inherent Resolve-ISF" → "Resolve" + "-" + "ISF"). A line break between two
    words is a token of its own (``LINE_BREAK``): no alias, run or name crosses it, so
    "Conseil de\nsécurité" in a hard-wrapped or scraped text is never one name."""
    out: list[Token] = []
    for tok in tokens(text, start, end):
        at = text.find("\n", out[-1].end, tok.start) if out else -1
        if at >= 0:
            out.append(Token(at, at + 1, LINE_BREAK))
        if tok.text in ("'", "’") and out and out[-1].end == tok.start \
                and ELIDED.match(out[-1].text + "'"):  # "d' America", as tokenised text
            out[-1] = Token(out[-1].start, tok.end, out[-1].text + tok.text)  # writes it
            continue
        if tok.text.isalnum():  # no apostrophe or hyphen: nothing to cut
            out.append(tok)
        else:
            out.extend(_split_token(tok))
    return out


# A single capital before a hyphen opens one word ("T-Mobile", "X-Men"), except the
# party letters of the US press: "Rep. Ricky Moye, D-Raleigh" names Raleigh (LGL).
PARTY_LETTERS = frozenset("DRI")


def _split_token(tok: Token) -> list[Token]:
    word = tok.text
    m = ELISION.match(word)
    if m and not PREFIXED.match(word):
        cut = tok.start + m.end()
        return [Token(tok.start, cut, word[:m.end()]), *_split_token(Token(cut, tok.end,
                                                                           word[m.end():]))]
    m = _POSSESSIVE.search(word)
    if m and m.start() > 0 and word[:1].isupper():
        cut = tok.start + m.start()
        return [Token(tok.start, cut, word[:m.start()]), Token(cut, tok.end, word[m.start():])]
    m = _COMPOUND.match(word)
    if m and word[:1].isupper() and not PREFIXED.match(word) \
            and (len(m.group(1)) > 1 or m.group(1) in PARTY_LETTERS) and (
            m.group(1).isupper() or m.group(2).split("-")[0].isupper()):  # "T-Mobile" stays
        left_end = tok.start + len(m.group(1))
        return [Token(tok.start, left_end, m.group(1)), Token(left_end, left_end + 1, word[
            len(m.group(1))]), *_split_token(Token(left_end + 1, tok.end, m.group(2)))]
    return [tok]


def _first_names(aliases: dict[tuple[str, ...], list[Alias]]) -> dict[str, frozenset[str]]:
    """Knowledge-base person key → the folded first words of its names of two words or
    more ("bashar", "bachar" for Bashar al-Assad): the first names a text may write
    before a shorter alias of theirs."""
    out: dict[str, set[str]] = {}
    for folded, options in aliases.items():
        if len(folded) > 1:
            for alias in options:
                if alias.type == "PER" and alias.kind != "demonym":
                    out.setdefault(alias.key, set()).add(folded[0])
    return {key: frozenset(words) for key, words in out.items()}


def _is_initial(word: str) -> bool:
    return len(word) == 2 and word[0].isupper() and word[1] == "."


def _run_end(toks: list[Token], i: int, covered: list[bool], lex: Lexicon) -> int:
    """End (exclusive) of the capitalised run starting at ``i``."""
    j = i + 1
    while j < len(toks) and not covered[j]:
        word = toks[j].text
        if is_cap(word) and not lex.is_calendar(word):
            j += 1
        elif _is_initial(word) or word in lex.roman_numerals or fold(word) in lex.name_suffixes:
            j += 1
        elif (k := _particle_chain(toks, j, covered, lex)) > j:
            j = k
        else:
            break
    return j


def _particle_chain(toks: list[Token], j: int, covered: list[bool], lex: Lexicon) -> int:
    """End of "von der Leyen", "da Silva", "Bank of England" starting at the particle
    ``toks[j]``, or ``j`` when no capitalised word follows the particles. An article in
    a noun-capitalising language does not join ("Berlin den Chef")."""
    if lex.marks_common_noun(toks[j].text):
        return j
    k = j
    while k < len(toks) and k - j < 3 and not covered[k] and _joins(toks[k].text, lex):
        k += 1
    if k > j and k < len(toks) and not covered[k] and is_cap(toks[k].text) \
            and not lex.is_calendar(toks[k].text):  # not "S.C. on Monday"
        return k + 1
    return j


def _joins(word: str, lex: Lexicon) -> bool:
    """A lowercase word that may sit inside a name; never a conjunction ("Rubens e
    Correggio", "Bush and Kerry" are two names)."""
    w = fold(word)
    return w not in lex.and_words and (lex.is_particle(word) or w in lex.connectors - {"the"}
                                      or bool(ELIDED.match(word)))  # "d'", "dell'"


def _name_goes_on(toks: list[Token], j: int, lex: Lexicon) -> bool:
    """Whether a capitalised word, or a connector and one, follows position ``j``."""
    k = j + 1 if j < len(toks) and (fold(toks[j].text) in lex.connectors
                                    or ELIDED.match(toks[j].text)) else j
    return k < len(toks) and is_cap(toks[k].text) and not lex.is_stop(toks[k].text)


def _alias_fits(alias: Alias, span: list[Token], cased: bool, initial: bool) -> bool:
    """Whether a folded alias match is a real one in this text's casing."""
    if alias.kind == "acronym":
        return tuple(t.text for t in span) == alias.surface
    if alias.kind in ("lowercase", "demonym") or not cased:
        return True
    return any(is_cap(t.text) for t in span)


def _case_reliable(text: str) -> bool:
    """False for all-caps or all-lowercase text, and for caseless scripts."""
    upper = sum(1 for c in text if c.isupper())
    lower = sum(1 for c in text if c.islower())
    return lower > 0 and upper > 0 and upper < 0.5 * (upper + lower)


def _lowercase_words(text: str) -> set[str]:
    """Words the text also uses in lowercase: a capitalised one at a sentence start is
    then an ordinary word ("Attualmente", "Here")."""
    return {fold(w) for w in re.findall(r"\b[^\W\d_][\w'’]*", text) if w[:1].islower()}


def _join(span: Sequence[Token]) -> str:
    return " ".join(t.text for t in span)
