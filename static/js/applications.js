// Boundary drawing and read-only maps for applications. Without JavaScript the GeoJSON
// textarea still works: this only adds a map that writes into it.
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }

  function baseMap(element) {
    var map = L.map(element, { scrollWheelZoom: false });
    L.tileLayer(element.closest("[data-tile-url]").getAttribute("data-tile-url"), {
      attribution: element.closest("[data-tile-url]").getAttribute("data-tile-attribution"),
      maxZoom: 19,
    }).addTo(map);
    return map;
  }

  function outerRing(geometry) {
    if (!geometry) { return null; }
    if (geometry.type === "Feature") { geometry = geometry.geometry; }
    if (geometry && geometry.type === "Polygon") { return geometry.coordinates[0]; }
    if (geometry && geometry.type === "MultiPolygon") { return geometry.coordinates[0][0]; }
    return null;
  }

  // Read-only: an application's area on the detail and review pages.
  document.querySelectorAll("[data-boundary-view]").forEach(function (element) {
    var source = document.getElementById(element.getAttribute("data-boundary-view"));
    var ring = source ? outerRing(JSON.parse(source.textContent)) : null;
    if (!ring) { element.hidden = true; return; }
    var map = baseMap(element);
    var polygon = L.polygon(ring.map(function (p) { return [p[1], p[0]]; })).addTo(map);
    map.fitBounds(polygon.getBounds(), { padding: [20, 20] });
  });

  // Drawing: each click adds a corner; the ring is closed and written to the textarea.
  document.querySelectorAll("[data-boundary-editor]").forEach(function (editor) {
    var textarea = document.getElementById(editor.getAttribute("data-boundary-editor"));
    if (!textarea) { return; }
    editor.hidden = false;
    var status = editor.querySelector("[data-boundary-status]");
    var map = baseMap(editor.querySelector(".map"));
    var points = [];
    var shape = null;

    try {
      var ring = outerRing(JSON.parse(textarea.value || "null"));
      if (ring) { points = ring.slice(0, -1).map(function (p) { return [p[1], p[0]]; }); }
    } catch (error) { points = []; }

    function say(text) { if (status) { status.textContent = text; } }

    function redraw(write) {
      if (shape) { map.removeLayer(shape); shape = null; }
      if (points.length >= 3) {
        shape = L.polygon(points).addTo(map);
      } else if (points.length > 0) {
        shape = L.polyline(points, { dashArray: "4 6" }).addTo(map);
      }
      if (!write) { return; }
      if (points.length >= 3) {
        var coords = points.map(function (p) { return [Number(p[1].toFixed(6)), Number(p[0].toFixed(6))]; });
        coords.push(coords[0]);
        textarea.value = JSON.stringify({ type: "Polygon", coordinates: [coords] });
      } else {
        textarea.value = "";
      }
      say((editor.getAttribute("data-corners-label") || "") + " " + points.length);
    }

    redraw(false);
    if (shape && points.length >= 3) {
      map.fitBounds(shape.getBounds(), { padding: [20, 20] });
    } else {
      map.setView([55.605, 13.0038], 13); // Malmö
    }

    map.on("click", function (event) {
      points.push([event.latlng.lat, event.latlng.lng]);
      redraw(true);
    });
    editor.querySelector("[data-boundary-undo]").addEventListener("click", function () {
      points.pop();
      redraw(true);
    });
    editor.querySelector("[data-boundary-clear]").addEventListener("click", function () {
      points = [];
      redraw(true);
    });
  });
})();
