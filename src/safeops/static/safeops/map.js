// School and zone map. Reads its settings from the #map-config JSON element, fetches the
// GeoJSON layers the user may see, and draws them. Works without tiles: with no tile URL
// (or unreachable tiles) the markers and zone outlines still draw on a plain background.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("map-config").textContent);
  const status = document.getElementById("map-status");
  const box = document.getElementById("school-map");
  // The page's words (data-text-*, data-level-*), so the map speaks the page's language.
  function words(key, values) {
    return (box.getAttribute("data-text-" + key) || key).replace(/\{(\w+)\}/g, function (all, name) {
      return name in values ? String(values[name]) : all;
    });
  }
  function levelName(level) {
    return box.getAttribute("data-level-" + level) || level;
  }
  const colours = { elementary: "#4c9be8", middle: "#f0a830", high: "#c8372d", combined: "#c8372d" };
  const map = L.map("school-map");
  map.setView([38.25, -85.76], 10);
  if (config.tiles) {
    L.tileLayer(config.tiles, { attribution: config.attribution, maxZoom: 19 }).addTo(map);
  }
  function popup(name, url, extra) {
    const box = document.createElement("div");
    const link = document.createElement("a");
    link.href = url;
    link.textContent = name;
    box.appendChild(link);
    if (extra) {
      const line = document.createElement("div");
      line.textContent = extra;
      box.appendChild(line);
    }
    return box;
  }
  fetch(config.layersUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    })
    .then(function (layers) {
      const zones = L.geoJSON(layers.zones, {
        style: { color: "#1f5fa8", weight: 2, fillOpacity: 0.12 },
        onEachFeature: function (feature, layer) {
          const p = feature.properties;
          const officers = p.officers.length ? words("officers", { names: p.officers.join(", ") }) : words("uncovered", {});
          layer.bindPopup(popup(p.name, p.url, words("zone", { count: p.school_count, officers: officers })));
        },
      }).addTo(map);
      const schools = L.geoJSON(layers.schools, {
        pointToLayer: function (feature, latlng) {
          return L.circleMarker(latlng, {
            radius: 6, weight: 1, color: "#222", fillOpacity: 0.9,
            fillColor: colours[feature.properties.level] || "#7d7d7d",
            className: "school-marker",
          });
        },
        onEachFeature: function (feature, layer) {
          layer.bindPopup(popup(feature.properties.name, feature.properties.url, levelName(feature.properties.level)));
        },
      }).addTo(map);
      const bounds = schools.getBounds();
      if (bounds.isValid()) { map.fitBounds(bounds.pad(0.05), { animate: false }); }
      const n = layers.schools.features.length;
      const z = layers.zones.features.length;
      status.textContent = words("shown", { schools: n, zones: z }) + (config.tiles ? "" : " " + words("no-tiles", {}));
      box.dataset.schools = String(n);
      box.dataset.zones = String(z);
    })
    .catch(function (error) {
      status.textContent = words("failed", { error: error.message });
    });
})();
