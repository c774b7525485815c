"""The headline of a scraped page: captions, overlines, standfirsts and date lines.

Every page here is invented: the town of Valmare, its people and its news.
"""

from __future__ import annotations

import pytest

from newsweave.clean.document import Cleaner
from newsweave.clean.headline import choose_headline, credit_kind

BODY = ("Non c'è traccia di calma nelle strade polverose di Borgo Nuovo, il quartiere di "
        "Valmare dove domenica notte gli scontri tra due bande hanno lasciato dodici morti "
        "e oltre duecento feriti, secondo il bilancio diffuso ieri dal ministero della Sanità.")
MORE = ("Il governo ha promesso un'inchiesta rapida, ma i residenti raccontano di arresti "
        "casuali e di una polizia arrivata tardi, quando le case lungo il fiume erano già "
        "state date alle fiamme e le famiglie avevano lasciato il quartiere a piedi.")


@pytest.mark.parametrize("line", [
    "Vecinos ante la escuela cerrada desde el lunes. | Agencia Sur",
    "Un niño, junto a un muro pintado.| Reuters",
    "Marta Ruiz | Valmare",
    "Agencias | Valmare | Ginebra",
    "Vídeo: Canal Sur | Foto: Efe",
    "Foto: Nome Cognome/AFP/Getty Images",
    "Photo : AFP / Nom Prénom",
    "Il sindaco di Valmare alla conferenza stampa (Foto Ansa)",
    "Le port de Valmare au petit matin (Nom Prénom / Reuters)",
    "La piazza del mercato © Agenzia Lumen",
])
def test_captions_credits_and_bylines_are_recognised(line: str) -> None:
    assert credit_kind(line) is not None


@pytest.mark.parametrize("line", [
    "Valmare: la noche más larga de Borgo Nuovo",
    "Libia, il governo di Valmare cade: «Complotto dall'estero»",
    "Le maire de Valmare démissionne (et s'en explique)",
    "Jueces y fiscales, los intocables de Valmare",
    "El alcalde se va | EL DIARIO DE VALMARE",  # a headline and its site: not all capitals
    "Valmare | El alcalde dimite",
    "Fotos de la manifestación en Valmare",  # a gallery's headline, no credit
    "Foto: la protesta in piazza a Valmare",
])
def test_headlines_are_not_credits(line: str) -> None:
    assert credit_kind(line) is None


def test_a_photo_caption_is_never_the_headline() -> None:
    """A headline whose words the body does not repeat, over a caption that the body
    does repeat: the caption is not the headline."""
    lines = ["Giovedì 12/05/2011. Aggiornato 16:51.",
             "La controrivoluzione dei poveri senza santi",
             "Vicini davanti alle case lungo il fiume date alle fiamme domenica. | Agenzia Sud",
             "Marta Rossi | Valmare", BODY, MORE]
    assert choose_headline(lines) == 1


def test_the_caption_stays_in_the_text() -> None:
    """A caption passed over as a headline is still part of the article."""
    caption = "Vicini davanti alle case lungo il fiume date alle fiamme domenica. | Agenzia Sud"
    cleaned = Cleaner().clean("\n".join(
        ["Valmare: la controrivoluzione di Borgo Nuovo", caption, BODY, MORE]))
    assert cleaned.headline == "Valmare: la controrivoluzione di Borgo Nuovo"
    assert caption in cleaned.text


def test_an_overline_over_the_headline_and_its_caption_is_passed_over() -> None:
    """Overline, headline, photo caption, byline, body: the headline is the lower of
    the two headline-like lines, though the body repeats both."""
    lines = ["Dodici morti a Borgo Nuovo",
             "Il governo di Valmare promette un'inchiesta sugli scontri nel quartiere",
             "Le case lungo il fiume dopo gli scontri di domenica. | Agenzia Sud",
             "Marta Rossi | Valmare", BODY, MORE]
    assert choose_headline(lines) == 1


@pytest.mark.parametrize("lower", [
    "in dieci anni",  # the second half of a headline set on two lines
    "Il governo di Valmare promette un'inchiesta rapida sugli scontri nel quartiere, "
    "mentre i residenti di Borgo Nuovo raccontano di arresti casuali e di case bruciate",
    # a standfirst's length
    "Il governo di Valmare promette un'inchiesta sugli scontri.",  # a sentence
])
def test_a_line_under_the_headline_is_no_headline_of_its_own(lower: str) -> None:
    lines = ["Dodici morti a Borgo Nuovo, il governo di Valmare promette un'inchiesta",
             lower, "Le case lungo il fiume dopo gli scontri di domenica. | Agenzia Sud",
             BODY, MORE]
    assert choose_headline(lines) == 0


def test_a_long_standfirst_without_a_full_stop_gives_way_to_its_headline() -> None:
    """A short headline the body does not echo, over a long standfirst without a
    full stop that it does: the headline is the short line."""
    lines = ["Che cosa succede a Valmare",
             "Gli scontri nel quartiere di Borgo Nuovo hanno lasciato dodici morti, il governo "
             "promette un'inchiesta e i residenti raccontano di arresti casuali",
             BODY, MORE]
    assert choose_headline(lines) == 0


def test_a_menu_entry_over_a_long_headline_is_not_taken_for_it() -> None:
    """A label of a few words (a menu entry) over a long headline without a full stop
    is no headline: the long line stays the headline."""
    lines = ["Venire a Valmare",
             "Scontri a Borgo Nuovo: dodici morti e duecento feriti, il governo promette "
             "un'inchiesta, i residenti denunciano arresti casuali (domenica notte)",
             BODY, MORE]
    assert choose_headline(lines) == 1


def test_a_short_headline_right_over_its_body_needs_one_repeated_word() -> None:
    """A column's name, then a two-word headline right over the post: the body says
    "Borgo" once, enough for a headline this short standing over it."""
    lines = ["Il taccuino del sindaco", "La veglia di Borgo", BODY, MORE]
    assert choose_headline(lines) == 1


def test_a_headline_over_its_date_line_beats_the_first_item_of_a_live_page() -> None:
    """A live page: headline, "updated" line, then items each with a title. The
    headline's words are spread over the items, the first item's title is echoed
    by its own paragraph."""
    lines = ["Valmare, Zeno prima bombarda Porto Alto poi parla in tv: «Rivolta mossa dai "
             "pirati»",
             "(Aggiornato alle 00:07 del 25 febbraio 2011)",
             "Il sindaco telefona al ministro 181",
             "Il sindaco di Valmare ha telefonato oggi al ministro degli Esteri per discutere "
             "della situazione in città, dove Zeno è caduto ieri sera dopo tre giorni "
             "di proteste, e il ministro ha promesso aiuti e un ponte aereo per gli stranieri.",
             "Il ministro: «Aiuti subito» 180",
             "Il ministro ha parlato alla radio per venti minuti, accusando un complotto "
             "straniero di avere armato i ribelli, senza però fornire alcuna prova delle "
             "accuse e senza rispondere alle domande dei giornalisti presenti nello studio."]
    assert choose_headline(lines) == 0
