// Progressive enhancement for demo-request forms: move focus to the error summary
// so keyboard and screen-reader users land on the list of problems. The form works
// without this script.
(function () {
  "use strict";
  function focusSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusSummary);
  } else {
    focusSummary();
  }
})();
