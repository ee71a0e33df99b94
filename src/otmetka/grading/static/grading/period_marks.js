// The period marks page: keyboard moves between students, "accept" takes the suggestion.
// The form itself works without this module (touch and plain POST).

const form = document.getElementById("period-marks");

function valueInputs() {
  return [...form.querySelectorAll(".pm-value input:not([disabled])")];
}

function accept(row) {
  const input = row.querySelector(".pm-value input");
  if (input && !input.disabled && row.dataset.suggestion) {
    input.value = row.dataset.suggestion;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }
}

function move(input, step) {
  const inputs = valueInputs();
  const next = inputs[inputs.indexOf(input) + step];
  if (next) {
    next.focus();
    next.select();
  }
}

if (form) {
  form.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    if (button.dataset.accept) {
      accept(button.closest("tr"));
    } else if (button.dataset.action === "accept-all") {
      for (const row of form.querySelectorAll("tr[data-suggestion]")) {
        const input = row.querySelector(".pm-value input");
        if (input && !input.value) accept(row);
      }
    }
  });
  form.addEventListener("keydown", (event) => {
    const input = event.target;
    if (!input.matches || !input.matches(".pm-value input")) return;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    } else if (event.key === "Enter" || event.key === "ArrowDown") {
      event.preventDefault();
      move(input, 1);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      move(input, -1);
    } else if (event.key === "+") {
      event.preventDefault();
      accept(input.closest("tr"));
    }
  });
}
