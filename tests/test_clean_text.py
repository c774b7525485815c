"""Plain-text cleaning: normalisation, boilerplate edges, titles, the hash key."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newsweave.clean.text import (
    clean_text,
    derive_title,
    first_sentence,
    is_boilerplate,
    normalise,
    normalise_for_hash,
)

SHARED = Path(os.environ.get("NEWSWEAVE_SHARED")
              or Path(__file__).resolve().parents[1].parent / "shared")

BODY_EN = (
    "Harbour tolls rise for the first time in ten years\n"
    "\n"
    "The port authority of Porto Vento will raise its mooring tolls by 4% from June, "
    "the first increase since 2014.\n"
    "\n"
    "Menu items at the harbour cafés will not change, the owners said.\n"
    "\n"
    "Advertisement\n"
    "\n"
    "Share your views with the council before 30 May, the authority added."
)
SCRAPED_EN = (
    "Skip to main content\n"
    "Menu\n"
    "Home > Business > Ports\n"
    "\n\n\n"
    f"{BODY_EN}\n"
    "\n"
    "Share on Facebook\n"
    "Facebook | Twitter | LinkedIn | Email\n"
    "Read more: Ferry strike ends after three days\n"
    "© 2024 Porto Vento Daily. All rights reserved.\n"
    "Back to top   \n"
)
BODY_IT = (
    "Il comune di Valdoro apre il nuovo molo\n"
    "Il sindaco ha inaugurato sabato il molo, costato 2.500.000 euro.\n"
    "Pubblicità\n"
    "Secondo la giunta, i lavori sono durati quattordici mesi."
)
SCRAPED_IT = (
    "Vai al contenuto\r\n"
    "Cerca\r\n"
    "Home | Cronaca | Politica | Esteri\r\n"
    f"{BODY_IT}\r\n"
    "Leggi anche: Nuovi orari dei traghetti\r\n"
    "Condividi su WhatsApp\r\n"
    "Utilizziamo i cookie per migliorare la tua esperienza. Accetta\r\n"
    "Riproduzione riservata ©\r\n"
    "Torna su"
)


def test_english_navigation_removed_body_intact():
    cleaned, removed = clean_text(SCRAPED_EN)
    assert cleaned == BODY_EN.replace("Advertisement\n\n", "")
    assert removed == ["Skip to main content", "Menu", "Home > Business > Ports",
                       "Advertisement", "Share on Facebook",
                       "Facebook | Twitter | LinkedIn | Email",
                       "Read more: Ferry strike ends after three days",
                       "© 2024 Porto Vento Daily. All rights reserved.", "Back to top"]


def test_italian_navigation_removed_body_intact():
    cleaned, removed = clean_text(SCRAPED_IT)
    assert cleaned == BODY_IT.replace("Pubblicità\n", "")
    assert removed[:3] == ["Vai al contenuto", "Cerca", "Home | Cronaca | Politica | Esteri"]
    assert removed[-1] == "Torna su" and len(removed) == 9


@pytest.mark.parametrize("line", [
    "skip to Main Content", "Back To Top", "Torna su", "Zum Inhalt springen", "Nach oben",
    "Aller au contenu", "Retour en haut", "Saltar al contenido", "Volver arriba", "MENU",
    "Lesen Sie auch: Neue Fähre", "Leggi anche", "Follow us on Instagram", "Seguici su Facebook",
    "Print", "Subscribe", "Iscriviti alla newsletter", "Copyright 2020 Example Media",
    "Tutti i diritti riservati", "Home » Mondo » Medio Oriente", "Tags: Iraq, coalition",
    "We use cookies to give you the best experience. By continuing you agree to our policy.",
    "* * *", "Articolo successivo",
])
def test_boilerplate_lines(line):
    assert is_boilerplate(line)


@pytest.mark.parametrize("line", [
    "Iraq, the Inherent Resolve and ISF anti-Isis cooperation has not stopped",
    "Search for survivors continues after the earthquake",
    "Share prices fell sharply in Milan on Monday.",
    "Il sindaco ha detto che il menu delle mense scolastiche cambierà da settembre.",
    "Home affairs minister resigns",
    "Back to school: the new timetable",
    "Print media lose readers again, the report says.",
    "Rome / Paris / Berlin talks end without a deal on the budget",
    "Related talks open in Geneva",
    "Read more about the new ferry timetable",
])
def test_content_lines_are_kept(line):
    assert not is_boilerplate(line)


def test_nothing_to_remove_leaves_text_unchanged():
    text = "A title\n\nA paragraph of the article. Another sentence."
    assert clean_text(text) == (text, [])


def test_normalise():
    raw = "\ufeffCafe\u0301  \r\nline two\t \r\n\n\n\n\nline three\x07\n"
    assert normalise(raw) == "Café\nline two\n\nline three"


def test_seed_002_navigation_lines(shared_seed_002):
    original = shared_seed_002.read_text(encoding="utf-8")
    cleaned, removed = clean_text(original)
    assert removed == ["skip to Main Content", "Back To Top"]
    lines = [line for line in original.splitlines() if line.strip()]
    assert cleaned.splitlines()[0] == lines[1]  # the title line comes first now
    assert [line for line in cleaned.splitlines() if line.strip()] == lines[1:-1]
    assert derive_title(cleaned) == lines[1]


@pytest.fixture
def shared_seed_002() -> Path:
    path = SHARED / "seeds" / "002_762d8325139e929a.txt"
    if not path.is_file():
        pytest.skip(f"shared/seeds not found: {path}")
    return path


@pytest.mark.parametrize("name", ["000_d0e728216357c16c.txt", "001_6802bbc07cb0c99c.txt"])
def test_seed_titles_are_first_sentences(name):
    path = SHARED / "seeds" / name
    if not path.is_file():
        pytest.skip(f"shared/seeds not found: {path}")
    text = path.read_text(encoding="utf-8")
    title = derive_title(clean_text(text)[0])
    first_line = text.splitlines()[0]
    assert 20 < len(title) <= 200 and "\n" not in title
    assert first_line.startswith(title.rstrip("…"))
    assert title != first_line  # a paragraph is not a title


def test_title_from_a_title_line():
    assert derive_title("\n\n  Ferry strike ends  \n\nThe workers returned.") == \
        "Ferry strike ends"
    assert derive_title("# Nuovo ponte sul Lete\n\nTesto.") == "Nuovo ponte sul Lete"


def test_title_from_first_sentence_with_abbreviations_and_numbers():
    text = ("Col. Myles B. Caggins II said on Monday that 2.500 soldiers remain at the base "
            "near Erbil, according to Dr. Rossi of the U.S. embassy. He gave no details.")
    assert derive_title(text) == text.split(" He gave")[0].rstrip(".")


def test_long_first_sentence_is_truncated_at_a_word():
    text = ("The council " + "met again and again " * 20 + "before it agreed. Then it left.")
    title = derive_title(text)
    assert len(title) <= 200 and title.endswith("…") and not title[-2].isspace()
    assert text.startswith(title[:-1])


def test_title_never_empty():
    assert derive_title("x") == "x"
    assert derive_title("...") == "..."
    assert derive_title("   \n ") == ""


def test_first_sentence():
    assert first_sentence("Dr. Who arrived. Then left.") == "Dr. Who arrived."
    assert first_sentence("Il sig. Rossi è arrivato. Poi è ripartito.") == \
        "Il sig. Rossi è arrivato."
    assert first_sentence("Prices rose 2.5 percent! Markets fell.") == "Prices rose 2.5 percent!"


def test_normalise_for_hash():
    a = "“Il porto”, disse —  il SINDACO.\n\nFine!"
    b = '"il porto" disse il sindaco fine'
    assert normalise_for_hash(a) == normalise_for_hash(b) == "il porto disse il sindaco fine"
    assert normalise_for_hash("ﬁne\u00a0print") == "fine print"  # NFKC
    assert normalise_for_hash("exam\u00adple") == "example"  # soft hyphen dropped


def test_a_text_is_never_cleaned_away() -> None:
    headline = "Olympics under fire | Sports | Daily Tribune"
    assert clean_text(headline) == (headline, [])
