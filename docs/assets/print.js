/* Print: programme-guide.css writes out where each link of the article leads; give it the full address
   (the href of a link to another page of this site is relative). */
(function () {
  "use strict";

  document.querySelectorAll(".md-content a[href]:not([href^='#'])").forEach(function (link) {
    link.setAttribute("data-pg-print-href", link.href);
  });
})();
