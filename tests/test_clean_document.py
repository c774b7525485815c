"""Cleaning scraped pages: notices anywhere, code, recurrence across a source, headlines."""

from __future__ import annotations

from collections import defaultdict

import pytest

from newsweave.clean.boilerplate import PhraseRules, looks_like_code
from newsweave.clean.document import HEADER_REASON, Cleaner
from newsweave.clean.headline import choose_headline
from newsweave.clean.recurrence import document_key, line_key, recurring_keys


class DictMemory:
    """The LineMemory protocol over a dict: the store's behaviour without a file."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, int], list[int]] = defaultdict(list)

    def line_sightings(self, scope: str, keys: list[int]) -> list[tuple[int, int]]:
        return [(k, d) for k in keys for d in self.rows[(scope, k)]]

    def remember_lines(self, scope: str, doc: int, keys: list[int]) -> None:
        for k in keys:
            if doc not in self.rows[(scope, k)]:
                self.rows[(scope, k)].append(doc)


SIDEBAR = ["Boutique du Courrier", "Grève des dockers au port de Valmare",
           "Le festival de jazz de Castelbrune affiche complet"]


def page(headline: str, body: list[str]) -> str:
    return "\n".join(["Les sites du groupe", *SIDEBAR[:1], headline, *body, *SIDEBAR[1:]])


PAGES = [
    page("Le maire de Lunel-Vieux démissionne après six ans de mandat",
         ["Le maire de Lunel-Vieux, Paul Servant, a annoncé sa démission lundi soir devant "
          "le conseil municipal, après six ans de mandat marqués par le chantier du tramway.",
          "Son premier adjoint assurera l'intérim jusqu'à une élection partielle au printemps."]),
    page("Inondations dans la vallée du Tarnon : trois villages évacués",
         ["Trois villages de la vallée du Tarnon ont été évacués mardi après la crue de la "
          "rivière, qui a atteint son plus haut niveau depuis 1994 selon la préfecture.",
          "Les inondations ont coupé deux routes départementales et privé d'électricité "
          "quatre cents foyers."]),
    page("La bibliothèque de Saint-Orens rouvre après deux ans de travaux",
         ["La bibliothèque municipale de Saint-Orens a rouvert ses portes samedi après deux "
          "ans de travaux de rénovation, avec une salle de lecture agrandie.",
          "Les travaux ont coûté 3,2 millions d'euros, financés pour moitié par la région."]),
]


def test_recurring_sidebar_lines_are_removed_once_seen_in_two_earlier_articles():
    cleaner = Cleaner(DictMemory(), min_docs=2)
    results = [cleaner.clean(text, "", document_key(str(i), text))
               for i, text in enumerate(PAGES)]
    assert "Grève des dockers" in results[1].text  # seen once before: kept
    third = results[2]
    assert "Grève des dockers" not in third.text and "jazz" not in third.text
    reasons = {r.line: r.reason for r in third.removed}
    assert reasons[SIDEBAR[1]].startswith("recurs in 2 or more earlier")
    assert all(r.headline and r.headline.startswith(("Le maire", "Inondations", "La biblio"))
               for r in results)


def test_header_above_the_headline_is_removed_with_its_reason():
    result = Cleaner().clean(PAGES[0])
    assert result.headline == "Le maire de Lunel-Vieux démissionne après six ans de mandat"
    assert result.text.startswith(result.headline)
    header = [r.line for r in result.removed if r.reason == HEADER_REASON]
    assert header == ["Boutique du Courrier"]
    assert ("Les sites du groupe", "site network") in [(r.line, r.reason) for r in result.removed]


def test_copies_do_not_make_their_own_lines_boilerplate():
    cleaner = Cleaner(DictMemory(), min_docs=2)
    text = PAGES[0]
    for i in range(4):  # the same report re-posted under four sources' records
        result = cleaner.clean(text, "", document_key(f"copy{i}", text))
        assert result.headline == "Le maire de Lunel-Vieux démissionne après six ans de mandat"
        assert "Paul Servant" in result.text


def test_a_re_read_document_does_not_count_against_itself():
    cleaner = Cleaner(DictMemory(), min_docs=1)
    doc = document_key("a", PAGES[0])
    first = cleaner.clean(PAGES[0], "", doc)
    again = cleaner.clean(PAGES[0], "", doc)
    assert first.text == again.text


def test_scopes_are_separate():
    cleaner = Cleaner(DictMemory(), min_docs=2)
    for i, text in enumerate(PAGES[:2]):
        cleaner.clean(text, "courrier.example", document_key(str(i), text))
    result = cleaner.clean(PAGES[2], "other.example", document_key("2", PAGES[2]))
    assert SIDEBAR[1] in result.text


def test_recurring_keys_ignores_copies_by_paragraphs():
    own = [1, 2, 3, 4]
    sightings = [(1, 10), (2, 10), (3, 10), (4, 10), (4, 11), (4, 12)]
    # doc 10 shares both paragraphs (1, 2): a copy; line 4 recurs in 11 and 12
    assert recurring_keys(own, sightings, 99, 2, paragraphs=[1, 2]) == {4}


@pytest.mark.parametrize("line", [
    "Usamos cookies propias y de terceros para mejorar nuestros servicios. Aceptar",
    "Nous utilisons des cookies pour vous offrir la meilleure expérience. J'accepte",
    "Utilizziamo i cookie per migliorare la tua esperienza di navigazione.",
    "Wir verwenden Cookies, um Ihnen das beste Nutzererlebnis bieten zu können.",
    "Please enable JavaScript to view the comments.",
    "Para poder comentar debes iniciar sesión",
    "Hemos bloqueado los comentarios de este contenido.",
    "Questo articolo fa parte della nostra copertura speciale sulla crisi",
    "Esta es tu última noticia por ver este mes",
    "Función de búsqueda",
    "© Gazzetta di Valdoro 2019",
    "Seguimi su Twitter",
    "Suivez-moi sur Mastodon",
    "Stay tuned",
    "Les sites du Groupe Valmarine",
    "Nos journaux et magazines",
    "I nostri siti",
    "Le port de Valmarine attend ses nouveaux quais depuis dix ans Abonnés",
    "La larga noche de los bomberos de Sierra Alta Exclusivo suscriptores",
    "Il porto di Valdoro cambia volto Riservato agli abbonati",
])
def test_notices_and_prompts_in_five_languages(line: str):
    assert PhraseRules.load().match(line) is not None


@pytest.mark.parametrize("line", [
    "El Gobierno aprobó el martes la ley de cookies que obligará a las webs a informar.",
    "Il sindaco ha detto che la biblioteca resterà chiusa per due settimane.",
    "Le ministre a commenté la décision du tribunal administratif de Lyon.",
    "Le quotidien régional perd la moitié de ses abonnés",  # the word, not the badge
    "Seguimi, dice il sindaco ai consiglieri, e la giunta resterà unita",
    "Les sites archéologiques de Palmyre menacés par les combats",
    "Nuestras webs de noticias pierden lectores frente a las redes",
])
def test_news_sentences_are_not_notices(line: str):
    assert PhraseRules.load().match(line) is None


def test_code_lines():
    assert looks_like_code(".alogo{display: block;text-indent: -1000px;width: 330px;}")
    assert looks_like_code("var _gaq = _gaq || []; _gaq.push(['_trackPageview']);")
    assert not looks_like_code("Il bilancio (provvisorio) è di 12 morti; 40 i feriti.")


def test_headline_passes_over_a_section_label_and_a_sidebar_headline():
    lines = ["CONFLITTO IN SIRIA", "Grandi magazzini chiudono sette negozi in Lombardia",
             "Conflitto in Siria", "Aleppo, ripresi i colloqui sulla tregua umanitaria",
             "Ad Aleppo sono ripresi martedì i colloqui sulla tregua umanitaria tra le parti, "
             "con la mediazione dell'inviato delle Nazioni Unite, mentre in città si contano "
             "i danni dei bombardamenti della settimana scorsa e le scuole restano chiuse."]
    assert choose_headline(lines) == 3


def test_a_first_page_sidebar_link_does_not_borrow_words_from_the_other_links():
    """The first page of a site has no recurrence to go on: a sidebar link whose words
    come back only in the other links ("Abonnés") is not taken for the headline."""
    body = ("Le procureur de la Cour a annoncé jeudi l'ouverture d'une enquête sur la "
            "répression des manifestations à Valmare, où la police a tiré "
            "sur la foule, selon plusieurs témoins joints par téléphone dans la soirée.")
    more = ("Le parquet entendra la semaine prochaine les familles des victimes, et le "
            "gouvernement de Valmare a promis de coopérer avec les enquêteurs, tout en "
            "contestant le bilan avancé par les organisations de défense des droits.")
    lines = ["Les forces occultantes de la proposition de loi globale Abonnés",
             "Colombie : le mystère du galion en eaux profondes Abonnés",
             "Budget : la proposition globale des forces du marché Abonnés",
             "Valmare : le procureur ouvre une enquête sur la répression",
             body, more, "Que sait-on du documentaire qui dénonce la manipulation ? Abonnés"]
    assert choose_headline(lines) == 3

def test_line_key_ignores_case_and_punctuation_but_not_words():
    assert line_key("Boutique le Point") == line_key("BOUTIQUE  le point.")
    assert line_key("Boutique le Point") != line_key("Boutique le Monde")
    assert line_key("OK") is None


ARCHIVE = [f"Dal nostro archivio, il numero {n}: un lungo articolo di analisi sulle agenzie di "
           f"informazione europee, sulle loro riforme e sui controlli parlamentari del decennio."
           for n in range(8)]


def blog_page(lead: str) -> str:
    return "\n".join(["Il blog dell'intelligence", lead, *ARCHIVE])


def test_a_sidebar_of_paragraphs_is_learnt_when_the_posts_differ():
    """Posts of a blog whose archive sidebar outweighs each post share most of their
    paragraphs but not their leads: they are no copies, and the sidebar recurs."""
    cleaner = Cleaner(DictMemory(), min_docs=2)
    leads = [f"Il post numero {n} racconta una storia diversa, con fatti, luoghi e persone "
             f"che nessun altro post di questo blog ha mai raccontato prima di oggi ({n})."
             for n in range(3)]
    results = [cleaner.clean(blog_page(lead), "", document_key(str(i), lead))
               for i, lead in enumerate(leads)]
    assert ARCHIVE[0] in results[1].text
    assert ARCHIVE[0] not in results[2].text and leads[2] in results[2].text
