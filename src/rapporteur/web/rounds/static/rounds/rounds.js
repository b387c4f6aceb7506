// Rating rounds, with JavaScript: while focus is in the rating card, keys a / d / p rate its
// statement (agree, disagree, pass); after htmx swaps a new card in, focus moves to its statement so
// that a screen reader reads it. Every page works without this file (and without htmx).
(function () {
  "use strict";
  var keys = {a: "agree", d: "disagree", p: "pass"};
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var target = event.target;
    // Only inside the rating card (WCAG 2.1.4: single-key shortcuts are active only where they apply).
    if (!target || !target.closest || !target.closest("#rating .rating-card")) return;
    var value = keys[event.key];
    if (!value) return;
    var button = document.querySelector('#rating form.rate button[value="' + value + '"]');
    if (button) {
      event.preventDefault();
      button.click();
    }
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    if (!event.detail || !event.detail.target || event.detail.target.id !== "rating") return;
    var card = document.querySelector("#rating .card-statement") || document.querySelector("#all-rated");
    if (card) card.focus();
  });
})();
