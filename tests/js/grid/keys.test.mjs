import assert from "node:assert/strict";
import { test } from "node:test";

import { CODES, GRID, T, grid } from "./_fixtures.mjs";

const { command, context, interpret, lateMinutes, markRange, resolve, russianKey, typeKey } = await import(`${GRID}/keys.js`);

const ctx = context(grid(), T);

function typeAll(keys, c = ctx) {
  let state = { buffer: "", message: "", bad: false };
  for (const key of keys) state = typeKey(state.buffer, key, c);
  return state;
}

test("a digit of the course waits in the buffer with a hint", () => {
  assert.deepEqual(typeKey("", "4", ctx), { buffer: "4", message: "«4»: Enter, Tab или стрелка — сохранить, Esc — отменить.", bad: false });
});

test("«4-» is refused whole with the course's range and nothing stays pending", () => {
  const typed = typeAll(["4", "-"]);
  assert.equal(typed.buffer, "");
  assert.equal(typed.bad, true);
  assert.equal(typed.message, "Отметки «4-» нет: ставятся целые отметки (2–5), без «+», «−» и дробей. Ничего не сохранено.");
});

test("«5+», «4.5», «4,» and a lone «+» or «.» are refused as not whole", () => {
  for (const keys of [["5", "+"], ["4", "."], ["4", ","], ["+"], ["."], ["−"]]) {
    const typed = typeAll(keys);
    assert.equal(typed.bad, true, keys.join(""));
    assert.match(typed.message, /^Отметки «.+» нет: ставятся целые отметки \(2–5\)/);
  }
});

test("a 1–5 course names its own range", () => {
  const typed = typeAll(["3", "-"], context(grid("points_1_5"), T));
  assert.match(typed.message, /\(1–5\)/);
});

test("a Latin letter names the Russian key in its place", () => {
  assert.equal(russianKey("y"), "н");
  assert.equal(russianKey("N"), "т");
  const typed = typeAll(["y"]);
  assert.equal(typed.message, "«y» — латинская буква: переключите раскладку на русскую (на ней эта клавиша — «н»). Ничего не сохранено.");
  assert.equal(typed.buffer, "");
});

test("a mark outside the course and two digits say which marks there are", () => {
  assert.equal(typeAll(["1"]).message, "«1» — не отметка этого курса (допустимо: 2, 3, 4, 5).");
  assert.equal(typeAll(["4", "5"]).message, "«45» — не отметка этого курса (допустимо: 2, 3, 4, 5).");
  assert.equal(typeAll(["5"], context(grid("pass_fail"), T)).message, "«5» — не отметка этого курса (допустимо: зач, незач).");
  assert.equal(typeAll(["5"], context(grid("none"), T)).message, "В этом курсе отметки не ставятся.");
});

test("any other key is answered, never dropped", () => {
  assert.equal(typeAll(["*"]).message, "«*» — не отметка и не обозначение пропуска.");
  assert.equal(typeAll(["ж"]).message, "«ж» — не отметка и не обозначение пропуска.");
  assert.equal(typeAll(["н", "ж"]).message, "«нж» — не отметка и не обозначение пропуска.");
});

test("codes are typed letter by letter, capitals as small letters", () => {
  assert.equal(typeAll(["Н", "п"]).buffer, "нп");
  assert.equal(typeAll(["о"]).buffer, "о");
});

test("resolve takes the value itself, else its only completion, else says why", () => {
  assert.deepEqual(resolve("н", ctx), { value: "н" });
  assert.deepEqual(resolve("о", ctx), { value: "оп" });
  assert.deepEqual(resolve("не", context(grid("pass_fail"), T)), { value: "незач" });
  const two = context({ ...grid(), absence_codes: [...CODES, { code: "нх", reason: "valid" }] }, T);
  assert.deepEqual(two.codes.length, 5);
  assert.deepEqual(resolve("н", two), { value: "н" });
  const only = context({ ...grid(), absence_codes: [{ code: "нп", reason: "invalid" }, { code: "нх", reason: "valid" }] }, T);
  assert.deepEqual(resolve("н", only), { error: "«н» — это может быть нп, нх: наберите дальше." });
  assert.match(resolve("7", ctx).error, /не отметка этого курса/);
});

test("interpret tells a mark from an absence and a lateness", () => {
  assert.deepEqual(interpret("5", ctx), { mark: "5" });
  assert.deepEqual(interpret("б", ctx), { absence: "б", late: false });
  assert.deepEqual(interpret("оп", ctx), { absence: "оп", late: true });
  assert.ok(interpret("зач", ctx).error);
});

test("minutes late are a whole number from 1 to 45", () => {
  assert.equal(lateMinutes(" 10 "), 10);
  for (const bad of ["0", "46", "4.5", "", "abc", null, "100"]) assert.equal(lateMinutes(bad), null, String(bad));
});

test("markRange of whole marks and of words", () => {
  assert.equal(markRange(["2", "3", "4", "5"]), "2–5");
  assert.equal(markRange(["зач", "незач"]), "зач, незач");
});

test("keys become commands", () => {
  const key = (k, mods = {}) => command({ key: k, code: "", ...mods });
  assert.deepEqual(key("Enter", { ctrlKey: true }), { name: "fill" });
  assert.deepEqual(key(" ", { ctrlKey: true }), { name: "column" });
  assert.deepEqual(key("ArrowLeft"), { name: "move", dr: 0, dc: -1 });
  assert.deepEqual(key("Enter"), { name: "move", dr: 1, dc: 0, enter: true });
  assert.deepEqual(key("Tab", { shiftKey: true }), { name: "move", dr: -1, dc: 0, enter: true });
  assert.deepEqual(key("Escape"), { name: "escape" });
  assert.deepEqual(key("Delete"), { name: "erase" });
  assert.deepEqual(key("-"), { name: "char", key: "-" });
  assert.deepEqual(key("c", { ctrlKey: true }), { name: "ignore" });
  assert.deepEqual(key("5", { altKey: true }), { name: "ignore" });
  assert.deepEqual(key("Shift"), { name: "ignore" });
});
