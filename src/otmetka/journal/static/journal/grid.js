// The keyboard-first journal grid: one plain ES module, no bundler, no framework.
// It fetches the grid JSON of /api/v1/journal/<course>, draws the table and saves every change
// at once through the lesson endpoints of the API. Texts come translated from the page.

const root = document.getElementById("journal");
const T = JSON.parse(document.getElementById("journal-messages").textContent);
const table = root.querySelector(".journal-grid");
const statusLine = root.querySelector(".journal-status");
const kindSelect = root.querySelector("#default-kind");
const panel = root.querySelector(".lesson-panel");
const historyPanel = root.querySelector(".history-panel");
const API = root.dataset.apiRoot;

const MARKS = {
  points_2_5: ["2", "3", "4", "5"],
  points_1_5: ["1", "2", "3", "4", "5"],
  pass_fail: ["зач", "незач"],
  none: [],
};

let data = null;
let cursor = { r: 0, c: 0 };
let buffer = "";
let refreshSeq = 0;
const cellState = new Map(); // "<lesson>:<student>" → {state: "saving"|"saved"|"failed", error}
let panelLesson = null;
let columnMode = false; // "Заполнить столбец": typed values wait for Ctrl+Enter

function fmt(template, values = {}) {
  return template.replace(/%\((\w+)\)s/g, (_, k) => String(values[k] ?? ""));
}

function ddmm(iso) {
  if (!iso) return "";
  const [, m, d] = iso.split("-");
  return `${d}.${m}`;
}

function decimal(text) {
  return text == null ? "" : String(text).replace(".", ",");
}

function csrfToken() {
  const found = document.cookie.split(";").map((c) => c.trim()).find((c) => c.startsWith("csrftoken="));
  return found ? decodeURIComponent(found.slice("csrftoken=".length)) : "";
}

function say(text, bad = false) {
  statusLine.textContent = text;
  statusLine.classList.toggle("bad", bad);
}

function errorText(body, fallback) {
  if (!body) return fallback;
  if (body.errors && Object.keys(body.errors).length) return Object.values(body.errors).join(" ");
  const detail = body.detail;
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) return detail.map((d) => d.msg || JSON.stringify(d)).join(" ");
  if (detail && typeof detail === "object") return Object.values(detail).join(" ");
  return fallback;
}

// One key per change, kept for its retries: the server answers a repeat with the first answer
// instead of writing twice (Idempotency-Key). randomUUID needs HTTPS; a school LAN may be HTTP.
function newKey() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

const RETRY_DELAYS_MS = [500, 2000]; // after a lost answer (no response) or 409 (still running)

async function api(method, url, payload, isForm = false) {
  const init = { method, credentials: "same-origin", headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" } };
  if (method !== "GET") init.headers["Idempotency-Key"] = newKey();
  if (payload !== undefined) {
    if (isForm) init.body = payload;
    else {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(payload);
    }
  }
  let response = null;
  for (let attempt = 0; ; attempt++) {
    try {
      response = await fetch(url, init);
    } catch {
      response = null;
    }
    const again = method !== "GET" && (response === null || response.status === 409);
    if (!again || attempt >= RETRY_DELAYS_MS.length) break;
    await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[attempt]));
  }
  if (response === null) return { ok: false, body: null, error: T.network };
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  const ok = response.ok && !(body && body.ok === false);
  return { ok, body, error: ok ? "" : errorText(body, `${T.network} (${response.status})`) };
}

// --- reading ----------------------------------------------------------------------------------

const lessons = () => data.lessons;
const students = () => data.students;
const key = (lesson, student) => `${lesson.id}:${student.id}`;
const kindById = (id) => data.mark_kinds.find((k) => String(k.id) === String(id) || k.name === id);

function enrolled(student, lesson) {
  return (!student.from || lesson.date >= student.from) && (!student.to || lesson.date <= student.to);
}

function writable(student, lesson) {
  return lesson.can_write && lesson.status !== "cancelled" && enrolled(student, lesson);
}

function cellOf(lesson, student) {
  return data.cells[key(lesson, student)] || { marks: [], absence: null };
}

