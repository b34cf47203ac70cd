// The officer view's own part of its service worker (served after safeops/offline-sw.js, which
// keeps the page shell; see dispatch/views.py officer_service_worker_view).

// --- car: the officer's assignment cards and floor plans, kept for offline use -----------------
// officer_card.js posts {type: "safeops-car-keep", urls} after it shows the cards; this section
// stores those responses in its own cache, which the fetch handler above falls back to
// (caches.match searches every cache) when there is no signal.
const CAR_CACHE = "safeops-officer-car-v1";
self.addEventListener("message", function (event) {
  const data = event.data || {};
  if (data.type !== "safeops-car-keep" || !Array.isArray(data.urls)) { return; }
  const urls = data.urls.filter(function (u) { return new URL(u, self.location.origin).origin === self.location.origin; });
  event.waitUntil(caches.open(CAR_CACHE).then(function (cache) {
    return Promise.all(urls.map(function (url) {
      return cache.match(url).then(function (hit) {
        // The cards change with each call; a floor plan is fetched once.
        if (hit && url.indexOf("/dispatch/officer/cards/") < 0) { return undefined; }
        return fetch(url, { credentials: "same-origin" }).then(function (response) {
          if (response.ok) { return cache.put(url, response); }
          return undefined;
        }).catch(function () { /* no signal: keep what we have */ });
      });
    }));
  }));
});
