// The role-pack page's Print button: the browser's own print dialog (A4 layout in app.css).
for (const button of document.querySelectorAll("[data-print]")) button.addEventListener("click", () => window.print());
