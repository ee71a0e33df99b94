// The grid's state and how a save's answer changes it (pure: no DOM, tested with node --test).
// One object per page, made by createState and passed around: no module-level mutable state.

export function createState(data) {
  return {
    data, // the grid JSON of /api/v1/journal/<course>
    cursor: { r: 0, c: 0 },
    buffer: "", // the value typed and not yet saved
    columnMode: false, // "Заполнить столбец": the typed value waits for Ctrl+Enter
    saving: new Map(), // "<lesson>:<student>" → {state: "saving"|"saved"|"failed", error}
    closedReason: "", // asked once per page in a closed period
    panelLesson: null,
  };
}

export const cellKey = (lesson, student) => `${lesson.id}:${student.id}`;

export function cellOf(data, lesson, student) {
  return data.cells[cellKey(lesson, student)] || { marks: [], absence: null };
}

export function enrolled(student, lesson) {
  return (!student.from || lesson.date >= student.from) && (!student.to || lesson.date <= student.to);
}

export function writable(student, lesson) {
  return lesson.can_write && lesson.status !== "cancelled" && enrolled(student, lesson);
}

export function current(state) {
  return { student: state.data.students[state.cursor.r], lesson: state.data.lessons[state.cursor.c] };
}

// The cursor moved by (dr, dc), kept inside the grid (the period-mark column, when there is one,
// is the last column).
export function moved(state, dr, dc) {
  const rows = state.data.students.length;
  const cols = state.data.lessons.length + (state.data.period_column ? 1 : 0);
  return {
    r: Math.max(0, Math.min(rows - 1, state.cursor.r + dr)),
    c: Math.max(0, Math.min(cols - 1, state.cursor.c + dc)),
  };
}

// The API change of one cell for a meaning of keys.interpret (+ minutes late, the kind of work,
// the mark's comment).
export function changeFor(student, meaning, kind, comment = "") {
  const item = { student: student.id };
  if (meaning.mark) item.marks = [{ value: meaning.mark, kind, comment }];
  if (meaning.absence) item.absence = { code: meaning.absence, minutes: meaning.minutes ?? null };
  return item;
}

// The students whose cell in the lesson is writable and empty ("fill the column").
export function emptyCells(data, lesson) {
  return data.students.filter((s) => {
    const cell = cellOf(data, lesson, s);
    return writable(s, lesson) && !cell.marks.length && !cell.absence;
  });
}

// Apply a save's answer ({cells, students}) to the data: the cells replaced, the students'
// averages and absences updated. Returns the rows (indexes) whose summary changed.
export function applySaved(data, body) {
  Object.assign(data.cells, body.cells);
  const rows = [];
  for (const [id, summary] of Object.entries(body.students)) {
    const r = data.students.findIndex((s) => String(s.id) === id);
    if (r < 0) continue;
    Object.assign(data.students[r], {
      average: summary.average,
      weighted_average: summary.weighted_average,
      absences: summary.absences,
    });
    rows.push(r);
  }
  return rows;
}

// A written work's «!» follows its marks as they are saved (the grid is not reloaded): the first
// live mark of the lesson clears "written_marks", removing the last one puts it back (with the
// deadline words the grid came with). Only a lesson the grid flagged is known to be a written
// work; true when `lesson.missing` changed.
export function writtenMarksFollow(data, lesson) {
  const marked = data.students.some((s) => cellOf(data, lesson, s).marks.length > 0);
  const flagged = lesson.missing.includes("written_marks");
  if (marked && flagged) {
    lesson.written_work = true;
    lesson.missing = lesson.missing.filter((m) => m !== "written_marks");
    return true;
  }
  if (!marked && !flagged && lesson.written_work) {
    lesson.missing = [...lesson.missing, "written_marks"];
    return true;
  }
  return false;
}

// Mark the cells of a save "saving", "saved" or "failed" (with the server's message for each
// student, else `fallback`).
export function markCells(state, lesson, students, status, errors = {}, fallback = "") {
  for (const s of students) {
    const mark = status === "failed" ? { state: status, error: errors[String(s.id)] || fallback } : { state: status };
    state.saving.set(cellKey(lesson, s), mark);
  }
}

// Replace a lesson by the API's answer about it; the lesson as now held.
export function lessonReplaced(data, updated) {
  const i = data.lessons.findIndex((l) => l.id === updated.id);
  if (i >= 0) data.lessons[i] = { ...data.lessons[i], ...updated };
  return data.lessons[Math.max(i, 0)];
}
