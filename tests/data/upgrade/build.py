"""Rebuild the upgrade fixture from a checkout of the previous release.

    git worktree add --detach /tmp/oldrel e2bfe00
    python tests/data/upgrade/build.py /tmp/oldrel

Runs that release's own CLI (with ``PYTHONPATH`` set to the checkout) in a fixed
folder, so the sources it records are the same on every rebuild: it ingests
``articles.jsonl``, records what its listings print as ``expected.json``, then
VACUUMs the database and writes it here as ``release.db.xz`` beside the vector index
it kept (``release.db.hnsw``). Nothing of today's code runs.
"""

from __future__ import annotations

import json
import lzma
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = Path("/tmp/newsweave-upgrade-fixture")
# what the test compares: each listing's JSON, and one story and one entity in full
READS = {"stories": ["stories"], "entities": ["entities"], "places": ["places"],
         "articles": ["articles"], "skipped": ["skipped"], "story_1": ["story", "1"],
         "entity_1": ["entity", "1"]}


def old_cli(checkout: Path, *args: str) -> str:
    """Run the old release's CLI in the work folder; its standard output."""
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    done = subprocess.run([sys.executable, "-m", "newsweave.cli", *args, "--db", "release.db"],
                          cwd=WORK, env=env, capture_output=True, text=True, check=True)
    return done.stdout


def main(checkout: Path) -> None:
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir()
    shutil.copy(HERE / "articles.jsonl", WORK / "articles.jsonl")
    old_cli(checkout, "ingest", "articles.jsonl")
    expected = {name: json.loads(old_cli(checkout, *args, "--json"))
                for name, args in READS.items()}
    conn = sqlite3.connect(WORK / "release.db")
    expected["schema_version"] = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.execute("VACUUM")
    conn.close()
    (HERE / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1)
                                        + "\n", encoding="utf-8")
    (HERE / "release.db.xz").write_bytes(
        lzma.compress((WORK / "release.db").read_bytes(), preset=9))
    shutil.copy(WORK / "release.db.hnsw", HERE / "release.db.hnsw")


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve())
