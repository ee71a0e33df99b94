// Offline entry: the grids a teacher opened are kept in IndexedDB (with the time they were
// kept), and a change that finds no connection waits in a queue there, with its Idempotency-Key
// and the time it was made, until it can be sent. Nothing in the queue is dropped silently: an
// entry leaves it when the server took it, or when the teacher dismisses a refusal or resolves a
// conflict. The pure parts (no IndexedDB) are tested with node --test.
import { applySaved, cellKey, lessonReplaced } from "./state.js";

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
    // The whole queue (every course of the teacher's), oldest first.
    async everything() {
      return inOrder(await all("queue"));
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
export function queueEntry({ id, kind = "cells", course, lesson, url, grid, payload, students = [], data, seq, now = new Date() }) {
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
    grid: grid || `/api/v1/journal/${course}`, // the grid (course, period) the entry was made on
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

// What a queued entry sends: its payload with the time it was made (the server keeps it beside
// its own time). Online saves never send `made_at`.
export function sentPayload(entry) {
  return { ...entry.payload, made_at: entry.made_at };
}

const KEY_REUSED = 422; // the Idempotency-Key was used for another request

// Send the pending `entries` (every course's, oldest first), each to its own URL with its own
// Idempotency-Key. The grid each was made on is read once (a cell changed on the server since
// the teacher saw it is a conflict: not sent, the teacher chooses). A 422 means the first try
// (made online, without `made_at`) did reach the server: the same request without `made_at`
// gets its first answer. `io`: {request, put, remove}. → {sent, offline}
export async function sendQueue(entries, io) {
  const grids = new Map(); // grid url → the server's grid, or {error}
  let sent = 0;
  for (const entry of entries) {
    const url = entry.grid || `/api/v1/journal/${entry.course}`;
    if (!grids.has(url)) {
      const got = await io.request("GET", url);
      if (got.offline) return { sent, offline: true };
      if (!got.ok && got.status !== 403 && got.status !== 404) return { sent, offline: false }; // later
      grids.set(url, got.ok ? got.body : { error: got.error }); // 403/404: the journal is not theirs now
    }
    const server = grids.get(url);
    if (server.error) {
      await io.put({ ...entry, state: "rejected", error: server.error });
      continue;
    }
    if (!server.lessons.some((l) => l.id === entry.lesson)) continue; // moved meanwhile: kept
    const found = entry.force ? {} : conflicts(entry, server);
    if (Object.keys(found).length) {
      await io.put({ ...entry, state: "conflict", server: found });
      continue;
    }
    let answer = await io.request(entry.method, entry.url, sentPayload(entry), false, entry.id);
    if (answer.status === KEY_REUSED) answer = await io.request(entry.method, entry.url, entry.payload, false, entry.id);
    if (answer.offline) return { sent, offline: true };
    if (answer.ok) {
      if (entry.kind === "lesson") lessonReplaced(server, answer.body);
      else applySaved(server, answer.body);
      await io.remove(entry.id);
      sent++;
    } else await io.put({ ...entry, state: "rejected", error: answer.error });
  }
  return { sent, offline: false };
}
