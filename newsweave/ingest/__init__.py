"""Sources to raw documents: files, folders, globs, stdin, web pages and feeds.

``ingest`` is the first stage and the only package that touches the network (through
:class:`~newsweave.ingest.http.Fetcher`). Its one entry point is
:func:`iter_documents`, which yields a :class:`~newsweave.models.RawDocument` per
article and a :class:`~newsweave.models.Skipped` per input it could not use, and
never raises for a problem with the inputs.

Modules, one per concern: ``sources`` (source strings, folder walking, the guarded
loop), ``files`` (format detection and dispatch), ``decode`` (binary detection,
gzip, character sets), ``html``, ``tabular`` (JSON, JSON Lines, CSV), ``feeds``,
``warc`` and ``http``; ``dates`` and ``bylines`` date each input.
"""

from __future__ import annotations

from .dates import DatePolicy
from .http import Fetcher, Response
from .sources import Ingestor, iter_documents

__all__ = ["DatePolicy", "Fetcher", "Ingestor", "Response", "iter_documents"]
