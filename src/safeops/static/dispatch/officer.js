// The officer's phone view (PWA). Status changes queue on the phone (localStorage) with a
// client-generated idempotency key and are retried until the server answers; the server
// applies each key once. Position pings go out while on duty (latest only, never queued).
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("officer-config").textContent);
  const csrf = document.getElementById("csrf").textContent.trim();
  const list = document.getElementById("my-requests");
  const queueStatus = document.getElementById("queue-status");
  const dutyButton = document.getElementById("duty-toggle");
  const positionStatus = document.getElementById("position-status");
  const QUEUE_KEY = "safeops.officer.queue." + config.officerId;
  const W = config.words;  // the page's language, from the view
  const LABELS = { acknowledged: W.acknowledged, en_route: W.en_route, on_scene: W.on_scene, cleared: W.cleared };
  let queue = [];
  try { queue = JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]"); } catch (e) { queue = []; }
  let requests = [];
  let onDuty = config.onDuty;
  let flushing = false;
  let lastError = "";
  // A clearing form the officer has opened, by request id: kept across re-draws, so a live
  // update arriving while they pick a disposition does not close it or lose what they chose.
  const clearing = {};

  function save() { localStorage.setItem(QUEUE_KEY, JSON.stringify(queue)); }
  function uuid() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    return "k" + Date.now().toString(36) + Math.random().toString(36).slice(2);
  }
  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, Accept: "application/json" },
      body: JSON.stringify(body),
    });
  }
  function pendingFor(id) {
    const mine = queue.filter(function (q) { return q.requestId === id; });
    return mine.length ? mine[mine.length - 1].body.to_status : null;
  }
  function el(tag, attrs, textContent) {
    const node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (textContent !== undefined) { node.textContent = textContent; }
    return node;
  }
  function select(name, choices, label) {
    const wrap = el("label", {}, label);
    const s = el("select", { name: name });
    choices.forEach(function (c) { s.appendChild(el("option", { value: c[0] }, c[1])); });
    wrap.appendChild(s);
    return wrap;
  }
  function clearForm(r) {
    const form = el("form", { class: "clear-form" });
    form.appendChild(select("disposition", config.dispositions, W.disposition));
    const extra = el("div", { class: "enforcement", hidden: "" });
    extra.appendChild(el("label", {}, W.reason));
    extra.appendChild(el("input", { name: "reason", type: "text", maxlength: "500" }));
    Object.keys(config.demographics).forEach(function (name) {
      extra.appendChild(select(name, config.demographics[name], W[name]));
    });
    form.appendChild(extra);
    form.querySelector("select[name=disposition]").addEventListener("change", function (e) {
      extra.hidden = config.enforcement.indexOf(e.target.value) < 0;
    });
    const submit = el("button", { type: "submit" }, W.submit);
    form.appendChild(submit);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      delete clearing[r.id];
      const data = new FormData(form);
      const body = { to_status: "cleared", disposition: data.get("disposition") };
      if (config.enforcement.indexOf(body.disposition) >= 0) {
        body.demographics = { reason: data.get("reason") };
        Object.keys(config.demographics).forEach(function (n) { body.demographics[n] = data.get(n); });
      }
      change(r, body);
    });
    return form;
  }
  function render() {
    list.replaceChildren();
    const open = requests.filter(function (r) { return r.open && pendingFor(r.id) !== "cleared"; });
    if (!open.length) { list.appendChild(el("p", { class: "muted", id: "no-requests" }, W.none)); }
    open.forEach(function (r) {
      const pending = pendingFor(r.id);
      const status = pending || r.status;
      const card = el("article", { class: "officer-card" + (r.priority === "p1" ? " p1" : ""), "data-request-id": String(r.id), "data-status": status });
      card.appendChild(el("h3", {}, "#" + r.id + " " + r.priority_label + " · " + r.category_label));
      card.appendChild(el("p", {}, r.place));
      card.appendChild(el("p", {}, r.summary));
      const line = el("p", { class: "status-line" }, W.status + " " + (config.statusLabels[status] || status));
      if (pending) { line.appendChild(el("span", { class: "pending" }, " " + W.waiting)); }
      card.appendChild(line);
      const actions = el("div", { class: "actions" });
      const allowed = pending ? nextAfter(pending) : r.allowed_next;
      allowed.filter(function (s) { return LABELS[s]; }).forEach(function (s) {
        if (s === "cleared" && clearing[r.id]) { actions.appendChild(clearing[r.id]); return; }
        const b = el("button", { type: "button", "data-to": s }, LABELS[s]);
        b.addEventListener("click", function () {
          if (s === "cleared") { clearing[r.id] = clearForm(r); b.replaceWith(clearing[r.id]); return; }
          change(r, { to_status: s });
        });
        actions.appendChild(b);
      });
      card.appendChild(actions);
      list.appendChild(card);
    });
    const waiting = queue.length === 1 ? W.queuedOne : W.queuedMany.replace("{n}", String(queue.length));
    queueStatus.textContent = queue.length ? waiting + (lastError ? " — " + lastError : "") : (lastError || "");
  }
  function nextAfter(status) {
    return { assigned: ["acknowledged", "en_route", "on_scene"], reassigned: ["acknowledged", "en_route", "on_scene"],
      escalated: ["acknowledged", "en_route", "on_scene"], acknowledged: ["en_route", "on_scene"],
      en_route: ["on_scene"], on_scene: ["cleared"] }[status] || [];
  }
  function change(r, body) {
    body.idempotency_key = uuid();
    queue.push({ requestId: r.id, url: config.transitionsUrl.replace("{id}", String(r.id)), body: body });
    save();
    render();
    flush();
  }
  function flush() {
    if (flushing || !queue.length) { return Promise.resolve(); }
    flushing = true;
    const item = queue[0];
    return post(item.url, item.body).then(function (response) {
      if (response.status >= 500 || response.status === 401 || response.status === 408 || response.status === 429) {
        lastError = response.status === 401 ? W.loginAgain : W.busy;
        return false;
      }
      queue.shift();
      save();
      return response.json().then(function (data) {
        if (response.ok) { lastError = ""; upsert(data.request || data); } else { lastError = data.detail || ("HTTP " + response.status); }
        if (response.ok && item.body.to_status === "cleared") {  // the after-the-call page (officer_card.js)
          document.dispatchEvent(new CustomEvent("safeops:cleared", { detail: data.request }));
        }
        return true;
      }, function () { return true; });
    }, function () { lastError = W.noSignal; return false; })
      .then(function (progressed) {
        flushing = false;
        render();
        if (progressed && queue.length) { return flush(); }
        return undefined;
      });
  }
  function upsert(r) {
    const i = requests.findIndex(function (x) { return x.id === r.id; });
    if (i >= 0) { requests[i] = r; } else { requests.push(r); }
  }
  function load() {
    return fetch(config.requestsUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(new Error("HTTP " + r.status)); })
      .then(function (data) { requests = data; render(); })
      .catch(function () { render(); });
  }
  // Duty and position.
  let watchId = null;
  let lastSent = 0;
  let latest = null;
  function sendPosition() {
    if (!latest || !onDuty) { return; }
    const now = Date.now();
    if (now - lastSent < 5000) { return; }
    lastSent = now;
    const p = latest;
    post(config.positionUrl, { latitude: p.coords.latitude, longitude: p.coords.longitude, accuracy_m: p.coords.accuracy, recorded_at: new Date(p.timestamp).toISOString() })
      .then(function (r) { positionStatus.textContent = r.ok ? W.positionShared.replace("{time}", new Date().toLocaleTimeString()) : W.positionNotRecorded; })
      .catch(function () { positionStatus.textContent = W.positionLater; });
  }
  function track() {
    if (onDuty && navigator.geolocation && watchId === null) {
      watchId = navigator.geolocation.watchPosition(function (p) { latest = p; sendPosition(); fillNearest(p); },
        function (error) { positionStatus.textContent = W.locationUnavailable + " " + error.message; },
        { enableHighAccuracy: true, maximumAge: 5000 });
    }
    if (!onDuty && watchId !== null) { navigator.geolocation.clearWatch(watchId); watchId = null; positionStatus.textContent = W.notTracked; }
  }
  function drawDuty() {
    dutyButton.dataset.onDuty = onDuty ? "true" : "false";
    dutyButton.textContent = onDuty ? W.goOff : W.goOn;
  }
  dutyButton.addEventListener("click", function () {
    post(config.dutyUrl, { on_duty: !onDuty }).then(function (r) {
      return r.json().then(function (data) {
        if (r.ok) { onDuty = data.on_duty; lastError = ""; } else { lastError = data.detail || W.dutyNotChanged; }
        drawDuty(); track(); render();
      });
    }).catch(function () { lastError = W.dutyNoSignal; render(); });
  });
  // On view: a call the officer opens where they are, queued like any change (its client key
  // makes a resend the same call). The nearest schools come first; or a place described.
  const onView = document.getElementById("on-view-form");
  const onViewSchool = document.getElementById("on-view-school");
  const onViewStatus = document.getElementById("on-view-status");
  let nearestFor = null;
  function km(aLat, aLon, bLat, bLon) {
    const rad = Math.PI / 180;
    const x = (bLon - aLon) * rad * Math.cos((aLat + bLat) / 2 * rad);
    const y = (bLat - aLat) * rad;
    return Math.sqrt(x * x + y * y) * 6371;
  }
  function fillNearest(p) {
    const here = [p.coords.latitude, p.coords.longitude];
    if (nearestFor && km(nearestFor[0], nearestFor[1], here[0], here[1]) < 0.2) { return; }
    nearestFor = here;
    const chosen = onViewSchool.value;
    const nearest = config.schools.map(function (s) { return [km(here[0], here[1], s[2], s[3]), s]; })
      .sort(function (a, b) { return a[0] - b[0]; }).slice(0, 5);
    onViewSchool.replaceChildren(onViewSchool.options[0]);
    nearest.forEach(function (n) {
      onViewSchool.appendChild(el("option", { value: String(n[1][0]) }, n[1][1] + " (" + n[0].toFixed(1) + " " + onViewStatus.dataset.km + ")"));
    });
    onViewSchool.value = chosen && onViewSchool.querySelector("option[value='" + chosen + "']") ? chosen : (nearest.length && nearest[0][0] < 0.3 ? String(nearest[0][1][0]) : "");
    document.getElementById("on-view-where").textContent = here[0].toFixed(5) + ", " + here[1].toFixed(5) + " · " + onViewStatus.dataset.nearby;
  }
  function whereNow(then) {
    if (latest) { fillNearest(latest); then(latest); return; }
    if (!navigator.geolocation) { then(null); return; }
    navigator.geolocation.getCurrentPosition(function (p) { latest = p; fillNearest(p); then(p); }, function () { then(null); },
      { enableHighAccuracy: true, maximumAge: 10000, timeout: 10000 });
  }
  document.getElementById("on-view").addEventListener("toggle", function (e) { if (e.target.open) { whereNow(function () {}); } });
  onView.addEventListener("submit", function (e) {
    e.preventDefault();
    const data = new FormData(onView);
    const place = String(data.get("location_description") || "").trim();
    if (!data.get("school_id") && !place) { onViewStatus.textContent = onViewStatus.dataset.needPlace; return; }
    whereNow(function (p) {
      if (!p) { onViewStatus.textContent = onViewStatus.dataset.noPosition; return; }
      const body = { latitude: p.coords.latitude, longitude: p.coords.longitude, category: data.get("category"),
        summary: data.get("summary"), location_description: place, client_key: uuid() };
      if (data.get("school_id")) { body.school_id = Number(data.get("school_id")); }
      queue.push({ requestId: null, url: config.onViewUrl, body: body });
      save();
      onView.reset();
      document.getElementById("on-view").open = false;
      onViewStatus.textContent = onViewStatus.dataset.queued;
      render();
      flush();
    });
  });
  setInterval(function () { flush(); sendPosition(); }, 5000);
  window.addEventListener("online", function () { flush(); });
  drawDuty();
  track();
  load().then(flush);
  window.safeopsLive(config.socket, config.lastSeq, {
    onEvent: function (e) { if (e.kind !== "position") { load(); } },
    onResumed: load,
    onState: window.safeopsIndicator(document.getElementById("live-indicator")),
  });
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(config.serviceWorker, { scope: "./" }).catch(function () { /* optional */ });
  }
})();
