// Workspace forms: "use my position" and adding rows of findings. Everything works without
// JavaScript too (coordinates can be typed; more rows come from the "?rows=" link).
(function () {
  "use strict";

  function showPositionTools(root) {
    if (!("geolocation" in navigator)) { return; }
    root.querySelectorAll("[data-position-tools]").forEach(function (tools) {
      tools.hidden = false;
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-use-position]");
    if (!button) { return; }
    var latInput = document.getElementById(button.getAttribute("data-lat-input"));
    var lonInput = document.getElementById(button.getAttribute("data-lon-input"));
    var status = button.parentNode.querySelector("[data-position-status]");
    status.textContent = button.getAttribute("data-locating");
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        latInput.value = position.coords.latitude.toFixed(6);
        lonInput.value = position.coords.longitude.toFixed(6);
        latInput.dispatchEvent(new Event("change"));
        lonInput.dispatchEvent(new Event("change"));
        status.textContent = button.getAttribute("data-found") + " " + latInput.value + ", " + lonInput.value;
        button.disabled = false;
      },
      function () {
        status.textContent = button.getAttribute("data-failed");
        button.disabled = false;
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  });

  function setUpFindings(form) {
    var add = form.querySelector("[data-add-finding]");
    var template = form.querySelector("[data-finding-template]");
    var rows = form.querySelector("[data-findings-rows]");
    var total = form.querySelector("input[name$='-TOTAL_FORMS']");
    if (!add || !template || !rows || !total) { return; }
    var max = parseInt(add.getAttribute("data-max"), 10) || 20;
    add.addEventListener("click", function (event) {
      event.preventDefault();
      var index = parseInt(total.value, 10);
      if (index >= max) { return; }
      var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__number__/g, String(index + 1));
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var row = holder.firstElementChild;
      rows.appendChild(row);
      total.value = String(index + 1);
      showPositionTools(row);
      var first = row.querySelector("select, input, textarea");
      if (first) { first.focus(); }
      if (index + 1 >= max) { add.hidden = true; }
    });
  }

  // The activity form's findings show for a walk only (without JavaScript they always show).
  function setUpWalkFindings(box) {
    var kind = document.getElementById(box.getAttribute("data-kind-input"));
    var walks = (box.getAttribute("data-walk-kinds") || "").split(" ").filter(Boolean);
    if (!kind) { return; }
    function toggle() { box.hidden = walks.indexOf(kind.value) < 0; }
    kind.addEventListener("change", toggle);
    toggle();
  }

  function init() {
    showPositionTools(document);
    document.querySelectorAll("[data-findings]").forEach(setUpFindings);
    document.querySelectorAll("[data-walk-findings]").forEach(setUpWalkFindings);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
