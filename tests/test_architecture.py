"""The architecture holds: data flows one way, and only the store speaks SQL.

Read from the source with ``ast``, so a new module is checked the day it is added.
Also: the store's parts satisfy the protocols the lower layers declare (dependency
inversion: ``stories/``, ``enrich/`` and ``clean/`` name what they need, the store
provides it), and the SQLite store satisfies the store interface.
"""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest

from newsweave.clean.recurrence import LineMemory
from newsweave.enrich.entities.crosslink import EntityLookups
from newsweave.store import base
from newsweave.store.sqlite import Store
from newsweave.store.vectors import VectorIndex
from newsweave.stories.cluster import NeighbourIndex
from newsweave.stories.state import StoryStore

PACKAGE = Path(__file__).resolve().parent.parent / "newsweave"

# The flow, earliest first. A module may import its own layer, any earlier layer and
# the base modules; never a later layer. Base modules import only base modules. The
# store persists the stages' records (models.py) and runs no stage: it imports none
# of the stages (STAGES), although they come before it.
BASE = ("__init__", "models", "errors", "settings")
LAYERS = ("ingest", "clean", "enrich", "stories", "store", "service", "render", "export",
          "pipeline", "library", "web", "api", "cli")
# The package's front door: ``newsweave.open`` hands over to the Python API, imported
# when called (no work at import time).
FRONT_DOOR = ("__init__", "library")
STAGES = ("ingest", "clean", "enrich", "stories")
# The one exception: the store's full-text index and the queries run against it must
# cut text into the same words, so the store may import that pure function of text
# (clean/searchtext.py), and nothing else of the stages.
STORE_MAY_IMPORT = "from ..clean.searchtext import"

# SQL statements in a string literal (keywords in capitals, as the store writes them).
SQL = re.compile(r"\bSELECT\b[\s\S]*\bFROM\b|\bINSERT\b[\s\S]*\bINTO\b|"
                 r"\bUPDATE\s+\w+\s+SET\b|\bDELETE\s+FROM\b|\bCREATE\s+(?:TABLE|INDEX)\b|"
                 r"\bPRAGMA\b")
# The place gazetteer is a read-only resource file built once into ~/.cache/newsweave,
# not the project database: its builder and its reader keep their own SQL.
SQL_ALLOWED = ("enrich/places/gazetteer.py", "enrich/places/build.py")


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _top(path: Path) -> str:
    """The top-level unit of a module: its package under newsweave/ or its own name."""
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _imported(rel: str, source: str) -> set[str]:
    """Top-level units of newsweave that the module at ``rel`` (a path below
    newsweave/) imports, relative imports resolved."""
    package = rel.split("/")[:-1]  # the module's package, below newsweave/
    out: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                target = package[:len(package) - (node.level - 1)]
                target += node.module.split(".") if node.module else []
            elif node.module and node.module.split(".")[0] == "newsweave":
                target = node.module.split(".")[1:]
            else:
                continue
            # ``from newsweave import service, render``: each name is a unit
            out.update([target[0]] if target else [a.name for a in node.names])
        elif isinstance(node, ast.Import):
            out.update(a.name.split(".")[1] for a in node.names
                       if a.name.startswith("newsweave."))
    return out


def _rank(unit: str) -> int:
    return -1 if unit in BASE else LAYERS.index(unit)


def _against_the_flow(rel: str, source: str) -> list[str]:
    """``"<module> imports <unit>"`` for every import of a later layer."""
    unit = rel.split("/")[0].removesuffix(".py")
    wrong = []
    for target in sorted(_imported(rel, source)):
        if target not in BASE and target not in LAYERS:
            continue  # a name from the package root that is no module (__version__)
        if (unit, target) == FRONT_DOOR or (
                unit == "store" and target == "clean"
                and source.count("..clean") == source.count(STORE_MAY_IMPORT)):
            continue
        if ((unit in BASE and target not in BASE) or _rank(target) > _rank(unit)
                or (unit == "store" and target in STAGES)):
            wrong.append(f"{rel} imports {target}")
    return wrong


def test_every_module_belongs_to_a_layer() -> None:
    units = {_top(p) for p in _modules()}
    assert units <= set(BASE) | set(LAYERS), sorted(units - set(BASE) - set(LAYERS))


def test_no_module_imports_against_the_flow() -> None:
    wrong = []
    for path in _modules():
        wrong += _against_the_flow(path.relative_to(PACKAGE).as_posix(),
                                   path.read_text(encoding="utf-8"))
    assert not wrong, ("imports against " + " → ".join(LAYERS) + ":\n" + "\n".join(wrong))


