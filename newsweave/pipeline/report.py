"""What an ``ingest`` or a ``recluster`` call did: the counts the CLI prints."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..models import Skipped


@dataclass(slots=True)
class IngestReport:
    """What one ``ingest`` call did; printed as the one-line summary."""

    new: int = 0
    exact_duplicates: int = 0
    near_duplicates: int = 0
    unchanged: int = 0
    new_stories: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    interrupted: bool = False
    seconds: float = 0.0
    mentions: int = 0
    entity_seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)  # wall time per stage
    # CPU time of the ingesting thread per stage: what a stage costs on a shared machine,
    # where wall time also counts the neighbours (the embedder's own threads not included)
    stage_cpu_seconds: dict[str, float] = field(default_factory=dict)

    def merge(self, other: IngestReport) -> None:
        """Add a committed batch's counts."""
        for name in ("new", "exact_duplicates", "near_duplicates", "unchanged", "new_stories",
                     "mentions", "entity_seconds"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.skipped.extend(other.skipped)
        for mine, theirs in ((self.stage_seconds, other.stage_seconds),
                             (self.stage_cpu_seconds, other.stage_cpu_seconds)):
            for stage, seconds in theirs.items():
                mine[stage] = mine.get(stage, 0.0) + seconds

    def to_dict(self) -> dict[str, object]:
        return {"new": self.new, "exact_duplicates": self.exact_duplicates,
                "near_duplicates": self.near_duplicates, "unchanged": self.unchanged,
                "new_stories": self.new_stories, "mentions": self.mentions,
                "interrupted": self.interrupted,
                "seconds": round(self.seconds, 2),
                "stage_seconds": {k: round(v, 3) for k, v in self.stage_seconds.items()},
                "stage_cpu_seconds": {k: round(v, 3) for k, v in self.stage_cpu_seconds.items()},
                "skipped": [s.to_dict() for s in self.skipped]}


@dataclass(slots=True)
class ReclusterReport:
    """What ``recluster`` did."""

    articles: int
    stories: int
    seconds: float

    def to_dict(self) -> dict[str, object]:
        return {"articles": self.articles, "stories": self.stories,
                "seconds": round(self.seconds, 2)}


class Ticks:
    """Counts progress reported within one batch, so the batch reports its size once."""

    def __init__(self, progress: Callable[[int], None] | None) -> None:
        self.progress, self.done = progress, 0

    def one(self) -> None:
        if self.progress is not None:
            self.done += 1
            self.progress(1)

    def up_to(self, total: int) -> None:
        if self.progress is not None and total > self.done:
            self.progress(total - self.done)
            self.done = total