async function refresh() {
  const seq = ++refreshSeq;
  const { ok, body, error } = await api("GET", root.dataset.gridUrl);
  if (seq !== refreshSeq) return;
  if (!ok) {
    say(error || T.load_failed, true);
    return;
  }
  data = body;
  render();
}

// --- drawing ----------------------------------------------------------------------------------

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "className") node.className = v;
    else if (k === "text") node.textContent = v;
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

function lessonHeader(lesson, c) {
  const missing = (lesson.missing || []).map((m) => T[`missing_${m}`] || m);
  const title = [lesson.topic || "", lesson.teacher || "", ...missing].filter(Boolean).join(" · ");
  const button = el(
    "button",
    { type: "button", className: "lesson-head", "data-c": c, title },
    el("span", { className: "lesson-date", text: ddmm(lesson.date) }),
    el("span", { className: "lesson-number", text: lesson.number ? `${lesson.number}` : "" }),
  );
  if (lesson.substitution) button.append(el("span", { className: "lesson-sub", title: T.substitution, text: "з" }));
  if (missing.length) button.append(el("span", { className: "lesson-warn", "aria-label": missing.join(", "), text: "!" }));
  if (lesson.status === "cancelled") button.append(el("span", { className: "lesson-warn", text: "×", title: T.cancelled }));
  return el("th", { scope: "col", className: lesson.can_write ? "lesson-col" : "lesson-col read-only", "data-lesson": lesson.id }, button);
}

function fillCell(td, lesson, student) {
  const cell = cellOf(lesson, student);
  td.replaceChildren();
  for (const mark of cell.marks) {
    const kind = kindById(mark.kind);
    const span = el("span", { className: "mark", title: [kind ? kind.name : "", mark.comment].filter(Boolean).join(": ") || null, text: mark.value });
    if (kind) span.append(el("sup", { className: "kind-tag", text: (kind.short || kind.name).slice(0, 3) }));
    td.append(span);
  }
  if (cell.absence) {
    const minutes = cell.absence.minutes ? `${cell.absence.minutes}` : "";
    td.append(el("span", { className: "absence", text: `${cell.absence.code}${minutes ? " " + minutes : ""}` }));
  }
  const state = cellState.get(key(lesson, student));
  td.classList.remove("saving", "saved", "failed");
  td.removeAttribute("title");
  if (state) {
    td.classList.add(state.state);
    if (state.state === "saved") td.append(el("span", { className: "tick", "aria-label": T.saved, text: "✓" }));
    if (state.state === "failed") td.title = state.error;
  }
}

function render() {
  if (!data.students.length || !data.lessons.length) {
    table.replaceChildren(el("caption", { text: !data.lessons.length ? T.no_lessons : T.no_students }));
    return;
  }
  const head = el(
    "tr",
    {},
    el("th", { scope: "col", className: "num", text: "№" }),
    el("th", { scope: "col", className: "name", text: T.student }),
    ...lessons().map(lessonHeader),
    el("th", { scope: "col", className: "sum", text: T.average }),
    el("th", { scope: "col", className: "sum", text: T.weighted }),
    el("th", { scope: "col", className: "sum", text: T.absences }),
  );
  const body = el("tbody");
  students().forEach((student, r) => {
    const notes = [];
    if (student.from) notes.push(fmt(T.arrived, { date: student.from.split("-").reverse().join(".") }));
    if (student.to) notes.push(fmt(T.left, { date: student.to.split("-").reverse().join(".") }));
    const row = el(
      "tr",
      { "data-student": student.id },
      el("td", { className: "num", text: student.number }),
      el("th", { scope: "row", className: "name" }, student.name, notes.length ? el("small", { className: "moved", text: notes.join(", ") }) : null),
    );
    lessons().forEach((lesson, c) => {
      const classes = ["cell"];
      if (!enrolled(student, lesson)) classes.push("out");
      else if (!writable(student, lesson)) classes.push("locked");
      const td = el("td", { className: classes.join(" "), "data-r": r, "data-c": c, tabindex: "-1", "aria-readonly": writable(student, lesson) ? null : "true" });
      fillCell(td, lesson, student);
      row.append(td);
    });
    row.append(
      el("td", { className: "sum avg", text: decimal(student.average) }),
      el("td", { className: "sum wavg", text: decimal(student.weighted_average) }),
      el("td", { className: "sum abs", text: student.absences ? String(student.absences) : "" }),
    );
    body.append(row);
  });
  table.replaceChildren(el("thead", {}, head), body);
  markColumn();
  cursor.r = Math.min(cursor.r, students().length - 1);
  cursor.c = Math.min(cursor.c, lessons().length - 1);
  showCursor(false);
}

