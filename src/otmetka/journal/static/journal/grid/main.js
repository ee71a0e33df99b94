// The keyboard-first journal grid: plain ES modules, no bundler, no framework. It reads the grid
// JSON of /api/v1/journal/<course> once, draws the table, and saves each change in ONE request
// whose answer (the saved cells, the students' averages and absences) is patched in place.
import { browserEnv, createApi } from "./api.js";
import { createDialog } from "./dialog.js";
import { command, context, interpret, lateMinutes, resolve, typeKey } from "./keys.js";
import { createPanels } from "./panel.js";
import { applyPeriodSaved, isPeriodColumn, naReason, periodCell, periodChange, periodNeeds, periodResolve, periodTypeKey } from "./period.js";
import { applySaved, cellOf, changeFor, createState, current, emptyCells, enrolled, markCells, moved, writable } from "./state.js";
import { ddmm, fmt } from "./text.js";
import { createTouch, NARROW } from "./touch.js";
import { markColumn, patchCells, patchPeriodCell, patchSummaries, render, showCursor } from "./view.js";

function start(root) {
  const T = JSON.parse(document.getElementById("journal-messages").textContent);
  const refs = {
    table: root.querySelector(".journal-grid"),
    status: root.querySelector(".journal-status"),
    kind: root.querySelector("#default-kind"),
    panel: root.querySelector(".lesson-panel"),
    history: root.querySelector(".history-panel"),
    api: root.dataset.apiRoot,
    banner: root.querySelector(".journal-banner"),
    touch: root.querySelector(".touch-view"),
    viewButton: root.querySelector("[data-action=view]"),
  };
  const table = refs.table;
  const state = createState(null);
  const request = createApi(T, browserEnv());
  const dialog = createDialog(root.querySelector(".grid-dialog"));
  let loads = 0; // only the latest load of the grid is drawn

  function say(text, bad = false) {
    refs.status.textContent = text;
    refs.status.classList.toggle("bad", bad);
  }

  const focusGrid = () => showCursor(table, state);

  // In a closed period only the deputy writes, with a reason: asked once per page; null = none.
  async function reason(needed = state.data.period.closed, question = T.closed_reason) {
    if (!needed) return "";
    if (!state.closedReason) state.closedReason = ((await dialog.ask(question, "")) || "").trim();
    focusGrid();
    if (!state.closedReason) say(T.reason_needed, true);
    return state.closedReason || null;
  }

  async function load() {
    const seq = ++loads;
    const { ok, body, error } = await request("GET", root.dataset.gridUrl);
    if (seq !== loads) return false;
    if (!ok) {
      say(error || T.load_failed, true);
      return false;
    }
    state.data = body;
    state.ctx = context(body, T);
    if (body.period_column) Object.assign(T, body.period_column.texts);
    refs.banner.textContent = (body.period_column && body.period_column.banner) || "";
    refs.banner.hidden = !refs.banner.textContent;
    render(table, state, T);
    markColumn(table, state);
    state.cursor = moved(state, 0, 0);
    showCursor(table, state, false);
    touch.loaded();
    return true;
  }

  // One POST for a batch of one lesson's cells; the answer is patched into the drawn grid.
  async function save(lesson, changes, students) {
    const why = await reason();
    if (why === null) return false;
    markCells(state, lesson, students, "saving");
    patchCells(table, state, lesson, students, T);
    say(T.saving);
    const { ok, body, error } = await request("POST", `${refs.api}lessons/${lesson.id}/cells`, { changes, reason: why });
    if (ok) {
      const rows = applySaved(state.data, body);
      markCells(state, lesson, students, "saved");
      patchSummaries(table, state, rows);
      say(T.saved);
    } else {
      markCells(state, lesson, students, "failed", (body && body.errors) || {}, error);
      say(fmt(T.failed, { error }), true);
    }
    patchCells(table, state, lesson, students, T);
    return ok;
  }

  // A value's meaning, with the minutes asked for a lateness code; null when cancelled.
  async function meaningOf(value) {
    const found = resolve(value, state.ctx);
    if (found.error) return found;
    const meaning = interpret(found.value, state.ctx);
    if (!meaning.late) return meaning;
    const answer = await dialog.ask(T.late_minutes, "5");
    focusGrid();
    if (answer === null) return { error: fmt(T.input_cancelled, { value: found.value }) };
    const minutes = lateMinutes(answer);
    return minutes === null ? { error: T.bad_minutes } : { ...meaning, minutes };
  }

  function refuseReadOnly(student, lesson) {
    if (writable(student, lesson)) return false;
    say(enrolled(student, lesson) ? T.read_only : T.not_enrolled, true);
    return true;
  }

  // One POST per period mark; the answer (the student's cell) is patched in place.
  async function savePeriod(student, value) {
    const column = state.data.period_column;
    const extra = {};
    const needs = periodNeeds(value);
    if (needs) {
      const answer = await dialog.ask(needs === "na_reason" ? T.pm_na_reason : T.pm_basis, "");
      focusGrid();
      if (answer === null) return say(fmt(T.input_cancelled, { value }), true);
      if (needs === "na_reason") extra.na_reason = naReason(answer);
      else extra.basis = answer.trim();
      if (needs === "na_reason" && !extra.na_reason) return say(T.pm_bad_na_reason, true);
    }
    extra.reason = await reason(column.needs_reason, state.data.period.closed ? T.closed_reason : T.pm_reason);
    if (extra.reason === null) return false;
    const key = `pm:${student.id}`;
    state.saving.set(key, { state: "saving" });
    patchPeriodCell(table, state, student, T);
    say(T.saving);
    const { ok, body, error } = await request("POST", column.save_url, periodChange(column, student, value, extra));
    if (ok) {
      applyPeriodSaved(state.data, student, body);
      state.saving.set(key, { state: "saved" });
      say(value ? T.pm_saved : T.pm_cleared);
    } else {
      state.saving.set(key, { state: "failed", error });
      say(fmt(T.failed, { error }), true);
    }
    patchPeriodCell(table, state, student, T);
    return ok;
  }

  function periodReadOnly() {
    if (state.data.period_column.can_write) return false;
    say(T.read_only, true);
    return true;
  }

  async function commitPeriod(pos, buffer) {
    const student = state.data.students[pos.r];
    if (periodReadOnly()) return false;
    const found = periodResolve(buffer, state.data.period_column, T);
    if (found.error) return say(found.error, true);
    return savePeriod(student, found.value);
  }

  // A key in the period column: «+» accepts the suggestion, Backspace clears, else typed.
  async function periodKey(cmd) {
    const student = state.data.students[state.cursor.r];
    const cell = periodCell(state.data.period_column, student);
    if (cmd.name === "erase" && !state.buffer) {
      if (!cell.value) return say(T.nothing_to_clear);
      if (periodReadOnly()) return;
      const yes = await dialog.confirm(fmt(T.confirm_delete, { value: cell.value }));
      focusGrid();
      return yes ? savePeriod(student, "") : say(T.nothing_deleted);
    }
    if (periodReadOnly()) return;
    if (cmd.key === "+" && !state.buffer) {
      return cell.suggested ? savePeriod(student, cell.suggested) : say(T.pm_no_suggestion, true);
    }
    const typed = periodTypeKey(state.buffer, cmd.key, state.data.period_column, T);
    state.buffer = typed.buffer;
    say(typed.message, typed.bad);
  }

  async function commit(pos, value) {
    if (isPeriodColumn(state.data, pos.c)) return commitPeriod(pos, value);
    const student = state.data.students[pos.r];
    const lesson = state.data.lessons[pos.c];
    if (refuseReadOnly(student, lesson)) return false;
    const meaning = await meaningOf(value);
    if (meaning.error) {
      say(meaning.error, true);
      return false;
    }
    return save(lesson, [changeFor(student, meaning, Number(refs.kind.value))], [student]);
  }

  async function fillColumn(value) {
    const lesson = state.data.lessons[state.cursor.c];
    if (!lesson.can_write) return say(T.read_only, true);
    const meaning = await meaningOf(value);
    if (meaning.error) return say(meaning.error, true);
    const empty = emptyCells(state.data, lesson);
    if (!empty.length) return say(T.column_empty);
    const kind = Number(refs.kind.value);
    if (await save(lesson, empty.map((s) => changeFor(s, meaning, kind)), empty)) say(fmt(T.column_filled, { count: empty.length }));
  }

  function columnText() {
    return fmt(T.column_mode, { date: ddmm(state.data.lessons[state.cursor.c].date) });
  }

  function selectColumn(on) {
    const dropped = state.buffer;
    state.columnMode = on;
    state.buffer = "";
    markColumn(table, state);
    if (on) {
      say(columnText());
      focusGrid();
    } else say(dropped ? fmt(T.input_cancelled, { value: dropped }) : "");
  }

  async function clearCell() {
    const { student, lesson } = current(state);
    if (refuseReadOnly(student, lesson)) return;
    const cell = cellOf(state.data, lesson, student);
    if (cell.marks.length) {
      const last = cell.marks[cell.marks.length - 1];
      const yes = await dialog.confirm(fmt(T.confirm_delete, { value: last.value }));
      focusGrid();
      if (yes) await save(lesson, [{ student: student.id, delete_marks: [last.id] }], [student]);
      else say(T.nothing_deleted);
    } else if (cell.absence) {
      await save(lesson, [{ student: student.id, absence: null }], [student]);
    } else say(T.nothing_to_clear);
  }

  // A commit of what is pending at `pos`, then the cursor moves: nothing typed is dropped.
  function moveTo(cursor) {
    const pending = state.buffer;
    const pos = state.cursor;
    state.buffer = "";
    state.cursor = cursor;
    focusGrid();
    if (pending) commit(pos, pending);
  }

  const handlers = {
    ignore: () => false,
    fill() {
      if (isPeriodColumn(state.data, state.cursor.c)) return say(T.pm_no_column, true);
      const value = state.buffer;
      if (!value) return say(state.columnMode ? columnText() : T.column_first, !state.columnMode);
      state.buffer = "";
      selectColumn(false);
      fillColumn(value);
    },
    column() {
      if (isPeriodColumn(state.data, state.cursor.c)) return say(T.pm_no_column, true);
      selectColumn(!state.columnMode);
    },
    move(cmd) {
      if (state.columnMode && cmd.enter) return handlers.fill();
      if (state.columnMode && cmd.dc) selectColumn(false);
      if (state.columnMode) {
        state.cursor = moved(state, cmd.dr, 0);
        return focusGrid();
      }
      moveTo(moved(state, cmd.dr, cmd.dc));
    },
    escape() {
      if (state.columnMode) return selectColumn(false);
      say(state.buffer ? fmt(T.input_cancelled, { value: state.buffer }) : "");
      state.buffer = "";
    },
    erase(cmd) {
      if (!state.buffer && isPeriodColumn(state.data, state.cursor.c)) return periodKey(cmd);
      if (!state.buffer) return clearCell();
      state.buffer = state.buffer.slice(0, -1);
      say(state.buffer ? fmt(T.pending, { value: state.buffer }) : "");
    },
    char(cmd) {
      if (isPeriodColumn(state.data, state.cursor.c)) return periodKey(cmd);
      const { student, lesson } = current(state);
      if (!state.buffer && (cmd.key === "t" || cmd.key === "T")) return panels.open(lesson);
      if (!state.buffer && (cmd.key === "h" || cmd.key === "H")) return panels.history();
      if (!state.columnMode && refuseReadOnly(student, lesson)) return;
      const typed = typeKey(state.buffer, cmd.key, state.ctx);
      state.buffer = typed.buffer;
      if (state.columnMode && !typed.bad) return say(`${columnText()} ${typed.buffer}`);
      say(typed.message, typed.bad);
    },
  };

  function onKey(event) {
    if (!state.data || !event.target.closest("td.cell")) return;
    const cmd = command(event);
    if (cmd.name === "ignore") return;
    if (cmd.name !== "escape") event.preventDefault();
    handlers[cmd.name](cmd);
  }

  function onClick(event) {
    const head = event.target.closest("button.lesson-head");
    if (head) {
      state.cursor = { r: state.cursor.r, c: Number(head.dataset.c) };
      return panels.open(state.data.lessons[state.cursor.c]);
    }
    const td = event.target.closest("td.cell");
    if (!td) return;
    if (state.columnMode && Number(td.dataset.c) !== state.cursor.c) selectColumn(false);
    moveTo({ r: Number(td.dataset.r), c: Number(td.dataset.c) });
  }

  const panels = createPanels({ state, refs, T, request, say, reason, refresh: load, focusGrid });
  const touch = createTouch({ state, refs, T, save, meaningOf, say, panels, dialog });

  // The lesson list (touch) or the keyboard grid; phones start with the list.
  function showView(list) {
    root.classList.toggle("touch-mode", list);
    refs.touch.hidden = !list;
    root.querySelector(".journal-scroll").hidden = list;
    refs.viewButton.textContent = list ? T.touch_to_table : T.touch_to_list;
    refs.viewButton.setAttribute("aria-pressed", String(list));
  }
  refs.viewButton.addEventListener("click", () => showView(!root.classList.contains("touch-mode")));
  showView(window.matchMedia(NARROW).matches);
  table.addEventListener("keydown", onKey);
  table.addEventListener("click", onClick);
  root.querySelector("[data-action=history]").addEventListener("click", () => {
    if (!isPeriodColumn(state.data, state.cursor.c)) panels.history();
  });
  root.querySelector("[data-action=fill]").addEventListener("click", () => selectColumn(true));
  say(T.loading);
  load().then((ok) => {
    if (!ok) return;
    say("");
    root.dataset.ready = "true";
  });
}

start(document.getElementById("journal"));
