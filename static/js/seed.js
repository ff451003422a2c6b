// A source document: bring the highlighted passage into view and focus it, so a screen reader starts there too.
const hit = document.getElementById("quote");
if (hit) {
  hit.scrollIntoView({ block: "center" });
  hit.focus({ preventScroll: true });
}
