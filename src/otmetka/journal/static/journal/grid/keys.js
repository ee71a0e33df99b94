// What the teacher's keys mean in the grid (pure: no DOM, tested with node --test).
// A typed value waits in a buffer until Enter, Tab or an arrow saves it, so «4-» is refused whole
// instead of saving the 4; every key either extends the buffer or is answered with a message.
import { fmt } from "./text.js";

export const MARKS = Object.freeze({
  points_2_5: ["2", "3", "4", "5"],
  points_1_5: ["1", "2", "3", "4", "5"],
  pass_fail: ["зач", "незач"],
  none: [],
});

// The same keys on the Russian layout (ЙЦУКЕН): a Latin letter is a keyboard switched wrong.
const LATIN = "qwertyuiop[]asdfghjkl;'zxcvbnm";
const RUSSIAN = "йцукенгшщзхъфывапролджэячсмить";
const MOVES = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
const NOT_WHOLE = /[+\-−.,/]/;

// The context of a course: {marks: [...], codes: [{code, reason}], T: texts}.
export function context(data, T) {
  return { marks: MARKS[data.course.assessment] || [], codes: data.absence_codes, T };
}

function words(ctx) {
  return [...ctx.marks, ...ctx.codes.map((c) => c.code)];
}

export function russianKey(latin) {
  const i = LATIN.indexOf(latin.toLowerCase());
  return i < 0 ? "" : RUSSIAN[i];
}

// "2–5" for whole-number marks; the list for others.
export function markRange(marks) {
  if (marks.length && marks.every((m) => /^\d$/.test(m))) return `${marks[0]}–${marks[marks.length - 1]}`;
  return marks.join(", ");
}

// Why `text` (the buffer with the key just typed) is not a value of this course.
export function refusal(text, ctx) {
  const { T, marks } = ctx;
  const last = text.slice(-1);
  if (/[a-z]/i.test(last)) return fmt(T.latin_layout, { value: last, russian: russianKey(last) });
  const numeric = marks.some((m) => /^\d$/.test(m));
  if (NOT_WHOLE.test(text) && /^[\d+\-−.,/]+$/.test(text)) {
    if (numeric) return fmt(T.whole_marks, { value: text, range: markRange(marks) });
    if (!marks.length) return T.no_marks;
    return fmt(T.bad_mark, { value: text, allowed: marks.join(", ") });
  }
  if (/^\d+$/.test(text)) {
    if (!marks.length) return T.no_marks;
    return fmt(T.bad_mark, { value: text, allowed: marks.join(", ") });
  }
  return fmt(T.unknown_input, { value: text });
}

// A printable key typed into a cell with `buffer` pending: the new buffer and what to say.
export function typeKey(buffer, key, ctx) {
  const text = buffer + key.toLowerCase();
  const fits = /^[0-9а-яё]$/.test(key.toLowerCase()) && words(ctx).some((w) => w.startsWith(text));
  if (fits) return { buffer: text, message: fmt(ctx.T.pending, { value: text }), bad: false };
  return { buffer: "", message: refusal(buffer + key, ctx), bad: true };
}

// The value a pending buffer saves: itself when it is one, else its only completion («о» → «оп»).
export function resolve(buffer, ctx) {
  const all = words(ctx);
  if (all.includes(buffer)) return { value: buffer };
  const longer = all.filter((w) => w.startsWith(buffer));
  if (longer.length === 1) return { value: longer[0] };
  if (longer.length > 1) return { error: fmt(ctx.T.ambiguous, { value: buffer, options: longer.join(", ") }) };
  return { error: refusal(buffer, ctx) };
}

// What a complete value means here: {mark} | {absence, late} | {error}.
export function interpret(value, ctx) {
  const code = ctx.codes.find((a) => a.code === value);
  if (code) return { absence: code.code, late: code.reason === "late" };
  if (ctx.marks.includes(value)) return { mark: value };
  return { error: refusal(value, ctx) };
}

// Minutes late as typed in the dialog: a whole number 1–45, else null.
export function lateMinutes(answer) {
  const text = String(answer ?? "").trim();
  if (!/^\d{1,2}$/.test(text)) return null;
  const minutes = Number.parseInt(text, 10);
  return minutes >= 1 && minutes <= 45 ? minutes : null;
}

// The command of a keydown in the grid: {name, dr, dc} — one handler per name.
export function command(event) {
  const k = event.key;
  if (event.altKey) return { name: "ignore" };
  if (k === "Enter" && (event.ctrlKey || event.metaKey)) return { name: "fill" };
  if (event.ctrlKey && (k === " " || event.code === "Space")) return { name: "column" };
  if (event.ctrlKey || event.metaKey) return { name: "ignore" };
  if (MOVES[k]) return { name: "move", dr: MOVES[k][0], dc: MOVES[k][1] };
  if (k === "Enter") return { name: "move", dr: 1, dc: 0, enter: true };
  if (k === "Tab") return { name: "move", dr: event.shiftKey ? -1 : 1, dc: 0, enter: true };
  if (k === "Escape") return { name: "escape" };
  if (k === "Backspace" || k === "Delete") return { name: "erase" };
  if (k.length === 1) return { name: "char", key: k };
  return { name: "ignore" };
}
