// Service guide: the print button appears only when the script runs (the page prints from the browser menu anyway).
// The search filters sit in a <details>: closed on phones (the results come first), opened on wider screens.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
    if (window.matchMedia && window.matchMedia("(min-width: 40rem)").matches) {
      document.querySelectorAll("details.guide-more").forEach(function (details) { details.open = true; });
    }
  });
})();