@pytest.mark.parametrize("line", [
    "from ..enrich.entities.link import name_key",
    "from ... import stories",
    "import newsweave.service",
    "from newsweave.pipeline import Pipeline",
    "from newsweave import cli",
    "from ..clean.fold import fold",
])
def test_the_checker_sees_every_way_of_importing(line: str) -> None:
    assert _against_the_flow("store/entities.py", line)


@pytest.mark.parametrize(("rel", "line"), [
    ("store/entities.py", "from ..models import Mention"),
    ("store/entities.py", "from .sqlite import Store"),
    ("stories/state.py", "from ..clean.fold import fold"),
    ("cli.py", "from . import __version__, render, service"),
    ("settings.py", "from .errors import ConfigError"),
])
def test_the_checker_allows_the_flow(rel: str, line: str) -> None:
    assert not _against_the_flow(rel, line)


def test_a_base_module_imports_no_layer() -> None:
    assert _against_the_flow("models.py", "from .clean.fold import fold")


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    """Every string literal with its line; an f-string with ``{}`` for its fields."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            out.append((node.lineno, node.value))
        elif isinstance(node, ast.JoinedStr):
            out.append((node.lineno, "".join(
                v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)))
    return out


def _sql_literals(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [f"{path.relative_to(PACKAGE)}:{line}: {text[:60]!r}"
            for line, text in _strings(tree) if SQL.search(text)]


def test_no_sql_outside_the_store() -> None:
    found = []
    for path in _modules():
        rel = path.relative_to(PACKAGE).as_posix()
        if _top(path) == "store" or rel in SQL_ALLOWED:
            continue
        found += _sql_literals(path)
    assert not found, "SQL outside newsweave/store/:\n" + "\n".join(found)


def test_the_sql_check_finds_sql() -> None:
    assert _sql_literals(PACKAGE / "store" / "queries.py")
    assert _sql_literals(PACKAGE / "enrich" / "places" / "gazetteer.py")


def _methods(cls: type) -> dict[str, inspect.Signature]:
    return {name: inspect.signature(fn) for name, fn in vars(cls).items()
            if callable(fn) and not name.startswith("_")}


@pytest.mark.parametrize(("protocol", "part"), [
    (StoryStore, "stories"), (EntityLookups, "entities"), (LineMemory, "lines"),
    (base.StoryWrites, "stories"), (base.EntityWrites, "entities"),
    (base.LineWrites, "lines"), (base.ReadQueries, "queries"), (base.FactWrites, "facts"),
    (base.ExportReads, "exports"),
])
def test_the_store_parts_satisfy_the_protocols(tmp_path: Path, protocol: type,
                                               part: str) -> None:
    """Same method names, same parameter names, for every method the protocol lists."""
    with Store(tmp_path / "p.db") as store:
        impl = type(getattr(store, part))
    for name, sig in _methods(protocol).items():
        assert hasattr(impl, name), f"{impl.__name__} lacks {name}"
        theirs = list(inspect.signature(getattr(impl, name)).parameters)
        assert theirs == list(sig.parameters), f"{impl.__name__}.{name}: {theirs}"


def test_the_sqlite_store_satisfies_the_interface(tmp_path: Path) -> None:
    with Store(tmp_path / "i.db") as store:
        assert isinstance(store, base.StoreAPI)
        for name, sig in _methods(base.StoreAPI).items():
            theirs = list(inspect.signature(getattr(Store, name)).parameters)
            assert theirs == list(sig.parameters), f"Store.{name}: {theirs}"


def test_the_vector_index_satisfies_the_clusterers_protocol() -> None:
    from newsweave.store.pgvectors import PgVectorIndex

    for index in (VectorIndex, PgVectorIndex):
        for name in _methods(NeighbourIndex):
            assert hasattr(index, name), (index.__name__, name)


def test_the_store_parts_run_statements_through_the_store() -> None:
    """Only the backends' own modules touch the connection; the parts call
    ``store.execute`` and its siblings, the one place a backend respells SQL."""
    own = {"sqlite.py", "migrations.py", "postgres.py", "pg_migrations.py"}
    touching = [f"store/{path.name}:{node.lineno}"
                for path in sorted((PACKAGE / "store").glob("*.py")) if path.name not in own
                for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                if isinstance(node, ast.Attribute) and node.attr == "conn"]
    assert not touching, touching
