import assert from "node:assert/strict";
import { test } from "node:test";

import { GRID, T as BASE, grid } from "./_fixtures.mjs";

const P = await import(`${GRID}/period.js`);
const S = await import(`${GRID}/state.js`);

const T = {
  ...BASE,
  pm_unknown: "«%(value)s» — не итоговая отметка этого курса (допустимо: %(allowed)s). Ничего не сохранено.",
  pm_suggested: "Предложено: %(value)s. «+» — принять.",
  pm_differs: "Отличается от предложенной «%(value)s»",
  pm_too_few: "Недостаточно отметок: %(count)s из %(minimum)s.",
};

function column(assessment = "points_2_5") {
  const scale = assessment === "pass_fail" ? [] : ["5", "4", "3", "2"];
  const allowed = assessment === "pass_fail" ? ["зач", "незач", "н/а", "осв"] : [...scale, "н/а", "осв"];
  return {
    period: 42, can_write: true, needs_reason: false, allowed, scale, minimum: 3,
    values: { 1: { value: "", suggested: "4", differs: false, too_few: true, count: 2 } },
  };
}

function withColumn() {
  return { ...grid(), period_column: column() };
}

test("the period column is the last column and the cursor reaches it", () => {
  const data = withColumn();
  assert.equal(P.isPeriodColumn(data, 3), true);
  assert.equal(P.isPeriodColumn(data, 2), false);
  assert.equal(P.isPeriodColumn(grid(), 3), false);
  const state = S.createState(data);
  state.cursor = { r: 0, c: 2 };
  assert.deepEqual(S.moved(state, 0, 1), { r: 0, c: 3 });
  state.cursor = { r: 0, c: 3 };
  assert.deepEqual(S.moved(state, 0, 1), { r: 0, c: 3 }); // kept inside
  const plain = S.createState(grid());
  plain.cursor = { r: 0, c: 2 };
  assert.deepEqual(S.moved(plain, 0, 1), { r: 0, c: 2 }); // no column, no extra step
});

test("typing a period mark: marks, «н/а» with or without the slash, «осв», completions", () => {
  const col = column();
  assert.deepEqual(P.periodTypeKey("", "5", col, T), { buffer: "5", message: T.pending.replace("%(value)s", "5"), bad: false });
  assert.equal(P.periodTypeKey("н", "/", col, T).buffer, "н/");
  assert.equal(P.periodTypeKey("н/", "а", col, T).buffer, "н/а");
  assert.deepEqual(P.periodResolve("н/а", col, T), { value: "н/а" });
  assert.deepEqual(P.periodResolve("на", col, T), { value: "н/а" });
  assert.deepEqual(P.periodResolve("н", col, T), { value: "н/а" }); // «н/а» and «на» are one value
  assert.deepEqual(P.periodResolve("о", col, T), { value: "осв" });
  assert.deepEqual(P.periodResolve("4", col, T), { value: "4" });
});

test("refusals name the problem: «4-», a digit off the scale, a Latin letter, an unknown word", () => {
  const col = column();
  const minus = P.periodTypeKey("4", "-", col, T);
  assert.equal(minus.bad, true);
  assert.match(minus.message, /Отметки «4-» нет: ставятся целые отметки \(2–5\)/);
  assert.match(P.periodTypeKey("", "6", col, T).message, /«6» — не отметка этого курса/);
  assert.match(P.periodTypeKey("", "f", col, T).message, /латинская буква.*«а»/);
  assert.match(P.periodTypeKey("", "б", col, T).message, /«б» — не итоговая отметка этого курса \(допустимо: 5, 4, 3, 2, н\/а, осв\)/);
});

test("pass/fail courses: «н» is ambiguous between «незач» and «н/а»", () => {
  const col = column("pass_fail");
  assert.match(P.periodResolve("н", col, T).error, /незач, н\/а/);
  assert.deepEqual(P.periodResolve("не", col, T), { value: "незач" });
  assert.deepEqual(P.periodResolve("з", col, T), { value: "зач" });
});

test("what a value still needs, and the «н/а» reason as typed", () => {
  assert.equal(P.periodNeeds("н/а"), "na_reason");
  assert.equal(P.periodNeeds("осв"), "basis");
  assert.equal(P.periodNeeds("5"), null);
  assert.equal(P.naReason("у"), "valid");
  assert.equal(P.naReason(" Уважительная "), "valid");
  assert.equal(P.naReason("н"), "invalid");
  assert.equal(P.naReason("неуваж"), "invalid");
  assert.equal(P.naReason(""), null);
  assert.equal(P.naReason("да"), null);
  assert.equal(P.naReason(null), null);
});

test("the change sent and the answer patched in place", () => {
  const data = withColumn();
  const student = data.students[0];
  assert.deepEqual(P.periodChange(data.period_column, student, "н/а", { na_reason: "valid", reason: "" }), {
    period: 42, student: 1, value: "н/а", na_reason: "valid", basis: "", reason: "",
  });
  const cell = { value: "5", suggested: "4", differs: true, too_few: false, count: 3 };
  assert.equal(P.applyPeriodSaved(data, student, { ok: true, cell }), 0);
  assert.deepEqual(P.periodCell(data.period_column, student), cell);
  assert.deepEqual(P.periodCell(data.period_column, data.students[1]).value, ""); // none yet
});

test("the cell's title: suggestion, difference, too few", () => {
  const col = column();
  assert.equal(P.periodTitle(col.values[1], col, T), "Предложено: 4. «+» — принять. Недостаточно отметок: 2 из 3.");
  const differs = { value: "5", suggested: "4", differs: true, too_few: false, count: 4 };
  assert.equal(P.periodTitle(differs, col, T), "Отличается от предложенной «4»");
});
