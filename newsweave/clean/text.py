"""Pure text functions: normalisation, boilerplate lines, titles, the hash key.

Text scraped from web pages keeps bits of the page around the article: "Skip to
main content" at the top, "Back to top", share buttons and a copyright line at the
bottom. :func:`clean_text` removes them with a conservative, line-level classifier:

* only lines at the **edges** of the text (before the first and after the last
  line of content) are considered, plus a few unmistakable markers anywhere
  ("Advertisement", "Pubblicità", "Anzeige");
* a line must be short *and* match a navigation pattern (skip links, back to top,
  menu, share/print/subscribe/follow, cookie notices, copyright, "read also" links,
  breadcrumbs, bars of short link words) in English, Italian, German, French,
  Spanish or Portuguese;
* a line that reads like a sentence (it ends in ``.``, ``!`` or ``?`` and has
  several words) is never removed, unless it is a copyright or cookie notice.

The removed lines are returned so they can be shown to the user.
"""

from __future__ import annotations

import re
import unicodedata

MAX_TITLE_CHARS = 200

# Whole-line patterns (matched case-insensitively against a line without its edge
# punctuation); each is short text that only ever appears as page chrome.
_NAV_PATTERNS: tuple[str, ...] = (
    # skip links
    r"skip (?:to|navigation)(?: (?:the )?(?:main )?(?:content|navigation|menu|search|footer|"
    r"article|text))?",
    r"jump to (?:main )?(?:content|navigation)",
    r"(?:vai|passa|salta|vai direttamente) (?:al |ai |alla )?(?:contenut[oi]|menu|navigazione)"
    r"(?: principale)?",
    r"(?:direkt )?zum (?:haupt)?inhalt(?: springen| wechseln)?", r"zur navigation(?: springen)?",
    r"(?:aller|passer) (?:au|directement au) contenu(?: principal)?",
    r"(?:saltar|ir) al contenido(?: principal)?", r"(?:pular|ir) para o conte[uú]do",
    # back to top
    r"(?:back|return|go|jump|scroll) to (?:the )?top(?: of (?:the )?page)?", r"top of page",
    r"torna (?:su|in alto|all'inizio|a inizio pagina)", r"(?:zur[uü]ck )?nach oben",
    r"retour en haut(?: de (?:la )?page)?", r"haut de page", r"(?:volver|ir) arriba",
    r"voltar ao topo", r"(?:\^|↑|▲)\s*(?:top|su)?",
    # menus, search, accounts
    r"(?:main |open |close |toggle )?(?:menu|navigation|nav)(?: (?:principale|menu))?",
    r"(?:open|close|toggle) (?:search|navigation|menu)", r"search(?: for)?",
    r"cerca|suche|rechercher|buscar|pesquisar", r"home(?: ?page)?|startseite|accueil|inicio",
    r"(?:log ?in|log ?out|sign ?in|sign ?up|sign out|register|my account)",
    r"accedi|registrati|esci|anmelden|abmelden|registrieren|connexion|s'inscrire",
    r"iniciar sesi[oó]n|reg[ií]strate|entrar",
    # share, print, follow, subscribe
    r"(?:share|print|email|e-mail|tweet|pin|save)(?: (?:this|on|via|article|story|page|"
    r"to)\b.{0,30})?",
    r"copy link|link copied|(?:\d+ )?(?:comments?|shares?)",
    r"condividi(?: su .{0,20}| l'articolo| questo articolo)?|stampa(?: l'articolo)?|commenta",
    r"teilen|drucken|artikel teilen|kommentare?|partager|imprimer|commentaires?",
    r"compartir|imprimir|comentarios?|compartilhar",
    r"follow us(?: on .{0,30})?|like us on .{0,20}|seguici(?: su .{0,30})?",
    r"folg(?:en sie|e) uns(?: auf .{0,30})?|suivez-nous(?: sur .{0,30})?",
    r"s[ií]guenos(?: en .{0,30})?|siga-nos(?: n[oa] .{0,30})?",
    r"subscribe(?: now| today| here| to (?:our|the) newsletter)?|newsletter|sign up for .{0,40}",
    r"iscriviti(?: alla newsletter| ora)?|abbonati(?: ora)?|abonnieren|newsletter abonnieren",
    r"s'abonner|abonnez-vous|suscr[ií]bete|assine",
    # related links
    r"(?:leggi|guarda) anche.{0,120}|potrebbe interessarti.{0,120}|continua a leggere",
    r"(?:read|see) (?:more|also)(?:\s*[:»›|–—-].{0,120})?",
    r"related(?: articles| stories| news| content| coverage| posts)?(?:\s*[:»›|–—-].{0,80})?",
    r"more (?:from|on) .{1,40}|recommended(?: for you)?|most (?:read|popular)|trending",
    r"(?:lesen sie|lies) auch.{0,120}|mehr zum thema.{0,80}|das k[oö]nnte sie interessieren",
    r"(?:[àa] )?lire aussi.{0,120}|(?:lea|lee|ver) tambi[eé]n.{0,120}|leia tamb[eé]m.{0,120}",
    r"(?:previous|next) (?:article|post|story)|articolo (?:precedente|successivo)",
    r"(?:vorheriger|n[aä]chster) artikel|article (?:pr[eé]c[eé]dent|suivant)",
    r"(?:tags?|argomenti|schlagw[oö]rter|themen|mots-cl[eé]s|etiquetas)\s*:.{0,150}",
    # advertising
    r"advertisement|advertising|sponsored(?: content)?|ad|pubblicit[aà]|annuncio|anzeige|"
    r"werbung|publicit[eé]|publicidad|publicidade",
)
_NAV = re.compile(r"(?:" + r"|".join(_NAV_PATTERNS) + r")", re.I)
# Markers that are boilerplate wherever they stand, even between paragraphs.
_INLINE = re.compile(
    r"(?:advertisement|advertising|sponsored content|pubblicit[aà]|anzeige|werbung|"
    r"publicit[eé]|publicidad|publicidade|continue reading below|"
    r"story continues below(?: advertisement)?|article continues below)", re.I)
