// Template editor: changing a prompt's answer kind shows that kind's settings at once (the
// page works without this file: the "Show its settings" button beside the select does it).
(function () {
  "use strict";
  var form = document.getElementById("template-editor");
  if (!form) return;
  var buttons = form.querySelectorAll("[data-kind-apply]");
  for (var i = 0; i < buttons.length; i++) buttons[i].hidden = true;
  function showSettings(select) {
    var apply = select.parentNode.querySelector("[data-kind-apply]");
    if (apply) form.requestSubmit(apply);
  }
  form.addEventListener("change", function (e) {
    if (e.target.matches("[data-kind-select]")) showSettings(e.target);
  });
  // This file comes after the page: a kind chosen before it ran (its button was still there,
  // and is hidden now) has its settings shown at once.
  var selects = form.querySelectorAll("[data-kind-select]");
  for (var j = 0; j < selects.length; j++) {
    var served = Array.prototype.findIndex.call(selects[j].options, function (o) {
      return o.defaultSelected;
    });
    if (selects[j].selectedIndex !== (served === -1 ? 0 : served)) {
      showSettings(selects[j]);
      break; // the answer replaces the form, and with it every other select
    }
  }
})();
