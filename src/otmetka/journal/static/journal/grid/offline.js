// Offline entry: the grids a teacher opened are kept in IndexedDB (with the time they were
// kept), and a change that finds no connection waits in a queue there, with its Idempotency-Key
// and the time it was made, until it can be sent. Nothing in the queue is dropped silently: an
// entry leaves it when the server took it, or when the teacher dismisses a refusal or resolves a
// conflict. The pure parts (no IndexedDB) are tested with node --test.
import { cellKey } from "./state.js";

export const DB_NAME = "otmetka-journal";
const VERSION = 1;

function done(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function finished(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

// The store: {grids: url → {url, data, at}, queue: id → entry}. null where IndexedDB is missing
// (a private window of some browsers): the page then works online only, as before.
export async function openStore(idb = globalThis.indexedDB) {
  if (!idb) return null;
  try {
    const request = idb.open(DB_NAME, VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains("grids")) db.createObjectStore("grids", { keyPath: "url" });
      if (!db.objectStoreNames.contains("queue")) db.createObjectStore("queue", { keyPath: "id" });
    };
    return wrap(await done(request));
  } catch {
    return null;
  }
}

function wrap(db) {
  async function put(store, value) {
    const tx = db.transaction(store, "readwrite");
    tx.objectStore(store).put(value);
    await finished(tx);
  }
  async function all(store) {
    return done(db.transaction(store).objectStore(store).getAll());
  }
  return {
    saveGrid: (url, data, at) => put("grids", { url, data, at }),
    loadGrid: (url) => done(db.transaction("grids").objectStore("grids").get(url)),
    put: (entry) => put("queue", entry),
    async remove(id) {
      const tx = db.transaction("queue", "readwrite");
      tx.objectStore("queue").delete(id);
      await finished(tx);
    },
    // The queue of one course, oldest first.
    async queue(course) {
      return inOrder((await all("queue")).filter((e) => e.course === course));
    },
    // Grids kept longer than `days` are forgotten (personal data is not kept for ever).
    async expire(days, now = Date.now()) {
      const old = (await all("grids")).filter((g) => !fresh(g.at, days, now));
      const tx = db.transaction("grids", "readwrite");
      for (const g of old) tx.objectStore("grids").delete(g.url);
      await finished(tx);
      return old.length;
    },
  };
}

export function inOrder(entries) {
  return [...entries].sort((a, b) => (a.made_at < b.made_at ? -1 : a.made_at > b.made_at ? 1 : a.seq - b.seq));
}

export function fresh(at, days, now = Date.now()) {
  return now - new Date(at).getTime() <= days * 86_400_000;
}

// What a cell holds, reduced to what a conflict is about: the marks' values and the absence.
export function cellValue(cell) {
  if (!cell) return "";
  const marks = cell.marks.map((m) => m.value).join(" ");
  const absence = cell.absence ? `${cell.absence.code}${cell.absence.minutes ? " " + cell.absence.minutes : ""}` : "";
  return [marks, absence].filter(Boolean).join(" · ");
}

// A lesson's topic and homework, reduced to what a conflict is about.
export function lessonValue(lesson) {
  return lesson ? [lesson.topic || "", lesson.homework || ""].join(" / ").replace(/^ \/ $/, "") : "";
}

// A queue entry for one save that found no connection: "cells" (a batch of one lesson's cells)
// or "lesson" (its topic and homework). `base` holds what the teacher saw, to notice a change
// made on the server meanwhile.
export function queueEntry({ id, kind = "cells", course, lesson, url, payload, students = [], data, seq, now = new Date() }) {
  const base = {};
  if (kind === "lesson") base.lesson = lessonValue(lesson);
  for (const s of students) base[cellKey(lesson, s)] = cellValue(data.cells[cellKey(lesson, s)]);
  return {
    id,
    kind,
    method: kind === "lesson" ? "PATCH" : "POST",
    seq,
    course,
    lesson: lesson.id,
    url,
    payload,
    students: students.map((s) => s.id),
    made_at: now.toISOString(),
    base,
    state: "pending", // "pending" | "conflict" | "rejected"
    error: "",
    server: {}, // cell key → the server's value, for a conflict
  };
}

// The cells of `entry` changed on the server since the teacher saw them: {key: server value}.
export function conflicts(entry, serverData) {
  const found = {};
  for (const [key, before] of Object.entries(entry.base)) {
    const now = key === "lesson" ? lessonValue(serverData.lessons.find((l) => l.id === entry.lesson)) : cellValue(serverData.cells[key]);
    if (now !== before) found[key] = now;
  }
  return found;
}

// The queued change shown in the grid before it is sent: the cells as they will be.
export function applyLocal(data, entry) {
  if (entry.kind === "lesson") {
    const lesson = data.lessons.find((l) => l.id === entry.lesson);
    if (lesson) Object.assign(lesson, { topic: entry.payload.topic, homework: entry.payload.homework });
    return;
  }
  for (const change of entry.payload.changes) {
    const key = `${entry.lesson}:${change.student}`;
    const cell = data.cells[key] ? { ...data.cells[key], marks: [...data.cells[key].marks] } : { marks: [], absence: null };
    if (change.delete_marks) cell.marks = cell.marks.filter((m) => !change.delete_marks.includes(m.id));
    for (const [i, mark] of (change.marks || []).entries()) {
      cell.marks.push({ id: `local:${entry.id}:${i}`, value: mark.value, kind: mark.kind, comment: mark.comment || "" });
    }
    if ("absence" in change) cell.absence = change.absence ? { code: change.absence.code, minutes: change.absence.minutes ?? null } : null;
    data.cells[key] = cell;
  }
}
