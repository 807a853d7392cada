/* The smart-city portal's service-area layers (community, information, business, public services)
   on any Leaflet map: one switchable overlay per registered layer, loaded for the visible box.

   GeoKlikLayers.attach(map, {layers, strings, control, storageKey, startOff}) where `layers` is
   the server's list (geo_klik.maps.client.layer_config), `control` an existing
   L.control.layers to add the overlays to (one is created when absent), and `startOff` leaves
   every layer off until the user turns one on (the report page, where the pin comes first). */
(function () {
  "use strict";

  function t(strings, name, values) {
    var text = strings[name] || name;
    Object.keys(values || {}).forEach(function (key) {
      text = text.split("{" + key + "}").join(String(values[key]));
    });
    return text;
  }

  // Leaflet's layer control takes its labels as HTML.
  function escape(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // maps/map_kit.js: el(tag, {text: ...}, children), pin(classes, text, options).
  var el = GeoKlikMap.el;

  function popup(strings, layer, p) {
    var box = el("div", { class: "svc-popup" });
    var title = el("strong", { text: layer.icon + " " + (p.title || "") });
    box.appendChild(title);
    box.appendChild(el("p", { class: "svc-area", text: layer.label }));
    if (p.subtitle) box.appendChild(el("p", { text: p.subtitle }));
    if (p.demo || p.is_demo) box.appendChild(el("p", { class: "svc-note", text: t(strings, "demo") }));
    if (p.approximate) box.appendChild(el("p", { class: "svc-note", text: t(strings, "approximate") }));
    if (p.url) box.appendChild(el("p", {}, [el("a", { href: p.url, text: t(strings, "details") })]));
    return box;
  }

  function marker(strings, layer, feature) {
    var c = feature.geometry && feature.geometry.coordinates;
    if (!c) return null;
    var p = feature.properties || {};
    var m = L.marker([c[1], c[0]], {
      title: (p.title || "") + " — " + layer.label,
      alt: layer.label,
      icon: GeoKlikMap.pin("svc-pin" + (p.approximate ? " approximate" : ""), layer.icon, {
        className: "svc-marker", size: 28, popupAnchor: [0, -12],
      }),
    });
    m.on("add", function () {
      // The layer's colour through the DOM: the CSP forbids style attributes in markup.
      var span = m.getElement() && m.getElement().querySelector("span");
      if (span) span.style.borderColor = layer.colour;
    });
    m.bindPopup(function () { return popup(strings, layer, p); });
    return m;
  }

  function bboxParam(map) {
    var b = map.getBounds().pad(0.2);
    var west = Math.max(-180, b.getWest()), east = Math.min(180, b.getEast());
    var south = Math.max(-90, b.getSouth()), north = Math.min(90, b.getNorth());
    return [west, south, east, north].map(function (x) { return x.toFixed(5); }).join(",");
  }

  function attach(map, options) {
    var strings = options.strings || {};
    var storageKey = options.storageKey || "geo_klik.layers";
    var saved = null;
    try { saved = JSON.parse(localStorage.getItem(storageKey) || "null"); } catch (e) { saved = null; }
    var control = options.control || L.control.layers(null, null, {
      collapsed: window.matchMedia && window.matchMedia("(max-width: 700px)").matches,
    }).addTo(map);
    var status = L.control({ position: "bottomright" });
    var statusBox = el("div", { class: "svc-status", role: "status", "aria-live": "polite" });
    status.onAdd = function () { return statusBox; };
    status.addTo(map);
    var states = {};

    function remember() {
      var on = Object.keys(states).filter(function (k) { return map.hasLayer(states[k].group); });
      try { localStorage.setItem(storageKey, JSON.stringify(on)); } catch (e) { /* private mode */ }
    }

    function showStatus() {
      var problems = [];
      Object.keys(states).forEach(function (key) {
        var s = states[key];
        if (!map.hasLayer(s.group)) return;
        if (s.failed) problems.push(t(strings, "failed", { layer: s.layer.label }));
        else if (s.truncated) problems.push(t(strings, "truncated", { layer: s.layer.label }));
      });
      statusBox.textContent = problems.join(" · ");
      statusBox.style.display = problems.length ? "" : "none";
    }

    function load(key) {
      var s = states[key];
      if (!map.hasLayer(s.group)) return;
      if (s.abort) s.abort.abort();
      s.abort = window.AbortController ? new AbortController() : null;
      var target = s.layer.url + (s.layer.url.indexOf("?") < 0 ? "?" : "&") + "in_bbox=" + bboxParam(map);
      fetch(target, { credentials: "same-origin", signal: s.abort ? s.abort.signal : undefined })
        .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
        .then(function (data) {
          s.group.clearLayers();
          (data.features || []).forEach(function (f) {
            var m = marker(strings, s.layer, f);
            if (m) s.group.addLayer(m);
          });
          s.failed = false;
          s.truncated = !!data.truncated;
          s.count = (data.features || []).length;
          s.group.fire("geo_klik:loaded", { count: s.count });
          showStatus();
        })
        .catch(function (e) {
          if (e && e.name === "AbortError") return;
          s.failed = true;
          showStatus();
        });
    }

    (options.layers || []).forEach(function (layer) {
      var group = L.layerGroup();
      states[layer.key] = { layer: layer, group: group, failed: false, truncated: false };
      var label = '<span class="svc-switch" data-layer="' + escape(layer.key) + '">' +
        '<span class="svc-swatch" style="border-color:' + escape(layer.colour) + '">' + escape(layer.icon) +
        "</span> " + escape(layer.label) + "</span>";
      control.addOverlay(group, label);
      var on = saved ? saved.indexOf(layer.key) >= 0 : layer.defaultOn && !options.startOff;
      if (on) group.addTo(map);
    });
    map.on("overlayadd overlayremove", function (e) {
      Object.keys(states).forEach(function (key) {
        if (states[key].group === e.layer) {
          if (e.type === "overlayadd") load(key);
          remember();
          showStatus();
        }
      });
    });
    var timer = null;
    map.on("moveend", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { Object.keys(states).forEach(load); }, 250);
    });
    map.whenReady(function () { Object.keys(states).forEach(load); });
    showStatus();
    return {
      control: control,
      states: states,
      reload: function () { Object.keys(states).forEach(load); },
    };
  }

  window.GeoKlikLayers = { attach: attach };
})();
