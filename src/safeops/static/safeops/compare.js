// Scenario comparison map: one toggleable layer of zone outlines per scenario.
(function () {
  "use strict";
  const query = JSON.parse(document.getElementById("compare-query").textContent);
  const tiles = JSON.parse(document.getElementById("compare-tiles").textContent);
  const status = document.getElementById("map-status");
  const palette = ["#1f5fa8", "#c8372d", "#2e8b57", "#8e44ad"];
  const map = L.map("compare-map");
  // Leaflet inserts string popups and layer labels as HTML: scenario names go in as text.
  function plain(value) {
    const span = document.createElement("span");
    span.textContent = value;
    return span;
  }
  function escapeHtml(value) {
    return plain(value).innerHTML;
  }
  map.setView([38.25, -85.76], 10);
  if (tiles) { L.tileLayer(tiles, { maxZoom: 19 }).addTo(map); }
  fetch("layers.json?" + query, { credentials: "same-origin" })
    .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
    .then(function (data) {
      const overlays = {};
      const schools = L.geoJSON(data.schools, {
        pointToLayer: function (f, latlng) {
          return L.circleMarker(latlng, { radius: 3, weight: 1, color: "#333", fillOpacity: 0.8 });
        },
      }).addTo(map);
      data.scenarios.forEach(function (scenario, i) {
        const colour = palette[i % palette.length];
        const layer = L.geoJSON(scenario.zones, {
          style: { color: colour, weight: 2, fillOpacity: 0.08 },
          onEachFeature: function (f, l) {
            const p = f.properties;
            l.bindPopup(plain(scenario.name + " · " + p.zone + " (" + (p.high_school || "unaligned") + "): " +
              p.schools + " schools, " + (p.calls_per_day || 0).toFixed(2) + " calls/day"));
          },
        });
        if (i === 0) { layer.addTo(map); }
        overlays['<span class="swatch-' + i + '">' + escapeHtml(scenario.name) + "</span>"] = layer;
      });
      L.control.layers(null, overlays, { collapsed: false }).addTo(map);
      const bounds = schools.getBounds();
      if (bounds.isValid()) { map.fitBounds(bounds.pad(0.05), { animate: false }); }
      status.textContent = data.scenarios.length + " scenario(s) on the map; tick a scenario to show its zones.";
      document.getElementById("compare-map").dataset.scenarios = String(data.scenarios.length);
    })
    .catch(function (error) { status.textContent = "Could not load the map layers: " + error.message; });
})();
