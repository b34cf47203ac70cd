// Scenario comparison map: today's zones (dashed grey) and one toggleable layer of zone
// outlines per scenario, each in its own colour with its own dash pattern (not colour alone).
(function () {
  "use strict";
  const query = JSON.parse(document.getElementById("compare-query").textContent);
  const tiles = JSON.parse(document.getElementById("compare-tiles").textContent);
  const status = document.getElementById("map-status");
  const box = document.getElementById("compare-map");
  // The page's words (data-text-*, written translated by the template), with {name} filled in.
  function words(key, values) {
    return (box.getAttribute("data-text-" + key) || key).replace(/\{(\w+)\}/g, function (all, name) {
      return name in values ? String(values[name]) : all;
    });
  }
  const palette = ["#1f5fa8", "#c8372d", "#2e8b57", "#8e44ad"];
  const dashes = [null, "8 4", "2 4", "12 4 2 4"];
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
      const current = L.geoJSON(data.current, {
        style: { color: "#555555", weight: 2, dashArray: "4 4", fillOpacity: 0 },
        onEachFeature: function (f, l) {
          l.bindPopup(plain(words("current", { zone: f.properties.zone, schools: f.properties.schools })));
        },
      }).addTo(map);
      overlays['<span class="swatch-current">' + escapeHtml(words("current-layer", {})) + "</span>"] = current;
      data.scenarios.forEach(function (scenario, i) {
        const colour = palette[i % palette.length];
        const layer = L.geoJSON(scenario.zones, {
          style: { color: colour, weight: 3, dashArray: dashes[i % dashes.length], fillOpacity: 0.08 },
          onEachFeature: function (f, l) {
            const p = f.properties;
            l.bindPopup(plain(words("zone", {
              scenario: scenario.name, zone: p.zone, high_school: p.high_school || words("unaligned", {}),
              schools: p.schools, calls: (p.calls_per_day || 0).toFixed(2),
            })));
          },
        });
        layer.addTo(map);
        overlays['<span class="swatch-' + i + '">' + escapeHtml(scenario.name) + "</span>"] = layer;
        layer.eachLayer(function (l) { if (l.getElement) { const el = l.getElement(); if (el) { el.dataset.scenario = String(i); } } });
      });
      L.control.layers(null, overlays, { collapsed: false }).addTo(map);
      const bounds = schools.getBounds();
      if (bounds.isValid()) { map.fitBounds(bounds.pad(0.05), { animate: false }); }
      status.textContent = words("shown", { scenarios: data.scenarios.length, zones: data.current.features.length });
      box.dataset.scenarios = String(data.scenarios.length);
    })
    .catch(function (error) { status.textContent = words("failed", { error: error.message }); });
})();
