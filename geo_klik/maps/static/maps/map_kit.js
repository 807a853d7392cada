/* The one map kit of every Leaflet page (residents' pages, service areas, the console):
   GeoKlikMap.el builds elements, GeoKlikMap.pin a marker icon, GeoKlikMap.drawOutlines the
   kelurahan outlines with their names (drawn without tiles too, so a map stays usable offline).
   Leaflet itself comes from the xstatic/npm packages (static "vendor/leaflet"). */
(function () {
  "use strict";

  // el("a", {href: url, text: "Details"}, [children]): "text" is the text content, never HTML.
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  // A round pin: a <span> with `classes` (styled by the page's CSS) holding `text` (an emoji, a
  // count), built as DOM so the text is never read as HTML. options: size (px, default 30),
  // className (of Leaflet's holder), popupAnchor.
  function pin(classes, text, options) {
    var o = options || {}, size = o.size || 30;
    var span = el("span", { class: classes, "aria-hidden": "true", text: text || "" });
    var icon = { className: o.className || "", html: span.outerHTML, iconSize: [size, size] };
    if (o.popupAnchor) icon.popupAnchor = o.popupAnchor;
    return L.divIcon(icon);
  }

  // One colour per kecamatan (colour-blind safe), a light fill: the residents' pages.
  var PALETTE = ["#0072B2", "#E69F00", "#CC79A7"];
  function kecamatanStyle(collection) {
    var kecamatan = [];
    collection.features.forEach(function (f) {
      if (kecamatan.indexOf(f.properties.kecamatan) < 0) kecamatan.push(f.properties.kecamatan);
    });
    kecamatan.sort();
    return function (f) {
      var colour = PALETTE[kecamatan.indexOf(f.properties.kecamatan) % PALETTE.length];
      return { color: "#ffffff", weight: 1.5, fillColor: colour, fillOpacity: 0.28 };
    };
  }

  // The kelurahan outlines (maps-kelurahan-outlines GeoJSON) and their names, fitted in view.
  // options: into (a layer group, default the map), style (default one colour per kecamatan),
  // shrinkLabelsBelow / hideLabelsBelow (zoom levels; null: never), padding (px).
  function drawOutlines(map, collection, options) {
    var o = options || {}, into = o.into || map;
    var layer = L.geoJSON(collection, {
      interactive: false, style: o.style || kecamatanStyle(collection),
    }).addTo(into);
    var labels = L.layerGroup().addTo(into);
    collection.features.forEach(function (f) {
      if (!f.properties.label) return;
      L.marker(f.properties.label, {
        interactive: false, keyboard: false,
        icon: L.divIcon({ className: "kelurahan-label", html: "<span></span>", iconSize: [0, 0] }),
      }).addTo(labels).getElement().firstChild.textContent = f.properties.name;
    });
    layer.bringToBack();
    var small = o.shrinkLabelsBelow === undefined ? 13.5 : o.shrinkLabelsBelow;
    var hidden = o.hideLabelsBelow === undefined ? 11.5 : o.hideLabelsBelow;
    function toggleLabels() {
      // Names stay on the map at the whole-city view (small), and only give way when zoomed
      // out beyond the city.
      var zoom = map.getZoom(), classes = map.getContainer().classList;
      if (small !== null) classes.toggle("labels-small", zoom < small);
      if (hidden !== null) classes.toggle("labels-hidden", zoom < hidden);
    }
    map.on("zoomend", toggleLabels);
    toggleLabels();
    // No animation: a zoom animation still running swallows the next setView (e.g. GPS).
    var padding = o.padding || [8, 8];
    if (layer.getBounds().isValid()) map.fitBounds(layer.getBounds(), { padding: padding, animate: false });
    return layer;
  }

  window.GeoKlikMap = { el: el, pin: pin, drawOutlines: drawOutlines };
})();
