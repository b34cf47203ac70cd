// Resource search map: the chosen school and the results (nearest first). Works without
// tiles: with no tile URL the markers still draw on a plain background.
(function () {
  "use strict";
  const element = document.getElementById("resource-map");
  const config = JSON.parse(document.getElementById("resource-map-config").textContent);
  if (!element || typeof L === "undefined") { return; }
  const map = L.map(element);
  map.setView([38.25, -85.76], 10);
  if (config.tiles) {
    L.tileLayer(config.tiles, { attribution: config.attribution, maxZoom: 19 }).addTo(map);
  }
  const points = [];
  if (config.school) {
    const s = L.circleMarker([config.school.lat, config.school.lon], {
      radius: 8, color: "#222", fillColor: "#c8372d", fillOpacity: 0.9, className: "school-marker",
    }).addTo(map);
    const label = document.createElement("span");
    label.textContent = config.school.name;  // a string tooltip would be read as HTML
    s.bindTooltip(label);
    points.push([config.school.lat, config.school.lon]);
  }
  // The list and the map are linked: a marker carries its row's number, opening a marker
  // marks its row, and a row's "Show on map" button opens its marker.
  const markers = {};
  function mark(id) {
    document.querySelectorAll("#resource-results tr.on-map").forEach(function (row) {
      row.classList.remove("on-map");
    });
    const row = document.getElementById("service-" + id);
    if (row) { row.classList.add("on-map"); }
  }
  config.services.forEach(function (service) {
    const marker = L.circleMarker([service.lat, service.lon], {
      radius: 6, color: "#222", fillColor: "#1f5fa8", fillOpacity: 0.9, className: "resource-marker",
    }).addTo(map);
    const link = document.createElement("a");
    link.href = service.url;
    link.textContent = service.number + ". " + service.name;  // text, never HTML
    marker.bindPopup(link);
    marker.bindTooltip(String(service.number), { permanent: true, direction: "right" });
    marker.on("popupopen", function () { mark(service.id); });
    markers[service.id] = marker;
    points.push([service.lat, service.lon]);
  });
  document.querySelectorAll("#resource-results .show-on-map").forEach(function (button) {
    button.addEventListener("click", function () {
      const marker = markers[button.dataset.service];
      if (!marker) { return; }
      element.scrollIntoView({ block: "nearest" });
      map.setView(marker.getLatLng(), Math.max(map.getZoom(), 13), { animate: false });
      marker.openPopup();
    });
  });
  if (points.length) { map.fitBounds(L.latLngBounds(points).pad(0.1), { animate: false }); }
  element.dataset.markers = String(config.services.length);
})();
