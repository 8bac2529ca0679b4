// Surveys: small enhancements; every page works without JavaScript.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    // (A failed submit's error summary takes focus through forms.js, as on every form.)

    // "Copy" next to the public link, only where the clipboard API exists.
    document.querySelectorAll("[data-copy-target]").forEach(function (button) {
      if (!navigator.clipboard) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        var input = document.getElementById(button.getAttribute("data-copy-target"));
        navigator.clipboard.writeText(input.value).then(function () {
          button.textContent = button.getAttribute("data-copied-text");
        });
      });
    });
  });

  // A hidden/shown free-text answer is swapped in place: keep keyboard focus on its button.
  document.addEventListener("htmx:afterSettle", function (event) {
    var item = event.detail.elt && event.detail.elt.closest ? event.detail.elt : null;
    var id = item && item.id;
    if (!id || id.indexOf("answer-") !== 0) { return; }
    var fresh = document.getElementById(id);
    var button = fresh && fresh.querySelector("button");
    if (button) { button.focus(); }
  });
})();