function tdAt(r, c) {
  return table.querySelector(`td.cell[data-r="${r}"][data-c="${c}"]`);
}

function showCursor(focus = true) {
  table.querySelectorAll("td.cursor").forEach((td) => {
    td.classList.remove("cursor");
    td.tabIndex = -1;
  });
  const td = tdAt(cursor.r, cursor.c);
  if (!td) return;
  td.classList.add("cursor");
  td.tabIndex = 0;
  if (focus || table.contains(document.activeElement) || document.activeElement === document.body) td.focus({ preventScroll: false });
}

function markColumn() {
  table.querySelectorAll(".col-selected").forEach((node) => node.classList.remove("col-selected"));
  if (!columnMode) return;
  table.querySelectorAll(`td.cell[data-c="${cursor.c}"], button.lesson-head[data-c="${cursor.c}"]`).forEach((node) => node.classList.add("col-selected"));
}

function selectColumn(on) {
  columnMode = on;
  buffer = "";
  markColumn();
  if (on) {
    say(fmt(T.column_mode, { date: ddmm(lessons()[cursor.c].date) }));
    showCursor();
  }
}

function move(dr, dc) {
  if (dc && columnMode) selectColumn(false);
  cursor.r = Math.max(0, Math.min(students().length - 1, cursor.r + dr));
  cursor.c = Math.max(0, Math.min(lessons().length - 1, cursor.c + dc));
  showCursor();
}

// --- writing ----------------------------------------------------------------------------------

// In a closed period only the deputy writes, and every change needs a reason: asked once per page.
let closedReason = "";
function reasonForClosed() {
  if (!data.period.closed) return "";
  if (!closedReason) closedReason = (window.prompt(T.closed_reason) || "").trim();
  return closedReason;
}

async function save(lesson, changes, studentsTouched) {
  for (const s of studentsTouched) cellState.set(key(lesson, s), { state: "saving" });
  for (const s of studentsTouched) {
    const td = tdAt(students().indexOf(s), lessons().indexOf(lesson));
    if (td) fillCell(td, lesson, s);
  }
  say(T.saving);
  const { ok, body, error } = await api("POST", `${API}lessons/${lesson.id}/cells`, { changes, reason: reasonForClosed() });
  if (ok) {
    Object.assign(data.cells, body.cells || {});
    for (const s of studentsTouched) cellState.set(key(lesson, s), { state: "saved" });
    say(T.saved);
  } else {
    const perCell = (body && body.errors) || {};
    for (const s of studentsTouched) {
      cellState.set(key(lesson, s), { state: "failed", error: perCell[String(s.id)] || error });
    }
    say(fmt(T.failed, { error }), true);
  }
  for (const s of studentsTouched) {
    const td = tdAt(students().indexOf(s), lessons().indexOf(lesson));
    if (td) fillCell(td, lesson, s);
  }
  if (ok) refresh(); // averages, absences and the lesson's warnings
  return ok;
}

function currentPair() {
  return { student: students()[cursor.r], lesson: lessons()[cursor.c] };
}

