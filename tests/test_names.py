"""Borrowed name lists (enrich/entities/names.py): Faker's first names and surnames."""

from __future__ import annotations

from newsweave.enrich.entities import Annotator
from newsweave.enrich.entities.names import borrowed_given_names, faker_names, faker_version


def test_faker_lists_are_read_without_a_network() -> None:
    first, last = faker_names()
    assert faker_version()
    assert len(first) > 10_000 and len(last) > 10_000
    assert {"Giuseppe", "Aisha", "Олег"} <= first and {"Rossi", "Smith", "Иванов"} <= last


def test_very_common_words_are_not_borrowed_as_first_names() -> None:
    borrowed = borrowed_given_names()
    assert "Giuseppe" in borrowed
    assert "Will" not in borrowed and "Luce" not in borrowed  # everyday words


def test_names_in_context(annotator: Annotator) -> None:
    text = ("Il ministro Calderoli ha risposto. Il ministero degli Esteri Antonio Tajani "
            "e Italo Bocchino hanno parlato.")
    got = {m.text: m.type for m in annotator.annotate(text, "it")}
    assert got.get("Calderoli") == "PER", got  # a surname alone, no cue
    assert got.get("Antonio Tajani") == "PER" and "Esteri Antonio Tajani" not in got, got
    assert got.get("Italo Bocchino") == "PER", got
