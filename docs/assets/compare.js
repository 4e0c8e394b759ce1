/* Comparison page: sortable columns, filters, and the "which action fits me" finder.
   The table is complete without JavaScript; this script only adds controls. Texts come from the
   page (#pg-compare-text), which the generator fills from the locale file. */
(function () {
  "use strict";

  function fill(template, values) {
    return template.replace(/\{([a-z_]+)\}/g, function (match, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : match;
    });
  }

  function words(row, name) {
    return (row.dataset[name] || "").split(" ").filter(Boolean);
  }

  function setUpSorting(table, text) {
    var headers = table.querySelectorAll("thead th");
    headers.forEach(function (th, column) {
      var label = th.textContent.trim();
      var button = document.createElement("button");
      button.type = "button";
      button.className = "pg-sort";
      button.textContent = label;
      button.setAttribute("aria-label", fill(text.sort, { column: label }));
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        sortRows(table, column, th.dataset.sort === "number", ascending);
      });
    });
  }

  function cellValue(row, column) {
    var cell = row.children[column];
    return cell.dataset.value !== undefined ? cell.dataset.value : cell.textContent.trim();
  }

  function sortRows(table, column, numeric, ascending) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, column);
      var y = cellValue(b, column);
      var order = numeric ? Number(x) - Number(y) : x.localeCompare(y, document.documentElement.lang);
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  function setUpFilters(table, text) {
    var panel = document.getElementById("pg-filters");
    var count = document.getElementById("pg-filter-count");
    var controls = panel.querySelectorAll("[data-filter]");
    function apply() {
      var shown = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var visible = true;
        controls.forEach(function (control) {
          var value = control.value;
          if (!value) { return; }
          if (control.dataset.filter === "grant") {
            visible = visible && Number(row.dataset.grant) >= Number(value);
          } else {
            visible = visible && words(row, control.dataset.filter).indexOf(value) !== -1;
          }
        });
        row.hidden = !visible;
        if (visible) { shown += 1; }
      });
      count.textContent = fill(text.shown, { count: String(shown) });
    }
    controls.forEach(function (control) { control.addEventListener("input", apply); });
    panel.hidden = false;
    apply();
  }

  function setUpFinder(table, text) {
    var form = document.getElementById("pg-finder");
    var results = document.getElementById("pg-finder-results");
    var list = document.getElementById("pg-finder-list");
    var none = document.getElementById("pg-finder-none");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var field = form.elements.field.value;
      var applicant = form.elements.applicant.value;
      var partners = Number(form.elements.partners.value) || 1;
      list.textContent = "";
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var applicants = words(row, "applicants");
        var known = row.dataset.partners !== "";
        var needed = known ? Number(row.dataset.partners) : 0;
        var opensTo = applicants.indexOf(applicant) !== -1 || applicants.indexOf("any-organisation") !== -1;
        if (words(row, "fields").indexOf(field) === -1 || !opensTo || partners < needed) { return; }
        var reasons = [fill(text.why_field, { field: text.fields[field] })];
        var who = applicants.indexOf(applicant) !== -1 ? applicant : "any-organisation";
        reasons.push(fill(text.why_applicant, { applicant: text.applicants[who] }));
        reasons.push(known ? fill(text.why_partners, { organisations: String(needed) }) : text.why_unknown_partners);
        if (Number(row.dataset.year) < text.latest_call) {
          reasons.push(fill(text.why_year, { year: row.dataset.year }));
        }
        var link = row.querySelector("th a");
        var item = document.createElement("li");
        var anchor = document.createElement("a");
        anchor.href = link.getAttribute("href");
        anchor.textContent = link.textContent;
        item.appendChild(anchor);
        item.appendChild(document.createTextNode(": " + reasons.join("; ")));
        item.dataset.action = row.querySelector("th").dataset.id;
        list.appendChild(item);
      });
      none.hidden = list.children.length > 0;
      results.hidden = false;
    });
    form.hidden = false;
  }

  function start() {
    var table = document.getElementById("pg-compare");
    var source = document.getElementById("pg-compare-text");
    if (!table || !source) { return; }
    var text = JSON.parse(source.textContent);
    setUpSorting(table, text);
    setUpFilters(table, text);
    setUpFinder(table, text);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
