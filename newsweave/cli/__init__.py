"""The ``newsweave`` command: thin commands over the library.

Each command parses its arguments, calls :mod:`newsweave.pipeline`,
:mod:`newsweave.library` or :mod:`newsweave.service`, and prints text or (with
``--json``) the service's dicts. Library errors become one-line messages, never
tracebacks.

One module per group of commands, each adding its commands to the one group
:func:`main` (:mod:`.base`, with the options and helpers they share): :mod:`.ingest`
(``ingest``, ``recluster``, ``demo``, ``annotate``), :mod:`.listings` (``articles``,
``article``, ``stories``, ``story``, ``entities``, ``entity``, ``places``, ``quotes``,
``claims``, ``skipped``), :mod:`.search`, :mod:`.export`, :mod:`.serve` and
:mod:`.config` (``settings``, ``stages``).
"""

from __future__ import annotations

from . import config, export, ingest, listings, search, serve  # noqa: F401 (adds the commands)
from .base import main
from .ingest import run_ingest

__all__ = ["main", "run_ingest"]
