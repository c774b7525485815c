"""Words around a name that say what it names, per language (folded, lowercase).

The recogniser (:mod:`.recognise`) reads a name's type from the words next to it as
much as from the name: "secondo Gheddafi" is a source, a person; "l'uragano Ike" a
storm; "la società Luxottica" a company; "presidente della Repubblica" an office and
its body. Each list was measured on KIND and WikiNEuRal when added (docs/entities.md).
"""

from __future__ import annotations

from .lexicon import fold

# "According to" X: a source, a person more often than not
SOURCE_WORDS = frozenset("secondo selon segun segundo laut volgens".split())
# A government named after its head ("governo Letta", "gobierno Sánchez"): the name after
# the word is the head's, a person's (KIND tags "Governo" and "Letta" apart).
GOVERNMENT_WORDS = frozenset("governo gobierno gouvernement regierung".split())
# Lowercase nouns after which a capitalised word names a thing: a storm, an operation,
# a ship, a train, a mission, a work (none of PER, ORG, LOC), even when it is a first
# name: storms are named after people ("l'uragano Ike").
THING_WORDS = {
    "it": frozenset("uragano tifone ciclone tempesta operazione nave traghetto treno scala "
                    "missione sonda satellite razzo album film romanzo serie canzone "
                    "singolo brano videogioco".split()),
    "en": frozenset("hurricane typhoon cyclone storm operation ship vessel ferry train "
                    "mission probe satellite rocket album film novel series song single "
                    "videogame".split()),
    "fr": frozenset("ouragan typhon cyclone tempete operation navire train mission sonde "
                    "satellite fusee album film roman serie chanson".split()),
    "es": frozenset("huracan tifon ciclon tormenta operacion buque tren mision sonda "
                    "satelite cohete album pelicula novela serie cancion".split()),
    "pt": frozenset("furacao tufao ciclone tempestade operacao navio comboio trem missao "
                    "sonda satelite foguete album filme romance serie cancao".split()),
}
# The body an office belongs to, named alone after the office: "presidente della
# Repubblica", "capo dello Stato", "presidente del Consiglio": the body, an organisation
# (KIND gold); "segretario di Stato" is not one. Word → the article it takes.
OFFICE_BODIES = {
    "it": {"repubblica": "della", "stato": "dello", "consiglio": "del", "senato": "del",
           "camera": "della"},
}
# Titles written capitalised as part of a person's name ("Don Zeno Saltini", "Don
# Abbondio"): the span includes them, the entity's name does not (KIND 13 of 15,
# WikiNEuRal Italian 13 of 13; a lowercase "don" stays outside, as WikiNEuRal has it).
NAME_TITLES = {"it": frozenset({"Don"}), "es": frozenset({"Don", "Doña"})}
# Capitalised particles that open a surname mid-sentence ("De Blasio", "Di Maio",
# "Della Valle"), where elsewhere they are prepositions; an elided "D'" anywhere.
SURNAME_PREFIXES = {"it": frozenset("de di del della dei degli dal dalla lo d' d’".split())}
# Capitalised mid-sentence, these make the known word after them a surname: "Ignazio La
# Russa" (not the Russian), "Nino Lo Bello", "Vincenzo De Luca".
SURNAME_PARTICLES = {"it": SURNAME_PREFIXES["it"] | {"la"}}
# Articles of it, en, fr, es, pt, de: "Sandy, l'uragano", "Sandy, the hurricane".
ARTICLES = frozenset("il lo la i gli le un una uno the a an les une el los las o os as um "
                     "uma der die das ein eine".split())
# Lowercase nouns after which a name is an organisation's: "la società Luxottica",
# "il quotidiano Libero", "the company Nvidia".
ORG_WORDS_BEFORE = {
    "it": frozenset(fold(w) for w in "società azienda compagnia gruppo agenzia partito "
                    "sindacato associazione quotidiano giornale settimanale rivista emittente "
                    "banca movimento federazione fondazione".split()),
    "en": frozenset("company firm group agency party union newspaper daily weekly magazine "
                    "broadcaster bank movement federation foundation".split()),
    "fr": frozenset(fold(w) for w in "société entreprise groupe agence parti syndicat "
                    "association quotidien journal hebdomadaire magazine banque mouvement "
                    "fédération fondation".split()),
    "es": frozenset(fold(w) for w in "empresa compañía grupo agencia partido sindicato "
                    "asociación diario periódico revista banco movimiento federación "
                    "fundación".split()),
    "pt": frozenset(fold(w) for w in "empresa companhia grupo agência partido sindicato "
                    "associação jornal revista banco movimento federação fundação".split()),
}
