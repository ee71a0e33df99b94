// The period-mark column of the grid (pure: no DOM, tested with node --test). Its data come from
// grading with the grid JSON (`period_column`): the allowed values, each student's cell
// {value, suggested, differs, too_few, count} and the texts. Typed like the other cells: the
// value waits in a buffer until Enter, Tab or an arrow; «+» accepts the suggestion.
import { refusal } from "./keys.js";
import { fmt } from "./text.js";

const NA = "н/а";
const ALIASES = { на: NA }; // «н/а» typed without the slash

// Whether column c of the grid is the period column.
export function isPeriodColumn(data, c) {
  return Boolean(data.period_column) && c === data.lessons.length;
}

export function periodCell(column, student) {
  return column.values[String(student.id)] || { value: "", suggested: "", differs: false, too_few: false, count: 0 };
}

function words(column) {
  return [...column.allowed, ...Object.keys(ALIASES)];
}

// Why `text` is not a period mark here: the grid's own messages for «4-», a Latin letter or a
// digit off the scale; else the column's «not a period mark».
export function periodRefusal(text, column, T) {
  if (/[a-z]/i.test(text.slice(-1)) || /^[\d+\-−.,/]+$/.test(text)) {
    const marks = column.scale.length ? [...column.scale].sort() : column.allowed; // «2–5», as the grid says
    return refusal(text, { marks, codes: [], T });
  }
  return fmt(T.pm_unknown, { value: text, allowed: column.allowed.join(", ") });
}

// A key typed into the period cell with `buffer` pending: {buffer, message, bad}.
export function periodTypeKey(buffer, key, column, T) {
  const text = buffer + key.toLowerCase();
  const fits = /^[0-9а-яё/]$/.test(key.toLowerCase()) && words(column).some((w) => w.startsWith(text));
  if (fits) return { buffer: text, message: fmt(T.pending, { value: text }), bad: false };
  return { buffer: "", message: periodRefusal(buffer + key, column, T), bad: true };
}

// The value a pending buffer saves ({value} or {error}): itself, an alias, or its only completion.
export function periodResolve(buffer, column, T) {
  const all = words(column);
  const exact = all.includes(buffer) ? buffer : null;
  const longer = all.filter((w) => w.startsWith(buffer));
  const found = exact || (longer.length === 1 ? longer[0] : null);
  if (found) return { value: ALIASES[found] || found };
  if (longer.length > 1) {
    const options = [...new Set(longer.map((w) => ALIASES[w] || w))];
    if (options.length === 1) return { value: options[0] };
    return { error: fmt(T.ambiguous, { value: buffer, options: options.join(", ") }) };
  }
  return { error: periodRefusal(buffer, column, T) };
}

// What else a value needs before it is sent: "na_reason" for «н/а», "basis" for «осв».
export function periodNeeds(value) {
  if (value === NA) return "na_reason";
  if (value === "осв") return "basis";
  return null;
}

// The answer to «н/а»'s question: «у» valid, «н» not valid (whole words too); null otherwise.
export function naReason(answer) {
  const text = String(answer ?? "").trim().toLowerCase();
  if (!text) return null;
  if ("уважительная".startsWith(text)) return "valid";
  if (["н", "не", "неуважительная", "нет"].includes(text) || "неуважительная".startsWith(text)) return "invalid";
  return null;
}

// The POST body of one period mark.
export function periodChange(column, student, value, extra = {}) {
  return { period: column.period, student: student.id, value, na_reason: extra.na_reason || "", basis: extra.basis || "", reason: extra.reason || "" };
}

// A save's answer patched into the column; the student's row index (or -1).
export function applyPeriodSaved(data, student, body) {
  data.period_column.values[String(student.id)] = body.cell;
  return data.students.indexOf(student);
}

// The cell's title: the suggestion, the difference, too few marks.
export function periodTitle(cell, column, T) {
  const parts = [];
  if (cell.suggested && !cell.value) parts.push(fmt(T.pm_suggested, { value: cell.suggested }));
  if (cell.differs) parts.push(fmt(T.pm_differs, { value: cell.suggested }));
  if (cell.too_few) parts.push(fmt(T.pm_too_few, { count: cell.count, minimum: column.minimum }));
  return parts.join(" ");
}
