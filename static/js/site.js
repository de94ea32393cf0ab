// Progressive enhancement only: every page works without this file.
// Closes an open header menu when the visitor clicks elsewhere or presses Escape, and
// shows the "Copy" buttons next to addresses to copy (hidden without the clipboard).
(function () {
  "use strict";

  function openMenus() {
    return document.querySelectorAll("details.menu[open]");
  }

  document.addEventListener("click", function (event) {
    openMenus().forEach(function (menu) {
      if (!menu.contains(event.target)) {
        menu.removeAttribute("open");
      }
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    openMenus().forEach(function (menu) {
      menu.removeAttribute("open");
      menu.querySelector("summary").focus();
    });
  });

  // <button data-copy="field-id" data-copy-status="status-id" hidden>: copies the field's
  // value and says so in the status element (an aria-live region), in the page's
  // language (the words are data- attributes of <body>, templates/base.html).
  function message(name, fallback) {
    return document.body.getAttribute("data-js-" + name) || fallback;
  }

  function say(status, text) {
    if (!status) {
      return;
    }
    // Empty first, so that saying "Copied" twice is announced twice.
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = text;
    }, 50);
  }

  function setUpCopy(button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    if (!field) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(
        function () {
          say(status, message("copied", "Copied"));
        },
        function () {
          field.focus();
          field.select();
          say(
            status,
            message(
              "copy-failed",
              "Couldn't copy: the address is selected, copy it with your keyboard or menu."
            )
          );
        }
      );
    });
  }

  // Clicking a read-only address selects all of it, ready to copy by hand.
  document.querySelectorAll("input[readonly][data-select-all]").forEach(function (field) {
    ["focus", "click"].forEach(function (type) {
      field.addEventListener(type, function () {
        field.select();
      });
    });
  });

  if (navigator.clipboard && window.isSecureContext) {
    document.querySelectorAll("button[data-copy]").forEach(setUpCopy);
  }
})();
