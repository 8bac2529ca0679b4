// Place maps (Leaflet, vendored). Every map has a list alternative on the page; the map only
// adds a picture. Data comes from JSON endpoints and data- attributes (CSP: no inline script).
(function () {
  "use strict";
  if (!window.L) { return; }

  var BRAND = "#0b5a6b";
  var ITEM = "#9a3f00";
  var OVERDUE = "#a4161a";
  var ACTIVITY = "#1e6b3a";

  function readConfig(el) {
    var id = el.getAttribute("data-config");
    var node = id ? document.getElementById(id) : null;
    if (!node) { return {}; }
    try { return JSON.parse(node.textContent) || {}; } catch (e) { return {}; }
  }

  // Tiles that fail (no connection, a blocked or broken tile server): say so under the map
  // instead of leaving a grey box. Once per map.
  function noticeTileErrors(el, layer) {
    var shown = false;
    layer.on("tileerror", function () {
      if (shown) { return; }
      shown = true;
      var text = el.getAttribute("data-tile-error") || document.body.getAttribute("data-tile-error");
      if (!text) { return; }
      var notice = document.createElement("p");
      notice.className = "message message--warning map-notice";
      notice.setAttribute("role", "status");
      notice.setAttribute("data-tile-notice", "");
      notice.textContent = text;
      el.parentNode.insertBefore(notice, el.nextSibling);
    });
  }

  function baseMap(el, config) {
    var map = L.map(el, { scrollWheelZoom: false, tap: true });
    var tiles = L.tileLayer(el.getAttribute("data-tile-url"), {
      attribution: el.getAttribute("data-tile-attribution") || "",
      maxZoom: 19,
    });
    noticeTileErrors(el, tiles);
    tiles.addTo(map);
    if (config.boundary) {
      var boundary = L.geoJSON(config.boundary, {
        interactive: false,
        style: { color: BRAND, weight: 2, fillOpacity: 0.06 },
      }).addTo(map);
      map.fitBounds(boundary.getBounds(), { padding: [16, 16] });
    } else if (config.centre) {
      map.setView(config.centre, 16);
    } else {
      map.setView([62.0, 15.0], 4);
    }
    return map;
  }

  function popupContent(marker) {
    // Built from text nodes: descriptions are user text and never parsed as HTML.
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = marker.url;
    link.textContent = marker.title;
    box.appendChild(link);
    var parts = [marker.kindLabel];
    if (marker.status) { parts.push(marker.status); }
    if (marker.overdue) { parts.push(marker.overdueLabel); }
    var meta = document.createElement("p");
    meta.textContent = parts.join(" · ");
    box.appendChild(meta);
    if (marker.text) {
      var text = document.createElement("p");
      text.textContent = marker.text;
      box.appendChild(text);
    }
    return box;
  }

  function placeMap(el) {
    var config = readConfig(el);
    var map = baseMap(el, config);
    var layer = L.layerGroup().addTo(map);
    var labels = {
      activity: el.getAttribute("data-activity-label") || "",
      item: el.getAttribute("data-item-label") || "",
      overdue: el.getAttribute("data-overdue-label") || "",
    };

    function add(marker, colour, kindLabel) {
      marker.kindLabel = kindLabel;
      marker.overdueLabel = labels.overdue;
      L.circleMarker([marker.lat, marker.lon], {
        radius: marker.type === "activity" ? 7 : 9,
        color: "#fff",
        weight: 2,
        fillColor: colour,
        fillOpacity: 0.95,
      }).bindPopup(popupContent(marker)).addTo(layer);
    }

    function load() {
      if (!config.dataUrl) { return; }
      el.setAttribute("aria-busy", "true");
      fetch(config.dataUrl + window.location.search, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          if (!response.ok) { throw new Error(response.status); }
          return response.json();
        })
        .then(function (data) {
          layer.clearLayers();
          data.activities.forEach(function (m) { add(m, ACTIVITY, labels.activity); });
          data.action_items.forEach(function (m) {
            add(m, m.overdue ? OVERDUE : ITEM, labels.item);
          });
          el.setAttribute("data-marker-count", String(data.activities.length + data.action_items.length));
          el.setAttribute("data-item-count", String(data.action_items.length));
          el.removeAttribute("aria-busy");
        })
        .catch(function () {
          el.setAttribute("data-marker-count", "error");
          el.removeAttribute("aria-busy");
        });
    }

    load();
    // The list's filters live in the URL; follow them when htmx updates the list.
    document.body.addEventListener("htmx:pushedIntoHistory", load);
    window.addEventListener("popstate", load);
  }

  function pointMap(el) {
    var config = readConfig(el);
    var map = baseMap(el, config);
    var lat = parseFloat(el.getAttribute("data-lat"));
    var lon = parseFloat(el.getAttribute("data-lon"));
    if (isFinite(lat) && isFinite(lon)) {
      L.circleMarker([lat, lon], { radius: 9, color: "#fff", weight: 2, fillColor: ITEM, fillOpacity: 0.95 })
        .bindTooltip(el.getAttribute("data-label") || "")
        .addTo(map);
      map.setView([lat, lon], Math.max(map.getZoom(), 17));
    }
  }

  // Points given in the page's config (the public tips map: grid positions, a list beside it).
  function pointsMap(el) {
    var config = readConfig(el);
    var map = baseMap(el, config);
    (config.points || []).forEach(function (point) {
      L.circleMarker([point.lat, point.lon], { radius: 9, color: "#fff", weight: 2, fillColor: ITEM, fillOpacity: 0.95 })
        .bindTooltip(String(point.label || ""))
        .addTo(map);
    });
    el.setAttribute("data-marker-count", String((config.points || []).length));
  }

  function pickerMap(el) {
    var config = readConfig(el);
    var map = baseMap(el, config);
    var latInput = document.getElementById(el.getAttribute("data-lat-input"));
    var lonInput = document.getElementById(el.getAttribute("data-lon-input"));
    var marker = null;

    function show(lat, lon, pan) {
      if (!isFinite(lat) || !isFinite(lon)) {
        if (marker) { map.removeLayer(marker); marker = null; }
        return;
      }
      if (!marker) {
        marker = L.circleMarker([lat, lon], { radius: 10, color: "#fff", weight: 3, fillColor: ITEM, fillOpacity: 1 }).addTo(map);
      } else {
        marker.setLatLng([lat, lon]);
      }
      if (pan) { map.panTo([lat, lon]); }
    }

    function fromInputs(pan) {
      show(parseFloat(latInput.value), parseFloat(lonInput.value), pan);
    }

    map.on("click", function (event) {
      latInput.value = event.latlng.lat.toFixed(6);
      lonInput.value = event.latlng.lng.toFixed(6);
      show(event.latlng.lat, event.latlng.lng, false);
      // Let forms.js check the pin against the boundary at once.
      lonInput.dispatchEvent(new Event("input", { bubbles: true }));
    });
    latInput.addEventListener("change", function () { fromInputs(true); });
    lonInput.addEventListener("change", function () { fromInputs(true); });
    fromInputs(false);
  }

  // The overview across places: one marker per place, labelled with its key figure. The table
  // on the page holds the same figures, so the map adds only the picture.
  function overviewMap(el) {
    var node = document.getElementById(el.getAttribute("data-config"));
    var places = [];
    try { places = JSON.parse(node.textContent) || []; } catch (e) { places = []; }
    var map = baseMap(el, {});
    var bounds = [];
    places.forEach(function (place) {
      // Built from text nodes: names are typed by people and never parsed as HTML.
      var label = document.createElement("span");
      var name = document.createElement("strong");
      name.textContent = place.name;
      label.appendChild(name);
      label.appendChild(document.createTextNode(" " + place.figure));
      var box = document.createElement("div");
      if (place.url) {
        var link = document.createElement("a");
        link.href = place.url;
        link.textContent = place.name;
        box.appendChild(link);
      } else {
        box.appendChild(document.createTextNode(place.name));
      }
      var figure = document.createElement("p");
      figure.textContent = place.figure;
      box.appendChild(figure);
      L.circleMarker([place.lat, place.lon], {
        radius: 10, color: "#fff", weight: 3, fillColor: BRAND, fillOpacity: 1,
      }).bindTooltip(label, { permanent: true, direction: "top", offset: [0, -8] })
        .bindPopup(box).addTo(map);
      bounds.push([place.lat, place.lon]);
    });
    if (bounds.length === 1) { map.setView(bounds[0], 13); }
    else if (bounds.length) { map.fitBounds(bounds, { padding: [40, 40] }); }
    el.setAttribute("data-marker-count", String(bounds.length));
  }

  function init() {
    document.querySelectorAll("[data-overview-map]").forEach(overviewMap);
    document.querySelectorAll("[data-place-map]").forEach(placeMap);
    document.querySelectorAll("[data-map-point]").forEach(pointMap);
    document.querySelectorAll("[data-map-picker]").forEach(pickerMap);
    document.querySelectorAll("[data-map-points]").forEach(pointsMap);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
