/* The header's menu button on narrow screens. Loaded in <head> without defer so that the class below
   is set before the first paint (no flash of an open menu). Without this script the menu is simply
   always open: the stylesheet collapses it only under "has-menu", next to a closed button. */
(function () {
  "use strict";
  document.documentElement.classList.add("has-menu");

  function init() {
    var toggle = document.querySelector(".menu-toggle");
    if (!toggle) {
      return;
    }
    function setOpen(open) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
    toggle.addEventListener("click", function () {
      setOpen(toggle.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        toggle.focus();
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
