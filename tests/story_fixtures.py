"""Articles written for the story and article page tests (tests/test_web_story.py,
tests/web/test_story.py): a dockers' strike in Genoa told by three outlets, one of
which carries markup in its fields and a ``javascript:`` URL, and an unrelated Arabic
report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

STRIKE = [
    {"title": "Genoa dockers strike over night shifts",
     "url": "https://harbour.example/genoa-strike", "source": "Harbour Daily",
     "author": "Lena Brandt", "published": "2026-03-02T08:00:00Z",
     "text": "About 1,200 workers walked out at the port in Genoa on Monday over new night "
             "shifts.\n\nThe union said the strike would last until Friday. \"We will not "
             "load a single ship until the shifts are withdrawn,\" said Marco Ferri, the "
             "union's leader in Genoa.\n\nThe port authority said cargo was piling up on "
             "the quays and ships were waiting outside the harbour."},
    {"title": "Port of Genoa halted as 1,200 dockers strike",
     "url": "javascript:alert('url')", "source": "Coastal Wire",
     "published": "2026-03-02T11:00:00Z",
     "text": "The port of Genoa came to a halt on Monday as 1,200 workers went on strike "
             "over night shifts.\n\nMarco Ferri, who leads the union in Genoa, said the "
             "strike would go on until Friday. Ships were waiting outside the harbour and "
             "cargo was piling up on the quays, the port authority said."},
    {"title": "<script>alert('title')</script> Genoa strike enters second day",
     "url": "https://ligurian.example/strike-day-two", "source": "<b>Ligurian</b> Post",
     "author": "<img src=x onerror=alert('author')>", "published": "2026-03-03T09:00:00Z",
     "text": "The strike at the port of Genoa entered its second day on Tuesday, "
             "<script>alert('text')</script> with ships waiting outside the harbour. Only "
             "900 workers joined the strike in Genoa, the port authority said.\n\nThe union's "
             "leader Marco Ferri said the night shifts had to go and the strike would "
             "last until Friday. The port authority said cargo was "
             "piling up on the quays."},
]
ARABIC = {"title": "افتتاح معرض الكتاب في القاهرة",
          "url": "https://cairo.example/book-fair", "source": "Cairo Letters",
          "published": "2026-01-20T10:00:00Z",
          "text": "افتتح معرض القاهرة الدولي للكتاب أبوابه يوم الثلاثاء بمشاركة مئات من دور "
                  "النشر من أكثر من خمسين دولة. وقال المنظمون إن المعرض سيستمر أسبوعين "
                  "وإنهم يتوقعون ملايين الزوار هذا العام."}


def write_corpus(folder: Path, records: list[dict[str, Any]]) -> Path:
    path = folder / "news.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    return path
