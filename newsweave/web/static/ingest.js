// The ingest job page: follow the job's status and show the report when it is done.
// Without script the page offers a reload link instead.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const job = document.querySelector("[data-status-url]");
  if (!job) return;
  const url = job.getAttribute("data-status-url");
  const state = job.querySelector(".job-state");
  const bar = job.querySelector("progress");
  const poll = async () => {
    let status;
    try {
      const response = await fetch(url, {cache: "no-store", headers: {Accept: "application/json"}});
      if (!response.ok) { state.textContent = "The server no longer knows this ingest (it may have restarted)."; return; }
      status = await response.json();
    } catch (err) {
      setTimeout(poll, 3000);  // the server is busy or restarting: try again
      return;
    }
    if (status.state === "done" || status.state === "failed") {
      window.location.reload();  // the server renders the report
      return;
    }
    bar.max = Math.max(status.total, 1);
    bar.value = status.done;
    bar.textContent = `${status.done} of ${status.total}`;
    state.textContent = status.state === "queued"
      ? "Waiting for the writer (another ingest runs first)…"
      : `Ingesting: ${status.done} of ${status.total} documents…`;
    setTimeout(poll, 1000);
  };
  setTimeout(poll, 500);
});
