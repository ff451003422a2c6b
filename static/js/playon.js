/* "Play on from here": the form's event follows the replay's current step (replay.js announces each). */
(function () {
  "use strict";
  var field = document.querySelector("[data-playon-step]");
  if (!field) return;
  document.addEventListener("replay:step", function (ev) { field.value = String(ev.detail.step); });
  var range = document.getElementById("rp-range");
  if (range) field.value = range.value;
})();
