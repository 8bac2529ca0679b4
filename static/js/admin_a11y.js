// Names for the Django admin's controls that its own widgets leave unnamed (WCAG 1.3.1, 4.1.2),
// each taken from the text a sighted user reads beside it:
// - select2 comboboxes (autocomplete fields) by their field label, or their column header in a
//   tabular inline, plus the current choice;
// - form controls in tables (tabular inlines, editable change lists) by their column header and
//   the row's object;
// - the date and time boxes of a date-time field by the field label and "Date:"/"Time:";
// - the search icons of the two-list filter widget are images with a text (role="img").
// Loaded on every admin page by templates/admin/base_site.html; no inline script or style.
(function () {
  "use strict";

  var generated = 0;

  function idOf(element) {
    if (!element.id) {
      generated += 1;
      element.id = "a11y-name-" + generated;
    }
    return element.id;
  }

  function hasText(element) {
    return Boolean(element && element.textContent.replace(/\s+/g, ""));
  }

  function isNamed(control) {
    return (control.labels && control.labels.length > 0) ||
      control.hasAttribute("aria-label") || control.hasAttribute("aria-labelledby");
  }

  function fieldLabel(control) {
    if (control.id) {
      var label = document.querySelector('label[for="' + CSS.escape(control.id) + '"]');
      if (hasText(label)) { return label; }
    }
    return null;
  }

  // The header of the control's column, and what names its row (a change list's link, an
  // inline's saved object), when the control sits in a table.
  function tableNames(control) {
    var cell = control.closest("td, th");
    var table = cell && cell.closest("table");
    if (!table || !table.tHead || !table.tHead.rows.length) { return []; }
    var header = table.tHead.rows[0].cells[cell.cellIndex];
    if (!hasText(header)) { return []; }
    var names = [idOf(header)];
    var row = cell.parentElement;
    var rowName = row.querySelector("th:not(.action-checkbox)") || row.querySelector("td.original p");
    if (hasText(rowName) && rowName !== cell) { names.push(idOf(rowName)); }
    return names;
  }

  function nameCombobox(select) {
    var container = select.nextElementSibling;
    if (!container || !container.classList.contains("select2")) { return; }
    var label = fieldLabel(select);
    var names = label ? [idOf(label)] : tableNames(select);
    if (!names.length) { return; }
    var single = container.querySelector(".select2-selection--single");
    if (single) {
      // The combobox reads as "<label> <choice>"; the choice's own box (role="textbox") as
      // "<label>", which it lacks while nothing is chosen.
      var rendered = single.querySelector(".select2-selection__rendered");
      single.setAttribute("aria-labelledby", names.concat(rendered ? [idOf(rendered)] : []).join(" "));
      if (rendered) { rendered.setAttribute("aria-labelledby", names.join(" ")); }
    }
    // A multiple choice: the list of choices (role="combobox") and the box to search in.
    container.querySelectorAll(".select2-selection--multiple, .select2-search__field")
      .forEach(function (element) { element.setAttribute("aria-labelledby", names.join(" ")); });
  }

  function nameTableControl(control) {
    if (isNamed(control) || control.type === "hidden") { return; }
    var names = tableNames(control);
    if (names.length) { control.setAttribute("aria-labelledby", names.join(" ")); }
  }

  // <label>Opens:</label> <p class="datetime">Date: <input> <br> Time: <input></p>
  function nameDateTimeParts(paragraph) {
    var row = paragraph.closest(".form-row, .fieldBox, td");
    var label = row && row.querySelector("label");
    Array.prototype.forEach.call(paragraph.querySelectorAll("input"), function (input) {
      if (isNamed(input)) { return; }
      var before = input.previousSibling;
      var names = hasText(label) ? [idOf(label)] : tableNames(input);
      if (before && before.nodeType === Node.TEXT_NODE && before.textContent.trim()) {
        var part = document.createElement("span");
        part.textContent = before.textContent;
        before.replaceWith(part);
        names.push(idOf(part));
      }
      if (names.length) { input.setAttribute("aria-labelledby", names.join(" ")); }
    });
  }

  function nameAll(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach(nameCombobox);
    root.querySelectorAll("p.datetime").forEach(nameDateTimeParts);
    root.querySelectorAll("table input, table select, table textarea").forEach(nameTableControl);
    root.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  // The admin builds its widgets on DOM ready (select2) and on load (the two-list filter):
  // name everything once they all have run, and again in each inline row added later.
  window.addEventListener("load", function () {
    window.setTimeout(function () { nameAll(document); }, 0);
  });
  document.addEventListener("formset:added", function (event) {
    window.setTimeout(function () { nameAll(event.target); }, 0);
  });
})();
