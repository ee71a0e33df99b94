// The touch view's pure helpers: which lesson opens first, the order of the lesson list, a cell's line.
import assert from "node:assert/strict";
import { test } from "node:test";

import { cellText, firstLesson, lessonOrder } from "../../../src/otmetka/journal/static/journal/grid/touch.js";

const lessons = [
  { id: 1, date: "2026-11-16", number: 2 },
  { id: 2, date: "2026-11-17", number: 3 },
  { id: 3, date: "2026-11-18", number: 1 },
  { id: 4, date: "2026-11-18", number: 5 },
  { id: 5, date: "2026-11-19", number: 1 },
];

test("today's first lesson opens first", () => {
  assert.equal(firstLesson(lessons, "2026-11-18"), 2);
});

test("without a lesson today, the last one before today opens", () => {
  assert.equal(firstLesson(lessons, "2026-11-20"), 4);
  assert.equal(firstLesson(lessons.slice(0, 2), "2026-11-18"), 1);
});

test("before the first lesson, the first one opens; no lessons, none", () => {
  assert.equal(firstLesson(lessons, "2026-11-01"), 0);
  assert.equal(firstLesson([], "2026-11-18"), -1);
});

test("the list: today's lessons by number, then back in time, then the ones to come", () => {
  assert.deepEqual(lessonOrder(lessons, "2026-11-18"), [2, 3, 1, 0, 4]);
  assert.deepEqual(lessonOrder(lessons, "2026-11-17"), [1, 0, 2, 3, 4]);
});

test("a cell's line: marks, then the absence with its minutes", () => {
  assert.equal(cellText({ marks: [], absence: null }), "");
  assert.equal(cellText({ marks: [{ value: "5" }, { value: "4" }], absence: null }), "5 4");
  assert.equal(cellText({ marks: [{ value: "5" }], absence: { code: "оп", minutes: 10 } }), "5 · оп 10");
  assert.equal(cellText({ marks: [], absence: { code: "н", minutes: null } }), "н");
});