_COPYRIGHT = re.compile(
    r"(?:^(?:©|\(c\)|copyright\b)|all rights reserved|tutti i diritti riservati|"
    r"riproduzione riservata|alle rechte vorbehalten|tous droits r[eé]serv[eé]s|"
    r"todos los derechos reservados|todos os direitos reservados)", re.I)
_COOKIE = re.compile(r"\bcookies?\b", re.I)
_COOKIE_ACTION = re.compile(
    r"\b(?:accept|agree|consent|use|uses|policy|settings|preferences|accetta|utilizz|"
    r"consenso|akzeptier|verwende|einwillig|accepter|utilis|aceptar|utiliza)", re.I)
_BREADCRUMB = re.compile(r"\s(?:>|»|›)\s")
_LINK_WORDS = frozenset("""
home news world politics business economy markets tech technology science health sport
sports culture opinion video videos photos podcasts weather travel style lifestyle
entertainment live latest local national international about contact contacts privacy
terms cookies help faq careers jobs advertise subscribe login register archive search
facebook twitter x linkedin whatsapp telegram instagram youtube pinterest reddit tiktok
email e-mail print share rss mail copy link more menu
cronaca esteri politica economia cultura spettacoli sport tecnologia salute mondo
italia regioni video foto ultime notizie chi siamo contatti
nachrichten politik wirtschaft kultur wissen gesundheit welt inland ausland
actualités monde politique économie société culture santé
noticias mundo política economía sociedad cultura salud
""".split())
_EDGE_PUNCT = " \t\u00a0|•·>»›<«‹-–—_=*#:;,.!?()[]{}\"'“”‘’"
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)]*$")


