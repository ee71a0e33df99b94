// The offline queue's pure parts: an entry remembers what the teacher saw, a server change since
// is a conflict, the queued change is shown in the grid before it is sent, and the order is kept.
import assert from "node:assert/strict";
import { test } from "node:test";

import { GRID, grid } from "./_fixtures.mjs";

const O = await import(`${GRID}/offline.js`);

test("an entry keeps the cells as the teacher saw them; unchanged on the server, no conflict", () => {
  const data = grid();
  const lesson = data.lessons[0];
  const students = [data.students[0], data.students[1]];
  const entry = O.queueEntry({ id: "k1", course: 5, lesson, url: "/u", payload: { changes: [] }, students, data, seq: 1, now: new Date("2026-11-18T08:00:00Z") });
  assert.equal(entry.made_at, "2026-11-18T08:00:00.000Z");
  assert.equal(entry.state, "pending");
  assert.equal(entry.method, "POST");
  assert.deepEqual(Object.keys(entry.base).sort(), [`${lesson.id}:${students[0].id}`, `${lesson.id}:${students[1].id}`]);
  assert.deepEqual(O.conflicts(entry, data), {});
});

test("a cell changed on the server since is a conflict, with the server's value", () => {
  const data = grid();
  const lesson = data.lessons[0];
  const student = data.students[1];
  const entry = O.queueEntry({ id: "k2", course: 5, lesson, url: "/u", payload: { changes: [] }, students: [student], data, seq: 1 });
  const server = structuredClone(data);
  server.cells[`${lesson.id}:${student.id}`] = { marks: [{ id: 77, value: "3", kind: 7 }], absence: { code: "н", minutes: null } };
  assert.deepEqual(O.conflicts(entry, server), { [`${lesson.id}:${student.id}`]: "3 · н" });
});

test("a lesson's topic changed on the server since is a conflict too", () => {
  const data = grid();
  const lesson = { ...data.lessons[0], topic: "Дроби", homework: "" };
  data.lessons[0] = lesson;
  const entry = O.queueEntry({ id: "k3", kind: "lesson", course: 5, lesson, url: "/u", payload: { topic: "Дроби 2", homework: "" }, data, seq: 1 });
  assert.equal(entry.method, "PATCH");
  assert.deepEqual(O.conflicts(entry, data), {});
  const server = structuredClone(data);
  server.lessons[0].topic = "Другое";
  assert.deepEqual(O.conflicts(entry, server), { lesson: "Другое / " });
});

test("the queued change is drawn before it is sent: marks added, deleted, the absence set or cleared", () => {
  const data = grid();
  const lesson = data.lessons[0];
  const [a, b] = data.students;
  const entry = {
    id: "k4",
    kind: "cells",
    lesson: lesson.id,
    payload: {
      changes: [
        { student: a.id, marks: [{ value: "5", kind: 7, comment: "" }], absence: { code: "оп", minutes: 5 } },
        { student: b.id, delete_marks: data.cells[`${lesson.id}:${b.id}`].marks.map((m) => m.id), absence: null },
      ],
    },
  };
  O.applyLocal(data, entry);
  assert.equal(O.cellValue(data.cells[`${lesson.id}:${a.id}`]), "5 · оп 5");
  assert.equal(data.cells[`${lesson.id}:${a.id}`].marks.at(-1).id, "local:k4:0");
  assert.equal(O.cellValue(data.cells[`${lesson.id}:${b.id}`]), "");
});

test("the queue is sent in the order the entries were made", () => {
  const entries = [
    { id: "c", made_at: "2026-11-18T08:00:02.000Z", seq: 3 },
    { id: "a", made_at: "2026-11-18T08:00:01.000Z", seq: 1 },
    { id: "b", made_at: "2026-11-18T08:00:01.000Z", seq: 2 },
  ];
  assert.deepEqual(O.inOrder(entries).map((e) => e.id), ["a", "b", "c"]);
});

test("a kept journal is usable for the installation's days, then forgotten", () => {
  const now = Date.parse("2026-11-18T08:00:00Z");
  assert.equal(O.fresh("2026-11-12T08:00:00Z", 7, now), true);
  assert.equal(O.fresh("2026-11-10T08:00:00Z", 7, now), false);
});

// The network of `sendQueue`: answers by "METHOD url" (a list is answered in turn), every call kept.
function network(answers) {
  const calls = [];
  const request = async (method, url, payload, isForm, key) => {
    calls.push({ method, url, payload, key });
    const found = answers[`${method} ${url}`];
    const answer = Array.isArray(found) ? found.shift() : found;
    return answer || { ok: false, status: 500, body: null, error: "нет ответа", offline: false };
  };
  return { request, calls };
}

function storeOf(entries) {
  const kept = new Map(entries.map((e) => [e.id, e]));
  return { kept, put: async (e) => kept.set(e.id, e), remove: async (id) => kept.delete(id) };
}

function cellsEntry(id, course, lessonId, grid, made) {
  const data = grid === "/g2" ? { ...structuredClone(G), lessons: [{ id: lessonId, date: "2026-10-01" }] } : structuredClone(G);
  const lesson = data.lessons.find((l) => l.id === lessonId);
  const payload = { changes: [{ student: 1, marks: [{ value: "5", kind: 7 }] }], reason: "" };
  return O.queueEntry({ id, course, lesson, url: `/api/v1/lessons/${lessonId}/cells`, grid, payload, students: [{ id: 1 }], data, seq: 1, now: new Date(made) });
}

