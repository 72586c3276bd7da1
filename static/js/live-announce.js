/* Live pages (team and cell rooms, the timeline): tell screen readers what a poll brought in, once each.

   htmx swaps the polled part whole, so that part is no live region (a screen reader would read it all
   again). Its items carry data-announce-key (stable) and data-announce (the sentence: "New inject: …");
   those on the page when it loads count as seen, and after each swap the new ones are written into the
   [data-live-announcer] region, which stays. Focus is not moved here: htmx puts it back on the element
   with the same id after the swap. */
(function () {
  "use strict";
  var seen = new Set();

  function items() {
    return document.querySelectorAll("[data-announce-key]");
  }

  function remember() {
    items().forEach(function (item) {
      seen.add(item.getAttribute("data-announce-key"));
    });
  }

  function announce() {
    var region = document.querySelector("[data-live-announcer]");
    var fresh = [];
    items().forEach(function (item) {
      var key = item.getAttribute("data-announce-key");
      if (!seen.has(key)) {
        seen.add(key);
        fresh.push(item.getAttribute("data-announce"));
      }
    });
    if (region && fresh.length) {
      region.textContent = fresh.join(" ");
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", remember);
  } else {
    remember();
  }
  document.addEventListener("htmx:afterSettle", announce);
})();
