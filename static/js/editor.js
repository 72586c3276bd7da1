/* The exercise editor's rows, in the page: "Add" clones the formset's empty form, "Move up/down" moves the
   row and numbers the kept rows 1, 2, 3 … in their new order, "Remove" renumbers the rest. Without this
   script the same buttons post the form and the server does the same (exercises/forms/editor.py). */
(function () {
  "use strict";

  function init(editor) {
    var prefix = editor.getAttribute("data-prefix");
    var numberField = editor.getAttribute("data-number-field");
    var list = editor.querySelector("[data-editor-list]");
    var template = editor.querySelector("template[data-editor-template]");
    var total = editor.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var maxForms = editor.querySelector('input[name="' + prefix + '-MAX_NUM_FORMS"]');
    var status = editor.querySelector("[data-editor-status]");
    var state = editor.querySelector("[data-editor-state]");
    var empty = editor.querySelector("[data-editor-empty]");
    if (!list || !template || !total) {
      return;
    }

    function rows() {
      return Array.prototype.filter.call(list.children, function (row) {
        return row.hasAttribute("data-editor-row");
      });
    }

    function removed(row) {
      var box = row.querySelector('input[name$="-DELETE"]');
      return Boolean(box && box.checked);
    }

    function say(message) {
      if (status) {
        status.textContent = "";
        window.setTimeout(function () { status.textContent = message; }, 50);
      }
    }

    function unsaved() {
      if (state) {
        state.textContent = editor.getAttribute("data-msg-unsaved");
      }
    }

    // Number the kept rows 1, 2, 3 … in the order they stand; a new row keeps its hidden initial value
    // equal to its number, so that it counts as untouched (and is ignored on saving) until filled in.
    function renumber() {
      if (!numberField) {
        return;
      }
      var number = 0;
      rows().forEach(function (row) {
        if (removed(row)) {
          return;
        }
        number += 1;
        var input = row.querySelector('input[name$="-' + numberField + '"]:not([type="hidden"])');
        if (!input || input.value === String(number)) {
          return;
        }
        var idInput = row.querySelector('input[name$="-id"]');
        if (!idInput || !idInput.value) {
          var initial = row.querySelector('input[name="initial-' + input.name + '"]');
          if (initial) {
            initial.value = String(number);
          }
        }
        input.value = String(number);
        var title = row.querySelector("[data-editor-title]");
        if (title) {
          title.textContent = title.textContent.replace(/\d+/, String(number));
        }
      });
    }

    function add() {
      var count = parseInt(total.value, 10) || 0;
      if (maxForms && count >= (parseInt(maxForms.value, 10) || Infinity)) {
        return;
      }
      var holder = document.createElement("div");
      holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(count));
      var row = holder.querySelector("[data-editor-row]");
      list.appendChild(row);
      total.value = String(count + 1);
      if (empty) {
        empty.hidden = true;
      }
      renumber();
      unsaved();
      var details = row.querySelector("details");
      if (details) {
        details.open = true;
      }
      var field = row.querySelector(
        '.editor-row__body input:not([type="hidden"]):not([name$="-' + (numberField || "-") + '"]), .editor-row__body select, .editor-row__body textarea'
      );
      (field || row.querySelector("summary")).focus();
      say(editor.getAttribute("data-msg-added"));
    }

    function move(row, step, button) {
      var sibling = step < 0 ? row.previousElementSibling : row.nextElementSibling;
      if (!sibling) {
        return;
      }
      list.insertBefore(row, step < 0 ? sibling : sibling.nextElementSibling);
      renumber();
      unsaved();
      // Keep the keyboard where it was; at the edge, on the other button.
      var other = row.querySelector(step < 0 ? '[data-editor-move="down"]' : '[data-editor-move="up"]');
      (row === (step < 0 ? list.firstElementChild : list.lastElementChild) ? other : button).focus();
      var all = rows();
      say(
        editor
          .getAttribute("data-msg-moved")
          .replace("%(position)s", String(all.indexOf(row) + 1))
          .replace("%(count)s", String(all.length))
      );
    }

    editor.addEventListener("click", function (event) {
      var button = event.target.closest('button[name="editor-action"]');
      if (!button || !editor.contains(button)) {
        return;
      }
      if (button.value === "add") {
        event.preventDefault();
        add();
      } else if (/^(up|down)-/.test(button.value)) {
        event.preventDefault();
        move(button.closest("[data-editor-row]"), button.value.indexOf("up") === 0 ? -1 : 1, button);
      }
    });

    editor.addEventListener("change", function (event) {
      if (event.target.matches('input[name$="-DELETE"]')) {
        renumber();
      }
      unsaved();
    });
  }

  document.querySelectorAll("form[data-editor]").forEach(init);
})();
