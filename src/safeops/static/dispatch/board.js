// The live board: officers and open requests on a Leaflet map, kept current over a WebSocket.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("board-config").textContent);
  const mapEl = document.getElementById("board-map");
  const map = L.map("board-map");
  map.setView([38.25, -85.76], 10);
  if (config.tiles) { L.tileLayer(config.tiles, { attribution: config.attribution, maxZoom: 19 }).addTo(map); }
  const colours = { p1: "#c8372d", p2: "#f0a830", p3: "#4c9be8" };
  const officers = new Map();
  const officerMarkers = new Map();
  const requests = new Map();
  const requestMarkers = new Map();
  const appliedSeq = new Map();
  const officerSeq = new Map();  // the sequence number of each officer's last applied state
  let staleSeconds = 120;
  let fitted = false;

  function text(parts) {
    const box = document.createElement("div");
    parts.forEach(function (p) { const line = document.createElement("div"); line.textContent = p; box.appendChild(line); });
    return box;
  }
  function plain(value) {  // Leaflet puts a string tooltip in as HTML: names go in as text
    const span = document.createElement("span");
    span.textContent = value;
    return span;
  }
  function officerState(o) {
    if (!o.on_duty) { return config.text.off_duty; }
    if (o.current_request_id) { return config.text.on_request.replace("%(id)s", function () { return String(o.current_request_id); }); }
    return config.text.available;
  }
  function stale(o) {
    if (!o.position_at) { return true; }
    return (Date.now() - Date.parse(o.position_at)) / 1000 > staleSeconds;
  }
  function applyOfficer(o) {
    const previous = officers.get(o.id) || {};
    const merged = Object.assign({}, previous, o);
    if (!o.zone && previous.zone) { merged.zone = previous.zone; }
    officers.set(o.id, merged);
    let marker = officerMarkers.get(o.id);
    if (merged.on_duty && merged.latitude !== null && merged.latitude !== undefined) {
      const ll = [merged.latitude, merged.longitude];
      if (!marker) {
        marker = L.circleMarker(ll, { radius: 8, weight: 3, color: "#14233a", fillOpacity: 0.9, className: "officer-marker" }).addTo(map);
        officerMarkers.set(o.id, marker);
      }
      marker.setLatLng(ll);
      marker.setStyle({ fillColor: merged.current_request_id ? "#8a4b00" : "#2e9e4f", dashArray: stale(merged) ? "3" : null });
      marker.bindTooltip(plain(merged.name + " · " + officerState(merged)));
      applyLabel(o.id, ll, merged.name);
    } else if (marker) {
      map.removeLayer(marker);
      officerMarkers.delete(o.id);
    }
    if (!merged.on_duty || merged.latitude === null || merged.latitude === undefined) { removeLabel(o.id); }
  }
  // Each officer's dot carries a visible name label: a non-interactive marker whose icon is a
  // text node (never HTML), so a name cannot inject markup.
  const officerLabels = new Map();
  function applyLabel(id, ll, name) {
    let label = officerLabels.get(id);
    if (!label || label.name !== name) {
      removeLabel(id);
      const span = document.createElement("span");
      span.textContent = name;
      const icon = L.divIcon({ html: span, className: "officer-label", iconSize: null, iconAnchor: [-12, 9] });
      label = { marker: L.marker(ll, { icon: icon, interactive: false, keyboard: false }).addTo(map), name: name };
      officerLabels.set(id, label);
    }
    label.marker.setLatLng(ll);
  }
  function removeLabel(id) {
    const label = officerLabels.get(id);
    if (label) { map.removeLayer(label.marker); officerLabels.delete(id); }
  }
  function applyRequest(r, seq) {
    if (seq !== null && seq !== undefined) {
      if ((appliedSeq.get(r.id) || 0) > seq) { return; }
      appliedSeq.set(r.id, seq);
    }
    let marker = requestMarkers.get(r.id);
    if (!r.open) {
      requests.delete(r.id);
      if (marker) { map.removeLayer(marker); requestMarkers.delete(r.id); }
      return;
    }
    requests.set(r.id, r);
    const ll = [r.latitude, r.longitude];
    if (!marker) {
      marker = L.circleMarker(ll, { radius: 11, weight: 2, color: "#222", fillOpacity: 0.85, className: "request-marker" }).addTo(map);
      requestMarkers.set(r.id, marker);
    }
    marker.setStyle({ fillColor: colours[r.priority] || "#777" });
    marker.bindPopup(text(["#" + r.id + " " + r.priority_label + " · " + r.category_label, r.place, r.status_label + (r.officer ? " · " + r.officer : "")]));
  }
  function drawOfficerTable() {
    const body = document.getElementById("board-officers");
    body.replaceChildren();
    Array.from(officers.values()).filter(function (o) { return o.on_duty; })
      .sort(function (a, b) { return a.name.localeCompare(b.name); })
      .forEach(function (o) {
        const tr = document.createElement("tr");
        tr.dataset.officerId = String(o.id);
        [o.name + (o.lapsed ? " ⚠ " + config.text.lapsed.replace("%(reason)s", function () { return o.lapsed; }) : ""), o.zone || "—", officerState(o) + (stale(o) ? " " + config.text.stale : "")].forEach(function (v) {
          const td = document.createElement("td"); td.textContent = v; tr.appendChild(td);
        });
        body.appendChild(tr);
      });
  }
  function counts() {
    mapEl.dataset.requests = String(requests.size);
    mapEl.dataset.officers = String(officerMarkers.size);
  }
  let refreshTimer = null;
  function refreshRequests() {
    if (refreshTimer) { return; }
    refreshTimer = setTimeout(function () {
      refreshTimer = null;
      window.htmx.ajax("GET", config.requests, { target: "#board-requests", swap: "innerHTML" });
    }, 60);
  }
  // The list is re-drawn on live events: a reason being typed (its input is hx-preserve'd, so
  // its text stays) gets the focus and the caret back once the swap has settled.
  let focused = null;
  const list = document.getElementById("board-requests");
  list.addEventListener("htmx:beforeSwap", function () {
    const active = document.activeElement;
    focused = active && active.id && list.contains(active)
      ? { id: active.id, start: active.selectionStart, end: active.selectionEnd } : null;
  });
  list.addEventListener("htmx:afterSettle", function () {
    const again = focused && document.getElementById(focused.id);
    if (!again) { return; }
    again.focus();
    if (typeof again.setSelectionRange === "function" && focused.start !== null) {
      again.setSelectionRange(focused.start, focused.end);
    }
  });
  // Open alerts by id: acknowledged ones stay (marked), resolved ones leave the board.
  const alertItems = new Map();
  function alertAction(id, action) {
    return fetch(config.alerts + id + "/" + action + "/", {
      method: "POST", credentials: "same-origin",
      headers: { "X-CSRFToken": config.csrf, "Accept": "application/json" },
    }).then(function (r) { return r.json(); })
      .then(function (body) { if (body.alert) { alertLine({ alert: body.alert }); } });
  }
  function button(label, action, id) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "alert-" + action;
    b.textContent = label;
    b.addEventListener("click", function () { b.disabled = true; alertAction(id, action); });
    return b;
  }
  function alertLine(e) {
    const alert = e.alert || e;
    if (!alert.id) { return; }
    let li = alertItems.get(alert.id);
    if (alert.open === false) {
      if (li) { li.remove(); alertItems.delete(alert.id); }
      return;
    }
    if (!li) {
      li = document.createElement("li");
      li.dataset.alertId = String(alert.id);
      alertItems.set(alert.id, li);
      document.getElementById("board-alerts").prepend(li);
    }
    li.replaceChildren();
    const message = document.createElement("span");
    message.className = "alert-message";
    // A live event carries the alert in every language of the site: the reader's.
    message.textContent = (alert.messages && alert.messages[document.documentElement.lang]) || alert.message;
    li.append(message);
    if (alert.link && alert.link.charAt(0) === "/") {
      const a = document.createElement("a");
      a.href = alert.link;
      a.textContent = config.text.open;
      li.append(" ", a);
    }
    const actions = document.createElement("span");
    actions.className = "alert-actions";
    if (alert.acknowledged_at) {
      li.classList.add("acknowledged");
      const who = document.createElement("span");
      who.className = "alert-ack";
      who.textContent = config.text.acknowledged.replace("%(who)s", alert.acknowledged_by);
      actions.append(who);
    } else {
      actions.append(button(config.text.acknowledge, "acknowledge", alert.id));
    }
    actions.append(button(config.text.resolve, "resolve", alert.id));
    li.append(" ", actions);
  }
  function loadState() {
    return fetch(config.state, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (state) {
        staleSeconds = state.stale_seconds;
        const openAlerts = new Set((state.alerts || []).map(function (a) { return a.id; }));
        Array.from(alertItems.keys()).forEach(function (id) { if (!openAlerts.has(id)) { alertLine({ id: id, open: false }); } });
        (state.alerts || []).forEach(alertLine);
        state.officers.forEach(function (o) { officerSeq.set(o.id, state.last_seq); applyOfficer(o); });
        const open = new Set(state.requests.map(function (r) { return r.id; }));
        Array.from(requests.keys()).forEach(function (id) { if (!open.has(id)) { applyRequest({ id: id, open: false }, null); } });
        state.requests.forEach(function (r) { applyRequest(r, null); });
        drawOfficerTable();
        counts();
        if (!fitted) {
          const points = [];
          officerMarkers.forEach(function (m) { points.push(m.getLatLng()); });
          requestMarkers.forEach(function (m) { points.push(m.getLatLng()); });
          if (points.length) { map.fitBounds(L.latLngBounds(points).pad(0.1), { animate: false }); fitted = true; }
        }
        return state;
      });
  }
  function onEvent(e, resumed) {
    // A resume replays a few seconds before the last sequence number: an officer's older
    // state (e.g. "on duty, no position yet") must not override a newer one.
    (e.officers || []).forEach(function (o) {
      if (e.seq) {
        if ((officerSeq.get(o.id) || 0) >= e.seq) { return; }
        officerSeq.set(o.id, e.seq);
      }
      applyOfficer(o);
    });
    if (e.request && e.kind === "request") { applyRequest(e.request, e.seq); }
    if (e.kind === "alert") { alertLine(e); }
    if (e.kind !== "position") { refreshRequests(); }
    drawOfficerTable();
    counts();
  }
  loadState().then(function (state) {
    window.safeopsLive(config.socket, state.last_seq, {
      onEvent: onEvent,
      onResumed: function () { loadState(); refreshRequests(); },
      onState: window.safeopsIndicator(document.getElementById("live-indicator")),
    });
  });
})();
