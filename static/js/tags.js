// Tags as chips as you type (practice_library/forms/tags.py, _tags_field.html): Enter or
// a comma, or picking a suggestion, turns what was typed into a chip; a chip's cross
// removes it at once. Without this file the form works the same way, one step later:
// typed tags become chips when the form comes back, and ticked crosses are removed on
// sending.
(function () {
  "use strict";

  function tidy(text) {
    return text.replace(/\s+/g, " ").trim();
  }

  function enhance(field) {
    var list = field.querySelector("[data-tag-chips]");
    var input = field.querySelector("input[list]");
    if (!list || !input) {
      return;
    }
    var status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    field.appendChild(status);

    function names() {
      return Array.prototype.map.call(
        list.querySelectorAll("input[type=hidden]"),
        function (hidden) { return hidden.value.toLowerCase(); }
      );
    }

    function addChip(raw) {
      var name = tidy(raw);
      if (!name || names().indexOf(name.toLowerCase()) !== -1) {
        return;
      }
      var chip = document.createElement("li");
      chip.className = "tag-chip";
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = list.dataset.name;
      hidden.value = name;
      var label = document.createElement("span");
      label.className = "tag-chip__name";
      label.textContent = name;
      var remove = document.createElement("label");
      remove.className = "tag-chip__remove";
      var box = document.createElement("input");
      box.type = "checkbox";
      box.name = list.dataset.removeName;
      box.value = name;
      var words = document.createElement("span");
      words.className = "visually-hidden";
      words.textContent = "Remove \u201c" + name + "\u201d";
      var cross = document.createElement("span");
      cross.setAttribute("aria-hidden", "true");
      cross.textContent = "\u00d7";
      remove.append(box, words, cross);
      chip.append(hidden, label, remove);
      list.appendChild(chip);
      list.hidden = false;
      status.textContent = "Added \u201c" + name + "\u201d";
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

    list.addEventListener("change", function (event) {
      var box = event.target;
      if (box.type !== "checkbox" || !box.checked) {
        return;
      }
      var chip = box.closest(".tag-chip");
      status.textContent = "Removed \u201c" + box.value + "\u201d";
      chip.remove();
      list.hidden = !list.children.length;
      input.focus();
    });
  }

  document.querySelectorAll("[data-tags]").forEach(enhance);
})();
