// Progressive enhancement only: without this file a form's error summary still shows at
// its top, role="alert" has it read out, and a form whose action ends in #its-id (the RSVP
// form) opens the page there.
// With it, the keyboard focus starts on the summary when the page loads (the GOV.UK
// pattern), so keyboard and screen reader users begin at the list of problems; each link
// in it then moves the focus to its field, with the field's label or legend in view
// (jumping to the field alone would hide the question above it).
// Not the autofocus attribute: browsers ignore it on a page opened at a #fragment.
(function () {
  "use strict";

  var summaries = document.querySelectorAll("[data-error-summary]");
  if (!summaries.length) {
    return;
  }

  // The legend of a group of radios or checkboxes, else the field's own label.
  function question(field) {
    var fieldset = field.closest("fieldset");
    if (fieldset && (field.type === "radio" || field.type === "checkbox")) {
      var legend = fieldset.querySelector("legend");
      if (legend) {
        return legend;
      }
    }
    return (field.labels && field.labels[0]) || field;
  }

  summaries.forEach(function (summary) {
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) {
        return;
      }
      var field = document.getElementById(decodeURIComponent(link.hash.slice(1)));
      if (!field) {
        return;
      }
      event.preventDefault();
      question(field).scrollIntoView();
      field.focus({ preventScroll: true });
    });
  });

  // After the load event: a page opened at a #fragment has the browser move the focus to
  // that place once it has loaded (Chromium takes it off a focused element then).
  function focusSummary() {
    summaries[0].focus();
  }
  if (document.readyState === "complete") {
    focusSummary();
  } else {
    window.addEventListener("load", focusSummary);
  }
})();