const G = grid();
const SAVED = { ok: true, status: 200, body: { cells: {}, students: {} }, error: "", offline: false };

test("a queued entry sends the time it was made; its own payload stays as the teacher made it", () => {
  const entry = cellsEntry("k5", 5, 10, "/g1", "2026-11-18T08:00:00Z");
  assert.equal(entry.grid, "/g1");
  assert.deepEqual(O.sentPayload(entry), { ...entry.payload, made_at: "2026-11-18T08:00:00.000Z" });
  assert.equal("made_at" in entry.payload, false);
  const old = O.queueEntry({ id: "k6", course: 9, lesson: G.lessons[0], url: "/u", payload: {}, data: G, seq: 1 });
  assert.equal(old.grid, "/api/v1/journal/9"); // made where the page gave no grid: the course's
});

test("every course's and period's entries are sent, each to its own URL with its own key", async () => {
  const a = cellsEntry("ka", 5, 10, "/g1", "2026-11-18T08:00:00Z");
  const b = cellsEntry("kb", 6, 40, "/g2", "2026-11-18T08:00:01Z");
  const c = cellsEntry("kc", 5, 10, "/g1", "2026-11-18T08:00:02Z");
  c.base = {}; // a second batch on the same cell: the first one's answer is not a conflict
  const g2 = { ...structuredClone(G), lessons: [{ id: 40, date: "2026-10-01" }] };
  const net = network({
    "GET /g1": { ok: true, status: 200, body: structuredClone(G), offline: false },
    "GET /g2": { ok: true, status: 200, body: g2, offline: false },
    "POST /api/v1/lessons/10/cells": SAVED,
    "POST /api/v1/lessons/40/cells": SAVED,
  });
  const store = storeOf([a, b, c]);
  const result = await O.sendQueue([a, b, c], { request: net.request, ...store });
  assert.deepEqual(result, { sent: 3, offline: false });
  assert.equal(store.kept.size, 0);
  const writes = net.calls.filter((x) => x.method === "POST");
  assert.deepEqual(writes.map((x) => [x.url, x.key]), [
    ["/api/v1/lessons/10/cells", "ka"],
    ["/api/v1/lessons/40/cells", "kb"],
    ["/api/v1/lessons/10/cells", "kc"],
  ]);
  assert.deepEqual(writes.map((x) => x.payload.made_at), [a.made_at, b.made_at, c.made_at]);
  assert.deepEqual(net.calls.filter((x) => x.method === "GET").map((x) => x.url), ["/g1", "/g2"]); // each grid read once
});

test("a key the server already took without made_at (the first try did arrive) gets its first answer", async () => {
  const a = cellsEntry("ka", 5, 10, "/g1", "2026-11-18T08:00:00Z");
  const net = network({
    "GET /g1": { ok: true, status: 200, body: structuredClone(G), offline: false },
    "POST /api/v1/lessons/10/cells": [{ ok: false, status: 422, body: null, error: "ключ", offline: false }, SAVED],
  });
  const store = storeOf([a]);
  assert.deepEqual(await O.sendQueue([a], { request: net.request, ...store }), { sent: 1, offline: false });
  const writes = net.calls.filter((x) => x.method === "POST");
  assert.deepEqual(writes.map((x) => [x.key, "made_at" in x.payload]), [["ka", true], ["ka", false]]);
  assert.equal(store.kept.size, 0);
});

test("a refusal stays with its reason; a journal no longer theirs refuses its entries; a server error or no connection keeps them", async () => {
  const a = cellsEntry("ka", 5, 10, "/g1", "2026-11-18T08:00:00Z");
  const b = cellsEntry("kb", 6, 40, "/g2", "2026-11-18T08:00:01Z");
  let net = network({
    "GET /g1": { ok: true, status: 200, body: structuredClone(G), offline: false },
    "GET /g2": { ok: false, status: 404, body: null, error: "Не найдено.", offline: false },
    "POST /api/v1/lessons/10/cells": { ok: false, status: 400, body: null, error: "Запись сделана больше 7 дней назад", offline: false },
  });
  let store = storeOf([a, b]);
  assert.deepEqual(await O.sendQueue([a, b], { request: net.request, ...store }), { sent: 0, offline: false });
  assert.deepEqual([...store.kept.values()].map((e) => [e.id, e.state, e.error]), [
    ["ka", "rejected", "Запись сделана больше 7 дней назад"],
    ["kb", "rejected", "Не найдено."],
  ]);
  net = network({ "GET /g1": { ok: false, status: 503, body: null, error: "занят", offline: false } });
  store = storeOf([a]);
  assert.deepEqual(await O.sendQueue([a], { request: net.request, ...store }), { sent: 0, offline: false });
  assert.equal(store.kept.get("ka").state, "pending");
  net = network({
    "GET /g1": { ok: true, status: 200, body: structuredClone(G), offline: false },
    "POST /api/v1/lessons/10/cells": { ok: false, body: null, error: "Нет связи", offline: true },
  });
  store = storeOf([a]);
  assert.deepEqual(await O.sendQueue([a], { request: net.request, ...store }), { sent: 0, offline: true });
  assert.equal(store.kept.get("ka").state, "pending");
});
