// 营商平台 — progressive enhancement only: every page works without this script.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // The mobile menu toggle: without the script the menu is simply always open.
  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector(".nav-toggle");
    var panel = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
    if (!toggle || !panel) return;
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      panel.classList.toggle("is-open", open);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && panel.classList.contains("is-open")) {
        panel.classList.remove("is-open");
        toggle.setAttribute("aria-expanded", "false");
        toggle.focus();
      }
    });
  });
})();
