"""What a stage is, what flows through the stages, and the check that their order holds.

A stage is a named step that reads some fields of each article's record and fills
others, as a spaCy component declares what it assigns and requires. The pipeline is
an ordered tuple of stages (:data:`newsweave.pipeline.stages.STAGES`); when it is
built, :func:`check_order` proves that every field a stage needs is provided by an
earlier stage, so a wrong order fails at start-up with a sentence saying what is
missing, not halfway through a batch.

One :class:`~newsweave.models.Article` record per article flows through the stages
and carries every stage's results (the vector, the sentences, the mentions and their
entities), so a later stage reads what an earlier one found without asking the store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING

from ..errors import ConfigError
from ..models import Article, RawDocument, Skipped

if TYPE_CHECKING:
    from ..settings import Settings
    from .report import IngestReport
    from .run import Pipeline

# What the pipeline is given before any stage runs: the documents read by ``ingest``.
INPUT = "document"


class StageOrderError(ConfigError):
    """The stages, as listed, cannot run: a need no earlier stage provides, or two
    stages of one name."""


@dataclass(slots=True)
class Batch:
    """One transaction's worth of the stream, as it passes from stage to stage.

    ``documents`` are what ``ingest`` read (or the reasons it could not);
    ``articles`` are the records the first stage makes of them, which later stages
    fill in (and may drop: an input already stored, the same record twice).
    """

    documents: list[RawDocument | Skipped]
    run_id: int
    report: IngestReport
    articles: list[Article] = field(default_factory=list)
    tick: Callable[[], None] = lambda: None  # one article through the slowest stage

    def originals(self) -> list[Article]:
        """The batch's articles that duplicate no stored article."""
        return [a for a in self.articles if a.duplicate_of is None]


@dataclass(frozen=True, slots=True)
class Stage:
    """A named step of the pipeline.

    ``needs`` and ``provides`` name fields of the article record (or ``"document"``,
    the input); ``run`` does the work for a whole batch, inside its transaction;
    ``enabled`` says, from the settings, whether the stage runs at all.
    """

    name: str
    needs: tuple[str, ...]
    provides: tuple[str, ...]
    run: Callable[[Pipeline, Batch], None]
    enabled: Callable[[Settings], bool] = lambda settings: True

    @property
    def summary(self) -> str:
        """The first line of the run function's docstring: what the stage does."""
        doc = (self.run.__doc__ or "").strip()
        return doc.splitlines()[0] if doc else ""

    @property
    def module(self) -> str:
        return self.run.__module__


RECORD_FIELDS = frozenset(f.name for f in fields(Article))


def check_order(stages: Sequence[Stage]) -> None:
    """Raise :class:`StageOrderError` unless each stage's needs are met, in order.

    Field names are checked against the article record too, so a typo in a
    declaration is caught here rather than read as a field nobody provides.
    """
    seen: dict[str, str] = {}
    available = {INPUT: "the input"}
    for stage in stages:
        if stage.name in seen:
            raise StageOrderError(f"two stages are named {stage.name!r}")
        seen[stage.name] = stage.module
        for name in (*stage.needs, *stage.provides):
            if name != INPUT and name not in RECORD_FIELDS:
                raise StageOrderError(f"stage {stage.name!r} declares {name!r}, which is "
                                      "not a field of the article record (models.Article)")
        for need in stage.needs:
            if need not in available:
                raise StageOrderError(_missing(stage, need, stages))
        available.update(dict.fromkeys(stage.provides, stage.name))


def _missing(stage: Stage, need: str, stages: Iterable[Stage]) -> str:
    later = [s.name for s in stages if need in s.provides and s is not stage]
    where = (f"; {later[0]!r} provides it, so it must come before {stage.name!r}"
             if later else "; no stage provides it (is a stage it needs turned off?)")
    return f"stage {stage.name!r} needs {need!r}, which no earlier stage provides{where}"


def enabled_stages(stages: Sequence[Stage], settings: Settings) -> tuple[Stage, ...]:
    """The stages the settings turn on, in order, checked."""
    chosen = tuple(s for s in stages if s.enabled(settings))
    check_order(chosen)
    return chosen
