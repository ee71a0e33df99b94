// The members of a cross-class group: one class at a time (or the ones ticked), with a search
// by name. Without JavaScript every class's list shows, grouped and sorted by the server.
const box = document.getElementById("id_members");
const texts = document.getElementById("member-picker-texts");
if (box && texts) {
  const t = texts.dataset;
  const groups = [...box.children].filter((g) => g.querySelector(":scope > label") && g.querySelector("input"));
  const norm = (s) => s.toLowerCase().replaceAll("ё", "е").trim();
  const bar = document.createElement("div");
  bar.className = "member-picker";
  const select = document.createElement("select");
  select.setAttribute("aria-label", t.classLabel);
  const option = (value, text) => Object.assign(document.createElement("option"), { value, textContent: text });
  select.append(option("", t.checked), option("*", t.all));
  for (const g of groups) select.append(option(g.querySelector(":scope > label").textContent, g.querySelector(":scope > label").textContent));
  const search = Object.assign(document.createElement("input"), { type: "search", placeholder: t.search });
  search.setAttribute("aria-label", t.search);
  const count = document.createElement("span");
  count.className = "muted member-count";
  bar.append(select, search, count);
  box.before(bar);

  function apply() {
    const chosen = select.value;
    const query = norm(search.value);
    let ticked = 0;
    for (const g of groups) {
      const name = g.querySelector(":scope > label").textContent;
      let shown = 0;
      for (const item of g.querySelectorAll("input")) {
        const row = item.closest("div");
        ticked += item.checked ? 1 : 0;
        const inClass = chosen === "*" || chosen === name || (chosen === "" && (item.checked || query));
        const show = inClass && (!query || norm(row.textContent).includes(query));
        row.hidden = !show;
        shown += show ? 1 : 0;
      }
      g.hidden = shown === 0;
    }
    count.textContent = `${t.ticked}: ${ticked}`;
  }
  select.addEventListener("change", apply);
  search.addEventListener("input", apply);
  box.addEventListener("change", () => {
    const ticked = box.querySelectorAll("input:checked").length;
    count.textContent = `${t.ticked}: ${ticked}`;
  });
  apply();
}
