// Incident form: "Use my position" fills the hidden latitude/longitude fields. Without
// JavaScript (or without permission) the location description is enough.
(function () {
  "use strict";
  var box = document.querySelector("[data-geo]");
  if (!box || !("geolocation" in navigator)) { return; }
  var form = box.closest("form");
  var lat = form.querySelector("input[name=lat]");
  var lon = form.querySelector("input[name=lon]");
  var button = box.querySelector("[data-geo-button]");
  var status = box.querySelector("[data-geo-status]");
  if (!lat || !lon || !button) { return; }
  box.hidden = false;
  // Beside the place field: the button, then the map (both only work with JavaScript).
  var note = form.querySelector("[name=location_note]");
  var noteField = note && note.closest(".field");
  if (noteField) {
    var picker = form.querySelector("[data-map-picker]");
    var pickerField = picker && picker.closest(".field");
    if (pickerField) { noteField.parentNode.insertBefore(pickerField, noteField.nextSibling); }
    noteField.parentNode.insertBefore(box, noteField.nextSibling);
  }
  button.addEventListener("click", function () {
    status.textContent = status.dataset.msgWorking;
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(function (position) {
      lat.value = position.coords.latitude.toFixed(6);
      lon.value = position.coords.longitude.toFixed(6);
      // The map's pin follows (map.js listens for "change").
      lat.dispatchEvent(new Event("change"));
      lon.dispatchEvent(new Event("change"));
      status.textContent = status.dataset.msgOk;
      button.disabled = false;
    }, function () {
      status.textContent = status.dataset.msgError;
      button.disabled = false;
    }, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
  });
})();
