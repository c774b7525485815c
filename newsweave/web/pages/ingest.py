"""The ingest page (``/ui/ingest``): upload files or paste URLs, with the write API's
token, through the server's one writer.

A post is checked in this order: writes enabled, its size (``Content-Length`` within
the ``max_input_bytes`` setting), the CSRF token, then the write token (compared in
constant time, as ``POST /ingest`` does). Uploaded files are read here, by the same
readers as ``newsweave ingest`` (HTML, JSON Lines, CSV, feeds, WARC...), into
documents; each pasted URL becomes a ``{"url": ...}`` document that the writer
fetches. The job then runs in the writer thread and the browser is sent to its job
page, which follows it (``static/ingest.js`` polls the job's JSON; without script, a
reload link) until the ingest report: new articles, duplicates, and every input
skipped with its reason.
"""

from __future__ import annotations

import asyncio
import hmac
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import Path, Request
from starlette.datastructures import UploadFile
from starlette.responses import JSONResponse, RedirectResponse, Response

from ...errors import NewsweaveError, NotFound, Reason, SkipError
from ...ingest.decode import printable_name
from ...ingest.files import ReadContext, hint_from_name, read_bytes
from ...ingest.sources import storable
from ...library import settings_for
from ...models import RawDocument, Skipped
from ..render import page
from ..security import CSRF_FIELD, csrf_problem
from . import page_router, store

router = page_router()
MAX_FILES = 100  # files one post may carry
MAX_URL_FIELD = 1_000_000  # bytes of the pasted URLs
KEEP_JOBS = 200  # finished or not, the newest jobs the server remembers
RECORD_FIELDS = ("title", "text", "url", "lang", "author")


@dataclass
class Job:
    """One ingest sent from the page: what was sent, what was skipped before the
    writer, the writer's future and its progress."""

    id: str
    inputs: list[str]
    total: int
    skipped: list[dict[str, str]]
    future: Future | None = None
    done: int = 0
    started: float = field(default_factory=time.time)

    def tick(self, count: int) -> None:
        """The writer got through ``count`` more documents (called in its thread)."""
        self.done = min(self.total, self.done + count)

    def status(self) -> dict[str, Any]:
        """``{state, done, total, report, error}``; ``state`` is queued, running, done or
        failed; ``report`` (once done) is the ingest report with every skip."""
        out: dict[str, Any] = {"id": self.id, "done": self.done, "total": self.total,
                               "report": None, "error": None}
        future = self.future
        if future is None:
            out.update(state="done", report=_report({}, self.skipped))
        elif not future.done():
            out["state"] = "running" if future.running() else "queued"
        elif future.cancelled() or future.exception() is not None:
            out.update(state="failed", error=_failure(future))
        else:
            out.update(state="done", done=self.total, report=_report(future.result(),
                                                                      self.skipped))
        return out


def _failure(future: Future) -> str:
    if future.cancelled():
        return "the ingest was cancelled: the server is stopping"
    return str(future.exception()) or type(future.exception()).__name__


def _report(report: dict[str, Any], skipped: list[dict[str, str]]) -> dict[str, Any]:
    """The writer's report with the skips found on this side first."""
    keys = ("new", "exact_duplicates", "near_duplicates", "unchanged", "new_stories")
    out = {k: report.get(k, 0) for k in keys}
    out["skipped"] = list(skipped) + list(report.get("skipped", []))
    out["seconds"] = report.get("seconds", 0.0)
    return out


class Jobs:
    """The server's recent ingest jobs by id (ids are random: a job page is seen by
    whoever sent it), the oldest forgotten beyond :data:`KEEP_JOBS`."""

    def __init__(self) -> None:
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, job: Job) -> None:
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > KEEP_JOBS:
                self._jobs.popitem(last=False)

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)


def jobs(request: Request) -> Jobs:
    """The app's job list (made on first use; ``setdefault`` keeps one even when two
    requests come first at once)."""
    return request.app.state._state.setdefault("ingest_jobs", Jobs())


