"""One ingest or several, large batches or small: the same articles in the same order
give the same articles, titles, cleaning, duplicates, stories and entities."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from newsweave import service
from newsweave.pipeline import Pipeline

SIDEBAR = ("Boutique du Courrier\nLes plus lus\nGrève des dockers au port de Valmare\n"
           "Le festival de jazz de Castelbrune affiche complet\n")
REPORTS = {
    "a_maire.txt": ("Le maire de Lunel-Vieux démissionne après six ans de mandat",
                    "Le maire de Lunel-Vieux, Paul Servant, a annoncé sa démission lundi soir "
                    "devant le conseil municipal, après six ans de mandat marqués par le "
                    "chantier du tramway. Son premier adjoint, Claire Aubanel, assurera "
                    "l'intérim jusqu'à une élection partielle au printemps."),
    "b_crue.txt": ("Inondations dans la vallée du Tarnon : trois villages évacués",
                   "Trois villages de la vallée du Tarnon ont été évacués mardi après la crue "
                   "de la rivière, qui a atteint son plus haut niveau depuis 1994 selon la "
                   "préfecture de Mende. Les inondations ont coupé deux routes et privé "
                   "d'électricité quatre cents foyers."),
    "c_crue_suite.txt": ("Crue du Tarnon : les habitants évacués regagnent leurs maisons",
                         "Les habitants des trois villages évacués mardi dans la vallée du "
                         "Tarnon ont pu regagner leurs maisons jeudi, a indiqué la préfecture "
                         "de Mende, après la décrue de la rivière. Les deux routes coupées "
                         "par les inondations restent fermées."),
    "d_biblio.txt": ("La bibliothèque de Saint-Orens rouvre après deux ans de travaux",
                     "La bibliothèque municipale de Saint-Orens a rouvert ses portes samedi "
                     "après deux ans de travaux de rénovation, avec une salle de lecture "
                     "agrandie. Les travaux ont coûté 3,2 millions d'euros, financés pour "
                     "moitié par la région Occitanie."),
    "e_maire_copie.txt": ("Le maire de Lunel-Vieux démissionne après six ans de mandat",
                          "Le maire de Lunel-Vieux, Paul Servant, a annoncé sa démission lundi "
                          "soir devant le conseil municipal, après six ans de mandat marqués "
                          "par le chantier du tramway. Son premier adjoint, Claire Aubanel, "
                          "assurera l'intérim jusqu'à une élection partielle au printemps."),
    "f_port.txt": ("Valmare: sciopero dei portuali, fermi i traghetti per la Corsica",
                   "Lo sciopero dei portuali di Valmare ha fermato martedì i traghetti per la "
                   "Corsica: secondo il sindacato, l'adesione ha superato il novanta per cento. "
                   "La compagnia ha annunciato rimborsi per i passeggeri."),
}


def write_corpus(folder: Path) -> list[str]:
    folder.mkdir()
    paths = []
    for name, (headline, body) in REPORTS.items():
        text = f"Les sites du groupe\n{headline}\n{body}\n{SIDEBAR}"
        (folder / name).write_text(text, encoding="utf-8")
        paths.append(str(folder / name))
    return paths


def snapshot(pipeline: Pipeline) -> dict[str, object]:
    store = pipeline.store
    articles = [service.get_article(store, a["id"]) for a in service.list_articles(store)]
    by_source = {a["source"]: a for a in articles}
    story_of = {a["source"]: a["story"] for a in articles}
    groups = sorted(sorted(s for s, k in story_of.items() if k == story)
                    for story in set(story_of.values()))
    entities = sorted((e["name"], e["type"], e["mentions"])
                      for e in service.list_entities(store, limit=None))
    return {
        "articles": sorted((s, a["title"], a["text"], a["lang"], str(a["removed_lines"]),
                            a["duplicate_kind"]) for s, a in by_source.items()),
        "duplicates": sorted((s, Path(by_source_id(articles, a["duplicate_of"])).name)
                             for s, a in by_source.items() if a["duplicate_of"]),
        "stories": groups,
        "entities": entities,
    }


def by_source_id(articles: list[dict], article_id: int) -> str:
    return next(a["source"] for a in articles if a["id"] == article_id)


def test_one_ingest_equals_two_ingests_and_small_batches(make_pipeline: Callable,
                                                         tmp_path: Path) -> None:
    paths = write_corpus(tmp_path / "pages")
    one = make_pipeline("one.db")
    one.ingest(paths)
    two = make_pipeline("two.db")
    two.BATCH = 2  # batch boundaries fall between every pair of articles
    two.ingest(paths[:3])
    two.ingest(paths[3:])
    first, second = snapshot(one), snapshot(two)
    assert first == second
    titles = {Path(s).name: t for s, t, *_ in first["articles"]}
    assert titles["d_biblio.txt"].startswith("La bibliothèque de Saint-Orens")
    assert first["duplicates"] == [(paths[4], "a_maire.txt")]
    text_of = {Path(s).name: text for s, _, text, *_ in first["articles"]}
    assert "Grève des dockers" not in text_of["d_biblio.txt"]  # recurring sidebar gone
