/* /peta/: public reports, clustered, filtered; no personal data ever reaches this page.
 * The feed is asked for the visible area only (in_bbox). A quiet area comes back as reports, which
 * Leaflet.markercluster groups here; a busy one comes back already counted per grid cell by the
 * server ("clustered": true), drawn as count bubbles that zoom in when clicked. */
(function () {
  "use strict";
  var K = window.KLIK, t = K.t, map = K.theMap();
  var form = document.getElementById("filters"), count = document.getElementById("map-count");
  var clusters = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 50 }).addTo(map);
  var cells = L.layerGroup().addTo(map);
  var asked = 0, timer = null;

  K.attachLayers(map);
  K.loadOutlines().then(function (c) { K.drawOutlines(map, c); }).catch(function () {});

  function name(x) { return K.config.language === "en" ? x.name_en : x.name_id; }

  function popup(p) {
    var box = K.el("div", { class: "report-popup" }, [
      K.el("strong", { text: p.category.icon + " " + name(p.category) }),
      K.el("p", { text: name(p.status) + " · " + p.kelurahan }),
      K.el("p", { text: t("reported", { date: K.formatDate(p.created_at) }) }),
      p.rounded ? K.el("p", { class: "hint", text: t("roundedNote") }) : null,
      p.photo ? K.el("img", { src: p.photo, alt: "", width: "160", loading: "lazy" }) : null,
      K.el("p", {}, [K.el("a", { href: p.url, text: t("trackLink") })]),
    ]);
    return box;
  }

  function marker(feature) {
    var p = feature.properties, c = feature.geometry.coordinates;
    var classes = "report-pin" + (p.open ? "" : " resolved") + (p.rounded ? " rounded" : "");
    var m = L.marker([c[1], c[0]], {
      title: name(p.category) + " — " + name(p.status),
      icon: GeoKlikMap.pin(classes, p.category.icon),
    });
    m.bindPopup(function () { return popup(p); });
    return m;
  }

  function bubble(feature) {
    var p = feature.properties, c = feature.geometry.coordinates, b = p.bbox;
    var size = p.count < 10 ? "s" : p.count < 100 ? "m" : p.count < 1000 ? "l" : "xl";
    var label = p.count >= 10000 ? Math.round(p.count / 1000) + "k" : String(p.count);
    var px = { s: 30, m: 36, l: 44, xl: 52 }[size];
    var m = L.marker([c[1], c[0]], {
      title: t("clusterTitle", { count: p.count }),
      icon: GeoKlikMap.pin("report-cluster " + size, label, { size: px }),
    });
    m.on("click", function () {
      if (map.getZoom() >= map.getMaxZoom()) {
        m.bindPopup(K.el("p", { text: t("clusterHere", { count: p.count }) })).openPopup();
        return;
      }
      var bounds = L.latLngBounds([b[1], b[0]], [b[3], b[2]]);
      // Never less than two levels closer, so a click always opens the bubble up.
      var zoom = Math.max(map.getZoom() + 2, Math.min(map.getBoundsZoom(bounds), map.getMaxZoom()));
      map.setView(bounds.getCenter(), Math.min(zoom, map.getMaxZoom()));
    });
    return m;
  }

  function viewport() {
    var b = map.getBounds();
    function clamp(v, limit) { return Math.max(-limit, Math.min(limit, v)).toFixed(5); }
    return [clamp(b.getWest(), 180), clamp(b.getSouth(), 90), clamp(b.getEast(), 180), clamp(b.getNorth(), 90)].join(",");
  }

  function load() {
    var params = new URLSearchParams(new FormData(form));
    Array.from(params.keys()).forEach(function (k) { if (!params.get(k)) params.delete(k); });
    params.set("in_bbox", viewport());
    var mine = ++asked;
    fetch(K.config.urls.mapFeed + "?" + params.toString()).then(function (r) { return r.json(); }).then(function (data) {
      if (mine !== asked) return;  // a later pan or filter answered first, or will
      var features = data.features || [];
      clusters.clearLayers();
      cells.clearLayers();
      if (data.clustered) features.forEach(function (f) { cells.addLayer(bubble(f)); });
      else clusters.addLayers(features.map(marker));
      var shown = data.clustered ? data.total : features.length;
      count.textContent = shown ? t("mapCount", { count: shown }) : t("mapEmpty");
      map.getContainer().setAttribute("data-clustered", data.clustered ? "true" : "false");
    }).catch(function () { if (mine === asked) count.textContent = t("networkError"); });
  }
  function soon() { clearTimeout(timer); timer = setTimeout(load, 200); }
  map.on("moveend", soon);
  form.addEventListener("change", load);
  form.addEventListener("submit", function (e) { e.preventDefault(); load(); });
  load();
})();
