// The officer's patrol day (phone). Check-ins and skips queue on the phone (localStorage)
// with a client-made idempotency key and are sent until the server answers; the server applies
// each key once. The position of a check-in is read when the officer taps, even offline.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("patrol-config").textContent);
  const text = JSON.parse(document.getElementById("patrol-text").textContent);
  const csrf = document.getElementById("csrf").textContent.trim();
  const list = document.getElementById("patrol-stops");
  const next = document.getElementById("next-body");
  const queueStatus = document.getElementById("patrol-queue");
  const QUEUE_KEY = "safeops.patrol.queue." + config.personId;
  let plan = config.plan;
  let queue = [];
  try { queue = JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]"); } catch (e) { queue = []; }
  let flushing = false;
  let lastError = "";

  function save() { localStorage.setItem(QUEUE_KEY, JSON.stringify(queue)); }
  function uuid() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    return "k" + Date.now().toString(36) + Math.random().toString(36).slice(2);
  }
  function el(tag, attrs, content) {
    const node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (content !== undefined) { node.textContent = content; }
    return node;
  }
  function pending(id) {
    const mine = queue.filter(function (q) { return q.visitId === id; });
    return mine.length ? mine[mine.length - 1].kind : null;
  }
  function statusOf(v) {
    const p = pending(v.id);
    return p === "check-in" ? "checked_in" : p === "skip" ? "skipped" : v.status;
  }
  function statusText(v) {
    const s = statusOf(v);
    let t = text[s] || s;
    if (s === "checked_in" && v.within_geofence === false) { t = text.far.replace("{m}", Math.round(v.distance_m)); }
    if (pending(v.id)) { t += " · " + text.waiting; }
    return t;
  }
  function enqueue(v, kind, body) {
    body.idempotency_key = uuid();
    body.at = new Date().toISOString();
    const url = (kind === "check-in" ? config.checkInUrl : config.skipUrl).replace("{id}", String(v.id));
    queue.push({ visitId: v.id, kind: kind, url: url, body: body });
    save();
    render();
    flush();
  }
  function checkIn(v, button) {
    if (!navigator.geolocation) { lastError = text.noPosition; render(); return; }
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(function (p) {
      enqueue(v, "check-in", { latitude: p.coords.latitude, longitude: p.coords.longitude });
    }, function () {
      button.disabled = false;
      lastError = text.noPosition;
      render();
    }, { enableHighAccuracy: true, timeout: 10000, maximumAge: 0 });
  }
  function skipForm(v) {
    const form = el("form", { class: "skip-form" });
    const id = "skip-reason-" + v.id;
    form.appendChild(el("label", { for: id }, text.reason));
    const select = el("select", { id: id, name: "reason" });
    config.skipReasons.forEach(function (c) { select.appendChild(el("option", { value: c[0] }, c[1])); });
    form.appendChild(select);
    form.appendChild(el("button", { type: "submit" }, text.skip));
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      enqueue(v, "skip", { reason: select.value });
    });
    return form;
  }
  function stopItem(v, withActions) {
    const li = el("li", { class: "stop", "data-visit-id": String(v.id), "data-status": statusOf(v) });
    const title = el("div", { class: "stop-title" });
    title.appendChild(el("strong", {}, v.arrive + " " + v.place));
    if (v.window_label) { title.appendChild(el("span", { class: "badge" }, v.window_label)); }
    li.appendChild(title);
    li.appendChild(el("div", { class: "muted stop-status" }, statusText(v)));
    if (withActions && statusOf(v) === "planned") {
      const actions = el("div", { class: "stop-actions" });
      const link = el("a", { href: v.directions_url, class: "button", rel: "noopener", target: "_blank" }, text.directions);
      const button = el("button", { type: "button", class: "check-in" + (withActions === "next" ? " big" : "") }, text.checkIn);
      button.setAttribute("aria-label", text.checkIn + ": " + v.place + " " + v.arrive);
      button.addEventListener("click", function () { checkIn(v, button); });
      actions.appendChild(link);
      actions.appendChild(button);
      li.appendChild(actions);
      if (withActions === "next") { li.appendChild(skipForm(v)); }
    }
    return li;
  }
  function render() {
    const visits = plan ? plan.visits : [];
    const open = visits.filter(function (v) { return statusOf(v) === "planned"; });
    const nextList = el("ul", { class: "next-list" });
    if (open.length) { nextList.appendChild(stopItem(open[0], "next")); }
    next.replaceChildren(open.length ? nextList : el("p", { class: "muted" }, text.allDone));
    list.replaceChildren.apply(list, visits.map(function (v) { return stopItem(v, v !== open[0] ? "list" : false); }));
    queueStatus.textContent = queue.length ? text.queued.replace("{n}", queue.length) + (lastError ? " — " + lastError : "") : lastError;
  }
  function upsert(v) {
    const i = plan.visits.findIndex(function (x) { return x.id === v.id; });
    if (i >= 0) { plan.visits[i] = v; }
  }
  function flush() {
    if (flushing || !queue.length) { return Promise.resolve(); }
    flushing = true;
    const item = queue[0];
    return fetch(item.url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, Accept: "application/json" },
      body: JSON.stringify(item.body),
    }).then(function (response) {
      if (response.status >= 500 || response.status === 401 || response.status === 408 || response.status === 429) {
        lastError = response.status === 401 ? text.loginAgain : text.busy;
        return false;
      }
      queue.shift();
      save();
      return response.json().then(function (data) {
        if (response.ok) { lastError = ""; upsert(data.visit); } else { lastError = data.detail || ("HTTP " + response.status); }
        return true;
      }, function () { return true; });
    }, function () { lastError = text.noSignal; return false; })
      .then(function (progressed) {
        flushing = false;
        render();
        if (progressed && queue.length) { return flush(); }
        if (!queue.length) { reload(); }
        return undefined;
      });
  }
  function reload() {
    return fetch(config.todayUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(new Error("HTTP " + r.status)); })
      .then(function (data) { plan = data; render(); drawMap(); })
      .catch(function () { /* offline: keep what we have */ });
  }
  let layer = null;
  const map = window.L ? L.map("patrol-map") : null;
  if (map) {
    map.setView([38.25, -85.76], 11);
    if (config.tiles) { L.tileLayer(config.tiles, { maxZoom: 19 }).addTo(map); }
  }
  function drawMap() {
    if (!map || !plan) { return; }
    if (layer) { layer.remove(); }
    layer = L.featureGroup();
    const line = plan.visits.map(function (v) { return [v.latitude, v.longitude]; });
    if (line.length > 1) { L.polyline(line, { color: "#1f5fa8", weight: 3 }).addTo(layer); }
    plan.visits.forEach(function (v, i) {
      L.circleMarker([v.latitude, v.longitude], { radius: 7, color: "#222", weight: 1, fillOpacity: 0.9, fillColor: statusOf(v) === "planned" ? "#f0a830" : "#2e7d32" })
        .bindTooltip((i + 1) + ". " + v.arrive + " " + v.place).addTo(layer);
    });
    layer.addTo(map);
    if (line.length) { map.fitBounds(layer.getBounds().pad(0.1), { animate: false }); }
    document.getElementById("patrol-map-status").textContent = text.mapStatus.replace("{n}", plan.visits.length);
  }
  setInterval(flush, 5000);
  window.addEventListener("online", function () { flush(); });
  render();
  drawMap();
  flush();
  // The page, its files and today's plan stay on the phone: it opens with no signal.
  if ("serviceWorker" in navigator && config.serviceWorker) {
    navigator.serviceWorker.register(config.serviceWorker, { scope: config.scope }).catch(function () { /* optional */ });
  }
})();
