// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 48rem)");
  function sync() {
    var filters = document.getElementById("filters");
    if (filters && wide.matches) { filters.open = true; }
  }
  sync();
  if (wide.addEventListener) { wide.addEventListener("change", sync); }
  // Filter selects and date inputs submit their form without a click on "Search".
  document.querySelectorAll("form.search select[name=sort]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
})();
