"""The ingest job page's script in a real browser: it follows a job from queued to
running (the count moves) to done (the report), without reloading by hand."""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path
from typing import Any

from newsweave.store.open import open_store
from newsweave.web.pages.ingest import Job, Jobs
from tests.api_helpers import TOKEN
from tests.web.live import LiveServer


def test_the_job_page_follows_the_job_to_its_report(tmp_path: Path, page: Any) -> None:
    db = str(tmp_path / "j.db")
    open_store(db).close()
    server = LiveServer(db, token=TOKEN)
    jobs = Jobs()
    server.server.config.app.state.ingest_jobs = jobs
    future: Future = Future()
    job = Job("test-job-1", ["upload:a.txt", "upload:b.txt"], 2, [
        {"source": "upload:c.png", "reason": "E005 binary file (PNG image), not text"}],
        future)
    jobs.add(job)
    with server as url:
        page.goto(f"{url}/ui/ingest/jobs/{job.id}")
        state = page.locator(".job-state")
        assert "Waiting for the writer" in state.inner_text()
        future.set_running_or_notify_cancel()
        job.tick(1)
        page.locator(".job-state", has_text="1 of 2").wait_for(timeout=20_000)
        assert page.locator("progress").get_attribute("max") == "2"
        future.set_result({"new": 2, "exact_duplicates": 0, "near_duplicates": 0,
                           "unchanged": 0, "new_stories": 1, "skipped": [],
                           "seconds": 0.5})
        page.wait_for_selector("text=Ingest finished", timeout=20_000)
        main = page.inner_text("main")
        assert "upload:c.png" in main and "E005" in main
        assert page.locator(".report dd").first.inner_text() == "2"


def test_without_script_the_job_page_refreshes_itself(tmp_path: Path, browser: Any) -> None:
    db = str(tmp_path / "n.db")
    open_store(db).close()
    server = LiveServer(db, token=TOKEN)
    jobs = Jobs()
    server.server.config.app.state.ingest_jobs = jobs
    future: Future = Future()
    job = Job("test-job-2", ["upload:a.txt"], 1, [], future)
    jobs.add(job)
    context = browser.new_context(java_script_enabled=False)
    try:
        with server as url:
            page = context.new_page()
            page.goto(f"{url}/ui/ingest/jobs/{job.id}")
            assert page.locator("a.reload").is_visible()
            future.set_running_or_notify_cancel()
            future.set_result({"new": 1, "skipped": []})
            page.wait_for_selector("text=Ingest finished", timeout=20_000)
    finally:
        context.close()
