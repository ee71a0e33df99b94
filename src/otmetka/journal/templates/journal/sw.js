// The journal's service worker (scope /journal/): keeps the journal pages and their scripts so a
// teacher who opened a journal online can open it again without a connection. The data (the
// grid, the queue of unsent entries) is kept by the page itself in IndexedDB; API answers never
// pass through here. Logging out clears all of it (Clear-Site-Data).
const CACHE = "otmetka-journal-{{ version }}";
const ASSETS = {{ assets|safe }};
const PAGE = /^\/journal\/(\d+\/)?$/;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("otmetka-journal-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// Network first, the kept copy when there is no network: online the teacher always sees the
// server's page; a page or script fetched online is kept for the next time offline.
async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic") await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const kept = (await cache.match(request)) || (await cache.match(request, { ignoreSearch: true }));
    if (kept) return kept;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const page = request.mode === "navigate" && PAGE.test(url.pathname);
  if (page || url.pathname.startsWith("{{ static_prefix }}")) event.respondWith(networkFirst(request));
});
