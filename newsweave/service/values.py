"""Checks on the text a caller hands the queries: a filter value or a search query.

A NUL character cannot be sent to PostgreSQL (psycopg refuses it with a ``DataError``)
and a lone surrogate (``"\\ud800"``, what Python makes of bytes it could not decode)
cannot be encoded as UTF-8 for either database. No stored text holds one, so such a
value could match nothing: it is refused with :class:`~newsweave.errors.BadFilter`,
which names the parameter and the character, before any query is run. The REST API
answers it with a 400 problem, the CLI with a usage error, Python with the exception
(a ``ValueError``).
"""

from __future__ import annotations

from typing import Any

from ..errors import BadFilter

ENTITY_TYPES = ("PER", "ORG", "LOC", "MISC")  # the types an entity filter takes


def bad_character(value: str) -> str | None:
    """What in ``value`` no database text can hold (a NUL character, a lone
    surrogate), in words; None when there is nothing of the kind."""
    if "\x00" in value:
        return "a NUL character (U+0000)"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"a lone surrogate (U+{ord(value[exc.start]):04X}), which is not text"
    return None


def checked_text(name: str, value: Any) -> str | None:
    """``value`` (a filter called ``name``) when it is None or text a query can use;
    :class:`BadFilter` saying what is wrong otherwise."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadFilter(f"{name} must be text, not {type(value).__name__}")
    why = bad_character(value)
    if why is not None:
        raise BadFilter(f"{name} holds {why}: no stored text contains one, so nothing "
                        "could match; remove it")
    return value


def checked_choice(name: str, value: Any, choices: tuple[str, ...]) -> str | None:
    """``value`` when it is None or one of ``choices``; :class:`BadFilter` otherwise."""
    if value is None or value in choices:
        return value
    checked_text(name, value)
    raise BadFilter(f"{name} must be one of {', '.join(choices)}, not {value!r}")
