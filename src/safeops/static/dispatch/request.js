// The requester's page: re-draws the live status block on every change of this request.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("request-config").textContent);
  const box = document.getElementById("request-live");
  let timer = null;
  function refresh() {
    fetch(config.partial, { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(new Error("HTTP " + r.status)); })
      .then(function (html) {
        box.innerHTML = html;
        if (window.htmx) { window.htmx.process(box); }
      })
      .catch(function () { /* the next event or reconnect retries */ });
  }
  function schedule() {
    if (timer) { return; }
    timer = setTimeout(function () { timer = null; refresh(); }, 40);
  }
  window.safeopsLive(config.socket, config.lastSeq, {
    onEvent: schedule,
    onResumed: schedule,
    onState: window.safeopsIndicator(document.getElementById("live-indicator")),
  });
})();
