// Behaviour every page shares, kept out of the markup: the Content-Security-Policy allows no
// inline scripts or event handlers (script-src 'self').

// A <select data-autosubmit> sends its form when changed (school and language switches).
for (const select of document.querySelectorAll("select[data-autosubmit]")) {
  select.addEventListener("change", () => select.form.submit());
}

// A [data-print] button or link prints the page.
for (const trigger of document.querySelectorAll("[data-print]")) {
  trigger.addEventListener("click", (event) => {
    event.preventDefault();
    window.print();
  });
}

// The login page deletes what the journal kept on this device for offline entry (grids, unsent
// entries): logging out clears it with Clear-Site-Data where the browser honours it; this covers
// a school network on plain HTTP, where it doesn't.
if (document.querySelector("[data-clear-offline]") && window.indexedDB) {
  window.indexedDB.deleteDatabase("otmetka-journal");
}
