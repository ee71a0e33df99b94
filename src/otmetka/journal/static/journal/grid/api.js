// Talking to API v1: JSON with the session's CSRF token; every write carries an Idempotency-Key
// kept for its retries, so a repeat after a lost answer gets the first answer, never a 2nd write.

const RETRY_DELAYS_MS = [500, 2000]; // after a lost answer (no response) or 409 (still running)

// The Russian message of a refused answer: per-cell errors, else the API's `detail`.
export function errorText(body, fallback) {
  if (body && body.errors && Object.keys(body.errors).length) return Object.values(body.errors).join(" ");
  if (body && typeof body.detail === "string") return body.detail;
  return fallback;
}

function csrfToken(cookie) {
  const found = cookie.split(";").map((c) => c.trim()).find((c) => c.startsWith("csrftoken="));
  return found ? decodeURIComponent(found.slice("csrftoken=".length)) : "";
}

// randomUUID needs HTTPS; a school LAN may be plain HTTP.
export function newKey(crypto) {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

// A client: request(method, url, payload?, isForm?, key?) → {ok, status, body, error, offline}; a write
// sends `key` as its Idempotency-Key (a queued entry's own), else a new one; `offline` says no
// answer came at all. `env` is the browser's (fetch, cookie, crypto, sleep), replaceable in tests.
export function createApi(T, env) {
  async function send(url, init, retries) {
    for (let attempt = 0; ; attempt++) {
      let response = null;
      try {
        response = await env.fetch(url, init);
      } catch {
        response = null;
      }
      // The browser knows it is offline: no use waiting for retries, the page queues the entry.
      if (response === null && env.offline()) return null;
      const again = retries && (response === null || response.status === 409);
      if (!again || attempt >= RETRY_DELAYS_MS.length) return response;
      await env.sleep(RETRY_DELAYS_MS[attempt]);
    }
  }
  return async function request(method, url, payload, isForm = false, key = null) {
    const headers = { "X-CSRFToken": csrfToken(env.cookie()), Accept: "application/json" };
    const init = { method, credentials: "same-origin", headers };
    if (method !== "GET") headers["Idempotency-Key"] = key || newKey(env.crypto);
    if (payload !== undefined && isForm) init.body = payload;
    else if (payload !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(payload);
    }
    const response = await send(url, init, method !== "GET");
    if (response === null) return { ok: false, body: null, error: T.network, offline: true };
    const body = await response.json().catch(() => null);
    return { ok: response.ok, status: response.status, body, error: response.ok ? "" : errorText(body, `${T.network} (${response.status})`), offline: false };
  };
}

export function browserEnv() {
  return {
    fetch: (url, init) => window.fetch(url, init),
    cookie: () => document.cookie,
    crypto: window.crypto,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    offline: () => navigator.onLine === false,
  };
}
