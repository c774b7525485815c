"""Articles that carry XSS payloads where a page shows text: the title, the text, the
author, the source, the URL (a ``javascript:`` one too), a name the entity model
picks up (with an apostrophe, which ends a single-quoted attribute), a quote and its
speaker. Every payload, if it ever ran, would set ``window.__xss`` or call
``alert``."""

from __future__ import annotations

from typing import Any

IMG = '<img src=x onerror="window.__xss=1">'
SCRIPT = "<script>window.__xss=2</script>"
SVG = "<svg onload=alert(3)>"
ATTR = "\"' onmouseover=\"window.__xss=4\" x=\""
SPEAKER = "Harbour<script>alert(5)</script>Works Ltd"
QUOTE = "The <img src=y onerror=alert(6)> wall held for forty years"
NAME = "Tomas O'Okafor"
SOURCE = f"<u id=xss-u>Coast</u> {SVG} News"
PAYLOADS = (IMG, SCRIPT, SVG, "onmouseover=", "onerror=", "onload=")


def xss_documents() -> list[dict[str, Any]]:
    """Two English articles of one story, every field carrying a payload."""
    text = (f"A storm surge flooded the old port of Brisola near Naples on Monday night, "
            f"damaging forty fishing boats {IMG} and forcing two hundred residents from "
            f"their homes.\n\n"
            f"The company {SPEAKER} said its cranes were damaged by the waves.\n\n"
            f"Engineer {NAME} inspected the sea wall in Naples with the harbour master "
            f"{SVG} on Tuesday.\n\n"
            f"\"{QUOTE},\" said {NAME}.\n\n"
            f"Repairs will cost {SCRIPT} about two million euros, officials said {ATTR}.")
    second = (f"Engineers in Naples began repairing the sea wall of Brisola on Wednesday "
              f"after the storm surge {SCRIPT} damaged forty boats.\n\n"
              f"\"{QUOTE},\" said {NAME}, who leads the works.\n\n"
              f"The company {SPEAKER} said its cranes would be back in service next week.")
    return [
        {"id": "xss-1", "title": f"Storm floods Brisola harbour {IMG}{SCRIPT}",
         "text": text, "url": "javascript:window.__xss=7", "author": f"Jo {IMG} Smith",
         "source": SOURCE, "lang": "en", "published": "2026-11-30"},
        {"id": "xss-2", "title": f"Sea wall repairs begin {ATTR} in Brisola {SVG}",
         "text": second, "url": "https://news.example/a\"><script>window.__xss=8</script>",
         "author": f"{SCRIPT}Ann Lee", "source": "Harbour Daily", "lang": "en",
         "published": "2026-12-01"},
    ]
