// The side panels: a lesson's topic, homework and files, and the history of a cell.
import { newKey } from "./api.js";
import { current, lessonReplaced } from "./state.js";
import { ddmm, fmt } from "./text.js";
import { el } from "./view.js";

// grid: {state, refs, T, request, say, reason, refresh, focusGrid, queueLesson}
export function createPanels(grid) {
  const { state, refs, T } = grid;
  const panel = refs.panel;
  const form = panel.querySelector("form");
  const errorBox = panel.querySelector(".lesson-error");
  const warningBox = panel.querySelector(".lesson-warning");

  function open(lesson) {
    state.panelLesson = lesson;
    panel.querySelector(".lesson-panel-title").textContent = `${ddmm(lesson.date)}${lesson.number ? ", " + lesson.number : ""} — ${lesson.teacher || ""}`;
    form.topic.value = lesson.topic || "";
    form.homework.value = lesson.homework || "";
    form.homework_minutes.value = lesson.homework_minutes ?? "";
    form.file.value = "";
    const suggest = panel.querySelector(".lesson-suggest");
    const planned = lesson.planned_topic;
    suggest.hidden = !(planned && planned.title && planned.title !== lesson.topic);
    if (planned) suggest.querySelector("button").textContent = planned.title;
    panel.querySelector(".lesson-files").replaceChildren(...lesson.files.map((f) => el("li", {}, el("a", { href: f.url, text: f.name }))));
    for (const control of form.elements) {
      if (control.dataset.action !== "close-panel") control.disabled = !lesson.can_write;
    }
    errorBox.textContent = "";
    warningBox.textContent = "";
    panel.hidden = false;
    form.topic.focus();
  }

  function close() {
    panel.hidden = true;
    state.panelLesson = null;
    grid.focusGrid();
  }

  function failed(error) {
    errorBox.textContent = error;
    grid.say(fmt(T.failed, { error }), true);
  }

  async function submit(event) {
    event.preventDefault();
    const lesson = state.panelLesson;
    const reason = await grid.reason();
    if (reason === null) return;
    const payload = { topic: form.topic.value.trim(), homework: form.homework.value, reason };
    // The homework's minutes (R38 load): empty clears them; the server checks 0..240.
    const minutes = form.homework_minutes.value.trim();
    if (minutes !== String(lesson.homework_minutes ?? "")) payload.homework_minutes = minutes === "" ? null : Number(minutes);
    if (lesson.planned_topic && payload.topic === lesson.planned_topic.title) payload.planned_topic = lesson.planned_topic.id;
    const url = `${refs.api}lessons/${lesson.id}`;
    const key = newKey(window.crypto);
    let result = await grid.request("PATCH", url, payload, false, key);
    if (result.offline && form.file.files.length) return failed(T.offline_no_files);
    if (result.offline && (await grid.queueLesson(lesson, url, payload, key))) {
      panel.hidden = true;
      state.panelLesson = null;
      return;
    }
    if (!result.ok) return failed(result.error);
    lessonReplaced(state.data, result.body);
    // Saved, but the server has a word on it (a Latin topic, a wrong keyboard layout): the
    // panel stays open with the warning, so the teacher sees it and can correct the topic.
    const warnings = result.body.warnings || [];
    if (form.file.files.length) {
      const upload = new FormData();
      upload.append("file", form.file.files[0]);
      upload.append("reason", reason);
      result = await grid.request("POST", `${refs.api}lessons/${lesson.id}/files`, upload, true);
      if (!result.ok) {
        failed(result.error);
        return grid.refresh();
      }
    }
    grid.say(T.lesson_saved);
    if (warnings.length) {
      warningBox.textContent = warnings.join(" ");
      form.file.value = "";
      await grid.refresh();
      return form.topic.focus();
    }
    close();
    await grid.refresh(); // the КТП suggestions of the other lessons move on
  }

  // «Все присутствуют» for the open lesson (or the touch view's lesson): true when taken.
  async function allPresent(lesson = state.panelLesson) {
    const reason = await grid.reason();
    if (reason === null) return false;
    const result = await grid.request("PATCH", `${refs.api}lessons/${lesson.id}`, { all_present: true, reason });
    if (!result.ok) {
      failed(result.error);
      return false;
    }
    lessonReplaced(state.data, result.body);
    grid.say(T.all_present_done);
    await grid.refresh();
    return true;
  }

  function historyLine(item) {
    const parts = [new Date(item.at).toLocaleString("ru-RU"), item.actor, item.action];
    const before = item.before ? JSON.stringify(item.before) : "";
    const after = item.after ? JSON.stringify(item.after) : "";
    if (before || after) parts.push(`${before || "—"} → ${after || "—"}`);
    if (item.reason) parts.push(item.reason);
    return parts.filter(Boolean).join(" · ");
  }

  async function history() {
    const { student, lesson } = current(state);
    if (!student || !lesson) return;
    const { ok, body, error } = await grid.request("GET", `${refs.api}lessons/${lesson.id}/history?student=${student.id}`);
    if (!ok) return grid.say(error, true);
    const items = body.length ? body.map((i) => el("li", { text: historyLine(i) })) : [el("li", { className: "muted", text: T.history_empty })];
    refs.history.querySelector(".history-list").replaceChildren(...items);
    refs.history.querySelector("h2").textContent = `${T.history_title}: ${student.name}, ${ddmm(lesson.date)}`;
    refs.history.hidden = false;
  }

  form.addEventListener("submit", submit);
  panel.addEventListener("click", (event) => {
    const action = event.target.dataset && event.target.dataset.action;
    if (action === "close-panel") close();
    if (action === "all-present") allPresent();
    if (action === "use-planned") form.topic.value = state.panelLesson.planned_topic.title;
  });
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") close();
  });
  refs.history.addEventListener("click", (event) => {
    if (event.target.dataset.action === "close-history") {
      refs.history.hidden = true;
      grid.focusGrid();
    }
  });
  return { open, history, allPresent };
}