// What a typed value means here: {mark} | {absence} | {error}; nothing is sent for an error.
function interpret(value) {
  const allowed = MARKS[data.course.assessment] || [];
  const code = data.absence_codes.find((a) => a.code === value);
  if (code) {
    let minutes = null;
    if (code.reason === "late") {
      const answer = window.prompt(T.late_minutes, "5");
      if (answer === null) return { cancel: true };
      minutes = Number.parseInt(answer, 10);
      if (!/^\d+$/.test(answer.trim()) || minutes < 1 || minutes > 45) return { error: T.bad_minutes };
    }
    return { absence: { code: code.code, minutes } };
  }
  if (allowed.includes(value)) return { mark: { value, kind: Number(kindSelect.value), comment: "" } };
  if (/^[0-9.,+\-•]+$/.test(value) || ["зач", "незач"].includes(value)) {
    if (!allowed.length) return { error: T.no_marks };
    return { error: fmt(T.bad_mark, { value, allowed: allowed.join(", ") }) };
  }
  return { error: fmt(T.unknown_input, { value }) };
}

function change(student, meaning) {
  const item = { student: student.id };
  if (meaning.mark) item.marks = [meaning.mark];
  if (meaning.absence) item.absence = meaning.absence;
  return item;
}

async function commit(value) {
  buffer = "";
  const { student, lesson } = currentPair();
  if (!student || !lesson) return false;
  if (!writable(student, lesson)) {
    say(enrolled(student, lesson) ? T.read_only : T.not_enrolled, true);
    return false;
  }
  const meaning = interpret(value);
  if (meaning.cancel) return false;
  if (meaning.error) {
    say(meaning.error, true);
    return false;
  }
  return save(lesson, [change(student, meaning)], [student]);
}

async function fillColumn(value) {
  buffer = "";
  const lesson = lessons()[cursor.c];
  if (!lesson.can_write) {
    say(T.read_only, true);
    return;
  }
  const meaning = interpret(value);
  if (meaning.cancel) return;
  if (meaning.error) {
    say(meaning.error, true);
    return;
  }
  const empty = students().filter((s) => {
    const cell = cellOf(lesson, s);
    return writable(s, lesson) && !cell.marks.length && !cell.absence;
  });
  if (!empty.length) {
    say(T.column_empty);
    return;
  }
  const ok = await save(lesson, empty.map((s) => change(s, meaning)), empty);
  if (ok) say(fmt(T.column_filled, { count: empty.length }));
}

async function clearCell() {
  const { student, lesson } = currentPair();
  if (!writable(student, lesson)) {
    say(enrolled(student, lesson) ? T.read_only : T.not_enrolled, true);
    return;
  }
  const cell = cellOf(lesson, student);
  if (cell.marks.length) {
    const last = cell.marks[cell.marks.length - 1];
    if (!window.confirm(fmt(T.confirm_delete, { value: last.value }))) return;
    await save(lesson, [{ student: student.id, delete_marks: [last.id] }], [student]);
  } else if (cell.absence) {
    await save(lesson, [{ student: student.id, absence: null }], [student]);
  } else {
    say(T.nothing_to_clear);
  }
}

function startsSomething(text) {
  const allowed = MARKS[data.course.assessment] || [];
  const words = [...allowed, ...data.absence_codes.map((a) => a.code)];
  return words.filter((w) => w.startsWith(text));
}

// The last mark saved by typing one digit, and its cell: a «+», «−» or «.» typed right after it
// («4-», «5+», «4.5») is not silently dropped but answered: marks are whole, the digit is saved.
let lastDigit = null;

function refuseKey(k) {
  const here = `${cursor.r}:${cursor.c}`;
  if (/^[+\-−.,/]$/.test(k)) {
    if (!buffer && lastDigit && lastDigit.cell === here) {
      say(fmt(T.whole_marks_saved, { value: lastDigit.value + k, mark: lastDigit.value }), true);
    } else {
      say(fmt(T.whole_marks, { value: buffer + k }), true);
    }
  } else if (/^[a-z]$/i.test(k)) {
    say(fmt(T.latin_layout, { value: k }), true);
  } else {
    say(fmt(T.unknown_input, { value: buffer + k }), true);
  }
  buffer = "";
}

