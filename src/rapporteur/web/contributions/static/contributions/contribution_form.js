// The form came back with errors: move focus to their summary, so that it is read first.
(function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
})();
