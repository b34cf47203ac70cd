// The requester's form: show the "another place" fields only when chosen, and fill the
// position from the phone when asked. No inline script (CSP script-src 'self').
(function () {
  "use strict";
  const place = document.getElementById("id_place");
  const other = document.getElementById("other-place");
  const label = document.getElementById("place-label");
  function sync() {
    if (!place) { return; }
    other.hidden = place.value !== "other";
    label.textContent = place.options[place.selectedIndex] ? place.options[place.selectedIndex].text : "";
  }
  if (place) { place.addEventListener("change", sync); sync(); }
  const button = document.getElementById("use-location");
  const status = document.getElementById("location-status");
  // The page's words (data-text-* on the status line, translated by the template).
  function words(key, values) {
    return (status.getAttribute("data-text-" + key) || key).replace(/\{(\w+)\}/g, function (all, name) {
      return name in values ? String(values[name]) : all;
    });
  }
  if (button) {
    button.addEventListener("click", function () {
      if (!navigator.geolocation) { status.textContent = words("unsupported", {}); return; }
      status.textContent = words("locating", {});
      navigator.geolocation.getCurrentPosition(function (pos) {
        document.getElementById("id_latitude").value = pos.coords.latitude.toFixed(6);
        document.getElementById("id_longitude").value = pos.coords.longitude.toFixed(6);
        status.textContent = words("added", { metres: Math.round(pos.coords.accuracy) });
      }, function (error) { status.textContent = words("failed", { error: error.message }); }, { enableHighAccuracy: true, timeout: 10000 });
    });
  }
})();
