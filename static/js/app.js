// Small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";
  // Move focus to an htmx-swapped region's first heading so screen readers announce the update.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (target && target.hasAttribute("data-focus-on-swap")) {
      var heading = target.querySelector("h2, h3, [tabindex='-1']");
      if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
    }
  });
})();
