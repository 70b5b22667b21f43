// The live operations board polls its JSON feed every few seconds and fills each location's
// [data-field] cells (no page reload). A location added or removed since the page was drawn
// reloads the page once. No inline script (CSP).
(function () {
  "use strict";
  var board = document.getElementById("board");
  if (!board) return;
  var feed = board.dataset.feed, every = parseInt(board.dataset.refreshMs, 10) || 5000;
  var time = document.getElementById("board-time"), status = document.getElementById("board-status");
  function fill(card, row) {
    if (!card) return false;
    card.querySelectorAll("[data-field]").forEach(function (cell) {
      var name = cell.dataset.field, value = row[name];
      if (name === "is_open") {
        cell.textContent = value ? board.dataset.open : board.dataset.closed;
        card.classList.toggle("board-closed", !value);
      } else {
        cell.textContent = value === null || value === undefined ? board.dataset.none : String(value);
      }
    });
    return true;
  }
  function render(data) {
    var known = board.querySelectorAll("[data-location]").length - 1;
    if (known !== data.locations.length) { window.location.reload(); return; }
    for (var i = 0; i < data.locations.length; i++) {
      var row = data.locations[i];
      if (!fill(board.querySelector('[data-location="' + row.id + '"]'), row)) {
        window.location.reload(); return;
      }
    }
    fill(board.querySelector('[data-location="totals"]'), data.totals);
    time.textContent = data.time;
    status.textContent = "";
  }
  function poll() {
    fetch(feed, {cache: "no-store", credentials: "same-origin"})
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(render)
      .catch(function () { status.textContent = status.dataset.stale; })
      .finally(function () { setTimeout(poll, every); });
  }
  setTimeout(poll, every);
})();
