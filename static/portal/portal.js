/* Employer portal: "Where" shows only its own location field; worker rows are added and
   removed in the browser (up to the group maximum). (The countdown and the "planning"
   notice are static/js/bmip.js: data-countdown, data-busy.) The pages
   work without this file: every field is shown, "Add a worker" posts the form and the
   server adds a row. No inline script: loaded with <script src> (CSP without unsafe-inline). */
(function () {
  "use strict";

  function where() {
    var target = document.getElementById("id_target");
    if (!target) return;
    function apply() {
      document.querySelectorAll("[data-where]").forEach(function (el) {
        el.hidden = el.dataset.where.split(" ").indexOf(target.value) < 0;
      });
    }
    target.addEventListener("change", apply);
    apply();
  }

  function rows() {
    var box = document.getElementById("worker-rows");
    var template = document.getElementById("worker-template");
    var total = document.getElementById("id_w-TOTAL_FORMS");
    var add = document.querySelector("[data-add-row]");
    if (!box || !template || !total || !add) return;
    var max = parseInt(box.dataset.max, 10) || 200;
    var limit = document.getElementById("row-limit");

    function renumber() {
      var list = box.querySelectorAll("[data-worker-row]");
      list.forEach(function (row, i) {
        row.querySelectorAll("[name],[id],[for]").forEach(function (el) {
          ["name", "id", "for"].forEach(function (attr) {
            var value = el.getAttribute(attr);
            if (value) el.setAttribute(attr, value.replace(/w-\d+-/, "w-" + i + "-"));
          });
        });
        row.querySelector("[data-row-number]").textContent = i + 1;
        row.querySelector("[data-remove-row]").hidden = list.length < 2;
      });
      total.value = list.length;
      add.disabled = list.length >= max;
      if (limit) limit.hidden = list.length < max;
    }

    add.addEventListener("click", function (event) {
      event.preventDefault();
      var count = box.querySelectorAll("[data-worker-row]").length;
      if (count >= max) return;
      box.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, count));
      renumber();
      var rowsNow = box.querySelectorAll("[data-worker-row]");
      var first = rowsNow[rowsNow.length - 1].querySelector("input, select");
      if (first) first.focus();
    });
    box.addEventListener("click", function (event) {
      var button = event.target.closest("[data-remove-row]");
      if (!button) return;
      button.closest("[data-worker-row]").remove();
      renumber();
      add.focus();
    });
    renumber();
  }

  where();
  rows();
})();
