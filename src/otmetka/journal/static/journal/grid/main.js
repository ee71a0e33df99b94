// The keyboard-first journal grid: plain ES modules, no bundler, no framework. It reads the grid
// JSON of /api/v1/journal/<course> once, draws the table, and saves each change in ONE request
// whose answer (the saved cells, the students' averages and absences) is patched in place.
import { browserEnv, createApi, newKey } from "./api.js";
import { createDialog } from "./dialog.js";
import { command, context, interpret, lateMinutes, resolve, typeKey } from "./keys.js";
import { applyLocal, fresh, openStore, queueEntry, sendQueue } from "./offline.js";
import { createPanels } from "./panel.js";
import { applyPeriodSaved, isPeriodColumn, naReason, periodCell, periodChange, periodNeeds, periodResolve, periodTypeKey } from "./period.js";
import { applySaved, cellKey, cellOf, changeFor, createState, current, emptyCells, enrolled, markCells, moved, writable, writtenMarksFollow } from "./state.js";
import { ddmm, fmt } from "./text.js";
import { createTouch, NARROW } from "./touch.js";
import { el, markColumn, patchCells, patchHeader, patchPeriodCell, patchSummaries, render, showCursor } from "./view.js";

async function start(root) {
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
    queue: root.querySelector(".journal-queue"),
  };
  const table = refs.table;
  const state = createState(null);
  const request = createApi(T, browserEnv());
  const dialog = createDialog(root.querySelector(".grid-dialog"));
  let loads = 0; // only the latest load of the grid is drawn
  const store = await openStore(); // IndexedDB: the kept grids and the queue (null: online only)
  const course = Number(root.dataset.course);
  const keepDays = Number(root.dataset.offlineDays) || 7;
  let seq = 0; // the order of queued entries made within one millisecond

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

  // The grid JSON from the server, kept for offline use when the user teaches the course; without
  // a connection the kept copy (not older than the installation's days), with its time shown.
  async function fetchGrid() {
    const url = root.dataset.gridUrl;
    const { ok, body, error, offline } = await request("GET", url);
    if (ok) {
      if (store && body.course.is_teacher) await store.saveGrid(url, body, new Date().toISOString()).catch(() => null);
      return { body, keptAt: null };
    }
    const kept = offline && store ? await store.loadGrid(url).catch(() => null) : null;
    if (kept && fresh(kept.at, keepDays)) return { body: kept.data, keptAt: kept.at };
    return { error: error || T.load_failed };
  }

  async function load() {
    const mine = ++loads;
    const { body, keptAt, error } = await fetchGrid();
    if (mine !== loads) return false;
    if (!body) {
      say(error, true);
      return false;
    }
    const queued = store ? await store.queue(course) : [];
    if (mine !== loads) return false;
    state.data = body;
    state.keptAt = keptAt;
    for (const entry of queued) {
      const students = entry.students.map((id) => ({ id }));
      const lesson = { id: entry.lesson };
      if (entry.state === "rejected") {
        markCells(state, lesson, students, "failed", {}, entry.error);
        continue;
      }
      applyLocal(body, entry);
      markCells(state, lesson, students, "pending");
    }
    showQueue(queued);
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

  // One POST for a batch of one lesson's cells; the answer is patched into the drawn grid. With
  // no connection the batch waits in the queue (its key kept) and the cells show it as not sent.
  async function save(lesson, changes, students) {
    const why = await reason();
    if (why === null) return false;
    if (changes.some((c) => (c.delete_marks || []).some((id) => String(id).startsWith("local:")))) {
      say(T.offline_not_sent, true);
      return false;
    }
    markCells(state, lesson, students, "saving");
    patchCells(table, state, lesson, students, T);
    say(T.saving);
    const url = `${refs.api}lessons/${lesson.id}/cells`;
    const payload = { changes, reason: why };
    const key = newKey(window.crypto);
    const { ok, body, error, offline } = await request("POST", url, payload, false, key);
    if (offline && store) {
      const entry = queueEntry({ id: key, course, lesson, url, grid: root.dataset.gridUrl, payload, students, data: state.data, seq: ++seq });
      await store.put(entry);
      applyLocal(state.data, entry);
      markCells(state, lesson, students, "pending");
      patchCells(table, state, lesson, students, T);
      say(T.offline_queued, true);
      showQueue(await store.queue(course));
      return true;
    }
    if (ok) {
      const rows = applySaved(state.data, body);
      markCells(state, lesson, students, "saved");
      patchSummaries(table, state, rows);
      if (writtenMarksFollow(state.data, lesson)) {
        patchHeader(table, lesson, state.data.lessons.indexOf(lesson), T);
        markColumn(table, state);
      }
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

  // A lesson's topic and homework saved without a connection: queued like cells.
  async function queueLesson(lesson, url, payload, key) {
    if (!store) return false;
    const entry = queueEntry({ id: key, kind: "lesson", course, lesson, url, grid: root.dataset.gridUrl, payload, data: state.data, seq: ++seq });
    await store.put(entry);
    applyLocal(state.data, entry);
    patchHeader(table, lesson, state.data.lessons.indexOf(lesson), T);
    say(T.offline_queued, true);
    showQueue(await store.queue(course));
    return true;
  }

  // «Не отправлено: N», and the entries that need the teacher: a conflict (both values, choose
  // one) or a refusal (the server's Russian reason, dismissed by the teacher).
  function showQueue(entries) {
    const waiting = entries.filter((e) => e.state === "pending").length;
    const problems = entries.filter((e) => e.state !== "pending");
    const kept = state.keptAt ? fmt(T.offline_kept, { at: new Date(state.keptAt).toLocaleString("ru-RU") }) : "";
    const lines = [];
    if (kept) lines.push(el("p", { className: "queue-kept", text: kept }));
    if (waiting) {
      lines.push(el("p", { className: "queue-count" }, fmt(T.offline_waiting, { count: waiting }), " ", el("button", { type: "button", className: "btn-small", "data-queue": "send", text: T.offline_send })));
    }
    for (const entry of problems) lines.push(problemLine(entry));
    refs.queue.replaceChildren(...lines);
    refs.queue.hidden = !lines.length;
  }

  function who(entry) {
    const lesson = state.data.lessons.find((l) => l.id === entry.lesson);
    const names = entry.students.map((id) => (state.data.students.find((s) => s.id === id) || { name: `#${id}` }).name);
    return `${lesson ? ddmm(lesson.date) : ""} ${names.join(", ")}`.trim();
  }

  function problemLine(entry) {
    const li = el("p", { className: `queue-problem ${entry.state}`, "data-entry": entry.id });
    if (entry.state === "conflict") {
      const server = Object.values(entry.server).join("; ") || T.offline_empty;
      li.append(
        fmt(T.offline_conflict, { who: who(entry), server }),
        " ",
        el("button", { type: "button", className: "btn-small", "data-queue": "mine", text: T.offline_keep_mine }),
        " ",
        el("button", { type: "button", className: "btn-small", "data-queue": "theirs", text: T.offline_keep_server }),
      );
    } else {
      li.append(fmt(T.offline_rejected, { who: who(entry), error: entry.error }), " ", el("button", { type: "button", className: "btn-small", "data-queue": "dismiss", text: T.offline_dismiss }));
    }
    return li;
  }

  // Send the queue in order — every course's entries, not only this page's — each with its own
  // URL and Idempotency-Key (`sendQueue`): a repeat after a lost answer gets the first answer,
  // never a second mark; a cell changed on the server since the teacher saw it waits for the
  // teacher's choice (shown on its own journal's page).
  let flushing = false;
  async function flush() {
    if (flushing || !store) return;
    flushing = true;
    try {
      const entries = (await store.everything()).filter((e) => e.state === "pending");
      if (!entries.length) return;
      const io = { request, put: (e) => store.put(e), remove: (id) => store.remove(id) };
      const { sent, offline } = await sendQueue(entries, io);
      for (const entry of entries) for (const id of entry.students) state.saving.delete(cellKey({ id: entry.lesson }, { id }));
      await load();
      if (sent) say(fmt(T.offline_sent, { count: sent }));
      else if (!offline) say(""); // connected: no stale «Нет связи»; what waits is in the queue panel
    } finally {
      flushing = false;
    }
  }

  refs.queue.addEventListener("click", async (event) => {
    const action = event.target.dataset.queue;
    if (!action) return;
    if (action === "send") return flush();
    const id = event.target.closest("[data-entry]").dataset.entry;
    const entry = (await store.queue(course)).find((e) => e.id === id);
    if (!entry) return;
    if (action === "mine") await store.put({ ...entry, state: "pending", force: true, server: {} });
    else await store.remove(entry.id);
    for (const sid of entry.students) state.saving.delete(cellKey({ id: entry.lesson }, { id: sid }));
    if (action === "mine") return flush();
    await load();
  });
  window.addEventListener("online", () => flush());

  const panels = createPanels({ state, refs, T, request, say, reason, refresh: load, focusGrid, queueLesson });
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
  if (store) await store.expire(keepDays).catch(() => 0);
  load().then((ok) => {
    if (!ok) return;
    say(state.keptAt ? fmt(T.offline_kept, { at: new Date(state.keptAt).toLocaleString("ru-RU") }) : "", Boolean(state.keptAt));
    root.dataset.ready = "true";
    if (!state.keptAt) flush();
  });
}

// The journal opens offline once a teacher opened it online (a secure context only: HTTPS or
// localhost; on plain HTTP the queue still keeps entries while the page stays open).
if ("serviceWorker" in navigator) {
  const url = document.getElementById("journal").dataset.serviceWorker;
  navigator.serviceWorker.register(url, { scope: "/journal/" }).catch(() => null);
}
start(document.getElementById("journal"));
