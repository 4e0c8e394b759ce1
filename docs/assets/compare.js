/* Comparison page: sortable columns, filters, and the "which action fits me" finder.
   The page holds the rows of the actions with the nearest deadlines and links the whole table, which has a
   page of its own for a reader without JavaScript. This script loads every row, with each action's duration
   and note, from one JSON file next to the page (the table's data-rows, written by the build in the page's
   language), and then adds the controls. Texts come from the page (#pg-compare-text), which the generator
   fills from the locale file. */
(function () {
  "use strict";

  function fill(template, values) {
    return template.replace(/\{([a-z_]+)\}/g, function (match, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : match;
    });
  }

  // A text that depends on a number (a plural entry of the locale file): the form the language's plural rules
  // pick for it (Intl.PluralRules, as Babel does for the page), with {count} written as a number of the page.
  function plural(entry, count) {
    var name = "other";
    try {
      name = new Intl.PluralRules(entry.locale).select(count);
    } catch (error) {
      name = "other";
    }
    var form = Object.prototype.hasOwnProperty.call(entry.forms, name) ? entry.forms[name] : entry.forms.other;
    return fill(form, { count: new Intl.NumberFormat(document.documentElement.lang).format(count) });
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
      count.textContent = plural(text.shown, shown);
    }
    controls.forEach(function (control) { control.addEventListener("input", apply); });
    panel.hidden = false;
    apply();
  }

  function minimum(row, name) {
    return row.dataset[name] === "" ? null : Number(row.dataset[name]);
  }

  function cellClone(row, column) {
    var span = document.createElement("span");
    span.innerHTML = row.children[column].innerHTML;
    return span;
  }

  function finderItem(row, reasons, text) {
    var link = row.querySelector("th a");
    var item = document.createElement("li");
    var anchor = document.createElement("a");
    anchor.href = link.getAttribute("href");
    anchor.textContent = link.textContent;
    item.appendChild(anchor);
    var why = document.createElement("ul");
    why.className = "pg-why";
    reasons.forEach(function (reason) {
      var entry = document.createElement("li");
      entry.textContent = reason;
      why.appendChild(entry);
    });
    item.appendChild(why);
    var id = row.querySelector("th").dataset.id;
    var facts = document.createElement("dl");
    // Grant, partnership and next deadline as the table shows them (deadlines.js keeps the status current);
    // the duration, which has no column, worded by the page (#pg-compare-text).
    var duration = document.createElement("span");
    duration.textContent = text.durations[id] || text.unknown;
    [
      [text.label_grant, cellClone(row, 1)],
      [text.label_duration, duration],
      [text.label_partnership, cellClone(row, 2)],
      [text.label_deadline, cellClone(row, 3)]
    ].forEach(function (pair) {
      var term = document.createElement("dt");
      term.textContent = pair[0];
      var value = document.createElement("dd");
      value.appendChild(pair[1]);
      facts.appendChild(term);
      facts.appendChild(value);
    });
    if (text.notes[id]) {
      // What else the action requires, from its newest call's note.
      var term = document.createElement("dt");
      term.textContent = text.label_note;
      var value = document.createElement("dd");
      value.className = "pg-finder-note";
      value.textContent = text.notes[id];
      facts.appendChild(term);
      facts.appendChild(value);
    }
    item.appendChild(facts);
    item.dataset.action = id;
    return item;
  }

  function setUpFinder(table, text) {
    var form = document.getElementById("pg-finder");
    var results = document.getElementById("pg-finder-results");
    var heading = document.getElementById("pg-finder-results-heading");
    var summary = document.getElementById("pg-finder-summary");
    var list = document.getElementById("pg-finder-list");
    var none = document.getElementById("pg-finder-none");
    var closedBox = document.getElementById("pg-finder-closed");
    var closedList = document.getElementById("pg-finder-closed-list");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var field = form.elements.field.value;
      // The applicant ids the chosen type of organisation counts as come with its option (from data/guide.yml).
      var option = form.elements.applicant.selectedOptions[0];
      var counts = (option.dataset.applicants || "").split(" ").filter(Boolean);
      var partners = Number(form.elements.partners.value) || 1;
      var countries = Number(form.elements.countries.value) || 1;
      list.textContent = "";
      closedList.textContent = "";
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var applicants = words(row, "applicants");
        var organisations = minimum(row, "organisations");
        var needCountries = minimum(row, "countries");
        var opensTo = applicants.filter(function (a) { return counts.indexOf(a) !== -1; });
        if (words(row, "fields").indexOf(field) === -1 || opensTo.length === 0) { return; }
        if ((organisations !== null && partners < organisations) || (needCountries !== null && countries < needCountries)) { return; }
        var specific = opensTo.filter(function (a) { return a !== "any-organisation"; });
        var reasons = [fill(text.why_applicant, { applicant: text.applicants[(specific.length ? specific : opensTo)[0]] })];
        if (organisations !== null) { reasons.push(plural(text.why_partners, organisations)); }
        if (needCountries !== null) { reasons.push(plural(text.why_countries, needCountries)); }
        if (organisations === null && needCountries === null) { reasons.push(text.why_unknown_partners); }
        if (Number(row.dataset.year) < text.latest_call) {
          reasons.push(fill(text.why_year, { year: row.dataset.year }));
        }
        var item = finderItem(row, reasons, text);
        (row.dataset.open === "false" ? closedList : list).appendChild(item);
      });
      none.hidden = list.children.length > 0 || closedList.children.length > 0;
      closedBox.hidden = closedList.children.length === 0;
      summary.textContent = fill(text.found, {
        open: plural(text.found_open, list.children.length),
        closed: plural(text.found_closed, closedList.children.length)
      });
      results.hidden = false;
      heading.focus();
    });
    form.hidden = false;
  }

  function setUp(table, text) {
    setUpSorting(table, text);
    setUpFilters(table, text);
    setUpFinder(table, text);
    // The rows come sorted by next deadline as of the build; deadlines.js may have moved a deadline since.
    var headers = table.querySelectorAll("thead th");
    headers.forEach(function (th, column) {
      if (th.getAttribute("aria-sort") === "ascending") { sortRows(table, column, false, true); }
    });
  }

  // Every row of the table, from the JSON file the table names; the rows the page holds stay if it cannot load.
  function loadRows(table, text) {
    text.durations = {};
    text.notes = {};
    if (!table.dataset.rows || !window.fetch) { return Promise.resolve(); }
    return fetch(table.dataset.rows, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (data) {
        table.tBodies[0].innerHTML = data.rows.join("\n");
        text.durations = data.durations || {};
        text.notes = data.notes || {};
        table.dataset.rowsLoaded = String(data.rows.length);
        // deadlines.js words the new rows' statuses by the reader's clock.
        document.dispatchEvent(new CustomEvent("pg:content"));
      })
      .catch(function () { table.dataset.rowsLoaded = "0"; });
  }

  function start() {
    var table = document.getElementById("pg-compare");
    var source = document.getElementById("pg-compare-text");
    if (!table || !source) { return; }
    var text = JSON.parse(source.textContent);
    loadRows(table, text).then(function () { setUp(table, text); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
