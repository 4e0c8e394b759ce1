/* Language switcher (overrides/partials/alternate.html): a <details> panel that shows every language at once.
   It opens and closes without this script; the script adds what a menu button is expected to do: Escape
   closes the panel and puts focus back on its button, the arrow keys move between the languages (Home and
   End to the first and last), and a click or focus outside closes it. */
(function () {
  "use strict";

  var menu = document.querySelector("[data-pg-languages]");
  if (!menu) {
    return;
  }

  var button = menu.querySelector("summary");
  var links = Array.prototype.slice.call(menu.querySelectorAll(".pg-lang__link"));

  function close(returnFocus) {
    menu.open = false;
    if (returnFocus) {
      button.focus();
    }
  }

  /* Arrow keys follow the reading order of the grid: left and up go back, right and down go forward. */
  function move(event) {
    var steps = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 };
    var index = links.indexOf(document.activeElement);
    var next;
    if (event.key === "Home" || event.key === "End") {
      next = event.key === "Home" ? 0 : links.length - 1;
    } else if (event.key in steps) {
      next = index < 0 ? 0 : Math.min(Math.max(index + steps[event.key], 0), links.length - 1);
    } else {
      return;
    }
    if (!menu.open) {
      menu.open = true;
    }
    event.preventDefault();
    links[next].focus();
  }

  menu.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && menu.open) {
      event.preventDefault();
      event.stopPropagation();
      close(true);
    } else if (menu.open || event.key === "ArrowDown") {
      move(event);
    }
  });

  document.addEventListener("click", function (event) {
    if (menu.open && !menu.contains(event.target)) {
      close(false);
    }
  });

  menu.addEventListener("focusout", function (event) {
    if (menu.open && event.relatedTarget && !menu.contains(event.relatedTarget)) {
      close(false);
    }
  });
})();
