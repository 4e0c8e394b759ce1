/* Deadline statuses by the reader's clock. The page is built with each deadline's status as of the build
   date ("as of ..."); this script recomputes them when the page is read, so a page built last month still
   says which calls are open. Texts come from the page (#pg-status-text), in the page's language; the
   number of days is worded by the browser (Intl.RelativeTimeFormat) with the language's plural forms. */
(function () {
  "use strict";

  var DAY = 86400000;

  function fill(template, values) {
    return template.replace(/\{([a-z_]+)\}/g, function (match, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : match;
    });
  }

  function brusselsToday(now) {
    // "YYYY-MM-DD" of the reader's moment in Brussels, where the deadlines are set.
    return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Brussels" }).format(now);
  }

  function daysBetween(from, to) {
    var a = from.split("-").map(Number);
    var b = to.split("-").map(Number);
    return Math.round((Date.UTC(b[0], b[1] - 1, b[2]) - Date.UTC(a[0], a[1] - 1, a[2])) / DAY);
  }

  // Where the browser has no relative-time or date data for the language (Chromium lacks Irish and Maltese),
  // the page's own CLDR patterns word it, so no English appears inside a translated sentence.
  function supported(kind, lang) {
    try {
      return Intl[kind].supportedLocalesOf([lang]).length > 0;
    } catch (error) {
      return false;
    }
  }

  function inDays(lang, days, fallback) {
    if (!supported("RelativeTimeFormat", lang)) {
      var forms = fallback.days;
      var form = forms[new Intl.PluralRules(lang).select(days)] || forms.other;
      return form.replace("{0}", String(days));
    }
    return new Intl.RelativeTimeFormat(lang, { numeric: "always" }).format(days, "day");
  }

  function longDate(lang, parts, fallback) {
    if (supported("DateTimeFormat", lang)) {
      return new Intl.DateTimeFormat(lang, { dateStyle: "long", timeZone: "UTC" })
        .format(new Date(Date.UTC(parts[0], parts[1] - 1, parts[2])));
    }
    // The CLDR long date pattern: d, MMMM and y, with quoted literal text ('ta'’ in Maltese).
    return fallback.date.pattern.replace(/'([^']*)'|d+|M+|y+/g, function (token, literal) {
      if (literal !== undefined) { return literal; }
      if (token[0] === "d") { return String(parts[2]); }
      if (token[0] === "M") { return fallback.date.months[parts[1] - 1]; }
      return String(parts[0]);
    });
  }

  function statusOf(closes, day, unconfirmed, now, today) {
    if (now >= new Date(closes).getTime()) { return { kind: "closed" }; }
    return { kind: unconfirmed ? "expected" : "upcoming", days: daysBetween(today, day) };
  }

  function statusText(state, text, lang) {
    if (state.kind === "closed") { return text.closed; }
    if (state.days === 0) { return text.today; }
    var template = state.kind === "expected" ? text.expected : text.upcoming;
    return fill(template, { in_days: inDays(lang, state.days, text.fallback) });
  }

  function show(element, state, text, lang) {
    element.textContent = statusText(state, text, lang);
    element.className = "pg-state pg-state--" + state.kind;
  }

  function sortKey(rank, seconds) {
    var value = String(Math.round(seconds + 1e13));
    while (value.length < 15) { value = "0" + value; }
    return rank + "-" + value;
  }

  function updateNext(holder, text, lang, now, today) {
    var candidates = JSON.parse(holder.getAttribute("data-pg-next"));
    if (!candidates.length) { return; }
    var next = null;
    candidates.forEach(function (item) {
      if (!next && now < new Date(item.closes).getTime()) { next = item; }
    });
    holder.textContent = "";
    var cell = holder.closest("[data-pg-sortkey]");
    if (next) {
      var time = document.createElement("time");
      time.setAttribute("datetime", next.day);
      time.textContent = next.text;
      var badge = document.createElement("span");
      show(badge, statusOf(next.closes, next.day, next.unconfirmed, now, today), text, lang);
      holder.appendChild(time);
      holder.appendChild(document.createTextNode(" "));
      holder.appendChild(badge);
      if (cell) { cell.setAttribute("data-value", sortKey(0, new Date(next.closes).getTime() / 1000)); }
    } else {
      var last = candidates[candidates.length - 1];
      var closed = document.createElement("span");
      closed.className = "pg-state pg-state--closed";
      closed.textContent = last.no_open;
      holder.appendChild(closed);
      if (cell) { cell.setAttribute("data-value", sortKey(1, -new Date(last.closes).getTime() / 1000)); }
    }
    var row = holder.closest("tr");
    if (row) { row.setAttribute("data-open", next ? "true" : "false"); }
    return next !== null;
  }

  function start() {
    var source = document.getElementById("pg-status-text");
    if (!source) { return; }
    var text = JSON.parse(source.textContent);
    var lang = text.locale || document.documentElement.lang;
    var now = Date.now();
    var today = brusselsToday(new Date(now));
    document.querySelectorAll("[data-pg-status][data-pg-closes]").forEach(function (element) {
      var state = statusOf(element.dataset.pgCloses, element.dataset.pgDay, element.hasAttribute("data-pg-unconfirmed"), now, today);
      show(element, state, text, lang);
    });
    var open = [];
    document.querySelectorAll("[data-pg-next]").forEach(function (holder) {
      open.push(updateNext(holder, text, lang, now, today));
    });
    // A fact sheet's "a newer call may exist" note follows its own next deadline.
    var summary = document.querySelector(".pg-summary [data-pg-next]");
    if (summary) {
      var closed = !open[Array.prototype.indexOf.call(document.querySelectorAll("[data-pg-next]"), summary)];
      document.querySelectorAll("[data-pg-when-closed]").forEach(function (note) { note.hidden = !closed; });
    }
    document.querySelectorAll("[data-pg-asof]").forEach(function (note) {
      if (note.dataset.pgAsof === today) { return; }
      var parts = today.split("-").map(Number);
      var date = longDate(lang, parts, text.fallback);
      note.textContent = fill(text.as_of, { date: date });
      note.dataset.pgAsof = today;
    });
    document.dispatchEvent(new CustomEvent("pg:deadlines"));
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  // Content a script adds later (the comparison's rows) is worded again.
  document.addEventListener("pg:content", start);
})();
