/* On hosts that serve one 404 page for the whole site (GitHub Pages serves /404.html, the Dutch one),
   send a reader whose address lies in a language folder to that language's own 404 page. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var base = new URL(script.src).pathname.replace(/assets\/not-found\.js$/, "");
  var languages = (script.dataset.languages || "").split(" ");
  var path = window.location.pathname;
  if (path.indexOf(base) !== 0) { return; }
  var first = path.slice(base.length).split("/")[0];
  if (first && first !== script.dataset.source && languages.indexOf(first) !== -1) {
    window.location.replace(base + first + "/404.html");
  }
})();
