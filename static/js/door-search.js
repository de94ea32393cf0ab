// The door list's search box filters the list as you type (templates/sessions_app/
// attendance/check_in.html). Without this file the same box searches on the server when
// submitted (?q=), which also finds people by parts of a word in any letter case; this
// narrows the rows already on the page, so after a server search "Clear" shows everyone.
(function () {
  "use strict";

  function tidy(text) {
    return text.toLowerCase().replace(/\s+/g, " ").trim();
  }

  // "1 match", "3 matches" in the page's language: the words are data- attributes of
  // <body> (templates/base.html), "{count}" standing for the number.
  function matches(count) {
    var name = count === 1 ? "data-js-match-one" : "data-js-match-other";
    var words = document.body.getAttribute(name) || (count === 1 ? "{count} match" : "{count} matches");
    return words.replace("{count}", String(count));
  }

  function enhance(form) {
    var input = form.querySelector("input[name=q]");
    var rows = document.querySelectorAll("[data-door-search-text]");
    if (!input || !rows.length) {
      return;
    }
    // The server's "N matches for …" line after a search, else a new one.
    var status = document.querySelector("[data-door-search-status]");
    if (!status) {
      status = document.createElement("p");
      status.className = "muted";
      status.setAttribute("role", "status");
      form.insertAdjacentElement("afterend", status);
    }

    function filter() {
      var key = tidy(input.value);
      var shown = 0;
      rows.forEach(function (row) {
        var match = !key || tidy(row.getAttribute("data-door-search-text")).indexOf(key) !== -1;
        row.hidden = !match;
        if (match) {
          shown += 1;
        }
      });
      status.textContent = key ? matches(shown) : "";
    }

    input.addEventListener("input", filter);
    // Enter still submits: the server's search is the same, and works on any list.
  }

  document.querySelectorAll("[data-door-search]").forEach(enhance);
})();
