"""Parquet through pyarrow: a typed schema from the export's columns, rows written a
row group at a time (``ROW_GROUP`` rows), so memory holds one group however large the
export. No rows give a valid file with the schema and no row groups' data.

Types: ``int`` int64, ``float`` float64, ``str`` string, ``bool`` bool, ``list[int]``
list<int64>, ``list[str]`` list<string>, ``json`` a string of JSON text.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice
from typing import Any, BinaryIO

from ..service.export import Column
from .common import Written, json_text

ROW_GROUP = 10_000  # rows per group: a group of articles with their text is ~20 MiB


def schema(columns: tuple[Column, ...]) -> Any:
    """The pyarrow schema of these columns."""
    import pyarrow as pa

    types = {"int": pa.int64(), "float": pa.float64(), "str": pa.string(),
             "bool": pa.bool_(), "list[int]": pa.list_(pa.int64()),
             "list[str]": pa.list_(pa.string()), "json": pa.string()}
    return pa.schema([pa.field(c.name, types[c.type]) for c in columns])


class _Position:
    """A write-only stream that counts what went through: pyarrow asks where it is,
    which a pipe (standard output) cannot answer itself."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw, self.position, self.closed = raw, 0, False

    def write(self, data: bytes) -> int:
        self.raw.write(data)
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position

    def flush(self) -> None:
        self.raw.flush()

    def close(self) -> None:
        self.closed = True  # the underlying stream belongs to the caller


def _group(rows: list[dict[str, Any]], columns: tuple[Column, ...]) -> dict[str, list]:
    data: dict[str, list] = {}
    for c in columns:
        values = [r[c.name] for r in rows]
        if c.type == "json":
            values = [None if v is None else json_text(v) for v in values]
        elif c.type == "float":
            values = [None if v is None else float(v) for v in values]
        data[c.name] = values
    return data


def write(rows: Iterable[dict[str, Any]], columns: tuple[Column, ...],
          out: BinaryIO) -> Written:
    """The file, one row group per ``ROW_GROUP`` rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table_schema = schema(columns)
    written = Written()
    it = iter(rows)
    with pq.ParquetWriter(pa.PythonFile(_Position(out), mode="w"), table_schema) as writer:
        while batch := list(islice(it, ROW_GROUP)):
            writer.write_table(pa.Table.from_pydict(_group(batch, columns), table_schema))
            written.rows += len(batch)
    return written