function typed(ch) {
  lastDigit = null;
  const text = buffer + ch.toLowerCase();
  if (columnMode) {
    buffer = text;
    say(`${fmt(T.column_mode, { date: ddmm(lessons()[cursor.c].date) })} ${text}`);
    return;
  }
  if (/^[0-9]$/.test(text)) {
    buffer = "";
    lastDigit = { value: text, cell: `${cursor.r}:${cursor.c}` };
    commit(text);
    return;
  }
  const candidates = startsSomething(text);
  if (!candidates.length) {
    buffer = "";
    say(fmt(T.unknown_input, { value: text }), true);
    return;
  }
  if (candidates.length === 1 && candidates[0] === text) {
    buffer = "";
    commit(text);
    return;
  }
  buffer = text;
  say(`${text}…`);
}

function onKey(event) {
  if (!data || !event.target.closest || !event.target.closest("td.cell")) return;
  const k = event.key;
  if (event.altKey || (event.metaKey && k !== "Enter")) return;
  if (k === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    if (buffer) {
      const value = buffer;
      selectColumn(false);
      fillColumn(value);
    } else say(T.column_empty);
    return;
  }
  if (event.ctrlKey && (k === " " || event.code === "Space")) {
    event.preventDefault();
    selectColumn(!columnMode);
    return;
  }
  if (event.ctrlKey) return;
  const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
  if (moves[k]) {
    event.preventDefault();
    buffer = "";
    move(...moves[k]);
    return;
  }
  if (k === "Enter" || k === "Tab") {
    event.preventDefault();
    const up = k === "Tab" && event.shiftKey;
    const pending = buffer;
    const r = cursor.r;
    const c = cursor.c;
    move(up ? -1 : 1, 0);
    if (pending) {
      const back = { ...cursor };
      cursor = { r, c };
      commit(pending);
      cursor = back;
    }
    return;
  }
  if (k === "Escape") {
    if (columnMode) selectColumn(false);
    buffer = "";
    say("");
    return;
  }
  if (k === "Backspace" || k === "Delete") {
    event.preventDefault();
    if (buffer) {
      buffer = buffer.slice(0, -1);
      say(buffer ? `${buffer}…` : "");
    } else clearCell();
    return;
  }
  if (!buffer && (k === "t" || k === "T")) {
    event.preventDefault();
    openPanel(lessons()[cursor.c]);
    return;
  }
  if (!buffer && (k === "h" || k === "H")) {
    event.preventDefault();
    openHistory();
    return;
  }
  if (k.length === 1 && /[0-9а-яё]/i.test(k)) {
    event.preventDefault();
    typed(k);
  } else if (k.length === 1) {
    event.preventDefault();
    refuseKey(k);
  }
}

// --- the lesson panel ---------------------------------------------------------------------------

function openPanel(lesson) {
  panelLesson = lesson;
  const form = panel.querySelector("form");
  panel.querySelector(".lesson-panel-title").textContent = `${ddmm(lesson.date)}${lesson.number ? ", " + lesson.number : ""} — ${lesson.teacher || ""}`;
  form.topic.value = lesson.topic || "";
  form.homework.value = lesson.homework || "";
  form.file.value = "";
  const suggest = panel.querySelector(".lesson-suggest");
  const planned = lesson.planned_topic;
  suggest.hidden = !(planned && planned.title && planned.title !== lesson.topic);
  if (planned) suggest.querySelector("button").textContent = planned.title;
  const files = panel.querySelector(".lesson-files");
  files.replaceChildren(...(lesson.files || []).map((f) => el("li", {}, el("a", { href: f.url, text: f.name }))));
  for (const control of form.elements) {
    if (control.dataset.action !== "close-panel") control.disabled = !lesson.can_write;
  }
  panel.querySelector(".lesson-error").textContent = "";
  panel.hidden = false;
  form.topic.focus();
}

function closePanel() {
  panel.hidden = true;
  panelLesson = null;
  showCursor();
}

function lessonReplaced(updated) {
  const i = data.lessons.findIndex((l) => l.id === updated.id);
  if (i >= 0) data.lessons[i] = { ...data.lessons[i], ...updated };
  return data.lessons[Math.max(i, 0)];
}

