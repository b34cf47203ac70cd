// The supervisors' map of the day's routes: one line per officer, a dot per stop.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("routes-config").textContent);
  const status = document.getElementById("routes-map-status");
  const colours = ["#1f5fa8", "#c8372d", "#2e7d32", "#8e44ad", "#d35400", "#16a085"];
  const map = L.map("routes-map");
  map.setView([38.25, -85.76], 10);
  if (config.tiles) { L.tileLayer(config.tiles, { maxZoom: 19 }).addTo(map); }
  const group = L.featureGroup().addTo(map);
  let stops = 0;
  config.routes.forEach(function (route, i) {
    const colour = colours[i % colours.length];
    const line = route.stops.map(function (s) { return [s.lat, s.lon]; });
    if (line.length > 1) { L.polyline(line, { color: colour, weight: 3 }).bindTooltip(route.officer).addTo(group); }
    route.stops.forEach(function (s) {
      stops += 1;
      L.circleMarker([s.lat, s.lon], { radius: 6, color: "#222", weight: 1, fillOpacity: 0.9, fillColor: s.status === "checked_in" ? "#2e7d32" : colour })
        .bindTooltip(route.officer + ": " + s.arrive + " " + s.place).addTo(group);
    });
  });
  if (stops) { map.fitBounds(group.getBounds().pad(0.05), { animate: false }); }
  status.textContent = config.text.replace("{routes}", config.routes.length).replace("{stops}", stops);
  document.getElementById("routes-map").dataset.stops = String(stops);
})();
