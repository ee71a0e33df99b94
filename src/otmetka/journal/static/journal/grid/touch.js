// The lesson-first journal for touch screens: pick a lesson (today's first), tap a student, tap a
// mark or an absence code on the pad. Saves go through the grid's own save(), so the server
// refuses exactly what the keyboard grid refuses, with the same Russian message.
import { cellOf, changeFor, enrolled, writable } from "./state.js";
import { ddmm, fmt } from "./text.js";
import { el, missingWords } from "./view.js";

// Phones and narrow tablets open the lesson list; wider screens the keyboard grid.
export const NARROW = "(max-width: 700px)";

// The lesson to open first: today's first lesson, else the last one before today, else the first.
export function firstLesson(lessons, today) {
  if (!lessons.length) return -1;
  const todays = lessons.findIndex((l) => l.date === today);
  if (todays >= 0) return todays;
  let before = -1;
  lessons.forEach((l, i) => {
    if (l.date < today) before = i;
  });
  return before >= 0 ? before : 0;
}

// The lesson list's order: today's lessons first, then the newest back to the oldest, then the
// lessons still to come.
export function lessonOrder(lessons, today) {
  const idx = lessons.map((l, i) => i);
  const rank = (l) => (l.date === today ? 0 : l.date < today ? 1 : 2);
  return idx.sort((a, b) => {
    const la = lessons[a];
    const lb = lessons[b];
    if (rank(la) !== rank(lb)) return rank(la) - rank(lb);
    if (rank(la) === 1) return la.date < lb.date ? 1 : la.date > lb.date ? -1 : 0;
    return la.date < lb.date ? -1 : la.date > lb.date ? 1 : (la.number || 0) - (lb.number || 0);
  });
}

// What a cell holds, as one line: "5 4 · н".
export function cellText(cell) {
  const marks = cell.marks.map((m) => m.value);
  const absence = cell.absence ? `${cell.absence.code}${cell.absence.minutes ? " " + cell.absence.minutes : ""}` : "";
  return [marks.join(" "), absence].filter(Boolean).join(" · ");
}

export function localToday(now = new Date()) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

