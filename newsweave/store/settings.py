"""Settings stored with a database: what ``--set`` chose for it, reused later.

A threshold chosen with ``recluster --set story_threshold=0.45`` must still hold for
the next ``ingest`` on the same database, or new articles would join stories under
different rules from the ones that built them. Values are kept as JSON of the typed
value, with the command that set them and when.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from typing import Any

from .sqlite import Store
from .values import utcnow


def stored_settings(store: Store) -> dict[str, Any]:
    """``{name: value}`` of every setting stored with the database (none for a database
    written before settings were stored and opened read-only)."""
    try:
        rows = store.execute("SELECT name, value FROM settings ORDER BY name").fetchall()
    except sqlite3.OperationalError:  # no settings table: an older schema, read-only
        return {}
    return {name: json.loads(value) for name, value in rows}


def stored_details(store: Store) -> dict[str, dict[str, Any]]:
    """``{name: {value, command, set_at}}``: the stored values with their provenance."""
    try:
        rows = store.execute(
            "SELECT name, value, command, set_at FROM settings ORDER BY name").fetchall()
    except sqlite3.OperationalError:
        return {}
    return {r[0]: {"value": json.loads(r[1]), "command": r[2], "set_at": r[3]} for r in rows}


def store_settings(store: Store, values: Mapping[str, Any], command: str) -> None:
    """Store (or update) ``values``, typed, as chosen by ``command``; one transaction."""
    with store.batch():
        for name, value in values.items():
            store.execute(
                "INSERT INTO settings(name, value, command, set_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET value=excluded.value, "
                "command=excluded.command, set_at=excluded.set_at",
                (name, json.dumps(value), command, utcnow()))


def forget_settings(store: Store, names: list[str]) -> list[str]:
    """Remove stored values; returns the names that were stored."""
    removed = []
    with store.batch():
        for name in names:
            cur = store.execute("DELETE FROM settings WHERE name = ?", (name,))
            if cur.rowcount:
                removed.append(name)
    return removed
