/* Fact sheets: "where to apply in your country". Without JavaScript the page links the European Commission's
   list of National Agencies; this script adds a choice of country (names in the page's language, sorted by its
   collation) and shows that country's agencies for the action's fields, with links to their websites. The
   choice is remembered in this browser only (localStorage); nothing is sent anywhere. Data and texts come from
   the page (#pg-agency-data), which the generator fills from data/national-agencies.yml and the locale file. */
(function () {
  "use strict";

  var STORAGE_KEY = "pg-country";

  /* A template such as "{agency} ({fields})" with its placeholders replaced by text or nodes. */
  function fill(template, values) {
    var fragment = document.createDocumentFragment();
    template.split(/(\{[a-z_]+\})/).forEach(function (part) {
      var name = /^\{([a-z_]+)\}$/.exec(part);
      var value = name && Object.prototype.hasOwnProperty.call(values, name[1]) ? values[name[1]] : part;
      fragment.appendChild(typeof value === "string" ? document.createTextNode(value) : value);
    });
    return fragment;
  }

  function remembered() {
    try { return window.localStorage.getItem(STORAGE_KEY) || ""; } catch (error) { return ""; }
  }

  function remember(code) {
    try {
      if (code) { window.localStorage.setItem(STORAGE_KEY, code); } else { window.localStorage.removeItem(STORAGE_KEY); }
    } catch (error) { /* storage switched off: the choice lasts for this page only */ }
  }

  function listLink(data) {
    var link = document.createElement("a");
    link.href = data.list_url;
    link.rel = "external";
    link.textContent = data.texts.list;
    return link;
  }

  function agencyItem(agency, data) {
    var item = document.createElement("li");
    var name;
    if (agency.url) {
      name = document.createElement("a");
      name.href = agency.url;
      name.rel = "external";
    } else {
      name = document.createElement("span");
    }
    name.lang = agency.lang;
    name.className = "pg-agency__name";
    name.textContent = agency.name;
    var entry = fill(data.texts.item, { agency: name, fields: agency.fields });
    if (agency.region) {
      var region = document.createElement("span");
      region.className = "pg-agency__region";
      region.textContent = agency.region;
      var wrapper = document.createElement("span");
      wrapper.appendChild(entry);
      entry = fill(data.texts.region, { label: region, value: wrapper });
    }
    item.appendChild(entry);
    if (!agency.url) {
      var note = document.createElement("span");
      note.className = "pg-agency__unconfirmed";
      note.appendChild(fill(data.texts.unconfirmed, { list: listLink(data) }));
      item.appendChild(note);
    }
    return item;
  }

  function show(result, country, data) {
    result.textContent = "";
    if (!country) { return; }
    var heading = document.createElement("p");
    heading.className = "pg-agency__country";
    heading.textContent = data.texts.where.replace("{country}", country.name);
    result.appendChild(heading);
    if (country.agencies.length === 0) {
      var none = document.createElement("p");
      none.appendChild(fill(data.texts.none, { list: listLink(data) }));
      result.appendChild(none);
      return;
    }
    var list = document.createElement("ul");
    list.className = "pg-agency__list";
    country.agencies.forEach(function (agency) { list.appendChild(agencyItem(agency, data)); });
    result.appendChild(list);
  }

  function start() {
    var box = document.querySelector("[data-pg-agency]");
    var source = document.getElementById("pg-agency-data");
    if (!box || !source) { return; }
    var data = JSON.parse(source.textContent);
    var select = document.getElementById("pg-agency-country");
    var result = document.getElementById("pg-agency-result");
    var collator = new Intl.Collator(data.locale || document.documentElement.lang);
    var byCode = {};
    data.countries
      .slice()
      .sort(function (a, b) { return collator.compare(a.name, b.name); })
      .forEach(function (country) {
        byCode[country.code] = country;
        var option = document.createElement("option");
        option.value = country.code;
        option.textContent = country.name;
        select.appendChild(option);
      });
    select.addEventListener("change", function () {
      remember(select.value);
      show(result, byCode[select.value], data);
    });
    var saved = remembered();
    if (byCode[saved]) {
      select.value = saved;
      show(result, byCode[saved], data);
    }
    box.hidden = false;
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
