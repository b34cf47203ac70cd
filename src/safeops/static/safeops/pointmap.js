// A map of schools coloured by a status (drill compliance, facility score). Reads the
// #point-map-config JSON element: tiles (optional), colours by kind and the points, each with a
// name, a link and a line of text. Works without tiles: the markers draw on a plain background.
// The list and the chart beside it say the same in words; the map is for looking.
(function () {
  "use strict";
  const element = document.getElementById("point-map");
  const source = document.getElementById("point-map-config");
  if (!element || !source || typeof L === "undefined") { return; }
  const config = JSON.parse(source.textContent);
  const map = L.map(element);
  map.setView([38.25, -85.76], 10);
  if (config.tiles) {
    L.tileLayer(config.tiles, { attribution: config.attribution, maxZoom: 19 }).addTo(map);
  }
  const points = [];
  config.points.forEach(function (point) {
    const marker = L.circleMarker([point.lat, point.lon], {
      radius: 7, weight: 1, color: "#222", fillOpacity: 0.9,
      fillColor: config.colours[point.kind] || "#7d7d7d", className: "status-marker",
    }).addTo(map);
    const box = document.createElement("div");
    const link = document.createElement("a");
    link.href = point.url;
    link.textContent = point.name;  // text, never HTML
    box.appendChild(link);
    const line = document.createElement("div");
    line.textContent = point.text;
    box.appendChild(line);
    marker.bindPopup(box);
    points.push([point.lat, point.lon]);
  });
  if (points.length) { map.fitBounds(L.latLngBounds(points).pad(0.05), { animate: false }); }
  element.dataset.markers = String(points.length);
})();
