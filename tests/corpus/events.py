"""The facts and templates of the generated test corpus, written for this project.

Every person, outlet, company and agency here is invented; the places are real
(including homonyms: Valencia in Spain and in Venezuela, Córdoba in Argentina and in
Spain, Paris in France and in Texas, Santiago in Chile and Santiago de Compostela).
Each event has, per language, templates for its first report (people named in full,
organisations spelled out with their acronym) and for follow-ups (surnames alone,
acronyms alone). ``{wd}`` is the weekday of the article's date in its language;
``{num:A:B}`` a number drawn between A and B.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# (headline, body); the body's paragraphs are separated by blank lines.
Template = tuple[str, str]


@dataclass(frozen=True)
class Event:
    """One event, reported over ``days`` days from day ``start`` in ``langs``."""

    key: str
    start: int
    days: int
    first: dict[str, list[Template]]
    follow: dict[str, list[Template]] = field(default_factory=dict)

    @property
    def langs(self) -> tuple[str, ...]:
        return tuple(self.first)


WEEKDAYS = {
    "it": ("lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "es": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
}

# Outlets by language: (name, footer lines that recur under every article of theirs).
OUTLETS = {
    "it": [("Corriere del Tirreno", "Leggi anche: le notizie della settimana\n"
                                    "© Corriere del Tirreno - Riproduzione riservata"),
           ("La Gazzetta di Levante", "Iscriviti alla newsletter della Gazzetta\n"
                                      "Tutti i diritti riservati - La Gazzetta di Levante")],
    "en": [("The Northern Ledger", "Sign up for the Ledger morning briefing\n"
                                   "Copyright The Northern Ledger. All rights reserved."),
           ("Harbour Post", "More from Harbour Post: local news, sport and weather\n"
                            "Harbour Post is an independent newspaper")],
    "es": [("Diario del Sur", "Suscríbete al boletín del Diario del Sur\n"
                              "© Diario del Sur. Todos los derechos reservados."),
           ("El Heraldo Peninsular", "Lo más leído en El Heraldo Peninsular\n"
                                     "El Heraldo Peninsular, información desde 1921")],
    "fr": [("Le Courrier du Rhône", "Abonnez-vous à la lettre du Courrier\n"
                                    "© Le Courrier du Rhône - Tous droits réservés"),
           ("L'Écho d'Armor", "Retrouvez toute l'actualité de votre région\n"
                              "L'Écho d'Armor, le quotidien de l'Ouest")],
}

EVENTS: list[Event] = [
    Event("genoa_strike", 0, 3, first={
        "it": [("Porto di Genova, sciopero di 48 ore: fermi i container",
                "I lavoratori del porto di Genova hanno incrociato le braccia {wd} mattina "
                "per uno sciopero di 48 ore proclamato dall'Unione Lavoratori del Porto (ULP). "
                "Il segretario generale Marco Ferrandi ha parlato di un'adesione del "
                "{num:80:95} per cento.\n\n"
                "Al centro della protesta ci sono i turni notturni e la sicurezza sulle "
                "banchine dopo l'incidente di gennaio. Il Consorzio Autonomo del Porto di "
                "Genova (CAPG) ha convocato un tavolo per giovedì.\n\n"
                "La presidente del consorzio, Elena Marchisio, ha detto di essere pronta a "
                "discutere un nuovo piano di assunzioni.")],
        "en": [("Genoa port workers walk out in 48-hour strike",
                "Dock workers in Genoa, Italy's busiest port, began a 48-hour strike on {wd} "
                "called by the Port Workers' Union (ULP). Union leader Marco Ferrandi said "
                "about {num:80:95} percent of staff had joined.\n\n"
                "The dispute is over night shifts and safety on the quays. The port "
                "consortium CAPG, chaired by Elena Marchisio, has invited the union to talks "
                "later this week.")],
        "es": [("Huelga de 48 horas en el puerto de Génova",
                "Los estibadores del puerto italiano de Génova iniciaron el {wd} una huelga "
                "de 48 horas convocada por el sindicato ULP. Su secretario general, Marco "
                "Ferrandi, cifró el seguimiento en un {num:80:95} por ciento.\n\n"
                "Los trabajadores reclaman cambios en los turnos de noche y más seguridad "
                "en los muelles.")],
    }, follow={
        "it": [("Porto di Genova, prima intesa dopo lo sciopero",
                "Dopo due giorni di sciopero, sindacato e consorzio hanno firmato {wd} "
                "sera una prima intesa sui turni notturni. Ferrandi ha parlato di «un passo "
                "avanti, non di una vittoria».\n\n"
                "Marchisio ha annunciato {num:30:60} nuove assunzioni entro l'estate. "
                "Il CAPG dovrà ora presentare il piano di sicurezza per le banchine."),
               ("Genova, le navi tornano in banchina",
                "Le operazioni nel porto di Genova sono riprese {wd} con {num:10:25} navi "
                "in attesa al largo. Secondo l'ULP il bilancio dello sciopero è positivo; "
                "per Ferrandi la trattativa resta aperta.")],
        "en": [("Genoa dockers end strike after night-shift deal",
                "Dockers in Genoa returned to work on {wd} after the union and the port "
                "consortium reached a preliminary deal on night shifts. Ferrandi called it "
                "a step forward. Marchisio promised {num:30:60} new hires by the summer.")],
        "es": [("Acuerdo en Génova tras la huelga portuaria",
                "Sindicato y consorcio portuario alcanzaron el {wd} un acuerdo preliminar "
                "sobre los turnos de noche en Génova. Ferrandi lo calificó de paso adelante "
                "y Marchisio prometió {num:30:60} contrataciones.")],
    }),
    Event("valencia_floods", 1, 4, first={
        "es": [("Inundaciones en Valencia: miles de evacuados en la Ribera",
                "Las lluvias torrenciales caídas el {wd} en la provincia de Valencia "
                "obligaron a evacuar a más de {num:2000:4000} vecinos de Alzira y Sueca. La "
                "directora de la Agencia Valenciana de Seguridad y Emergencias (AVSE), Lucía "
                "Berrocal, pidió a la población que no se desplace.\n\n"
                "En algunos puntos se recogieron más de {num:250:400} litros por metro "
                "cuadrado en doce horas. El río Júcar se desbordó a su paso por Alzira.\n\n"
                "El alcalde de Sueca, Vicente Llorca, habilitó el polideportivo municipal "
                "para acoger a las familias desalojadas."),
               ("La gota fría deja inundaciones históricas en la Ribera valenciana",
                "Una gota fría descargó el {wd} lluvias históricas sobre la comarca de la "
                "Ribera, en Valencia. Lucía Berrocal, directora de la AVSE, confirmó la "
                "evacuación de varios barrios de Alzira y pidió prudencia.")],
        "en": [("Floods force thousands from their homes near Valencia",
                "Torrential rain on {wd} flooded towns south of Valencia, Spain, forcing more "
                "than {num:2000:4000} people from their homes in Alzira and Sueca. Lucía "
                "Berrocal, head of the regional emergency agency AVSE, urged residents to "
                "stay off the roads.\n\n"
                "The Júcar river burst its banks near Alzira, where some areas saw more "
                "than {num:250:400} litres of rain per square metre in twelve hours.")],
        "fr": [("Inondations meurtrières dans la région de Valence",
                "Des pluies torrentielles se sont abattues {wd} sur la région de Valence, en "
                "Espagne. Plus de {num:2000:4000} habitants d'Alzira et de Sueca ont été "
                "évacués, selon Lucía Berrocal, directrice de l'agence régionale des "
                "urgences AVSE.\n\n"
                "Le fleuve Júcar est sorti de son lit près d'Alzira.")],
    }, follow={
        "es": [("Valencia calcula los daños de la riada",
                "Los vecinos de Alzira comenzaron el {wd} a limpiar el barro de sus casas. "
                "Berrocal estimó los daños en {num:40:90} millones de euros y la AVSE "
                "mantiene la alerta naranja en la costa.\n\n"
                "Llorca reclamó ayudas urgentes para los agricultores de Sueca, que han "
                "perdido buena parte de la cosecha de arroz."),
               ("Vuelven a casa los evacuados de Sueca",
                "La mayoría de los evacuados de Sueca regresó el {wd} a sus viviendas. "
                "Según Berrocal, quedan {num:100:300} personas en albergues.")],
        "en": [("Valencia counts the cost of floods as waters recede",
                "Residents of Alzira began clearing mud from their homes on {wd}. Berrocal "
                "put the damage at {num:40:90} million euros; the AVSE kept an orange "
                "alert along the coast.")],
        "fr": [("Valence : l'heure du bilan après les inondations",
                "Les habitants d'Alzira ont commencé {wd} à nettoyer leurs maisons. "
                "Berrocal évalue les dégâts à {num:40:90} millions d'euros.")],
        "it": [("Alluvione a Valencia, danni per decine di milioni",
                "Nella regione di Valencia, in Spagna, si contano i danni dell'alluvione. "
                "Lucía Berrocal, a capo dell'agenzia regionale per le emergenze, parla di "
                "{num:40:90} milioni di euro. Ad Alzira le strade sono ancora coperte di "
                "fango.")],
    }),
    Event("cordoba_election", 2, 4, first={
        "es": [("Córdoba elige gobernador en una jornada tranquila",
                "Los cordobeses votaron el {wd} para elegir gobernador de la provincia de "
                "Córdoba, en Argentina. El candidato del Frente Cordobés de Integración "
                "(FCI), Julián Etcheverry, se enfrenta a la intendenta de Villa María, "
                "Mariana Quiroga.\n\n"
                "La participación rondaba el {num:60:75} por ciento a media tarde, según la "
                "Junta Electoral provincial.")],
        "en": [("Argentina's Córdoba province votes for governor",
                "Voters in the Argentine province of Córdoba chose a new governor on {wd}. "
                "Julián Etcheverry of the Córdoba Integration Front (FCI) faced Mariana "
                "Quiroga, mayor of Villa María.\n\n"
                "Turnout was around {num:60:75} percent, officials in Buenos Aires said.")],
        "it": [("Argentina, a Córdoba si vota per il governatore",
                "Nella provincia argentina di Córdoba si è votato {wd} per il nuovo "
                "governatore. In corsa Julián Etcheverry, del Frente Cordobés de Integración "
                "(FCI), e Mariana Quiroga, sindaca di Villa María.")],
    }, follow={
        "es": [("Etcheverry gana en Córdoba por estrecho margen",
                "Etcheverry se impuso con el {num:45:49} por ciento de los votos frente a "
                "Quiroga, que reconoció la derrota el {wd} por la noche. El FCI gobernará "
                "la provincia por tercera vez consecutiva."),
               ("Quiroga pide un recuento en tres departamentos",
                "Quiroga solicitó el {wd} el recuento de votos en tres departamentos del "
                "norte cordobés. Etcheverry respondió que respetará la decisión de la Junta "
                "Electoral.")],
        "en": [("Etcheverry narrowly wins Córdoba governor race",
                "Etcheverry won with {num:45:49} percent of the vote, and Quiroga conceded "
                "on {wd} night. The FCI keeps the province for a third term.")],
        "it": [("Córdoba, vince Etcheverry",
                "Etcheverry ha vinto le elezioni a Córdoba con il {num:45:49} per cento. "
                "Quiroga ha riconosciuto la sconfitta {wd} sera.")],
    }),
    Event("lyon_derailment", 0, 4, first={
        "fr": [("Déraillement d'un TER près de Lyon : douze blessés",
                "Un TER reliant Lyon à Saint-Étienne a déraillé {wd} matin à la sortie de "
                "Givors, faisant {num:10:15} blessés légers. La ministre des Transports, "
                "Claire Dufresne, s'est rendue sur place dans l'après-midi.\n\n"
                "L'Agence nationale de sécurité ferroviaire (ANSF) a ouvert une enquête. "
                "Son directeur, Bernard Lemaire, évoque une possible rupture de rail."),
               ("Givors : un train déraille, la ministre sur place",
                "Le déraillement d'un TER {wd} près de Givors, au sud de Lyon, a fait "
                "plusieurs blessés. Claire Dufresne, ministre des Transports, a promis "
                "« toute la transparence ». L'ANSF enquête.")],
        "en": [("Regional train derails near Lyon, injuring a dozen",
                "A regional train from Lyon to Saint-Étienne derailed near Givors on {wd}, "
                "injuring {num:10:15} passengers. French transport minister Claire Dufresne "
                "visited the site, and the national rail safety agency ANSF opened an "
                "inquiry led by Bernard Lemaire.")],
        "it": [("Francia, deraglia un treno regionale vicino a Lione",
                "Un treno regionale partito da Lione è deragliato {wd} vicino a Givors: "
                "{num:10:15} i feriti lievi. La ministra dei Trasporti Claire Dufresne ha "
                "visitato il luogo dell'incidente.")],
    }, follow={
        "fr": [("Déraillement de Givors : la piste du rail fissuré",
                "Selon les premiers éléments de l'ANSF, un rail fissuré serait à l'origine "
                "du déraillement. Lemaire a demandé {wd} l'inspection de {num:40:80} "
                "kilomètres de voies. Dufresne annonce un plan d'urgence pour les lignes "
                "régionales."),
               ("Trafic rétabli entre Lyon et Saint-Étienne",
                "La circulation a repris {wd} entre Lyon et Saint-Étienne. Dufresne a "
                "reçu les syndicats de cheminots ; Lemaire rendra un rapport d'étape dans "
                "{num:2:4} semaines.")],
        "en": [("Cracked rail likely cause of Lyon derailment",
                "Investigators said on {wd} that a cracked rail probably caused the "
                "derailment near Givors. Lemaire ordered checks on {num:40:80} kilometres "
                "of track, and Dufresne announced emergency funding for regional lines.")],
    }),
    Event("merger", 3, 3, first={
        "en": [("Veltrix agrees to buy Norsa Systems for $4bn",
                "Veltrix Group said on {wd} it would buy the Oslo-based software maker "
                "Norsa Systems for about {num:3:5} billion dollars. Chief executive Daniel "
                "Okafor said the deal would double Veltrix's cloud business.\n\n"
                "Norsa's founder, Ingrid Solheim, will join the Veltrix board. The deal "
                "needs approval from competition regulators in Brussels and London.")],
        "fr": [("Veltrix rachète le norvégien Norsa Systems",
                "Le groupe Veltrix a annoncé {wd} le rachat de l'éditeur de logiciels "
                "norvégien Norsa Systems pour environ {num:3:5} milliards de dollars. Son "
                "PDG, Daniel Okafor, veut doubler l'activité dans le nuage.")],
        "es": [("Veltrix compra la noruega Norsa Systems",
                "Veltrix Group anunció el {wd} la compra de la empresa noruega de software "
                "Norsa Systems por unos {num:3:5} mil millones de dólares. Su consejero "
                "delegado, Daniel Okafor, y la fundadora de Norsa, Ingrid Solheim, "
                "presentaron la operación en Oslo.")],
    }, follow={
        "en": [("Norsa shareholders back Veltrix offer",
                "Shareholders of Norsa Systems approved the Veltrix offer on {wd} with "
                "{num:85:97} percent of votes cast. Okafor said the integration would take "
                "a year; Solheim thanked the staff in Oslo.")],
        "fr": [("Les actionnaires de Norsa approuvent l'offre de Veltrix",
                "Les actionnaires de Norsa ont approuvé {wd} l'offre de Veltrix à "
                "{num:85:97} %. Okafor promet de garder le siège à Oslo.")],
    }),
    Event("sicily_drought", 1, 3, first={
        "it": [("Siccità in Sicilia, acqua razionata in 40 comuni",
                "La Regione Siciliana ha deciso {wd} di razionare l'acqua in {num:35:45} "
                "comuni delle province di Agrigento e Caltanissetta. L'assessora "
                "all'agricoltura Giulia Santangelo ha chiesto lo stato di emergenza.\n\n"
                "L'Ente Siciliano per le Risorse Idriche (ESRI) segnala invasi pieni al "
                "{num:15:30} per cento. Il presidente dell'ente, Salvatore Cutrona, propone "
                "nuovi dissalatori a Porto Empedocle."),
               ("Sicilia a secco: le dighe quasi vuote",
                "Le dighe siciliane sono quasi vuote e {wd} l'ESRI ha lanciato l'allarme. "
                "Giulia Santangelo, assessora regionale all'agricoltura, teme per le "
                "colture di agrumi della piana di Catania.")],
        "en": [("Sicily rations water as drought deepens",
                "Sicily's regional government began rationing water in {num:35:45} towns "
                "around Agrigento on {wd}. Giulia Santangelo, the region's agriculture "
                "commissioner, asked Rome to declare a state of emergency.")],
    }, follow={
        "it": [("Siccità, Roma approva lo stato di emergenza per la Sicilia",
                "Il governo ha approvato {wd} lo stato di emergenza idrica per la Sicilia. "
                "Santangelo parla di «una risposta attesa da mesi». Cutrona conferma che "
                "l'ESRI avvierà i lavori per {num:2:4} dissalatori.")],
        "en": [("Rome declares water emergency in Sicily",
                "The Italian government declared a water emergency in Sicily on {wd}. "
                "Santangelo welcomed the decision; Cutrona said work on {num:2:4} "
                "desalination plants would start in the spring.")],
    }),
    Event("transfer", 4, 3, first={
        "es": [("El Betis ficha a Tomás Aranda",
                "El Real Betis anunció el {wd} el fichaje del centrocampista Tomás Aranda, "
                "procedente de la Atalanta, por {num:12:20} millones de euros. El "
                "entrenador, Ernesto Valcárcel, lo considera una pieza clave.\n\n"
                "Aranda, de 24 años, firmará hasta 2030 y será presentado en Sevilla.")],
        "it": [("L'Atalanta cede Tomás Aranda al Betis",
                "L'Atalanta ha ceduto {wd} il centrocampista Tomás Aranda al Real Betis per "
                "{num:12:20} milioni di euro. A Bergamo il giocatore ha salutato i tifosi.")],
        "en": [("Real Betis sign midfielder Tomás Aranda from Atalanta",
                "Real Betis signed midfielder Tomás Aranda from Atalanta on {wd} for a fee "
                "of about {num:12:20} million euros. Coach Ernesto Valcárcel called him the "
                "player the team had been missing.")],
    }, follow={
        "es": [("Aranda, presentado en Sevilla",
                "Aranda fue presentado el {wd} ante {num:3000:6000} aficionados en Sevilla. "
                "Valcárcel confía en que pueda debutar el domingo.")],
        "it": [("Aranda: «Bergamo resterà nel mio cuore»",
                "Aranda ha salutato {wd} i tifosi atalantini con una lettera. Al Betis "
                "ritroverà Valcárcel, che lo aveva allenato nelle giovanili.")],
    }),
    Event("lithium_summit", 2, 3, first={
        "es": [("Cumbre del litio en Santiago: cuatro países buscan una política común",
                "Ministros de Chile, Argentina, Bolivia y Perú se reunieron el {wd} en "
                "Santiago en la primera cumbre de la Organización Latinoamericana del Litio "
                "(OLAL). La ministra chilena de Minería, Rocío Valdivia, propuso un fondo "
                "común de {num:200:500} millones de dólares.\n\n"
                "Las delegaciones visitarán el jueves los salares de Antofagasta.")],
        "en": [("Latin American ministers meet in Santiago on lithium",
                "Mining ministers from Chile, Argentina, Bolivia and Peru met in Santiago "
                "on {wd} for the first summit of the Latin American Lithium Organisation "
                "(OLAL). Chile's mining minister Rocío Valdivia proposed a joint fund of "
                "{num:200:500} million dollars.")],
        "fr": [("Sommet du lithium à Santiago du Chili",
                "Les ministres des Mines du Chili, de l'Argentine, de la Bolivie et du Pérou "
                "se sont réunis {wd} à Santiago. La ministre chilienne Rocío Valdivia a "
                "proposé un fonds commun.")],
    }, follow={
        "es": [("La OLAL acuerda un fondo común para el litio",
                "Los países de la OLAL acordaron el {wd} crear un fondo común. Valdivia "
                "celebró el acuerdo en Antofagasta, donde las delegaciones visitaron "
                "{num:2:5} salares.")],
        "en": [("Lithium group agrees joint fund",
                "The OLAL countries agreed on {wd} to set up a joint fund. Valdivia said "
                "the first projects would be chosen within {num:3:6} months.")],
    }),
    Event("marseille_measles", 3, 4, first={
        "fr": [("Rougeole : une épidémie dans les écoles de Marseille",
                "L'Agence régionale de santé (ARS) de Provence a confirmé {wd} "
                "{num:30:60} cas de rougeole dans six écoles de Marseille. La directrice "
                "de la santé publique, la docteure Hélène Marchetti, appelle les familles "
                "à vérifier la vaccination des enfants.\n\n"
                "Des séances de rattrapage vaccinal seront organisées à Aix-en-Provence et "
                "à Marseille dès la semaine prochaine.")],
        "en": [("Measles outbreak hits Marseille schools",
                "Health authorities in southern France confirmed {num:30:60} cases of "
                "measles in six Marseille schools on {wd}. Dr Hélène Marchetti of the "
                "regional health agency ARS urged parents to check their children's "
                "vaccinations.")],
    }, follow={
        "fr": [("Rougeole à Marseille : la vaccination s'accélère",
                "Plus de {num:800:1500} enfants ont été vaccinés {wd} à Marseille. "
                "Marchetti constate « une forte mobilisation des familles ». L'ARS "
                "maintient la surveillance dans les écoles."),
               ("Rougeole : deux nouvelles écoles touchées",
                "Deux écoles du nord de Marseille comptent de nouveaux cas, a annoncé {wd} "
                "l'ARS. Marchetti recommande la vaccination des adultes nés après 1980.")],
        "en": [("Marseille steps up measles vaccination",
                "More than {num:800:1500} children were vaccinated in Marseille on {wd}. "
                "Marchetti said families had responded quickly.")],
    }),
    Event("milan_theft", 4, 3, first={
        "it": [("Milano, rubati due dipinti dalla Pinacoteca Ambrosini",
                "Due dipinti del Seicento sono stati rubati nella notte di {wd} dalla "
                "Pinacoteca Ambrosini di Milano. Il direttore del museo, Lorenzo Bassani, "
                "stima il loro valore in {num:2:6} milioni di euro.\n\n"
                "Indagano i carabinieri del Nucleo Tutela Patrimonio Culturale (TPC). I "
                "ladri sarebbero entrati da un lucernario.")],
        "en": [("Two 17th-century paintings stolen from Milan gallery",
                "Thieves stole two 17th-century paintings from the Pinacoteca Ambrosini in "
                "Milan overnight on {wd}. Director Lorenzo Bassani valued them at "
                "{num:2:6} million euros.")],
        "fr": [("Milan : deux tableaux du XVIIe siècle volés",
                "Deux tableaux du XVIIe siècle ont été volés {wd} à la Pinacoteca "
                "Ambrosini de Milan, a indiqué son directeur, Lorenzo Bassani.")],
    }, follow={
        "it": [("Furto alla Pinacoteca, ritrovato uno dei dipinti",
                "Uno dei due dipinti rubati è stato ritrovato {wd} in un garage di Monza. "
                "Bassani ha ringraziato il TPC; {num:2:3} persone sono indagate.")],
        "en": [("One of the stolen Milan paintings recovered",
                "Police recovered one of the two paintings stolen in Milan on {wd}. "
                "Bassani thanked the investigators.")],
    }),
]

# Daily roundups: people and bodies of earlier days by surname and acronym alone, in
# articles that never give the full name (what a stream's memory of surnames is for).
ROUNDUPS: dict[str, list[Template]] = {
    "it": [("Le notizie in breve",
            "Porti: Ferrandi chiede un incontro al ministero, il CAPG prende tempo.\n\n"
            "Siccità: Santangelo incontra gli agricoltori, Cutrona illustra il piano "
            "dell'ESRI.\n\n"
            "Trasporti: Dufresne annuncia controlli su {num:40:80} linee regionali."),
           ("Il punto della giornata",
            "A Genova Marchisio firma il piano di assunzioni; Ferrandi è soddisfatto a "
            "metà.\n\n"
            "In Argentina Etcheverry forma la nuova giunta, Quiroga guida l'opposizione."),
           ("Brevi dal mondo",
            "Spagna: Berrocal chiude gli ultimi centri di accoglienza.\n\n"
            "Milano: Bassani riapre la sala dei dipinti dopo {num:3:9} giorni.")],
    "es": [("Breves del día",
            "Riada: Berrocal y Llorca visitan los campos de arroz de Sueca.\n\n"
            "Argentina: Etcheverry promete estabilidad; Quiroga anuncia una oposición "
            "firme.\n\n"
            "Fútbol: Aranda entrena por primera vez a las órdenes de Valcárcel."),
           ("Resumen de la jornada",
            "Litio: Valdivia viaja a La Paz para sumar apoyos a la OLAL.\n\n"
            "Empresas: Okafor y Solheim cierran la compra de Norsa en {num:3:6} meses.")],
    "en": [("News in brief",
            "Ports: Ferrandi and Marchisio meet again over safety on the quays.\n\n"
            "Rail: Lemaire publishes an interim report; Dufresne promises new money.\n\n"
            "Health: Marchetti reports {num:100:300} more vaccinations in Marseille."),
           ("The day in short",
            "Markets: Okafor says Veltrix will keep every Norsa office open.\n\n"
            "Sicily: Santangelo asks for help for citrus growers near Catania.")],
    "fr": [("L'essentiel du jour",
            "Rail : Lemaire remet son rapport d'étape, Dufresne débloque {num:50:200} "
            "millions d'euros.\n\n"
            "Santé : Marchetti salue la mobilisation des familles marseillaises.\n\n"
            "Économie : Okafor rencontre les salariés de Norsa à Oslo.")],
}

# Unrelated single reports, one topic each, with homonyms of the events' places.
SINGLETONS: dict[str, list[Template]] = {
    "it": [("Tortona, riapre la biblioteca civica dopo i lavori",
            "La biblioteca civica di Tortona ha riaperto {wd} dopo due anni di lavori. La "
            "sindaca Paola Giraudi ha inaugurato la nuova sala ragazzi con {num:5000:9000} "
            "volumi."),
           ("Vendemmia record nelle Langhe",
            "I produttori delle Langhe chiudono una vendemmia da record: {num:10:20} per "
            "cento in più rispetto all'anno scorso, secondo il consorzio di Alba."),
           ("Ciclismo, il Giro dell'Appennino a Davide Rinaldi",
            "Il corridore Davide Rinaldi ha vinto {wd} il Giro dell'Appennino con un attacco "
            "sull'ultima salita, a {num:5:12} chilometri dall'arrivo di Novi Ligure."),
           ("Teatro, la stagione di Parma si apre con Verdi",
            "Il Teatro Regio di Parma apre la stagione con un'opera di Verdi diretta da "
            "Francesca Orlandini. Già venduti {num:800:1200} abbonamenti."),
           ("Bari, nuova linea di autobus elettrici",
            "Da {wd} a Bari circola una nuova linea di autobus elettrici tra la stazione e "
            "il quartiere San Paolo. L'assessore Nicola Fanelli promette corse ogni "
            "{num:8:15} minuti.")],
    "es": [("El Valencia de Venezuela gana la final de béisbol",
            "Los Navegantes de Valencia, en el estado Carabobo, ganaron el {wd} la final "
            "del campeonato venezolano de béisbol. El lanzador Óscar Mijares fue elegido "
            "mejor jugador."),
           ("Récord de visitantes en la Mezquita de Córdoba",
            "La Mezquita-Catedral de Córdoba recibió {num:15000:25000} visitantes el fin de "
            "semana, un récord para marzo, según el cabildo."),
           ("Santiago de Compostela prepara el Año Santo",
            "El Ayuntamiento de Santiago de Compostela presentó el {wd} su plan para el "
            "próximo Año Santo. La concejala Marta Iglesias espera {num:300000:500000} "
            "peregrinos."),
           ("Incendio en el mercado de abastos de Lugo",
            "Un incendio obligó a desalojar el {wd} el mercado de abastos de Lugo. Los "
            "bomberos lo controlaron en {num:30:90} minutos y no hubo heridos."),
           ("Bilbao estrena su feria del libro",
            "La feria del libro de Bilbao abrió el {wd} con {num:60:90} casetas. El "
            "escritor Iñaki Larrañaga inauguró el ciclo de lecturas.")],
    "en": [("Paris, Texas, celebrates its Eiffel Tower",
            "Residents of Paris, Texas, marked the anniversary of their Eiffel Tower "
            "replica, topped with a red cowboy hat, on {wd}. Mayor Steve Harlan said about "
            "{num:2000:5000} people attended."),
           ("Chess prodigy wins Hastings open",
            "Fourteen-year-old Priya Nandakumar won the Hastings open chess tournament on "
            "{wd}, scoring {num:7:9} points from nine games."),
           ("Bridge over the Tyne to close for repairs",
            "The swing bridge over the Tyne will close for {num:6:10} weeks from {wd} "
            "for repairs, Newcastle city council said."),
           ("Zoo welcomes twin red panda cubs",
            "Edinburgh Zoo said on {wd} that its red pandas had given birth to twins, the "
            "first in {num:5:10} years."),
           ("Cambridge, Massachusetts, votes to expand bike lanes",
            "The city council of Cambridge, Massachusetts, voted on {wd} to add "
            "{num:10:25} miles of protected bike lanes by 2028.")],
    "fr": [("Le salon du fromage de Rodez bat son record",
            "Le salon du fromage de Rodez a accueilli {num:20000:40000} visiteurs ce "
            "week-end. Le comté de la fromagerie Vuillemin a reçu le premier prix."),
           ("Rugby : Brive s'impose à Clermont",
            "Brive s'est imposé {wd} à Clermont ({num:20:30}-17) grâce à un essai de "
            "l'ailier Mathis Ferrier en fin de match."),
           ("Strasbourg inaugure une nouvelle ligne de tram",
            "La nouvelle ligne de tramway de Strasbourg a été inaugurée {wd}. Elle "
            "desservira {num:10:16} stations jusqu'à Illkirch."),
           ("Grêle sur les vignes du Beaujolais",
            "Un violent orage de grêle a frappé {wd} les vignes du Beaujolais. Les "
            "viticulteurs estiment avoir perdu {num:20:50} % de la récolte."),
           ("L'université de Rennes ouvre un campus à Vannes",
            "L'université de Rennes a ouvert {wd} un nouveau campus à Vannes pour "
            "{num:800:1500} étudiants en sciences de la mer.")],
}
