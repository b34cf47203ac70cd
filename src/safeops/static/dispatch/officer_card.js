// The officer's assignment cards (a phone in a car): the school's address, a map with the officer
// and the school (markers draw without tiles), directions, the callback number, a ticking "time
// since the call", and the school's floor plans, which the service worker keeps for offline use.
// The screen stays awake while a call is open (Screen Wake Lock API), released when cleared.
// officer.js owns the request list; this file watches it and re-fetches the cards when it changes.
(function () {
  "use strict";
  const box = document.getElementById("assignment-cards");
  const list = document.getElementById("my-requests");
  if (!box || !list) { return; }
  const wakeStatus = document.getElementById("wake-lock-status");
  const csrf = (document.getElementById("csrf") || { textContent: "" }).textContent.trim();
  let shownKey = null;
  let maps = [];
  let wakeLock = null;

  function openIds() {
    return Array.prototype.map.call(list.querySelectorAll(".officer-card"), function (c) { return c.dataset.requestId; });
  }

  // --- Time since the call ------------------------------------------------------------------------
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    box.querySelectorAll("time.since").forEach(function (t) {
      const seconds = Math.max(0, Math.floor((Date.now() - Date.parse(t.getAttribute("datetime"))) / 1000));
      const h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
      t.textContent = (h ? h + ":" + pad(m) : String(m)) + ":" + pad(s);
    });
  }

  // --- The map: the school and the officer; works without tiles -----------------------------------
  function drawMaps() {
    maps.forEach(function (m) { m.remove(); });
    maps = [];
    if (typeof L === "undefined") { return; }
    box.querySelectorAll(".assignment-card").forEach(function (card) {
      const el = card.querySelector(".card-map");
      const school = [parseFloat(card.dataset.lat), parseFloat(card.dataset.lon)];
      const map = L.map(el, { zoomControl: true, attributionControl: !!box.dataset.tiles });
      if (box.dataset.tiles) { L.tileLayer(box.dataset.tiles, { attribution: box.dataset.attribution, maxZoom: 19 }).addTo(map); }
      const points = [school];
      L.circleMarker(school, { radius: 10, color: "#c8372d", weight: 3, fillOpacity: 0.8, className: "school-marker" }).addTo(map);
      if (card.dataset.officerLat) {
        const me = [parseFloat(card.dataset.officerLat), parseFloat(card.dataset.officerLon)];
        L.circleMarker(me, { radius: 8, color: "#1f5fa8", weight: 3, fillOpacity: 0.8, className: "officer-marker" }).addTo(map);
        points.push(me);
      }
      if (points.length > 1) { map.fitBounds(L.latLngBounds(points).pad(0.3), { animate: false }); } else { map.setView(school, 15); }
      maps.push(map);
    });
  }

  // --- Offline: the service worker keeps the cards and the floor plans ----------------------------
  function keepOffline() {
    if (!("serviceWorker" in navigator)) { return; }
    const urls = [box.dataset.url];
    box.querySelectorAll("a.floor-plan").forEach(function (a) { urls.push(a.getAttribute("href")); });
    // `ready` waits for the worker officer.js registers (on the first visit it is not yet active).
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.active) { registration.active.postMessage({ type: "safeops-car-keep", urls: urls }); }
    });
  }
  // A floor plan opens from the phone's copy when there is no signal.
  box.addEventListener("click", function (e) {
    const link = e.target.closest ? e.target.closest("a.floor-plan") : null;
    if (!link || navigator.onLine) { return; }
    e.preventDefault();
    fetch(link.getAttribute("href"), { credentials: "same-origin" })
      .then(function (r) { return r.blob(); })
      .then(function (blob) { window.open(URL.createObjectURL(blob), "_blank"); })
      .catch(function () { /* not on the phone */ });
  });

  // --- Keep the screen on while a call is open ------------------------------------------------------
  function holdScreen(open) {
    document.body.dataset.wakeLock = open ? (wakeLock ? "held" : "wanted") : "released";
    if (!open) {
      if (wakeLock) { wakeLock.release().catch(function () {}); wakeLock = null; }
      wakeStatus.textContent = "";
      return;
    }
    if (wakeLock || !("wakeLock" in navigator) || document.visibilityState !== "visible") { return; }
    navigator.wakeLock.request("screen").then(function (lock) {
      wakeLock = lock;
      document.body.dataset.wakeLock = "held";
      wakeStatus.textContent = box.dataset.wakeHeld;
      lock.addEventListener("release", function () {
        if (wakeLock === lock) { wakeLock = null; }
        if (document.body.dataset.wakeLock === "held") { document.body.dataset.wakeLock = "wanted"; }
      });
    }).catch(function () { /* battery saver or not allowed: the call goes on */ });
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { holdScreen(openIds().length > 0); }
  });

  function load() {
    const ids = openIds();
    const key = ids.join(",");
    holdScreen(ids.length > 0);
    if (key === shownKey) { return; }
    shownKey = key;
    if (!ids.length) { maps.forEach(function (m) { m.remove(); }); maps = []; box.replaceChildren(); return; }
    fetch(box.dataset.url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(new Error("HTTP " + r.status)); })
      .then(function (html) {
        box.innerHTML = html;
        box.dataset.cards = String(box.querySelectorAll(".assignment-card").length);
        tick();
        drawMaps();
        keepOffline();
      })
      .catch(function () { shownKey = null; });
  }

  // --- After the call: the referral form for "referred", else the report and hand-offs -----------
  document.addEventListener("safeops:cleared", function (e) {
    const request = e.detail || {};
    if (!request.id) { return; }
    if (request.disposition === "referred") {
      const form = document.createElement("form");
      form.method = "post";
      form.action = box.dataset.referralHandoff.replace("/0/", "/" + request.id + "/");
      const token = document.createElement("input");
      token.type = "hidden"; token.name = "csrfmiddlewaretoken"; token.value = csrf;
      form.appendChild(token);
      document.body.appendChild(form);
      form.submit();
      return;
    }
    window.location.assign(box.dataset.afterCall.replace("/0/", "/" + request.id + "/"));
  });

  new MutationObserver(load).observe(list, { childList: true, subtree: true, attributes: true, attributeFilter: ["data-request-id"] });
  setInterval(tick, 1000);
  load();
})();
