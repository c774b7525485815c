"""clean: each document read becomes an article record, or a reason it is skipped.

Boilerplate lines out, a title, the exact-duplicate hash and the idempotency key. An
input already stored is counted as unchanged and goes no further.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ...clean.document import Cleaned
from ...clean.recurrence import document_key
from ...clean.text import derive_title, normalise_for_hash
from ...errors import Reason
from ...models import Article, RawDocument, Skipped
from ..stage import INPUT, Batch, Stage

if TYPE_CHECKING:
    from ..report import IngestReport
    from ..run import Pipeline


def run(pipe: Pipeline, batch: Batch) -> None:
    """Boilerplate lines out, a title, the duplicate hash; empty or short inputs skipped."""
    # Cleaning reads and writes the stream's line memory: inside the transaction, in
    # stream order, so a crash forgets the batch's lines with its articles.
    for item in batch.documents:
        made = item if isinstance(item, Skipped) else prepare(pipe, item, batch.report)
        if isinstance(made, Skipped):
            batch.report.skipped.append(made)
        elif made is not None:
            batch.articles.append(made)
    for skipped in batch.report.skipped:
        pipe.store.record_skip(skipped, batch.run_id)


def prepare(pipe: Pipeline, raw: RawDocument, report: IngestReport) -> Article | Skipped | None:
    """The article record of ``raw``; None when this input is already stored.

    The idempotency key is taken from the input as given (source, id, raw text), not
    from the cleaned text: what the stream has learnt since may clean a re-read
    input differently, and it must still be recognised as already stored.
    """
    key_src = "\x00".join((raw.source, raw.external_id or "", raw.title or "", raw.text))
    ingest_key = hashlib.sha256(key_src.encode("utf-8")).hexdigest()
    if pipe.store.has_ingest_key(ingest_key):
        report.unchanged += 1
        return None
    cleaned = clean_text(pipe, raw)
    text = cleaned.text
    where = f"{raw.source}#{raw.external_id}" if raw.external_id else raw.source
    if not text:
        reason = Reason.BOILERPLATE_ONLY if cleaned.removed else Reason.EMPTY
        return Skipped(where, reason.format(lines=len(cleaned.removed)))
    limit = pipe.settings.min_text_chars
    if len(text) < max(1, limit):
        return Skipped(where, Reason.TOO_SHORT.format(chars=len(text), limit=limit))
    title = (raw.title or "").strip() or cleaned.headline or derive_title(text)
    return Article(
        source=raw.source, text=text, title=title, external_id=raw.external_id,
        url=raw.url, published=raw.published, published_source=raw.published_source,
        author=raw.author, site=raw.site, fmt=raw.fmt, content_hash=text_hash(title, text),
        removed_lines=[r.to_dict() for r in cleaned.removed], ingest_key=ingest_key,
        lang=(raw.lang or "").lower()[:2] or None)


def clean_text(pipe: Pipeline, raw: RawDocument) -> Cleaned:
    """Plain text goes through every cleaning rule; text an extractor produced
    (HTML through trafilatura) is trimmed only."""
    if not raw.needs_cleaning:
        return Cleaned(raw.text.strip(), None, [])
    doc = document_key(raw.source, raw.external_id or "", raw.text)
    return pipe.cleaner.clean(raw.text, scope_of(raw), doc,
                              find_headline=not (raw.title or "").strip())


def text_hash(title: str, text: str) -> str:
    """sha256 of the normalised body: the exact-duplicate key.

    A leading title line is left out, so a plain-text file whose first line is the
    headline and a JSON record with a separate ``title`` field hash alike.
    """
    body = normalise_for_hash(text)
    head = normalise_for_hash(title)
    if head and body.startswith(head) and len(body) > len(head):
        body = body[len(head):].lstrip()
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def scope_of(raw: RawDocument) -> str:
    """The source whose articles share boilerplate: the site, else the host of the
    page's URL, else one scope for every local file and record.

    Files carry no site, and a folder of scraped pages mixes many sites; the folder
    a user named is no scope either, since ingesting a tree in one call or folder by
    folder must clean alike.
    """
    if raw.site:
        return raw.site.strip().lower()
    if raw.url:
        host = urlsplit(raw.url).hostname or ""
        return host.removeprefix("www.")
    return ""


STAGE = Stage("clean", needs=(INPUT,),
              provides=("text", "title", "published", "content_hash", "ingest_key",
                        "removed_lines"),
              run=run)
