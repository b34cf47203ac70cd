// Service worker of the officer view: keeps the page shell so it opens without signal.
// API calls are never cached (the page queues its own writes).
const SHELL = __SHELL__;
const CACHE = "safeops-officer-v1";
self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(SHELL); }).then(function () { return self.skipWaiting(); }));
});
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });
self.addEventListener("fetch", function (event) {
  const request = event.request;
  if (request.method !== "GET") { return; }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/") || url.pathname.startsWith("/ws/")) { return; }
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok && SHELL.indexOf(url.pathname) >= 0) {
      const copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  }).catch(function () { return caches.match(request); }));
});
