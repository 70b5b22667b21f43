// The public display polls its feed every second: the last five calls (newest first, with a
// chime on a new call) and how many people wait per service. No inline script (CSP).
(function () {
  "use strict";
  var list = document.getElementById("calls");
  var waiting = document.getElementById("waiting");
  var clock = document.getElementById("clock");
  var feed = list.dataset.feed, last = parseInt(list.dataset.last, 10) || 0;
  function chime() {
    try {
      var ctx = new (window.AudioContext || window.webkitAudioContext)();
      var osc = ctx.createOscillator(); osc.frequency.value = 880; osc.connect(ctx.destination);
      osc.start(); osc.stop(ctx.currentTime + 0.25);
    } catch (e) { /* no audio: fine */ }
  }
  function item(text, className) {
    var li = document.createElement("li");
    if (className) li.className = className;
    li.textContent = text;
    return li;
  }
  function render(data) {
    list.textContent = "";
    if (!data.last_calls.length) list.appendChild(item(list.dataset.empty, "display-empty"));
    data.last_calls.forEach(function (c, i) {
      var li = document.createElement("li"), a = document.createElement("span"), b = document.createElement("span");
      if (i === 0) li.className = "newest";
      a.textContent = c.code; b.className = "arrow"; b.textContent = "\u2192 " + c.counter;
      li.appendChild(a); li.appendChild(b); list.appendChild(li);
    });
    waiting.textContent = "";
    if (!data.waiting_lines.length) waiting.appendChild(item(waiting.dataset.none));
    data.waiting_lines.forEach(function (line) { waiting.appendChild(item(line)); });
    clock.textContent = data.time;
    if (data.last_call_id > last) chime();
    last = data.last_call_id;
  }
  function poll() {
    fetch(feed, {cache: "no-store"}).then(function (r) { return r.json(); }).then(render)
      .catch(function () {}).finally(function () { setTimeout(poll, 1000); });
  }
  setTimeout(poll, 1000);
})();
