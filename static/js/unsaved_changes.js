// Warn before leaving a page whose form has changes that are not saved yet.
//
// A form opts in with data-warn-unsaved. A form shown again with errors carries data-unsaved:
// what it holds was typed but never saved, so it starts out unsaved. The beforeunload
// listener exists only while something is unsaved, because browsers keep pages without one in
// their back/forward cache. Submitting the form itself is not leaving it.
(function () {
  "use strict";
  var unsaved = [];

  function warn(event) {
    event.preventDefault();
    event.returnValue = "";  // older browsers show their dialog only when this is set
  }

  function listen() {
    if (unsaved.length) {
      window.addEventListener("beforeunload", warn);
    } else {
      window.removeEventListener("beforeunload", warn);
    }
  }

  function snapshot(form) {
    var parts = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken") { parts.push(name + "=" + value); }
    });
    return parts.join("&");
  }

  function mark(form, isUnsaved) {
    var index = unsaved.indexOf(form);
    if (isUnsaved && index === -1) { unsaved.push(form); }
    if (!isUnsaved && index !== -1) { unsaved.splice(index, 1); }
    form.querySelectorAll("[data-unsaved-note]").forEach(function (note) {
      note.hidden = !isUnsaved;
    });
    listen();
  }

  document.querySelectorAll("form[data-warn-unsaved]").forEach(function (form) {
    var saved = form.hasAttribute("data-unsaved") ? null : snapshot(form);
    function check() { mark(form, saved === null || snapshot(form) !== saved); }
    form.addEventListener("input", check);
    form.addEventListener("change", check);
    form.addEventListener("submit", function () {
      var index = unsaved.indexOf(form);
      if (index !== -1) { unsaved.splice(index, 1); }
      listen();
    });
    check();
  });
})();
