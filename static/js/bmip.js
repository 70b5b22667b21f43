// Site-wide behaviour, driven by data attributes: the templates carry no inline script,
// no on*= handler and no style attribute (Content-Security-Policy: script-src 'self',
// style-src 'self'). Loaded by base.html with defer.
(function () {
  "use strict";
  function each(selector, fn) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), fn);
  }

  // <select data-autosubmit>: choosing an option submits its form.
  each("select[data-autosubmit]", function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });

  // The main menu's groups (<details class="nav-group">) work without script; this only
  // keeps one group open at a time and closes it on Escape (focus back on its summary) or on
  // a click elsewhere, as a menu button would.
  var groups = document.querySelectorAll("details.nav-group");
  function closeGroups(except) {
    Array.prototype.forEach.call(groups, function (g) { if (g !== except) { g.open = false; } });
  }
  Array.prototype.forEach.call(groups, function (group) {
    group.addEventListener("toggle", function () { if (group.open) { closeGroups(group); } });
    group.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && group.open) {
        group.open = false;
        group.querySelector("summary").focus();
      }
    });
  });
  if (groups.length) {
    document.addEventListener("click", function (event) {
      if (!event.target.closest || !event.target.closest("details.nav-group")) { closeGroups(null); }
    });
  }

  // <button data-print>: print the page.
  each("[data-print]", function (el) {
    el.addEventListener("click", function () { window.print(); });
  });

  // data-css="top: 12px; height: 30px; --cols: 4": computed positions (the planner), set
  // through the CSSOM (allowed by the policy; a style attribute is not).
  each("[data-css]", function (el) {
    el.getAttribute("data-css").split(";").forEach(function (rule) {
      var at = rule.indexOf(":");
      if (at > 0) el.style.setProperty(rule.slice(0, at).trim(), rule.slice(at + 1).trim());
    });
  });

  // data-poll-url (+ data-poll-ms): reload the box's HTML from the URL (the officer's
  // waiting list, the reception lists). HTML that did not change is left alone; when it did,
  // the control that had the keyboard focus (a decision button in a row, a scrolling table)
  // has it again in the new HTML, and a table keeps its sideways scroll: a receptionist who
  // tabbed to "Admit" is not sent back to the top of the page every few seconds.
  var FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]";
  function focusKey(el) {
    var row = el.closest("[data-late]");
    return [
      row ? row.getAttribute("data-late") : "",
      el.tagName, el.id, el.getAttribute("name"), el.getAttribute("value"),
      el.getAttribute("href"), el.getAttribute("aria-labelledby")
    ].join("|");
  }
  function replaceKeepingFocus(box, html) {
    var active = document.activeElement;
    var key = active && active !== box && box.contains(active) ? focusKey(active) : null;
    var scrolled = {};
    box.querySelectorAll("[aria-labelledby]").forEach(function (el) {
      if (el.scrollLeft) scrolled[el.getAttribute("aria-labelledby")] = el.scrollLeft;
    });
    box.innerHTML = html;
    box.querySelectorAll("[aria-labelledby]").forEach(function (el) {
      var left = scrolled[el.getAttribute("aria-labelledby")];
      if (left) el.scrollLeft = left;
    });
    if (key === null) return;
    var again = Array.prototype.find.call(box.querySelectorAll(FOCUSABLE), function (el) {
      return focusKey(el) === key;
    });
    if (again) again.focus({preventScroll: true});
  }
  // data-poll-status="ID": after a reload, the text of the new content's [data-announce]
  // element (the late arrivals' heading with their count) goes into that live region when it
  // changed: a region replaced with the lists is not reliably announced by screen readers.
  function announced(box) {
    var el = box.querySelector("[data-announce]");
    return el ? el.textContent.replace(/\s+/g, " ").trim() : "";
  }
  each("[data-poll-url]", function (box) {
    var every = parseInt(box.getAttribute("data-poll-ms"), 10) || 5000;
    var status = document.getElementById(box.getAttribute("data-poll-status") || "");
    var said = announced(box);
    var last = null;
    function poll() {
      fetch(box.getAttribute("data-poll-url"), {cache: "no-store", credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.text() : Promise.reject(); })
        .then(function (html) {
          // Every response masks the CSRF token anew: compare without it.
          var content = html.replace(/name="csrfmiddlewaretoken" value="[^"]*"/g, "");
          if (content !== last) replaceKeepingFocus(box, html);
          last = content;
          var now = announced(box);
          if (status && now && now !== said) status.textContent = now;
          said = now;
        })
        .catch(function () {}).finally(function () { setTimeout(poll, every); });
    }
    setTimeout(poll, every);
  });

  // data-countdown="<ISO time>": minutes:seconds left (a group plan's hold).
  each("[data-countdown]", function (el) {
    var end = new Date(el.getAttribute("data-countdown")).getTime();
    function tick() {
      var s = Math.max(0, Math.round((end - Date.now()) / 1000));
      el.textContent = Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
      if (s > 0) setTimeout(tick, 1000);
    }
    tick();
  });

  // data-idle-home="URL" data-idle-seconds="N": a kiosk page goes back to URL (the kiosk
  // start) after N seconds without a touch or a key, so nothing typed stays on the screen for
  // the next person. In the last 30 seconds the element shows, with the seconds left in its
  // [data-idle-left] child (the same "time left" display as data-countdown).
  each("[data-idle-home]", function (el) {
    var limit = parseInt(el.getAttribute("data-idle-seconds"), 10) || 120;
    var left = limit;
    var counter = el.querySelector("[data-idle-left]");
    function reset() { left = limit; el.hidden = true; }
    ["pointerdown", "keydown", "input", "touchstart", "scroll"].forEach(function (type) {
      document.addEventListener(type, reset, {capture: true, passive: true});
    });
    setInterval(function () {
      left -= 1;
      if (left <= 0) { window.location.replace(el.getAttribute("data-idle-home")); return; }
      if (left <= 30) {
        el.hidden = false;
        if (counter) counter.textContent = String(left);
      }
    }, 1000);
  });

  // <form data-busy="ID">: on submit show #ID and disable the button that sent it (long
  // uploads); a button marked data-quiet (e.g. "Add a worker") sends the form without it.
  each("form[data-busy]", function (form) {
    form.addEventListener("submit", function (event) {
      var button = event.submitter || form.querySelector("button[type=submit]");
      if (button && button.hasAttribute("data-quiet")) return;
      var busy = document.getElementById(form.getAttribute("data-busy"));
      if (busy) busy.hidden = false;
      // Disabled after the submit has taken the button's name and value.
      if (button) setTimeout(function () { button.disabled = true; }, 0);
    });
  });

  // data-batch-status-url: follow a background tickets PDF until it can be downloaded.
  each("[data-batch-status-url]", function (box) {
    function poll() {
      fetch(box.getAttribute("data-batch-status-url"), {credentials: "same-origin"})
        .then(function (r) { return r.json(); }).then(function (s) {
          document.getElementById("batch-state").textContent = s.status_label || s.status;
          document.getElementById("batch-progress").value = s.percent;
          document.getElementById("batch-count").textContent = s.progress + " / " + s.total;
          if (s.download_url) {
            var p = document.getElementById("batch-download");
            p.querySelector("a").href = s.download_url; p.hidden = false;
          } else if (s.status !== "failed") { setTimeout(poll, 1500); }
        }).catch(function () { setTimeout(poll, 3000); });
    }
    setTimeout(poll, 1000);
  });

  // <input data-keep-focus>: a USB scanner types into the focused field; keep the focus there
  // (the kiosk, no mouse needed).
  each("[data-keep-focus]", function (field) {
    setInterval(function () {
      var active = document.activeElement;
      if (!active || active === document.body) { field.focus(); }
    }, 1000);
  });
})();
