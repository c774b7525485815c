// The story feed: on a wide screen the filters start open (on a phone they stay folded
// so that the stories come first). Without this script they start folded everywhere.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("details.filter-box");
  if (box && window.matchMedia("(min-width: 48rem)").matches) {
    box.open = true;
  }
});
