// The record form posts in place: a refusal comes back as the same form with what was typed
// and the error at its field; success follows the server's redirect. Without JS the plain
// post does the same on the visit page. No inline script (CSP).
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-record-form]") || !window.fetch) return;
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: {"X-Fragment": "record-form"}
    }).then(function (response) {
      if (response.ok) {
        return response.json().then(function (data) { window.location.assign(data.redirect); });
      }
      if (response.status === 400) {
        return response.text().then(function (html) {
          var holder = document.createElement("div");
          holder.innerHTML = html;
          var fresh = holder.firstElementChild;
          form.replaceWith(fresh);
          var first = fresh.querySelector(".has-error input, .has-error select");
          if (first) first.focus();
        });
      }
      form.submit();
    }).catch(function () { form.submit(); });
  });
})();
