"""Write an export: rows from :mod:`newsweave.service.export` in one file format.

One module per format, each a function ``write(rows, columns, out) -> Written`` over
a binary stream, that writes as the rows come (nothing holds the whole export):

- :mod:`.jsonl`: one JSON object per line, lists and nested objects kept as JSON;
- :mod:`.csvfile`: a header of the column names, then one line per row; lists and
  nested objects as JSON text (``["it","de"]``), empty cells for nulls;
- :mod:`.geojson`: a FeatureCollection of Points (``[lon, lat]``), the other columns
  as properties; rows without coordinates are left out and counted;
- :mod:`.parquet`: a Parquet file with a typed schema, written a row group at a time.

:func:`export` ties them together for the CLI and the Python API: it checks the
request, writes to a file (through a temporary file beside it, renamed at the end,
so a failed export leaves no half-written file under the name asked for) or to a
stream, and returns what it wrote.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, BinaryIO

from ..service.export import (
    COLUMNS,
    Column,
    ExportError,
    ExportFilters,
    check,
    export_rows,
)
from ..store.base import StoreAPI
from . import csvfile, geojson, jsonl, parquet
from .common import Written

Writer = Callable[[Iterable[dict[str, Any]], tuple[Column, ...], BinaryIO], Written]
WRITERS: dict[str, Writer] = {"jsonl": jsonl.write, "csv": csvfile.write,
                              "geojson": geojson.write, "parquet": parquet.write}

__all__ = ["WRITERS", "Written", "export"]


def export(store: StoreAPI, what: str, fmt: str, out: str | Path | BinaryIO,
           filters: ExportFilters | None = None) -> Written:
    """Write every ``what`` that passes ``filters`` to ``out`` (a path, or a binary
    stream left open) in format ``fmt``; how many rows were written and left out."""
    filters = filters or ExportFilters()
    check(what, fmt, filters)
    rows = export_rows(store, what, filters)
    if not isinstance(out, str | Path):
        return WRITERS[fmt](rows, COLUMNS[what], out)
    path = Path(out)
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial",
                                        dir=path.parent)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            written = WRITERS[fmt](rows, COLUMNS[what], stream)
        os.chmod(temp, 0o666 & ~_umask())  # as open() would make it, not mkstemp's 0600
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return written


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
