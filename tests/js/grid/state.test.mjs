import assert from "node:assert/strict";
import { test } from "node:test";

import { GRID, grid } from "./_fixtures.mjs";

const S = await import(`${GRID}/state.js`);

test("a save's answer replaces its cells and patches the rows' summaries", () => {
  const data = grid();
  const rows = S.applySaved(data, {
    cells: { "10:1": { marks: [{ id: 9, value: "5", kind: 7, comment: "" }], absence: null } },
    students: { 1: { average: "5.00", weighted_average: "5.00", absences: 0 }, 99: { average: null, weighted_average: null, absences: 0 } },
  });
  assert.deepEqual(rows, [0]); // the unknown student 99 is skipped
  assert.equal(data.cells["10:1"].marks[0].value, "5");
  assert.equal(data.cells["10:2"].marks[0].value, "4"); // other cells stay
  assert.equal(data.students[0].average, "5.00");
  assert.equal(data.students[1].average, "4.00");
});

test("a cleared cell comes back empty", () => {
  const data = grid();
  S.applySaved(data, { cells: { "10:2": { marks: [], absence: null } }, students: { 2: { average: null, weighted_average: null, absences: 1 } } });
  assert.deepEqual(S.cellOf(data, data.lessons[0], data.students[1]), { marks: [], absence: null });
  assert.equal(data.students[1].average, null);
});

test("who may be written: enrolled on the date, lesson writable and not cancelled", () => {
  const data = grid();
  const [monday, cancelled, readOnly] = data.lessons;
  const [anna, ivan] = data.students;
  assert.equal(S.writable(anna, monday), true);
  assert.equal(S.enrolled(ivan, monday), false); // arrived on the 17th
  assert.equal(S.writable(ivan, monday), false);
  assert.equal(S.writable(anna, cancelled), false);
  assert.equal(S.writable(anna, readOnly), false);
});

test("fill the column takes only the empty writable cells", () => {
  const data = grid();
  data.students.push({ id: 3, name: "Борисов", from: null, to: null });
  assert.deepEqual(S.emptyCells(data, data.lessons[0]).map((s) => s.id), [1, 3]);
});

test("the cursor stays inside the grid", () => {
  const state = S.createState(grid());
  assert.deepEqual(S.moved(state, -1, -1), { r: 0, c: 0 });
  assert.deepEqual(S.moved(state, 5, 5), { r: 1, c: 2 });
  state.cursor = { r: 1, c: 1 };
  assert.deepEqual(S.current(state), { student: state.data.students[1], lesson: state.data.lessons[1] });
});

test("a change of one cell as the API takes it", () => {
  const anna = grid().students[0];
  assert.deepEqual(S.changeFor(anna, { mark: "5" }, 7), { student: 1, marks: [{ value: "5", kind: 7, comment: "" }] });
  assert.deepEqual(S.changeFor(anna, { absence: "оп", late: true, minutes: 10 }, 7), { student: 1, absence: { code: "оп", minutes: 10 } });
  assert.deepEqual(S.changeFor(anna, { absence: "н", late: false }, 7), { student: 1, absence: { code: "н", minutes: null } });
});

test("failed cells carry the server's message for their student", () => {
  const state = S.createState(grid());
  const lesson = state.data.lessons[0];
  S.markCells(state, lesson, state.data.students, "failed", { 2: "Обучающийся не числится в классе." }, "Не сохранено");
  assert.deepEqual(state.saving.get("10:2"), { state: "failed", error: "Обучающийся не числится в классе." });
  assert.deepEqual(state.saving.get("10:1"), { state: "failed", error: "Не сохранено" });
  S.markCells(state, lesson, state.data.students, "saved");
  assert.deepEqual(state.saving.get("10:1"), { state: "saved" });
});

test("a lesson replaced by the API's answer keeps what the answer lacks", () => {
  const data = grid();
  const lesson = S.lessonReplaced(data, { id: 11, topic: "Дроби" });
  assert.equal(lesson.topic, "Дроби");
  assert.equal(lesson.status, "cancelled");
});

test("a written work's «!» goes with its first mark and comes back with the last one removed", () => {
  const data = grid();
  const work = data.lessons[2]; // no marks yet: the grid flagged it
  work.missing = ["homework", "written_marks"];
  assert.equal(S.writtenMarksFollow(data, work), false); // still unmarked: nothing to patch
  S.applySaved(data, { cells: { "12:1": { marks: [{ id: 9, value: "5", kind: 7, comment: "" }], absence: null } }, students: {} });
  assert.equal(S.writtenMarksFollow(data, work), true);
  assert.deepEqual(work.missing, ["homework"]);
  S.applySaved(data, { cells: { "12:1": { marks: [], absence: null } }, students: {} });
  assert.equal(S.writtenMarksFollow(data, work), true);
  assert.deepEqual(work.missing, ["homework", "written_marks"]);
  const plain = data.lessons[0]; // marked, never flagged: not a written work as far as we know
  plain.missing = [];
  assert.equal(S.writtenMarksFollow(data, plain), false);
  assert.deepEqual(plain.missing, []);
});
