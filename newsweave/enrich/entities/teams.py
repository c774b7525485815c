"""National teams: a country's name in a sports report names its team.

"L'Italia batte il Galles 3-1", "la Svezia ha preceduto Finlandia e Russia": in a
sentence about a match the country is a side, an organisation (KIND tags it so), not a
place, and it belongs on no map. Such a mention becomes the country's national team
(``team:IT``, "Italy national team"), its place dropped. A country after a place
preposition stays a place ("in Italia", "a Cina 2008").

The cues are the language's ``sport_cues`` (its lexicon file), with a match score;
only where they were measured: Italian, on KIND train (held out) +0.0037, dev
0.0000; WikiNEuRal Italian, which tags such countries as places, −0.0006. The cues
are a match score ("3-1") or words only sport uses ("batte", "girone", "medaglia",
...). Words that war and politics use too are not cues: "sconfitta" (defeat),
"finale", "pareggio" (of a budget), "partita", "vince", "punti", "squadra",
"nazionale"; with them the seed article's "Stati Uniti" and "Iraq" became teams.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...models import Mention, Sentence
from .lexicon import Lexicon, fold


def national_teams(text: str, sentences: Sequence[Sentence], mentions: Sequence[Mention],
                   lex: Lexicon, country_names: dict[str, str]) -> None:
    """Retype, in place, the country mentions of sports sentences as national teams."""
    cues = lex.sport_cues
    if cues is None:
        return
    sporty: dict[int, bool] = {}
    for m in mentions:
        if m.type != "LOC" or not (m.key or "").startswith("cc:"):
            continue
        if m.sentence not in sporty:
            s = sentences[m.sentence] if m.sentence < len(sentences) else None
            sporty[m.sentence] = s is not None and bool(cues.search(text, s.start, s.end))
        before = text[max(0, m.start - 40):m.start].split()[-1:]  # bounded: linear
        if not sporty[m.sentence] or (before and fold(before[0]) in lex.loc_preps):
            continue
        cc = (m.key or "")[3:]
        m.type, m.key, m.place = "ORG", f"team:{cc}", None
        m.name = f"{country_names.get('cc:' + cc, cc)} national team"