def limits(request: Request) -> dict[str, Any]:
    """The limits the page states and enforces: bytes per post (``max_input_bytes``),
    documents per ingest (``api_max_records``), files per post."""
    settings = settings_for(store(request))
    size = int(settings.max_input_bytes)
    return {"bytes": size, "size": _megabytes(size),
            "documents": int(request.app.state.newsweave.config.max_records),
            "files": MAX_FILES}


def _megabytes(size: int) -> str:
    """``50 MB``, ``1.5 MB``, ``2,000 bytes``."""
    if size < 1_000_000:
        return f"{size:,} bytes"
    return f"{size / 1_000_000:,.1f}".removesuffix(".0") + " MB"


def _writes_off_reason(request: Request) -> str | None:
    config = request.app.state.newsweave.config
    if config.read_only:
        return "read-only"
    if request.app.state.newsweave.writer is None:
        return "no-token"
    return None


def form_page(request: Request, status: int = 200, problem: str | None = None,
              urls: str = "") -> Response:
    """The upload form, with a problem to show; or, when the server takes no writes,
    why not and how to turn writes on."""
    return page(request, "ingest.html", {
        "problem": problem, "urls": urls, "writes_off": _writes_off_reason(request),
        "limits": limits(request)}, status=status)


@router.get("/ingest")
def ingest_form(request: Request) -> Response:
    """The upload form (writes need the server's token)."""
    return form_page(request)


def _upload_items(name: str, data: bytes, ctx: ReadContext) -> Iterator[RawDocument | Skipped]:
    """The documents of one uploaded file, or its skip with the reason."""
    source = f"upload:{name}"
    if len(data) > ctx.max_bytes:
        yield Skipped(source, SkipError(Reason.TOO_LARGE, size=len(data),
                                        limit=ctx.max_bytes).message)
        return
    hint, ext = hint_from_name(name)
    try:
        for item in read_bytes(data, source, hint, ext, ctx):
            yield storable(item)
    except SkipError as exc:
        yield Skipped(source, exc.message)
    except RecursionError:
        yield Skipped(source, SkipError(Reason.TOO_NESTED).message)
    except Exception as exc:  # noqa: BLE001 - a reader failing on odd input skips the file
        yield Skipped(source, SkipError(Reason.UNEXPECTED,
                                        detail=f"{type(exc).__name__}: {exc}"[:300]).message)


def _record(doc: RawDocument) -> dict[str, Any]:
    """A document read from an upload as a JSON record for the writer."""
    out: dict[str, Any] = {k: getattr(doc, k) for k in RECORD_FIELDS if getattr(doc, k)}
    if doc.external_id:
        out["id"] = doc.external_id
    if doc.site:
        out["source"] = doc.site
    if doc.published is not None:
        out["published"] = doc.published.isoformat()
    return out


def _url_lines(text: str) -> tuple[list[str], list[dict[str, str]]]:
    """The pasted http(s) URLs, one a line (blank lines and ``#`` comments left out),
    and a skip for each line that is not one."""
    urls, skipped = [], []
    for line in text.splitlines():
        url = line.strip()
        if not url or url.startswith("#"):
            continue
        parts = urlsplit(url)
        if parts.scheme.lower() in ("http", "https") and parts.hostname:
            urls.append(url)
        else:
            skipped.append({"source": printable_name(url[:300]),
                            "reason": "not an http(s) URL: only web pages can be fetched"})
    return urls, skipped


def prepare(files: list[tuple[str, bytes]], url_text: str, max_bytes: int,
            max_documents: int) -> tuple[list[dict[str, Any]], list[dict[str, str]], list[str]]:
    """``(documents, skipped, inputs)`` of a post: each file's records, then each
    URL's ``{"url": ...}``; beyond ``max_documents`` the rest are skipped, each with
    the reason."""
    ctx = ReadContext(max_bytes)
    documents: list[dict[str, Any]] = []
    skipped: list[dict[str, str]] = []
    inputs = [name for name, _ in files]
    for name, data in files:
        for item in _upload_items(name, data, ctx):
            if isinstance(item, Skipped):
                skipped.append({"source": item.source, "reason": item.reason})
            else:
                documents.append(_record(item))
    urls, bad = _url_lines(url_text)
    skipped += bad
    inputs += urls
    documents += [{"url": u} for u in urls]
    for extra in documents[max_documents:]:
        skipped.append({"source": extra.get("url") or extra.get("title") or "a document",
                        "reason": f"one ingest from this page takes at most {max_documents} "
                                  "documents (setting api_max_records)"})
    return documents[:max_documents], skipped, inputs


