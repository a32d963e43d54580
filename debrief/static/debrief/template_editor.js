// Template editor: changing a prompt's answer kind shows that kind's settings at once (the
// page works without this file: the "Show its settings" button beside the select does it).
(function () {
  "use strict";
  var form = document.getElementById("template-editor");
  if (!form) return;
  var buttons = form.querySelectorAll("[data-kind-apply]");
  for (var i = 0; i < buttons.length; i++) buttons[i].hidden = true;
  form.addEventListener("change", function (e) {
    if (!e.target.matches("[data-kind-select]")) return;
    var apply = e.target.parentNode.querySelector("[data-kind-apply]");
    if (apply) form.requestSubmit(apply);
  });
})();
