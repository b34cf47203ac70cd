// The alerts page: subscribe this browser to Web Push (the /notify/ service worker shows them).
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("notify-config").textContent);
  const state = document.getElementById("push-state");
  const csrf = (document.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "";
  function say(key) { state.textContent = config.texts[key] || ""; }
  function keyBytes(base64url) {
    const padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(padded), function (c) { return c.charCodeAt(0); });
  }
  function post(body) {
    return fetch(config.subscribeUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body),
    }).then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); });
  }
  function registration() {
    return navigator.serviceWorker.register(config.serviceWorker, { scope: config.scope })
      .then(function () { return navigator.serviceWorker.ready; });
  }
  function subscribe() {
    if (!config.publicKey) { say("unconfigured"); return; }
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") { say("denied"); return null; }
      return registration().then(function (reg) {
        return reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(config.publicKey) });
      }).then(function (subscription) { return post(subscription.toJSON()); })
        .then(function () { say("subscribed"); });
    }).catch(function () { say("failed"); });
  }
  function unsubscribe() {
    registration().then(function (reg) { return reg.pushManager.getSubscription(); }).then(function (subscription) {
      if (!subscription) { return null; }
      const endpoint = subscription.endpoint;
      return subscription.unsubscribe().then(function () { return post({ endpoint: endpoint, unsubscribe: true }); });
    }).then(function () { state.textContent = ""; }).catch(function () { say("failed"); });
  }
  const on = document.getElementById("push-subscribe");
  const off = document.getElementById("push-unsubscribe");
  if (!("serviceWorker" in navigator) || !("PushManager" in window)) {
    on.disabled = true; off.disabled = true; say("unsupported"); return;
  }
  on.addEventListener("click", subscribe);
  off.addEventListener("click", unsubscribe);
})();
