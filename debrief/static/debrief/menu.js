// The compact header on phones: the main links, search and account fold behind one "Menu"
// button. Without JavaScript the header still works (its links scroll sideways on one line).
(function () {
  "use strict";
  var bar = document.querySelector(".topbar");
  var button = bar && bar.querySelector(".menu-toggle");
  var menu = document.getElementById("site-menu");
  if (!button || !menu) return;
  bar.classList.add("js-menu");
  button.hidden = false;
  function set(open) {
    bar.classList.toggle("menu-open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }
  button.addEventListener("click", function () {
    set(button.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && bar.classList.contains("menu-open")) {
      set(false);
      button.focus();
    }
  });
})();
