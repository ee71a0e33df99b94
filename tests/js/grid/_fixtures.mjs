// Shared data of the grid's unit tests: the texts (as the page gives them) and a small grid.
export const GRID = "../../../src/otmetka/journal/static/journal/grid";

export const T = {
  pending: "«%(value)s»: Enter, Tab или стрелка — сохранить, Esc — отменить.",
  whole_marks: "Отметки «%(value)s» нет: ставятся целые отметки (%(range)s), без «+», «−» и дробей. Ничего не сохранено.",
  latin_layout: "«%(value)s» — латинская буква: переключите раскладку на русскую (на ней эта клавиша — «%(russian)s»). Ничего не сохранено.",
  bad_mark: "«%(value)s» — не отметка этого курса (допустимо: %(allowed)s).",
  unknown_input: "«%(value)s» — не отметка и не обозначение пропуска.",
  no_marks: "В этом курсе отметки не ставятся.",
  ambiguous: "«%(value)s» — это может быть %(options)s: наберите дальше.",
  network: "Нет связи с сервером",
};

export const CODES = [
  { id: 1, code: "н", name: "н", reason: "unknown" },
  { id: 2, code: "б", name: "б", reason: "illness" },
  { id: 3, code: "нп", name: "нп", reason: "invalid" },
  { id: 4, code: "оп", name: "оп", reason: "late" },
];

export function grid(assessment = "points_2_5") {
  return {
    course: { assessment },
    period: { closed: false },
    absence_codes: CODES,
    mark_kinds: [{ id: 7, name: "Ответ на уроке", short: "отв", weight: "1" }],
    lessons: [
      { id: 10, date: "2026-11-16", can_write: true, status: "planned" },
      { id: 11, date: "2026-11-17", can_write: true, status: "cancelled" },
      { id: 12, date: "2026-11-18", can_write: false, status: "planned" },
    ],
    students: [
      { id: 1, name: "Алексеева Анна", from: null, to: null, average: null, weighted_average: null, absences: 0 },
      { id: 2, name: "Иванов Иван", from: "2026-11-17", to: null, average: "4.00", weighted_average: "4.00", absences: 1 },
    ],
    cells: { "10:2": { marks: [{ id: 5, value: "4", kind: 7, comment: "" }], absence: null } },
  };
}