async def _read_form(request: Request, lim: dict[str, Any]
                     ) -> tuple[list[tuple[str, bytes]], str, str, str]:
    """``(files, urls, token, csrf)`` of the posted form."""
    form = await request.form(max_files=lim["files"], max_fields=20,
                              max_part_size=MAX_URL_FIELD)
    files: list[tuple[str, bytes]] = []
    for part in form.getlist("files"):
        if isinstance(part, UploadFile) and part.filename:
            files.append((printable_name(part.filename)[:300], await part.read()))
    text = {k: form.get(k) for k in ("urls", "token", CSRF_FIELD)}
    urls, token, csrf = (v if isinstance(v, str) else "" for v in text.values())
    await form.close()
    return files, urls, token, csrf


def _size_problem(request: Request, lim: dict[str, Any]) -> tuple[int, str] | None:
    length = request.headers.get("content-length", "")
    if not length.isdigit():
        return 411, "the upload must state its size (Content-Length)"
    if int(length) > lim["bytes"] + MAX_URL_FIELD:
        return 413, (f"the upload is {int(length):,} bytes; one ingest from this page takes "
                     f"at most {lim['bytes']:,} (setting max_input_bytes)")
    return None


@router.post("/ingest")
async def ingest_post(request: Request) -> Response:
    """Check the post, read its files and URLs, and queue the ingest."""
    lim = await asyncio.to_thread(limits, request)
    if _writes_off_reason(request):
        return await asyncio.to_thread(form_page, request, 403,
                                       "this server takes no writes (see below)")
    size = _size_problem(request, lim)
    if size is not None:
        return await asyncio.to_thread(form_page, request, size[0], size[1])
    try:
        files, urls, token, csrf = await _read_form(request, lim)
    except Exception as exc:  # noqa: BLE001 - a malformed or oversized multipart body
        return await asyncio.to_thread(form_page, request, 400,
                                       f"the form could not be read: {exc}")
    problem = csrf_problem(request, csrf)
    if problem:
        return await asyncio.to_thread(form_page, request, 403, problem, urls)
    secret = request.app.state.newsweave.config.token
    if not hmac.compare_digest(token.encode("utf-8"), secret.encode("utf-8")):
        return await asyncio.to_thread(form_page, request, 401,
                                       "the token is not the server's write token", urls)
    if not files and not urls.strip():
        return await asyncio.to_thread(form_page, request, 400,
                                       "choose files to upload or paste URLs, one a line")
    documents, skipped, inputs = await asyncio.to_thread(prepare, files, urls, lim["bytes"],
                                                         lim["documents"])
    job = Job(secrets.token_urlsafe(16), inputs, len(documents), skipped)
    if documents:
        try:
            job.future = request.app.state.newsweave.writer.submit(documents, job.tick)
        except NewsweaveError as exc:  # the writer's queue is full (api.writer.WriterBusy)
            return await asyncio.to_thread(form_page, request, 503, str(exc), urls)
    jobs(request).add(job)
    return RedirectResponse(f"/ui/ingest/jobs/{job.id}", status_code=303)


JobId = Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


def _job(request: Request, job_id: str) -> Job:
    job = jobs(request).get(job_id)
    if job is None:
        raise NotFound(f"no ingest job {job_id}: the server forgets jobs when it restarts "
                       f"and keeps the last {KEEP_JOBS}")
    return job


@router.get("/ingest/jobs/{job_id}")
def job_page(request: Request, job_id: JobId) -> Response:
    """An ingest's progress, then its report."""
    job = _job(request, job_id)
    return page(request, "ingest_job.html", {"job": job, "status": job.status()})


@router.get("/ingest/jobs/{job_id}/status")
def job_status(request: Request, job_id: JobId) -> Response:
    """The job's status as JSON, for the page's script."""
    return JSONResponse(_job(request, job_id).status(),
                        headers={"cache-control": "no-store"})
