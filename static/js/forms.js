// Forms that guide (issue #22): the one error summary and checks while typing. Every form works
// without JavaScript; the server stays the judge and the rules' data comes from the server.
(function () {
  "use strict";

  // After a failed submit, focus the error summary so screen readers read it first.
  function focusSummary(root) {
    var summary = (root || document).querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
  }

  // A summary link focuses its field (not only scrolls), with the label in view.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) { return; }
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) { return; }
    var input = target.matches("input, select, textarea") ? target : target.querySelector("input, select, textarea");
    if (!input) { return; }
    event.preventDefault();
    var details = input.closest("details");
    if (details) { details.open = true; }
    var label = document.querySelector("label[for='" + input.id + "']");
    (label || input).scrollIntoView({ block: "center" });
    input.focus({ preventScroll: true });
  });

  // A message shown under a field while typing: one live element per field and rule.
  function note(input, key, text, container) {
    var id = input.id + "_" + key + "_check";
    var box = document.getElementById(id);
    if (!text) {
      if (box) { box.remove(); }
      return;
    }
    if (!box) {
      box = document.createElement("p");
      box.id = id;
      box.className = "error check-note";
      box.setAttribute("role", "status");
      var field = container || input.closest(".field") || input.parentNode;
      field.appendChild(box);
    }
    box.textContent = text;
  }

  // End before start: the end input carries data-not-before="<start input id>" and the server's
  // message (accounts.bounds.end_not_before_start sets both and checks the same on submit).
  function checkOrder(end) {
    var start = document.getElementById(end.getAttribute("data-not-before"));
    var strict = end.hasAttribute("data-not-before-strict");
    var broken = start && start.value && end.value &&
      (strict ? end.value <= start.value : end.value < start.value);
    note(end, "order", broken ? end.getAttribute("data-not-before-message") : "");
  }

  // The pin rule: data from places.services.pin_rule (in the map config's json_script).
  function pointInRing(ring, lat, lon) {
    var inside = false;
    for (var i = 0; i < ring.length - 1; i++) {
      var x1 = ring[i][0], y1 = ring[i][1], x2 = ring[i + 1][0], y2 = ring[i + 1][1];
      if ((y1 > lat) !== (y2 > lat) && lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1) { inside = !inside; }
    }
    return inside;
  }
  function rings(boundary) {
    if (!boundary) { return []; }
    if (boundary.type === "Feature") { boundary = boundary.geometry || {}; }
    if (boundary.type === "Polygon") { return [boundary.coordinates[0]]; }
    if (boundary.type === "MultiPolygon") { return boundary.coordinates.map(function (p) { return p[0]; }); }
    return [];
  }
  function distanceM(lat1, lon1, lat2, lon2) {
    var r = 6371000, rad = Math.PI / 180;
    var dp = (lat2 - lat1) * rad, dl = (lon2 - lon1) * rad;
    var a = Math.pow(Math.sin(dp / 2), 2) + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.pow(Math.sin(dl / 2), 2);
    return 2 * r * Math.asin(Math.sqrt(a));
  }
  function checkPin(rule, latInput, lonInput, group) {
    var lat = parseFloat(latInput.value), lon = parseFloat(lonInput.value);
    var text = "";
    if (!isNaN(lat) && !isNaN(lon)) {
      if (rule.centre && distanceM(rule.centre[0], rule.centre[1], lat, lon) > rule.maxDistanceM) {
        text = rule.tooFar;
      } else {
        var list = rings(rule.boundary);
        if (list.length && !list.some(function (ring) { return pointInRing(ring, lat, lon); })) { text = rule.outside; }
      }
    }
    note(latInput, "pin", text, group);
  }

  // One listener for the whole page (capture phase: scripts that set a value fire "change"
  // events that do not bubble), so forms added later — a new finding, an htmx swap — are
  // checked too.
  var rules = {};
  function pinRuleOf(group) {
    var id = group.getAttribute("data-pin-rule");
    if (!(id in rules)) {
      var source = document.getElementById(id);
      var config = null;
      try { config = source ? JSON.parse(source.textContent) : null; } catch (e) { config = null; }
      rules[id] = config ? (config.pinRule || config) : null;
    }
    return rules[id];
  }
  function onEdit(event) {
    var input = event.target;
    if (!input || !input.matches || !input.matches("input, select, textarea")) { return; }
    if (input.hasAttribute("data-not-before")) { checkOrder(input); }
    if (input.id) {
      document.querySelectorAll("[data-not-before='" + input.id + "']").forEach(checkOrder);
    }
    var group = input.closest("[data-pin-rule]");
    if (!group) { return; }
    var latInput = document.getElementById(group.getAttribute("data-lat-input"));
    var lonInput = document.getElementById(group.getAttribute("data-lon-input"));
    var rule = pinRuleOf(group);
    if (rule && latInput && lonInput && (input === latInput || input === lonInput)) {
      checkPin(rule, latInput, lonInput, group);
    }
  }
  document.addEventListener("input", onEdit, true);
  document.addEventListener("change", onEdit, true);

  document.addEventListener("DOMContentLoaded", function () { focusSummary(document); });
  document.addEventListener("htmx:afterSwap", function (event) { focusSummary(event.detail.target); });
})();
