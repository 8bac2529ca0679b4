// Admin boundary widget: shows the GeoJSON of a place's boundary on a Leaflet map and lets the
// admin draw a new one. The textarea stays the source of truth (and works without JavaScript);
// settings and labels come from its data- attributes because CSP forbids inline script.
(function () {
  "use strict";

  var SWEDEN = [62.0, 15.0];

  function parseGeometry(text) {
    if (!text || !text.trim()) { return { empty: true }; }
    var value;
    try { value = JSON.parse(text); } catch (e) { return { invalid: true }; }
    if (value && value.type === "FeatureCollection" && value.features && value.features.length === 1) {
      value = value.features[0];
    }
    if (value && value.type === "Feature") { value = value.geometry; }
    if (!value || (value.type !== "Polygon" && value.type !== "MultiPolygon") || !Array.isArray(value.coordinates)) {
      return { invalid: true };
    }
    return { geometry: value };
  }

  function button(label, className) {
    var el = document.createElement("button");
    el.type = "button";
    el.className = "button boundary-map__button " + (className || "");
    el.textContent = label;
    return el;
  }

  function round(n) { return Math.round(n * 1e6) / 1e6; }

  // Same layout as the server's format_json: one [lon, lat] position per line.
  function formatPolygon(ring) {
    var positions = ring.map(function (p) { return "      [" + p[0] + ", " + p[1] + "]"; });
    return '{\n  "type": "Polygon",\n  "coordinates": [\n    [\n' +
      positions.join(",\n") + "\n    ]\n  ]\n}";
  }

  function init(textarea) {
    if (typeof L === "undefined" || textarea.dataset.boundaryMapReady) { return; }
    textarea.dataset.boundaryMapReady = "1";
    var d = textarea.dataset;

    var wrap = document.createElement("div");
    wrap.className = "boundary-map";
    var mapEl = document.createElement("div");
    mapEl.className = "boundary-map__map";
    mapEl.setAttribute("role", "region");
    mapEl.setAttribute("aria-label", d.labelMap || "Map");
    var toolbar = document.createElement("div");
    toolbar.className = "boundary-map__toolbar";
    var drawBtn = button(d.labelDraw || "Draw");
    var finishBtn = button(d.labelFinish || "Finish", "default");
    var undoBtn = button(d.labelUndo || "Undo");
    var cancelBtn = button(d.labelCancel || "Cancel");
    var clearBtn = button(d.labelClear || "Clear");
    [drawBtn, finishBtn, undoBtn, cancelBtn, clearBtn].forEach(function (b) { toolbar.appendChild(b); });
    var status = document.createElement("p");
    status.className = "boundary-map__status help";
    status.setAttribute("aria-live", "polite");
    wrap.appendChild(toolbar);
    wrap.appendChild(mapEl);
    wrap.appendChild(status);
    // Below the field and its help text (the admin lays label and textarea out in a row).
    var row = textarea.closest(".flex-container");
    if (row && row.parentNode) {
      row.parentNode.appendChild(wrap);
    } else {
      textarea.parentNode.insertBefore(wrap, textarea.nextSibling);
    }

    var map = L.map(mapEl, { scrollWheelZoom: false }).setView(SWEDEN, 4);
    if (d.tileUrl) {
      L.tileLayer(d.tileUrl, { maxZoom: 19, attribution: d.tileAttribution || "" }).addTo(map);
    }
    // Not interactive: a click on a drawn shape must reach the map to add a corner.
    var shape = L.geoJSON(null, {
      interactive: false,
      style: { color: "#0b5a6b", weight: 3, fillOpacity: 0.15, className: "boundary-map__shape" }
    }).addTo(map);
    var sketch = L.polyline([], { color: "#9a3f00", weight: 3, dashArray: "6 6", interactive: false }).addTo(map);
    var corners = L.layerGroup().addTo(map);
    var drawing = false;
    var points = [];

    function setMode(isDrawing) {
      drawing = isDrawing;
      wrap.classList.toggle("is-drawing", drawing);
      drawBtn.hidden = drawing;
      clearBtn.hidden = drawing;
      finishBtn.hidden = !drawing;
      undoBtn.hidden = !drawing;
      cancelBtn.hidden = !drawing;
      status.textContent = drawing ? (d.labelDrawing || "") : status.textContent;
    }

    function showText() {
      var parsed = parseGeometry(textarea.value);
      shape.clearLayers();
      status.textContent = "";
      if (parsed.invalid) {
        status.textContent = d.labelInvalid || "";
        return;
      }
      if (parsed.geometry) {
        try {
          shape.addData(parsed.geometry);
          map.fitBounds(shape.getBounds(), { padding: [20, 20], maxZoom: 18 });
        } catch (e) {
          shape.clearLayers();
          status.textContent = d.labelInvalid || "";
        }
      }
    }

    function redrawSketch() {
      sketch.setLatLngs(points);
      corners.clearLayers();
      points.forEach(function (p) {
        L.circleMarker(p, { radius: 5, color: "#9a3f00", fillOpacity: 1, interactive: false }).addTo(corners);
      });
      finishBtn.disabled = points.length < 3;
      undoBtn.disabled = points.length === 0;
    }

    function stopDrawing() {
      points = [];
      redrawSketch();
      setMode(false);
    }

    map.on("click", function (event) {
      if (!drawing) { return; }
      points.push(event.latlng);
      redrawSketch();
    });

    drawBtn.addEventListener("click", function () {
      points = [];
      redrawSketch();
      setMode(true);
      mapEl.focus();
    });
    undoBtn.addEventListener("click", function () { points.pop(); redrawSketch(); });
    cancelBtn.addEventListener("click", function () { stopDrawing(); showText(); });
    finishBtn.addEventListener("click", function () {
      if (points.length < 3) { return; }
      var ring = points.map(function (p) { return [round(p.lng), round(p.lat)]; });
      ring.push(ring[0].slice());
      textarea.value = formatPolygon(ring);
      stopDrawing();
      showText();
      textarea.dispatchEvent(new Event("change", { bubbles: true }));
    });
    clearBtn.addEventListener("click", function () {
      textarea.value = "";
      showText();
      textarea.dispatchEvent(new Event("change", { bubbles: true }));
    });

    var timer = null;
    textarea.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(showText, 400);
    });

    setMode(false);
    showText();
    // Collapsed fieldsets and late layout: let Leaflet measure the container once visible.
    window.setTimeout(function () { map.invalidateSize(); }, 200);
  }

  function initAll() {
    document.querySelectorAll("textarea[data-boundary-map]").forEach(init);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initAll);
  } else {
    initAll();
  }
})();
