/* Site search: Pagefind, with the index of the page's language only, loaded on first use.
   The markup and every text come from overrides/partials/search.html; this script opens and closes the
   search (through the theme's __search toggle), runs queries and fills the result list. Keyboard: "/"
   opens the search, arrow keys move between the field and the results, Escape closes it and puts focus
   back where it was before the search took it. Each result names the section its page sits in. */
(function () {
  "use strict";

  var root = document.querySelector("[data-pg-search]");
  if (!root) {
    return;
  }

  var toggle = document.getElementById("__search");
  var opener = document.querySelector(".pg-search-open");
  var form = root.querySelector("form");
  var input = root.querySelector(".md-search__input");
  var reset = root.querySelector("button[type=reset]");
  var meta = root.querySelector(".md-search-result__meta");
  var list = root.querySelector(".md-search-result__list");
  var template = root.querySelector("#pg-search-result");
  var text = root.dataset;
  var engine = null;
  var returnTo = null; /* the element that had focus before the search took it */

  /* The Pagefind bundle, or null when the page's language has no index (Pagefind would then search
     another language's index instead). */
  function loadEngine() {
    var bundle = new URL(root.dataset.bundle, location.href).href;
    var site = new URL(root.dataset.site, location.href).pathname;
    var lang = document.documentElement.lang;
    return fetch(bundle + "pagefind-entry.json")
      .then(function (response) { return response.json(); })
      .then(function (entry) {
        if (!entry.languages || !entry.languages[lang]) {
          return null;
        }
        return import(bundle + "pagefind.js").then(function (pagefind) {
          return pagefind.options({ baseUrl: site, excerptLength: 24 })
            .then(function () { return pagefind.init(); })
            .then(function () { return pagefind; });
        });
      });
  }

  function isOpen() {
    return toggle.checked;
  }

  /* The theme reacts to the toggle's change event (on phones it locks the page's scrolling while the search
     covers it, which also keeps the opening animation from widening the page), so it is sent on each change. */
  function setOpen(open) {
    if (toggle.checked !== open) {
      toggle.checked = open;
      toggle.dispatchEvent(new Event("change"));
    }
    if (opener) {
      opener.setAttribute("aria-expanded", String(open));
    }
  }

  function remember(element) {
    if (element && element !== document.body && !root.contains(element)) {
      returnTo = element;
    }
  }

  function open() {
    remember(document.activeElement);
    setOpen(true);
    input.focus();
    engine = engine || loadEngine();
  }

  function openerShown() {
    return opener && getComputedStyle(opener).display !== "none";
  }

  function close() {
    var inside = root.contains(document.activeElement);
    setOpen(false);
    if (!inside) {
      return;
    }
    if (openerShown() && (!returnTo || returnTo === opener || !returnTo.isConnected)) {
      opener.focus();
    } else if (returnTo && returnTo.isConnected) {
      returnTo.focus();
    } else {
      document.activeElement.blur();
    }
    returnTo = null;
  }

  function countText(count) {
    if (count === 0) {
      return text.textNone;
    }
    return count === 1 ? text.textOne : text.textOther.replace("#", String(count));
  }

  function resultItem(page) {
    var item = template.content.firstElementChild.cloneNode(true);
    item.querySelector("a").href = page.url;
    var section = item.querySelector(".pg-search-result__path");
    if (page.meta.section) {
      section.textContent = page.meta.section;
    } else {
      section.remove();
    }
    item.querySelector(".pg-search-result__title").textContent = page.meta.title || page.url;
    /* Pagefind's excerpt is the page's own text, escaped, with the matches in <mark>. */
    item.querySelector(".pg-search-result__excerpt").innerHTML = page.excerpt;
    return item;
  }

  /* data-query on the list names the query whose results it shows. */
  function show(term, pages) {
    meta.textContent = countText(pages.length);
    list.replaceChildren.apply(list, pages.map(resultItem));
    list.dataset.query = term;
  }

  function clear() {
    meta.textContent = text.textPlaceholder;
    list.replaceChildren();
    delete list.dataset.query;
  }

  function search(term) {
    if (!term.trim()) {
      clear();
      return;
    }
    meta.textContent = text.textInitializer;
    engine = engine || loadEngine();
    engine
      .then(function (pagefind) {
        return pagefind ? pagefind.debouncedSearch(term, {}, 150) : { results: [] };
      })
      .then(function (found) {
        if (found === null) {
          return null; /* a newer query replaced this one */
        }
        return Promise.all(found.results.slice(0, 20).map(function (result) { return result.data(); }));
      })
      .then(function (pages) {
        if (pages !== null && input.value === term) {
          show(term, pages);
        }
      })
      .catch(function () {
        engine = null; /* the index could not be loaded: try again with the next query */
        if (input.value === term) {
          show(term, []);
        }
      });
  }

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll("a"));
  }

  function moveFocus(step) {
    var all = links();
    var index = all.indexOf(document.activeElement) + step;
    if (index < 0) {
      input.focus();
    } else if (index < all.length) {
      all[index].focus();
    }
  }

  /* Typing "/" into a text field types it; on a radio button or a link it opens the search. */
  function isEditing(target) {
    if (target.tagName === "INPUT") {
      return !/^(checkbox|radio|button|submit|reset|image|range|color)$/.test(target.type);
    }
    return target.isContentEditable || /^(TEXTAREA|SELECT)$/.test(target.tagName);
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey && !isEditing(event.target)) {
      event.preventDefault();
      open();
    }
  });

  root.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && isOpen()) {
      event.preventDefault();
      close();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      moveFocus(event.key === "ArrowDown" ? 1 : -1);
    }
  });

  root.addEventListener("focusout", function (event) {
    if (isOpen() && event.relatedTarget && !root.contains(event.relatedTarget)) {
      setOpen(false);
      returnTo = null;
    }
  });

  if (opener) {
    opener.addEventListener("click", open);
  }
  toggle.addEventListener("change", function () { setOpen(toggle.checked); });
  input.addEventListener("focus", function (event) {
    if (!isOpen()) {
      remember(event.relatedTarget);
    }
    setOpen(true);
    engine = engine || loadEngine();
  });
  input.addEventListener("input", function () {
    setOpen(true);
    reset.hidden = !input.value;
    search(input.value);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = links()[0];
    if (first) {
      location.assign(first.href);
    }
  });
  form.addEventListener("reset", function () {
    reset.hidden = true;
    clear();
    input.focus();
  });
})();
