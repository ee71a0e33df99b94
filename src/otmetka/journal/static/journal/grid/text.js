// Small text helpers of the grid (pure: no DOM, tested with node --test).

// "%(name)s" placeholders of the server's translated texts.
export function fmt(template, values = {}) {
  return template.replace(/%\((\w+)\)s/g, (_, k) => String(values[k] ?? ""));
}

// "2026-11-18" → "18.11"
export function ddmm(iso) {
  if (!iso) return "";
  const [, m, d] = iso.split("-");
  return `${d}.${m}`;
}

// "2026-11-18" → "18.11.2026"
export function dmy(iso) {
  return iso ? iso.split("-").reverse().join(".") : "";
}

// The API's "4.50" → the Russian "4,50"; null → "".
export function decimal(text) {
  return text == null ? "" : String(text).replace(".", ",");
}