def normalise(text: str) -> str:
    """NFC, ``\\n`` newlines, no trailing spaces, no runs of more than one blank line."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n").replace("\x0c", "\n")
    text = text.lstrip("\ufeff")
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    lines = [line.rstrip() for line in text.split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n")


def _is_sentence(line: str) -> bool:
    return bool(_SENTENCE_END.search(line)) and len(line.split()) >= 6


def _is_link_bar(core: str) -> bool:
    """A bar of short links: "Home | World | Sport", "Facebook Twitter Email"."""
    if len(core) <= 120:
        for sep in ("|", "•", "·", " / "):
            parts = [p.strip() for p in core.split(sep)]
            if len(parts) >= 3 and all(0 < len(p.split()) <= 3 for p in parts):
                return True
    words = [w.strip(_EDGE_PUNCT).lower() for w in core.split()]
    words = [w for w in words if w]
    return len(words) >= 2 and all(w in _LINK_WORDS for w in words)


def _is_breadcrumb(core: str) -> bool:
    """"Home > World > Middle East": short segments joined by ">", "»" or "›"."""
    if len(core) > 120:
        return False
    parts = [p.strip() for p in _BREADCRUMB.split(core)]
    return len(parts) >= 2 and all(0 < len(p.split()) <= 4 for p in parts)


def is_boilerplate(line: str) -> bool:
    """True when ``line`` is page chrome (navigation, sharing, legal) rather than text."""
    line = line.strip()
    if not line:
        return False
    if len(line) <= 250 and _COPYRIGHT.search(line):
        return True
    if len(line) <= 400 and _COOKIE.search(line) and _COOKIE_ACTION.search(line):
        return True
    if len(line) > 120 or _is_sentence(line):
        return False
    core = line.strip(_EDGE_PUNCT)
    if not core:
        return True  # only separators or bullets: "* * *", "|", "—"
    if _NAV.fullmatch(core):
        return True
    return _is_breadcrumb(core) or _is_link_bar(core)


def clean_text(text: str) -> tuple[str, list[str]]:
    """Normalise ``text`` and remove boilerplate lines; return (text, removed lines).

    Lines are removed from the start and the end while they are boilerplate (blank
    lines in between are passed over), and anywhere when they are an isolated
    advertising marker. The article body is left as it was, apart from normalisation.
    """
    lines = normalise(text).split("\n")
    removed: list[str] = []
    start, end = 0, len(lines)
    head: list[str] = []
    while start < end and (not lines[start].strip() or is_boilerplate(lines[start])):
        if lines[start].strip():
            head.append(lines[start].strip())
        start += 1
    tail: list[str] = []
    while end > start and (not lines[end - 1].strip() or is_boilerplate(lines[end - 1])):
        if lines[end - 1].strip():
            tail.append(lines[end - 1].strip())
        end -= 1
    body: list[str] = []
    for line in lines[start:end]:
        core = line.strip().strip(_EDGE_PUNCT)
        if core and _INLINE.fullmatch(core):
            removed.append(line.strip())
        else:
            body.append(line)
    removed = head + removed + tail[::-1]
    cleaned = re.sub(r"\n{3,}", "\n\n", "\n".join(body)).strip("\n")
    if not cleaned.strip() and removed:
        # Everything looked like page chrome: a headline such as "Olympics under fire |
        # Sports | Daily Tribune" is still the article. Never clean a text away.
        return normalise(text).strip("\n"), []
    return cleaned, removed


# Abbreviations after which a full stop does not end a sentence (lower-case, no dot).
_ABBREVIATIONS = frozenset("""
mr mrs ms dr prof sr jr st mt col gen lt sgt capt cpt maj adm cmdr gov sen rep pres
rev hon fr br sig sigg dott dottssa avv ing on arch geom rag prof.ssa sen dep
hr frau dr.-ing nr no nos vol pp p art ca approx etc vs cf ecc es fig inc ltd co corp
jan feb mar apr jun jul aug sep sept oct nov dec gen feb mag giu lug ago set ott dic
u.s u.k u.n e.g i.e a.m p.m z.b usw bzw mme mlle m sra srta ud uds av
""".split())
# Starts only at the first mark of a run of them (linear on a long run of dots).
_BOUNDARY = re.compile(
    r"(?<![.!?…])([.!?…]+)([\"'”’»)\]]*)\s+(?=[\"'“‘«(\[]?[A-ZÀ-ÖØ-Þ0-9\u0100-\u024f])")


def first_sentence(text: str) -> str:
    """The first sentence of ``text``, aware of abbreviations ("Col.", "Dr.") and
    initials ("Myles B. Caggins"); numbers like "2.500" never split (no space)."""
    for match in _BOUNDARY.finditer(text):
        if match.group(1) == ".":
            word = _word_before(text, match.start()).lower().lstrip("(\"'“‘«")
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
            if re.fullmatch(r"(?:[a-z]\.)+[a-z]", word):  # "u.s", "e.g"
                continue
        return text[: match.end(2)].strip()
    return text.strip()


def _word_before(text: str, end: int) -> str:
    """The last word of ``text[:end]`` (``text[:end].split()[-1]``, or ""), found by
    walking back from ``end``, so that its cost is the word's length, not ``end``."""
    while end > 0 and text[end - 1].isspace():
        end -= 1
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:end]


def _truncate(text: str, limit: int = MAX_TITLE_CHARS) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:–—-") + "…"


def _looks_like_title(line: str) -> bool:
    if len(line) > MAX_TITLE_CHARS:
        return False
    if first_sentence(line) != line:
        return False  # more than one sentence: a paragraph
    if line.endswith(".") and (len(line) > 80 or len(line.split()) > 12):
        return False
    return True


def derive_title(text: str) -> str:
    """A title for a text that has none: its first line if that reads like a title,
    else its first sentence, cut at a word boundary with "…" beyond 200 characters.

    Never empty for a text with any non-space character.
    """
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if not lines:
        return ""
    line = next((ln for ln in lines if not is_boilerplate(ln)), lines[0])
    line = " ".join((re.sub(r"^#{1,6}\s+", "", line) or line).split())
    if not _looks_like_title(line):
        line = _truncate(first_sentence(line))
    return _drop_final_period(line)


def _drop_final_period(title: str) -> str:
    """Titles carry no full stop, but keep one that ends an abbreviation ("U.S.")."""
    if not title.endswith(".") or title.endswith(".."):
        return title
    last = title.split()[-1][:-1].lower()
    if last in _ABBREVIATIONS or "." in last or len(last) <= 1:
        return title
    return title[:-1].rstrip() or title


def normalise_for_hash(text: str) -> str:
    """The exact-duplicate key: NFKC, case-folded, punctuation removed, spaces collapsed.

    Two copies of an article that differ only in quotes, dashes, case, spacing or
    line breaks get the same key.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    kept = ("" if unicodedata.category(ch) == "Cf" else
            " " if unicodedata.category(ch)[0] in "PZC" else ch for ch in text)
    return " ".join("".join(kept).split())
