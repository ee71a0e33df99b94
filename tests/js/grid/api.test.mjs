import assert from "node:assert/strict";
import { test } from "node:test";

import { GRID, T } from "./_fixtures.mjs";

const { createApi, errorText } = await import(`${GRID}/api.js`);

function env(answers) {
  const calls = [];
  return {
    calls,
    fetch: async (url, init) => {
      calls.push({ url, init });
      const next = answers.shift();
      if (next === null) throw new TypeError("network");
      return { ok: next.status < 400, status: next.status, json: async () => next.body };
    },
    cookie: () => "a=1; csrftoken=tok%2Ben",
    crypto: { getRandomValues: (bytes) => bytes.fill(171) },
    sleep: async () => {},
    offline: () => false,
  };
}

test("a write retries a lost answer and a 409 with the same Idempotency-Key", async () => {
  const e = env([null, { status: 409, body: { detail: "ещё идёт" } }, { status: 200, body: { ok: true } }]);
  const result = await createApi(T, e)("POST", "/api/v1/lessons/1/cells", { changes: [] });
  assert.deepEqual(result, { ok: true, status: 200, body: { ok: true }, error: "", offline: false });
  assert.equal(e.calls.length, 3);
  const keys = e.calls.map((c) => c.init.headers["Idempotency-Key"]);
  assert.equal(new Set(keys).size, 1);
  assert.equal(keys[0], "ab".repeat(16));
  assert.equal(e.calls[0].init.headers["X-CSRFToken"], "tok+en");
  assert.equal(e.calls[0].init.body, '{"changes":[]}');
});

test("a read is sent once, without a key", async () => {
  const e = env([null]);
  const result = await createApi(T, e)("GET", "/api/v1/journal/1");
  assert.deepEqual(result, { ok: false, body: null, error: "Нет связи с сервером", offline: true });
  assert.equal(e.calls.length, 1);
  assert.equal(e.calls[0].init.headers["Idempotency-Key"], undefined);
});

test("a refusal gives the per-cell messages, else the detail, else the status", async () => {
  const e = env([{ status: 400, body: { ok: false, errors: { 3: "Урок ещё не проведён." }, cells: {} } }]);
  const result = await createApi(T, e)("POST", "/x", {});
  assert.equal(result.ok, false);
  assert.equal(result.error, "Урок ещё не проведён.");
  assert.equal(errorText({ detail: "Нет доступа." }, "—"), "Нет доступа.");
  assert.equal(errorText(null, "Нет связи (502)"), "Нет связи (502)");
});

test("a queued entry is sent with its own Idempotency-Key, every retry too", async () => {
  const e = env([null, { status: 200, body: { ok: true } }]);
  const result = await createApi(T, e)("POST", "/api/v1/lessons/1/cells", { changes: [] }, false, "queued-key-1");
  assert.equal(result.ok, true);
  assert.deepEqual(e.calls.map((c) => c.init.headers["Idempotency-Key"]), ["queued-key-1", "queued-key-1"]);
});

test("a write the browser knows to be offline is not retried: the page queues it at once", async () => {
  const e = { ...env([null, { status: 200, body: { ok: true } }]), offline: () => true };
  const result = await createApi(T, e)("POST", "/api/v1/lessons/1/cells", { changes: [] });
  assert.equal(result.offline, true);
  assert.equal(e.calls.length, 1);
});