// grid: {state, refs, T, save, meaningOf, say, panels, dialog}
export function createTouch(grid) {
  const { state, refs, T } = grid;
  const box = refs.touch;
  const select = box.querySelector(".touch-lesson");
  const roster = box.querySelector(".touch-roster");
  const pad = box.querySelector(".touch-pad");
  const padTitle = pad.querySelector(".touch-pad-title");
  const padKind = pad.querySelector(".touch-kind");
  const padComment = pad.querySelector(".touch-comment");
  let lesson = null;
  let targets = []; // the students the pad writes to
  const picked = new Set(); // student ids ticked for "the same mark for the selected"

  padKind.replaceChildren(...Array.from(refs.kind.options, (o) => el("option", { value: o.value, text: o.textContent })));

  function lessonLabel(l) {
    const parts = [ddmm(l.date)];
    if (l.number) parts.push(fmt(T.touch_lesson_number, { number: l.number }));
    if (l.topic) parts.push(l.topic);
    if (l.missing.length) parts.push(`! ${missingWords(l, T).join(", ")}`);
    return parts.join(" · ");
  }

  function drawLessons() {
    const lessons = state.data.lessons;
    const today = state.data.today || localToday();
    select.replaceChildren(...lessonOrder(lessons, today).map((i) => el("option", { value: String(i), text: lessonLabel(lessons[i]) })));
    if (!lesson || !lessons.some((l) => l.id === lesson.id)) {
      const i = firstLesson(lessons, today);
      lesson = i >= 0 ? lessons[i] : null;
    } else lesson = lessons.find((l) => l.id === lesson.id);
    if (lesson) select.value = String(lessons.indexOf(lesson));
    select.disabled = !lessons.length;
  }

  function row(student) {
    const cell = cellOf(state.data, lesson, student);
    const open = writable(student, lesson);
    const saving = state.saving.get(`${lesson.id}:${student.id}`);
    const status = saving ? saving.state : "";
    const li = el("li", { className: ["touch-row", open ? "" : "locked", status].join(" ").trim(), "data-student": student.id });
    const tick = el("input", { type: "checkbox", className: "touch-pick", "aria-label": fmt(T.touch_pick, { name: student.name }), disabled: !open });
    tick.checked = picked.has(student.id);
    const button = el(
      "button",
      { type: "button", className: "touch-student", "aria-disabled": open ? null : "true" },
      el("span", { className: "touch-num", text: student.number }),
      el("span", { className: "touch-name", text: student.name }),
      el("span", { className: "touch-cell", text: cellText(cell) }),
    );
    if (status === "failed") button.title = saving.error;
    li.append(tick, button);
    return li;
  }

  function drawRoster() {
    if (!lesson) {
      roster.replaceChildren(el("li", { className: "muted", text: T.no_lessons }));
      return;
    }
    const students = state.data.students.filter((s) => enrolled(s, lesson));
    roster.replaceChildren(...(students.length ? students.map(row) : [el("li", { className: "muted", text: T.no_students })]));
    box.querySelector("[data-touch=mark-picked]").disabled = !picked.size;
    box.querySelector("[data-touch=all-present]").disabled = !lesson.can_write;
    box.querySelector("[data-touch=lesson]").disabled = false;
  }

  function draw() {
    drawLessons();
    drawRoster();
  }

  function studentOf(li) {
    return state.data.students.find((s) => String(s.id) === li.dataset.student);
  }

  function openPad(students) {
    targets = students;
    const one = students.length === 1 ? students[0] : null;
    padTitle.textContent = one ? `${one.name}, ${ddmm(lesson.date)}` : fmt(T.touch_many, { count: students.length, date: ddmm(lesson.date) });
    const cell = one ? cellOf(state.data, lesson, one) : null;
    pad.querySelector(".touch-pad-cell").textContent = cell ? cellText(cell) : "";
    pad.querySelector("[data-touch=clear]").hidden = !(cell && (cell.marks.length || cell.absence));
    padComment.value = "";
    pad.hidden = false;
    pad.querySelector(".touch-value").focus();
  }

  function closePad() {
    pad.hidden = true;
    targets = [];
  }

  async function write(value) {
    const meaning = await grid.meaningOf(value);
    if (meaning.error) return grid.say(meaning.error, true);
    const kind = Number(padKind.value);
    const comment = padComment.value.trim();
    const students = targets;
    const changes = students.map((s) => changeFor(s, meaning, kind, meaning.mark ? comment : ""));
    closePad();
    const ok = await grid.save(lesson, changes, students);
    if (ok && students.length > 1) {
      picked.clear();
      grid.say(fmt(T.touch_many_saved, { count: students.length }));
    }
    draw(); // the lesson list too: a written work's «!» goes with its first mark
  }

  async function clear() {
    const student = targets[0];
    const cell = cellOf(state.data, lesson, student);
    closePad();
    let change;
    if (cell.marks.length) {
      const last = cell.marks[cell.marks.length - 1];
      if (!(await grid.dialog.confirm(fmt(T.confirm_delete, { value: last.value })))) return grid.say(T.nothing_deleted);
      change = { student: student.id, delete_marks: [last.id] };
    } else change = { student: student.id, absence: null };
    await grid.save(lesson, [change], [student]);
    draw();
  }

  function buildPad() {
    const values = pad.querySelector(".touch-marks");
    const codes = pad.querySelector(".touch-codes");
    values.replaceChildren(...state.ctx.marks.map((m) => el("button", { type: "button", className: "touch-value", "data-value": m, text: m })));
    codes.replaceChildren(...state.ctx.codes.map((c) => el("button", { type: "button", className: "touch-value touch-code", "data-value": c.code, title: c.name || null, text: c.code })));
  }

  roster.addEventListener("click", (event) => {
    const li = event.target.closest("li.touch-row");
    if (!li || !lesson) return;
    const student = studentOf(li);
    if (event.target.classList.contains("touch-pick")) {
      if (event.target.checked) picked.add(student.id);
      else picked.delete(student.id);
      box.querySelector("[data-touch=mark-picked]").disabled = !picked.size;
      return;
    }
    if (!writable(student, lesson)) return grid.say(enrolled(student, lesson) ? T.read_only : T.not_enrolled, true);
    openPad([student]);
  });
  select.addEventListener("change", () => {
    lesson = state.data.lessons[Number(select.value)];
    picked.clear();
    closePad();
    drawRoster();
  });
  pad.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    if (button.dataset.value) return write(button.dataset.value);
    if (button.dataset.touch === "clear") return clear();
    if (button.dataset.touch === "close") closePad();
  });
  box.addEventListener("click", async (event) => {
    const action = event.target.dataset && event.target.dataset.touch;
    if (!lesson) return;
    if (action === "mark-picked") {
      const students = state.data.students.filter((s) => picked.has(s.id) && writable(s, lesson));
      if (students.length) openPad(students);
    }
    if (action === "all-present") {
      if (await grid.panels.allPresent(lesson)) drawRoster();
    }
    if (action === "lesson") grid.panels.open(lesson);
  });

  return {
    // Called after every load of the grid JSON.
    loaded() {
      buildPad();
      draw();
    },
    redraw: drawRoster,
  };
}
