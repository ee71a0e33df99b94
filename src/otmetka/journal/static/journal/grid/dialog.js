// An in-page modal dialog (<dialog>, keyboard and screen-reader friendly) instead of the
// browser's prompt/confirm: ask(message, value) → the typed text or null; confirm → true/false.

export function createDialog(node) {
  const text = node.querySelector(".grid-dialog-text");
  const input = node.querySelector("input[name=answer]");
  const field = node.querySelector(".grid-dialog-field");

  function open(message, value) {
    text.textContent = message;
    field.hidden = value === null;
    input.value = value ?? "";
    node.returnValue = "";
    return new Promise((resolve) => {
      node.addEventListener("close", () => resolve(node.returnValue === "ok" ? input.value : null), { once: true });
      node.showModal();
      if (value === null) node.querySelector("button[value=ok]").focus();
      else input.select();
    });
  }

  return {
    ask: (message, value = "") => open(message, value),
    confirm: async (message) => (await open(message, null)) !== null,
  };
}
