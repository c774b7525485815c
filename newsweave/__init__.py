"""newsweave: a cross-lingual, source-linked picture of the news, offline.

``nw = newsweave.open("news.db")`` (or a ``postgresql://`` URL) is the Python API
(:mod:`newsweave.library`, docs/api.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .library import Newsweave

__version__ = "0.1.0"


def open(db: Any, *, readonly: bool = False, settings: Any = None) -> Newsweave:  # noqa: A001
    """A newsweave database (a SQLite file, or a ``postgresql://`` URL) as a
    :class:`~newsweave.library.Newsweave`: its queries, ``ingest`` and ``annotate``.
    Imported when called, so ``import newsweave`` stays light."""
    from .library import open as open_library

    return open_library(db, readonly=readonly, settings=settings)
