// Tags as chips as you type (templates/includes/tags_field.html, practice_library/forms/
// tags.py): Enter or a comma, or picking a suggestion, turns what was typed into a ticked
// chip, a copy of the field's <template> chip (the markup lives in includes/tag_chip.html
// only). A name already among the chips ticks that chip instead. Without this file the
// form works the same way, one step later: typed names become chips when the form comes
// back, and every chip is a checkbox to tick or untick.
(function () {
  "use strict";

  function tidy(text) {
    return text.replace(/\s+/g, " ").trim();
  }

  function enhance(field) {
    var list = field.querySelector("[data-tag-chips]");
    var template = field.querySelector("template[data-tag-chip]");
    var input = field.querySelector("input[list]");
    if (!list || !template || !input) {
      return;
    }
    // "Added “name”" in the page's language (includes/tags_field.html).
    var added = field.getAttribute("data-tags-added") || "Added \u201c{name}\u201d";
    var status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    field.appendChild(status);

    function chipFor(name) {
      var boxes = list.querySelectorAll("input[type=checkbox]");
      for (var i = 0; i < boxes.length; i += 1) {
        if (boxes[i].value.toLowerCase() === name.toLowerCase()) {
          return boxes[i];
        }
      }
      return null;
    }

    function addChip(raw) {
      var name = tidy(raw);
      if (!name) {
        return;
      }
      var box = chipFor(name);
      if (!box) {
        var item = template.content.firstElementChild.cloneNode(true);
        box = item.querySelector("input[type=checkbox]");
        box.value = name;
        item.querySelector(".tag-chip__name").textContent = name;
        // After the ticked chips, before the suggestions, as the form shows it again.
        var ticked = list.querySelectorAll("li:has(input:checked)");
        var after = ticked.length ? ticked[ticked.length - 1] : null;
        list.insertBefore(item, after ? after.nextSibling : list.firstChild);
        list.hidden = false;
      }
      box.checked = true;
      status.textContent = added.replace("{name}", function () {
        return name;
      });
    }

    // Everything before the last comma becomes chips; the rest stays to be typed on.
    function takeTyped(all) {
      var parts = input.value.split(",");
      var rest = all ? "" : parts.pop();
      parts.forEach(addChip);
      input.value = all ? "" : rest.replace(/^\s+/, "");
    }

    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && tidy(input.value)) {
        event.preventDefault();
        takeTyped(true);
      }
    });

    input.addEventListener("input", function (event) {
      if (input.value.indexOf(",") !== -1) {
        takeTyped(false);
      } else if (!event.inputType || event.inputType === "insertReplacementText") {
        // A suggestion picked from the list.
        takeTyped(true);
      }
    });
  }

  document.querySelectorAll("[data-tags]").forEach(enhance);
})();
