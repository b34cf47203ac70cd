// The alerts' service worker (scope /notify/): shows a pushed alert with sound and vibration
// even when no safeops page is open, reports it shown (the receipt's "delivered"), and opens
// the alert's page on a click.
self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });
self.addEventListener("push", function (event) {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (error) { data = { title: event.data.text() }; }
  const urgent = data.priority === "p1";
  const shown = self.registration.showNotification(data.title || "safeops", {
    body: data.body || "",
    lang: data.lang || "",
    tag: data.tag || undefined,
    renotify: Boolean(data.tag),
    requireInteraction: urgent,
    silent: false,
    vibrate: urgent ? [400, 150, 400, 150, 800] : [200],
    data: { url: data.url || "/notify/" },
  }).then(function () {
    if (data.shown) { return fetch(data.shown, { method: "POST", credentials: "omit" }).catch(function () { /* best effort */ }); }
    return null;
  });
  event.waitUntil(shown);
});
self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  const url = new URL(event.notification.data && event.notification.data.url || "/notify/", self.location.origin).href;
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
    for (const client of windows) {
      if (client.url === url && "focus" in client) { return client.focus(); }
    }
    return self.clients.openWindow(url);
  }));
});
