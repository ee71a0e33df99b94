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
