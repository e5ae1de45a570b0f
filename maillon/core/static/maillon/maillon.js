// Maillon's few behaviours, attached from here: the Content-Security-Policy allows no
// inline script and no onclick= attribute. Pages work without this file.
(function () {
  "use strict";
  // <button type="button" data-print>: prints the page (the sign-in sheet of an event).
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (button) {
      event.preventDefault();
      window.print();
    }
  });
})();
