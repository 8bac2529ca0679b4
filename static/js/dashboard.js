// Place dashboard: the Leaflet map of incidents and open action items. The data comes from
// the JSON text of the hidden element the map element names in data-map-source (no inline
// script under the CSP, and htmx drops <script> elements from swapped content); the page's
// tables carry the same information without JavaScript. Re-run after htmx swaps in a new period.
(function () {
  "use strict";

  function initMap(el) {
    if (typeof L === "undefined" || el.dataset.mapReady) { return; }
    var config;
    var source = document.getElementById(el.dataset.mapSource || "");
    try { config = JSON.parse(source ? source.textContent : "{}"); } catch (e) { return; }
    el.dataset.mapReady = "1";
    var map = L.map(el, { scrollWheelZoom: false });
    // A view first: vector layers cannot be added to a map that has none.
    map.setView(config.centre || [62.0, 15.0], config.centre ? 16 : 4);
    L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.attribution, maxZoom: 19 }).addTo(map);
    var bounds = [];
    if (config.boundary) {
      var outline = L.geoJSON(config.boundary, {
        style: { color: "#1c2430", weight: 2, fill: false, interactive: false }
      }).addTo(map);
      bounds.push(outline.getBounds());
    }
    (config.incidents || []).forEach(function (incident) {
      var marker = L.circleMarker([incident.lat, incident.lon], {
        radius: incident.severity === "high" ? 8 : 6,
        color: "#ffffff", weight: 1.5, fillColor: "#a4161a", fillOpacity: 0.85
      }).addTo(map);
      marker.bindTooltip((el.dataset.labelIncident || "") + ": " + incident.label);
      bounds.push(L.latLngBounds([marker.getLatLng()]));
    });
    (config.actionItems || []).forEach(function (item) {
      var marker = L.marker([item.lat, item.lon], {
        icon: L.divIcon({ className: "action-marker" + (item.overdue ? " action-marker--overdue" : ""), iconSize: [14, 14] }),
        keyboard: false
      }).addTo(map);
      var label = (el.dataset.labelActionItem || "") + ": " + item.label;
      if (item.overdue) { label += ", " + (el.dataset.labelOverdue || ""); }
      marker.bindTooltip(label);
      bounds.push(L.latLngBounds([marker.getLatLng()]));
    });
    if (bounds.length) {
      var all = bounds[0];
      bounds.slice(1).forEach(function (b) { all.extend(b); });
      map.fitBounds(all.pad(0.1), { maxZoom: 17 });
    }
  }

  function initAll(root) {
    root = root || document;
    root.querySelectorAll("[data-map-source]").forEach(initMap);
  }

  document.addEventListener("DOMContentLoaded", function () { initAll(document); });
  document.addEventListener("htmx:afterSettle", function (event) { initAll(event.detail.elt); });
})();
