// A reconnecting WebSocket that resumes from the last sequence number it saw.
// safeopsLive(path, lastSeq, {onEvent(event, resumed), onState(state)}) → {lastSeq()}
(function () {
  "use strict";
  window.safeopsLive = function (path, lastSeq, handlers) {
    let seq = lastSeq || 0;
    let delay = 500;
    let retryAfter = 0; // set by a "degraded" message: the server has no live updates now
    const seen = new Set();
    function state(s) { if (handlers.onState) { handlers.onState(s); } }
    function deliver(event, resumed) {
      if (event.seq !== null && event.seq !== undefined) {
        if (seen.has(event.seq)) { return; }
        seen.add(event.seq);
        if (seen.size > 5000) { seen.clear(); }
        if (event.seq > seq) { seq = event.seq; }
      }
      handlers.onEvent(event, resumed);
    }
    function connect() {
      const scheme = location.protocol === "https:" ? "wss://" : "ws://";
      const ws = new WebSocket(scheme + location.host + path);
      ws.addEventListener("open", function () {
        delay = 500;
        state("live");
        ws.send(JSON.stringify({ type: "resume", last_seq: seq }));
      });
      ws.addEventListener("message", function (message) {
        const data = JSON.parse(message.data);
        if (data.type === "resumed") {
          data.events.forEach(function (e) { deliver(e, true); });
          if (handlers.onResumed) { handlers.onResumed(); }
        } else if (data.type === "event") {
          deliver(data.event, false);
        } else if (data.type === "degraded") {
          retryAfter = (data.retry_seconds || 10) * 1000;
          state("degraded");
        }
      });
      ws.addEventListener("close", function () {
        if (retryAfter) {
          setTimeout(connect, retryAfter);
          retryAfter = 0;
          return;
        }
        state("reconnecting");
        setTimeout(connect, delay);
        delay = Math.min(delay * 2, 10000);
      });
    }
    connect();
    return { lastSeq: function () { return seq; } };
  };
  window.safeopsIndicator = function (el) {
    return function (s) {
      if (!el) { return; }
      el.dataset.state = s;
      // The words come from the page (data-label-*), so they are in the page's language.
      const labels = {
        live: el.dataset.labelLive || "live",
        degraded: el.dataset.labelDegraded || "live updates unavailable: catching up",
      };
      el.textContent = labels[s] || el.dataset.labelReconnecting || "reconnecting…";
    };
  };
})();
