// Service worker of an officer's phone page (dispatch, patrol): keeps the page shell so the
// page opens with no signal, even from a cold start. Network first: each good answer for a shell
// path (or a kept API path, such as today's patrol plan) is stored, and served from the cache
// when there is no signal. Other API calls are never cached (the pages queue their own writes).
// The server fills SHELL, KEEP and CACHE (core/offline.py).
const SHELL = __SHELL__;
const KEEP = __KEEP__;
const CACHE = __CACHE__;
self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(SHELL.concat(KEEP)); }).then(function () { return self.skipWaiting(); }));
});
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });
self.addEventListener("fetch", function (event) {
  const request = event.request;
  if (request.method !== "GET") { return; }
  const url = new URL(request.url);
  const kept = KEEP.indexOf(url.pathname) >= 0;
  if (url.origin !== self.location.origin || url.pathname.startsWith("/ws/")) { return; }
  if (url.pathname.startsWith("/api/") && !kept) { return; }
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok && (kept || SHELL.indexOf(url.pathname) >= 0)) {
      const copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(url.pathname, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(request).then(function (hit) { return hit || caches.match(url.pathname); });
  }));
});
