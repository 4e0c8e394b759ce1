/* Keep the theme's script from requesting sitemap.xml next to every hreflang link in the head.
   On DOMContentLoaded the theme fetches "sitemap.xml" relative to each <link rel="alternate"> to find
   the same page in the other languages; this site's language switcher already links those pages, and
   the hreflang links point at the published site, so the requests would be wasted (up to 25 per page)
   or leave the site when it is served from another address. The links are taken out of the head while
   the theme looks for them (its DOMContentLoaded handler was added first, so it runs before this one)
   and are put back, unchanged, right after. */
(function () {
  "use strict";

  var links = Array.prototype.slice.call(document.head.querySelectorAll("link[rel=alternate][hreflang]"));
  if (!links.length) {
    return;
  }
  var marker = document.createComment("hreflang");
  links[0].before(marker);
  links.forEach(function (link) { link.remove(); });
  document.addEventListener("DOMContentLoaded", function () {
    marker.replaceWith.apply(marker, links);
  }, { once: true });
})();
