// Perisai's service worker (web/field/offline.py says what it keeps and why). Served at /sw.js.
const CONFIG = {{ config|safe }};
{% verbatim %}
importScripts(CONFIG.queueScript);

const SHELL_CACHE = "perisai-shell-" + CONFIG.version;
const PAGES = "perisai-pages-";
const SYNC_TAG = "perisai-queue";

// The app shell: every static file an agent's page loads. A new version (any file changed) replaces it.
self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL_CACHE)
      // Production's file names carry their hash, so the HTTP cache's copy is the right one; under DEBUG
      // the names stay and the files change, so each is checked with the server.
      .then((cache) => cache.addAll(CONFIG.shell.map((url) => new Request(url, { cache: CONFIG.revalidate ? "no-cache" : "default" }))))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names.filter((name) => name.startsWith("perisai-shell-") && name !== SHELL_CACHE).map((name) => caches.delete(name))
      ))
      .then(() => self.clients.claim())
  );
});

function isAgentPage(url) {
  return url.origin === self.location.origin && CONFIG.pages.some((prefix) => url.pathname.startsWith(prefix));
}

// The page's own account (its offline status box), read from the HTML the server sent.
function pageAccount(html) {
  const found = /id="offline-status"[^>]*?data-account="([0-9a-f]+)"/.exec(html);
  return found ? found[1] : null;
}

// Another account's first page wipes every other account's copies: a phone keeps one agent's pages.
async function forgetOtherAccounts(account) {
  const names = await caches.keys();
  await Promise.all(
    names.filter((name) => name.startsWith(PAGES) && name !== PAGES + account).map((name) => caches.delete(name))
  );
}

// Keep a copy of an agent's page as the server sent it, marked as a copy (data-live="0") so that, opened
// without a signal, it says from when it is. Only the account's own pages, never a redirect (the sign-in
// page) nor an error.
async function keep(url, response) {
  if (!response || !response.ok || response.redirected || (response.type !== "basic" && response.type !== "default")) { return; }
  if (!(response.headers.get("Content-Type") || "").startsWith("text/html")) { return; }
  const html = await response.text();
  const account = pageAccount(html);
  if (!account) { return; }
  if ((await PerisaiQueue.meta("account")) !== account) { await PerisaiQueue.meta("account", account); }
  await forgetOtherAccounts(account);
  const copy = new Response(html.replace('data-live="1"', 'data-live="0"'), {
    status: 200,
    headers: { "Content-Type": "text/html; charset=utf-8" },
  });
  const cache = await caches.open(PAGES + account);
  await cache.put(url, copy);
}

async function keptCopy(request) {
  const account = await PerisaiQueue.meta("account");
  if (!account) { return null; }
  const cache = await caches.open(PAGES + account);
  const url = new URL(request.url);
  return (await cache.match(url.href)) || (await cache.match(url.origin + url.pathname)) || null;
}

function offlinePage() {
  return new Response(CONFIG.offlinePage, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

// An agent's page: from the network whenever it answers (fresh figures), else the copy kept on the phone.
// A network slower than CONFIG.timeout gives the copy at once and keeps the late answer for next time.
async function agentPage(event) {
  const request = event.request;
  const network = fetch(request).then((response) => {
    event.waitUntil(keep(request.url, response.clone()).catch(() => {}));
    return response;
  });
  let timer;
  const late = new Promise((resolve) => { timer = setTimeout(() => resolve(null), CONFIG.timeout); });
  try {
    const first = await Promise.race([network, late]);
    if (first) { return first; }
    return (await keptCopy(request)) || (await network);
  } catch (error) {
    return (await keptCopy(request)) || offlinePage();
  } finally {
    clearTimeout(timer);
  }
}

async function staticFile(request) {
  const hit = await caches.match(request, { cacheName: SHELL_CACHE });
  return hit || fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") { return; }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (url.pathname.startsWith(CONFIG.static)) {
    event.respondWith(staticFile(request));
  } else if (request.mode === "navigate" && isAgentPage(url)) {
    event.respondWith(agentPage(event));
  }
});

// A page opened before this worker controlled it hands over its own HTML as the server sent it; every
// page makes sure the pages an agent needs first (home, the enrol form) are kept, fetching those that are
// not. So the first visit is enough to work offline.
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "keep") {
    event.waitUntil((async () => {
      const here = new URL(data.url, self.location.origin);
      if (data.html && isAgentPage(here)) {
        await keep(here.href, new Response(data.html, { headers: { "Content-Type": "text/html; charset=utf-8" } }));
      }
      for (const address of data.urls || []) {
        const url = new URL(address, self.location.origin);
        if (!isAgentPage(url) || url.href === here.href || (await keptCopy(new Request(url.href)))) { continue; }
        await keep(url.href, await fetch(url.href, { credentials: "same-origin" }).catch(() => null));
      }
    })());
  } else if (data.type === "forget") {
    event.waitUntil(caches.keys().then((names) => Promise.all(
      names.filter((name) => name.startsWith(PAGES)).map((name) => caches.delete(name))
    )));
  }
});

// Background Sync: the queue goes out as soon as the signal returns, even with no page open.
self.addEventListener("sync", (event) => {
  if (event.tag !== SYNC_TAG) { return; }
  event.waitUntil((async () => {
    const account = await PerisaiQueue.meta("account");
    if (!account) { return; }
    const csrf = await PerisaiQueue.meta("csrf:" + account);
    const result = await PerisaiQueue.flush(account, csrf);
    if (result.sent.length) {  // the next page says what went while no page was open
      const earlier = (await PerisaiQueue.meta("sent:" + account)) || [];
      await PerisaiQueue.meta("sent:" + account, earlier.concat(result.sent));
    }
    const clients = await self.clients.matchAll({ type: "window" });
    clients.forEach((client) => client.postMessage({ type: "queue" }));
    if (result.stopped === "offline") { throw new Error("still no signal"); }  // the browser tries again later
  })());
});
{% endverbatim %}
