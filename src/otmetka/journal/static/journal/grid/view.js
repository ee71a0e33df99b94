// Drawing the grid and patching it in place after a save (DOM only; the data comes from state).
import { periodCell, periodTitle } from "./period.js";
import { cellKey, cellOf, enrolled, writable } from "./state.js";
import { ddmm, decimal, dmy, fmt } from "./text.js";

export function el(tag, attrs = {}, ...children) {
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

// What a lesson lacks, each with its deadline when the engine gave one: «нет темы — до 16:00
// сегодня», «нет домашнего задания — просрочено на 2 дня».
export function missingWords(lesson, T) {
  const due = lesson.due || {};
  return lesson.missing.map((m) => {
    const what = T[`missing_${m}`] || m;
    return due[m] ? `${what} — ${due[m]}` : what;
  });
}

export function lessonHeader(lesson, c, T) {
  const missing = missingWords(lesson, T);
  const title = [lesson.topic || "", lesson.teacher || "", ...missing].filter(Boolean).join(" · ");
  const button = el(
    "button",
    { type: "button", className: "lesson-head", "data-c": c, title },
    el("span", { className: "lesson-date", text: ddmm(lesson.date) }),
    el("span", { className: "lesson-number", text: lesson.number ? `${lesson.number}` : "" }),
  );
  if (lesson.substitution) button.append(el("span", { className: "lesson-sub", title: T.substitution, text: "з" }));
  if (missing.length) button.append(el("span", { className: "lesson-warn", "aria-label": missing.join(", "), title: missing.join("\n"), text: "!" }));
  if (lesson.status === "cancelled") button.append(el("span", { className: "lesson-warn", text: "×", title: T.cancelled }));
  // The lesson's own page (move, cancel), for those who keep the timetable.
  const page = T.lesson_page_url ? el("a", { className: "lesson-page", href: `${T.lesson_page_url}${lesson.id}/`, title: T.lesson_page, "aria-label": T.lesson_page, text: "↗" }) : null;
  return el("th", { scope: "col", className: lesson.can_write ? "lesson-col" : "lesson-col read-only", "data-lesson": lesson.id }, button, page);
}

export function fillCell(td, state, lesson, student, T) {
  const cell = cellOf(state.data, lesson, student);
  const kinds = state.data.mark_kinds;
  td.replaceChildren();
  for (const mark of cell.marks) {
    const kind = kinds.find((k) => k.id === mark.kind);
    const title = [kind ? kind.name : "", mark.comment].filter(Boolean).join(": ") || null;
    const span = el("span", { className: "mark", title, text: mark.value });
    if (kind) span.append(el("sup", { className: "kind-tag", text: (kind.short || kind.name).slice(0, 3) }));
    td.append(span);
  }
  if (cell.absence) {
    const minutes = cell.absence.minutes ? ` ${cell.absence.minutes}` : "";
    td.append(el("span", { className: "absence", text: `${cell.absence.code}${minutes}` }));
  }
  const saving = state.saving.get(cellKey(lesson, student));
  td.classList.remove("saving", "saved", "failed", "pending");
  td.removeAttribute("title");
  if (!saving) return;
  td.classList.add(saving.state);
  if (saving.state === "saved") td.append(el("span", { className: "tick", "aria-label": T.saved, text: "✓" }));
  if (saving.state === "failed") td.title = saving.error;
  if (saving.state === "pending") td.title = T.offline_cell;
}

// The period-mark cell: the entered value, else the suggestion (grey); «≠ 4» when it differs
// from the suggestion; «!» when the student has too few marks.
export function fillPeriodCell(td, state, student, T) {
  const column = state.data.period_column;
  const cell = periodCell(column, student);
  td.replaceChildren();
  if (cell.value) td.append(el("span", { className: "mark pm-value", text: cell.value }));
  else if (cell.suggested) td.append(el("span", { className: "pm-suggested", text: cell.suggested }));
  if (cell.differs) td.append(el("small", { className: "pm-differs", text: `≠ ${cell.suggested}` }));
  if (cell.too_few) td.append(el("span", { className: "pm-few", "aria-label": fmt(T.pm_too_few, { count: cell.count, minimum: column.minimum }), text: "!" }));
  td.classList.toggle("differs", cell.differs);
  td.classList.toggle("too-few", cell.too_few);
  td.classList.remove("saving", "saved", "failed");
  const saving = state.saving.get(`pm:${student.id}`);
  const title = periodTitle(cell, column, T);
  if (title) td.title = title;
  else td.removeAttribute("title");
  if (!saving) return;
  td.classList.add(saving.state);
  if (saving.state === "saved") td.append(el("span", { className: "tick", "aria-label": T.saved, text: "✓" }));
  if (saving.state === "failed") td.title = saving.error;
}

function periodTd(state, student, r, T) {
  const open = state.data.period_column.can_write;
  const className = ["cell", "period-cell", open ? "" : "locked"].join(" ").trim();
  const td = el("td", { className, "data-r": r, "data-c": state.data.lessons.length, tabindex: "-1", "aria-readonly": open ? null : "true" });
  fillPeriodCell(td, state, student, T);
  return td;
}

// Redraw a student's period-mark cell (after a save).
export function patchPeriodCell(table, state, student, T) {
  const td = tdAt(table, state.data.students.indexOf(student), state.data.lessons.length);
  if (td) fillPeriodCell(td, state, student, T);
}

function summaryCells(student) {
  return [
    el("td", { className: "sum avg", text: decimal(student.average) }),
    el("td", { className: "sum wavg", text: decimal(student.weighted_average) }),
    el("td", { className: "sum abs", text: student.absences ? String(student.absences) : "" }),
  ];
}

function studentRow(state, student, r, T) {
  const notes = [];
  if (student.from) notes.push(fmt(T.arrived, { date: dmy(student.from) }));
  if (student.to) notes.push(fmt(T.left, { date: dmy(student.to) }));
  const moved = notes.length ? el("small", { className: "moved", text: notes.join(", ") }) : null;
  const row = el(
    "tr",
    { "data-student": student.id },
    el("td", { className: "num", text: student.number }),
    el("th", { scope: "row", className: "name" }, student.name, moved),
  );
  state.data.lessons.forEach((lesson, c) => {
    const open = writable(student, lesson);
    const className = ["cell", !enrolled(student, lesson) ? "out" : !open ? "locked" : ""].join(" ").trim();
    const td = el("td", { className, "data-r": r, "data-c": c, tabindex: "-1", "aria-readonly": open ? null : "true" });
    fillCell(td, state, lesson, student, T);
    row.append(td);
  });
  if (state.data.period_column) row.append(periodTd(state, student, r, T));
  row.append(...summaryCells(student));
  return row;
}

export function render(table, state, T) {
  const { students, lessons } = state.data;
  if (!students.length || !lessons.length) {
    table.replaceChildren(el("caption", { text: !lessons.length ? T.no_lessons : T.no_students }));
    return;
  }
  const head = el(
    "tr",
    {},
    el("th", { scope: "col", className: "num", text: "№" }),
    el("th", { scope: "col", className: "name", text: T.student }),
    ...lessons.map((lesson, c) => lessonHeader(lesson, c, T)),
    state.data.period_column ? el("th", { scope: "col", className: "period-col", title: state.data.period.name, text: T.pm_head }) : null,
    el("th", { scope: "col", className: "sum", text: T.average }),
    el("th", { scope: "col", className: "sum", text: T.weighted }),
    el("th", { scope: "col", className: "sum", text: T.absences }),
  );
  const body = el("tbody", {}, ...students.map((s, r) => studentRow(state, s, r, T)));
  table.replaceChildren(el("thead", {}, head), body);
}

export function tdAt(table, r, c) {
  return table.querySelector(`td.cell[data-r="${r}"][data-c="${c}"]`);
}

// Redraw the given students' cells of one lesson (after their save state changed).
export function patchCells(table, state, lesson, students, T) {
  const c = state.data.lessons.indexOf(lesson);
  for (const student of students) {
    const td = tdAt(table, state.data.students.indexOf(student), c);
    if (td) fillCell(td, state, lesson, student, T);
  }
}

// Redraw the averages and absences of the given rows.
export function patchSummaries(table, state, rows) {
  for (const r of rows) {
    const tr = table.querySelectorAll("tbody tr")[r];
    if (!tr) continue;
    const fresh = summaryCells(state.data.students[r]);
    tr.querySelectorAll("td.sum").forEach((td, i) => td.replaceWith(fresh[i]));
  }
}

export function patchHeader(table, lesson, c, T) {
  const th = table.querySelector(`th[data-lesson="${lesson.id}"]`);
  if (th) th.replaceWith(lessonHeader(lesson, c, T));
}

export function showCursor(table, state, focus = true) {
  table.querySelectorAll("td.cursor").forEach((td) => {
    td.classList.remove("cursor");
    td.tabIndex = -1;
  });
  const td = tdAt(table, state.cursor.r, state.cursor.c);
  if (!td) return;
  td.classList.add("cursor");
  td.tabIndex = 0;
  if (focus || table.contains(document.activeElement) || document.activeElement === document.body) td.focus();
}

export function markColumn(table, state) {
  table.querySelectorAll(".col-selected").forEach((node) => node.classList.remove("col-selected"));
  if (!state.columnMode) return;
  const c = state.cursor.c;
  table.querySelectorAll(`td.cell[data-c="${c}"], button.lesson-head[data-c="${c}"]`).forEach((node) => node.classList.add("col-selected"));
}
