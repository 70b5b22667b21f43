// "Copy" buttons: <button data-copy="ID"> copies the value of the input with that id.
// Hidden without JavaScript (the key can still be selected and copied by hand). No inline script (CSP).
(function () {
  "use strict";
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.dataset.copy);
    if (!field || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        button.textContent = button.dataset.copied || button.textContent;
      });
    });
  });
})();