async function panelSubmit(event) {
  event.preventDefault();
  const form = panel.querySelector("form");
  const lesson = panelLesson;
  const errorBox = panel.querySelector(".lesson-error");
  const payload = { topic: form.topic.value.trim(), homework: form.homework.value, reason: reasonForClosed() };
  if (lesson.planned_topic && payload.topic === lesson.planned_topic.title) payload.planned_topic = lesson.planned_topic.id;
  let result = await api("PATCH", `${API}lessons/${lesson.id}`, payload);
  if (!result.ok) {
    errorBox.textContent = result.error;
    say(fmt(T.failed, { error: result.error }), true);
    return;
  }
  lessonReplaced(result.body);
  if (form.file.files.length) {
    const upload = new FormData();
    upload.append("file", form.file.files[0]);
    result = await api("POST", `${API}lessons/${lesson.id}/files`, upload, true);
    if (!result.ok) {
      errorBox.textContent = result.error;
      say(fmt(T.failed, { error: result.error }), true);
      await refresh();
      return;
    }
  }
  say(T.lesson_saved);
  closePanel();
  await refresh();
}

async function allPresent() {
  const lesson = panelLesson;
  const result = await api("PATCH", `${API}lessons/${lesson.id}`, { all_present: true, reason: reasonForClosed() });
  if (!result.ok) {
    panel.querySelector(".lesson-error").textContent = result.error;
    say(fmt(T.failed, { error: result.error }), true);
    return;
  }
  lessonReplaced(result.body);
  say(T.all_present_done);
  await refresh();
}

// --- the history of a cell ------------------------------------------------------------------------

function historyLine(item) {
  const when = item.at || item.created_at || item.when || "";
  const who = item.actor || item.user || "";
  const what = item.summary || item.action || "";
  const parts = [when ? new Date(when).toLocaleString("ru-RU") : "", who, what];
  const before = item.before ? JSON.stringify(item.before) : "";
  const after = item.after ? JSON.stringify(item.after) : "";
  if (before || after) parts.push(`${before || "—"} → ${after || "—"}`);
  if (item.reason) parts.push(item.reason);
  return parts.filter(Boolean).join(" · ");
}

async function openHistory() {
  const { student, lesson } = currentPair();
  if (!student || !lesson) return;
  const { ok, body, error } = await api("GET", `${API}lessons/${lesson.id}/history?student=${student.id}`);
  const list = historyPanel.querySelector(".history-list");
  if (!ok) {
    say(error, true);
    return;
  }
  const items = Array.isArray(body) ? body : body.items || body.events || [];
  list.replaceChildren(...(items.length ? items.map((i) => el("li", { text: historyLine(i) })) : [el("li", { className: "muted", text: T.history_empty })]));
  historyPanel.querySelector("h2").textContent = `${T.history_title}: ${student.name}, ${ddmm(lesson.date)}`;
  historyPanel.hidden = false;
}

// --- wiring -------------------------------------------------------------------------------------

table.addEventListener("keydown", onKey);
table.addEventListener("click", (event) => {
  const head = event.target.closest("button.lesson-head");
  if (head) {
    cursor.c = Number(head.dataset.c);
    openPanel(lessons()[cursor.c]);
    return;
  }
  const td = event.target.closest("td.cell");
  if (td) {
    if (columnMode && Number(td.dataset.c) !== cursor.c) selectColumn(false);
    cursor = { r: Number(td.dataset.r), c: Number(td.dataset.c) };
    buffer = "";
    showCursor();
  }
});
panel.querySelector("form").addEventListener("submit", panelSubmit);
panel.addEventListener("click", (event) => {
  const action = event.target.dataset && event.target.dataset.action;
  if (action === "close-panel") closePanel();
  if (action === "all-present") allPresent();
  if (action === "use-planned") panel.querySelector("form").topic.value = panelLesson.planned_topic.title;
});
panel.addEventListener("keydown", (event) => {
  if (event.key === "Escape") closePanel();
});
historyPanel.addEventListener("click", (event) => {
  if (event.target.dataset.action === "close-history") {
    historyPanel.hidden = true;
    showCursor();
  }
});
root.querySelector("[data-action=history]").addEventListener("click", openHistory);
root.querySelector("[data-action=fill]").addEventListener("click", () => selectColumn(true));

say(T.loading);
refresh().then(() => {
  if (data) {
    say("");
    root.dataset.ready = "true";
  }
});
