// newsweave web UI: the little script the pages use. Every page works without it.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  document.documentElement.classList.add("js");
});
