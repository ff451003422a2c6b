/* `?` opens the page's keyboard-shortcut dialog (its list is rendered from game/web/shortcuts.py);
   any [data-shortcuts-open] button opens it too. Esc and the Close button close it (a modal <dialog>). */
(function () {
  "use strict";
  var dialog = document.getElementById("shortcuts");
  if (!dialog || typeof dialog.showModal !== "function") return;
  function toggle() { if (dialog.open) dialog.close(); else dialog.showModal(); }
  document.addEventListener("keydown", function (ev) {
    var t = ev.target, tag = t && t.tagName;
    if (ev.key !== "?" || ev.altKey || ev.ctrlKey || ev.metaKey) return;
    if (tag === "INPUT" && t.type !== "range" && t.type !== "checkbox" || tag === "SELECT" || tag === "TEXTAREA" || (t && t.isContentEditable)) return;
    ev.preventDefault();
    toggle();
  });
  document.querySelectorAll("[data-shortcuts-open]").forEach(function (b) { b.addEventListener("click", toggle); });
})();
