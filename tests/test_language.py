"""Language identification: gold-set quality gate, script rules, edge cases."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.gate import floor, record
from newsweave.enrich.language import LanguageIdentifier, LanguageResult

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "data" / "langid" / "gold.tsv"
# Floors for tests/data/langid/gold.tsv: "langid.<kind>.accuracy" in
# tests/quality/baseline.json (re-pinned with `python -m benchmarks.gate`).
KINDS = ("long", "short")

# Written for these tests: (lang, kind, text). Used when gold.tsv is absent, and
# always as a second, independent check.
INLINE: list[tuple[str, str, str]] = [
    ("en", "short", "Parliament approves new budget after long night of talks"),
    ("en", "long", "The city council voted on Tuesday to expand the bus network to the "
     "northern suburbs. Officials said the first new routes would open in the spring, "
     "and that fares would not rise this year."),
    ("it", "short", "Il governo approva la nuova legge sulle pensioni"),
    ("it", "long", "Il consiglio comunale ha votato ieri sera il piano per le piste "
     "ciclabili. I lavori inizieranno a marzo e dureranno circa otto mesi, secondo "
     "quanto dichiarato dall'assessore ai trasporti."),
    ("de", "short", "Bundesregierung beschließt neues Klimaschutzgesetz"),
    ("de", "long", "Der Stadtrat hat am Dienstag beschlossen, das Busnetz in die nördlichen "
     "Vororte zu erweitern. Die ersten neuen Linien sollen im Frühjahr starten, die "
     "Fahrpreise bleiben in diesem Jahr unverändert."),
    ("es", "short", "El Gobierno aprueba la reforma de las pensiones"),
    ("es", "long", "El ayuntamiento aprobó el martes la ampliación de la red de autobuses "
     "hacia los barrios del norte. Las primeras líneas nuevas empezarán a funcionar en "
     "primavera y el precio del billete no subirá este año."),
    ("fr", "short", "Le gouvernement présente sa réforme des retraites"),
    ("fr", "long", "Le conseil municipal a voté mardi l'extension du réseau de bus vers "
     "les quartiers nord. Les premières lignes ouvriront au printemps et le prix du "
     "ticket n'augmentera pas cette année."),
    ("ru", "short", "Правительство утвердило новый бюджет на следующий год"),
    ("ru", "long", "Городской совет во вторник проголосовал за расширение автобусной сети "
     "в северные районы. Первые новые маршруты откроются весной, а стоимость проезда в "
     "этом году не изменится."),
    ("uk", "short", "Уряд ухвалив новий бюджет на наступний рік"),
    ("bg", "long", "Общинският съвет гласува във вторник разширяването на автобусната "
     "мрежа към северните квартали. Първите нови линии ще тръгнат през пролетта."),
    ("el", "short", "Η κυβέρνηση ενέκρινε τον νέο προϋπολογισμό"),
    ("el", "long", "Το δημοτικό συμβούλιο ψήφισε την Τρίτη την επέκταση του δικτύου "
     "λεωφορείων προς τα βόρεια προάστια. Οι πρώτες νέες γραμμές θα ξεκινήσουν την άνοιξη."),
    ("ar", "short", "الحكومة توافق على الميزانية الجديدة"),
    ("ar", "long", "صوت مجلس المدينة يوم الثلاثاء على توسيع شبكة الحافلات إلى الضواحي "
     "الشمالية. وقال المسؤولون إن الخطوط الجديدة الأولى ستفتح في الربيع."),
    ("fa", "short", "دولت بودجه جدید سال آینده را تصویب کرد"),
    ("zh", "short", "政府批准了明年的新预算"),
    ("zh", "long", "市议会周二投票决定将公交网络扩展到北部郊区。官员表示，第一批新线路将于"
     "春季开通，今年票价不会上涨。"),
    ("zh", "short", "政府批准了明年的新預算案"),  # traditional characters
    ("ja", "short", "政府は来年度の新しい予算を承認した"),
    ("ko", "short", "정부가 내년도 새 예산을 승인했다"),
    ("he", "short", "הממשלה אישרה את התקציב החדש"),
    ("th", "short", "รัฐบาลอนุมัติงบประมาณใหม่"),
    ("hy", "short", "Կառավարությունը հաստատեց նոր բյուջեն"),
    ("ka", "short", "მთავრობამ ახალი ბიუჯეტი დაამტკიცა"),
    ("pt", "short", "Governo aprova a reforma da previdência"),
    ("nl", "short", "Kabinet presenteert nieuwe plannen voor woningbouw"),
    ("pl", "short", "Rząd przyjął projekt nowego budżetu"),
    ("tr", "short", "Hükümet yeni bütçeyi onayladı"),
    ("sv", "short", "Regeringen lägger fram en ny budget i höst"),
    ("hi", "short", "सरकार ने नए बजट को मंज़ूरी दी"),
    # regional languages still come out right despite their lower prior
    ("gl", "long", "O goberno galego aprobou onte o novo orzamento para o ano que vén, "
     "e os veciños da vila queixáronse do ruído das obras."),
    ("ca", "short", "El govern ha aprovat avui el nou pressupost per a l'any vinent"),
]


def _shared() -> Path:
    return Path(os.environ.get("NEWSWEAVE_SHARED") or ROOT.parent / "shared")


def _read_gold() -> list[tuple[str, str, str]]:
    rows = []
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t", 2)
        if len(parts) == 3 and parts[0] != "lang":
            rows.append((parts[0].strip(), parts[1].strip(), parts[2].replace("\\n", "\n")))
    return rows


@pytest.fixture(scope="module")
def ident() -> LanguageIdentifier:
    return LanguageIdentifier()


@pytest.mark.parametrize(("lang", "kind", "text"), INLINE,
                         ids=[f"{lang}-{kind}-{i}" for i, (lang, kind, _) in enumerate(INLINE)])
def test_inline_sentences(ident: LanguageIdentifier, lang: str, kind: str, text: str) -> None:
    result = ident.identify(text)
    assert result.lang == lang, f"{text!r}: got {result}"
    assert 0.0 < result.confidence <= 1.0


@pytest.mark.parametrize("kind", KINDS)
def test_gold_floor(ident: LanguageIdentifier, kind: str) -> None:
    if not GOLD.exists():
        pytest.skip(f"gold file not found: {GOLD} (the inline sentences still ran)")
    rows = [(lang, text) for lang, k, text in _read_gold() if k == kind]
    if not rows:
        pytest.skip(f"no '{kind}' rows in {GOLD}")
    wrong = [(lang, ident.identify(text).lang, text[:60]) for lang, text in rows]
    wrong = [w for w in wrong if w[0] != w[1]]
    accuracy = 1 - len(wrong) / len(rows)
    record(f"langid.{kind}.accuracy", accuracy)
    pinned = floor(f"langid.{kind}.accuracy")
    assert accuracy >= pinned, f"{kind}: {accuracy:.3f} < {pinned}; wrong: {wrong}"


@pytest.mark.parametrize(("prefix", "lang"), [("000_", "it"), ("001_", "it"), ("002_", "en")])
def test_seed_articles(ident: LanguageIdentifier, prefix: str, lang: str) -> None:
    seeds = _shared() / "seeds"
    found = sorted(seeds.glob(f"{prefix}*.txt"))
    if not found:
        pytest.skip(f"shared/seeds not found: {seeds}")
    result = ident.identify(found[0].read_text(encoding="utf-8"))
    assert result.lang == lang
    assert result.confidence > 0.9


@pytest.mark.parametrize("text", ["", "   ", "12345 678", "2024-01-27 10:30 -- !!! ???",
                                  "https://example.com/a/b?c=1 info@example.org 42"])
def test_no_letters_gives_none(ident: LanguageIdentifier, text: str) -> None:
    assert ident.identify(text) == LanguageResult(None, 0.0, ident.model_name)


@pytest.mark.parametrize("text", ["ok", "x", "Tokyo 2020"])
def test_too_little_evidence_gives_none(ident: LanguageIdentifier, text: str) -> None:
    assert ident.identify(text) == LanguageResult(None, 0.0, ident.model_name)


def test_noise_is_stripped(ident: LanguageIdentifier) -> None:
    text = ("Il sindaco ha presentato il nuovo piano del traffico "
            "https://www.example.com/news/2024/01/27/story-english-words-here "
            "scrivete a redazione@example.it 0039 06 1234567")
    window = ident.prepare(text)
    assert "example" not in window and not any(ch.isdigit() for ch in window)
    assert ident.identify(text).lang == "it"


def test_window_is_bounded(ident: LanguageIdentifier) -> None:
    text = "Il governo ha approvato la legge. " * 500
    assert len(ident.prepare(text, title="Titolo")) <= 2000 + len("Titolo") + 1
    assert ident.identify(text).lang == "it"


def test_title_is_used(ident: LanguageIdentifier) -> None:
    assert ident.identify("", title="Il governo approva la nuova legge").lang == "it"
    # a title already at the head of the text is not counted twice
    text = "Breaking news. The council met today."
    assert ident.prepare(text, title="Breaking news.") == text


def test_mixed_japanese_keeps_ja(ident: LanguageIdentifier) -> None:
    result = ident.identify("Apple は東京で新しい iPhone を発表しました")
    assert result.lang == "ja"


def test_batch_matches_single_and_is_deterministic(ident: LanguageIdentifier) -> None:
    texts = [text for _, _, text in INLINE]
    first = ident.identify_batch(texts)
    assert first == [ident.identify(text) for text in texts]
    assert LanguageIdentifier().identify_batch(texts) == first


def test_model_name_and_coverage(ident: LanguageIdentifier) -> None:
    assert ident.model_name.startswith("py3langid ")
    langs = ident.languages
    assert len(langs) >= 70
    assert all(len(code) == 2 for code in langs)  # ISO 639-1 only
    assert {"zh", "ar", "uz"} <= set(langs)


def test_import_and_construction_load_nothing() -> None:
    code = ("import sys; from newsweave.enrich.language import LanguageIdentifier as L; "
            "L(); print('py3langid' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "False"


# A passage in another script, quoted inside an article: written for these tests.
ARABIC_QUOTE = ("قال الشاعر في قصيدته إن المدينة القديمة تنام على ضفاف النهر وإن أهلها ينتظرون "
                "المطر منذ سنوات طويلة. وكتب أيضا أن الأطفال يلعبون في الساحة كل مساء وأن "
                "الأسواق تمتلئ بالناس في أيام العيد، وأن الحرية حلم لا يموت في قلوب الشباب. "
                "ونشرت الصحيفة القصيدة كاملة على صفحتها الأولى صباح يوم الجمعة.")
BODIES = {
    "es": ("El poeta publicó el martes un texto que circuló enseguida por las redes "
           "sociales de todo el país. Sus amigos cuentan que lo escribió en una sola noche, "
           "después de visitar el barrio donde nació, y que no esperaba tanta repercusión. "
           "La policía lo detuvo dos días después en su casa, sin dar explicaciones a la "
           "familia. Reproducimos a continuación el fragmento que dio origen a la polémica, "
           "en su versión original:"),
    "fr": ("Le poète a publié mardi un texte qui a aussitôt circulé sur les réseaux sociaux "
           "dans tout le pays. Ses amis racontent qu'il l'a écrit en une seule nuit, après "
           "une visite dans le quartier où il est né, et qu'il ne s'attendait pas à un tel "
           "écho. La police l'a arrêté deux jours plus tard chez lui, sans donner "
           "d'explication à sa famille. Voici l'extrait à l'origine de la polémique, dans "
           "sa version originale :"),
    "it": ("Il poeta ha pubblicato martedì un testo che ha subito fatto il giro dei social "
           "network in tutto il paese. I suoi amici raccontano che lo ha scritto in una "
           "sola notte, dopo aver visitato il quartiere dove è nato, e che non si aspettava "
           "una simile eco. La polizia lo ha arrestato due giorni dopo a casa sua, senza "
           "spiegazioni alla famiglia. Ecco il passaggio all'origine della polemica, nella "
           "versione originale:"),
}


@pytest.mark.parametrize("lang", sorted(BODIES))
def test_quoted_passage_in_another_script_does_not_decide(ident: LanguageIdentifier,
                                                          lang: str) -> None:
    """A Spanish, French or Italian article quoting an Arabic passage (about a third
    of its letters) is in the language of its running text."""
    text = f"{BODIES[lang]}\n\n{ARABIC_QUOTE}\n\n{BODIES[lang]}"
    result = ident.identify(text)
    assert result.lang == lang, result
    assert result.confidence > 0.9


def test_arabic_article_quoting_latin_stays_arabic(ident: LanguageIdentifier) -> None:
    text = f"{ARABIC_QUOTE} {ARABIC_QUOTE}\n\n\"{BODIES['fr'][:160]}\""
    assert ident.identify(text).lang == "ar"


def test_short_mixed_script_text_is_read_whole(ident: LanguageIdentifier) -> None:
    """A headline mixing a brand name and Han characters is too short to call one part
    a quotation: it stays Chinese."""
    assert ident.identify("Apple发布新款iPhone手机 销量创下历史新高").lang == "zh"
