// urif dashboard: small progressive enhancements (the pages work without this file).
"use strict";
document.documentElement.classList.add("js");

// Selects marked data-autosubmit submit their form on change.
for (const select of document.querySelectorAll("select[data-autosubmit]")) {
  select.addEventListener("change", () => select.form.requestSubmit());
}

// Map: hovering a deposit's row highlights its marker, and the other way round.
function highlight(id, on) {
  for (const el of document.querySelectorAll(`[data-deposit="${CSS.escape(id)}"]`)) {
    el.classList.toggle("highlight", on);
  }
}
for (const el of document.querySelectorAll("[data-deposit]")) {
  const id = el.getAttribute("data-deposit");
  if (!id) continue;
  el.addEventListener("mouseenter", () => highlight(id, true));
  el.addEventListener("mouseleave", () => highlight(id, false));
}

// Forms that run something show that they are busy and cannot be sent twice.
for (const button of document.querySelectorAll("button[data-run]")) {
  button.form.addEventListener("submit", () => {
    button.disabled = true;
    button.textContent = "Running…";
  });
}
