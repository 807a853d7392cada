/* The console's field units: each unit moving on the map with its last hour's track, stale
   positions (older than 5 minutes) greyed, and the supervisors' table (status, officer, time
   on scene, dispatch to arrival) with the SKPD response times (median, p90). Fed by the
   console's change stream (console.js calls KLIKUnits.changed): a "positions" change re-reads
   the unit board only, never the queue. */
(function () {
  "use strict";
  var control = window.KLIK_CONTROL;
  var config = JSON.parse(document.getElementById("control-config").textContent);
  var el = GeoKlikMap.el, map = control.map;
  var TRACK_MS = 3600 * 1000, STALE_CHECK_MS = 30000, FIGURES_MS = 60000;
  var layer = L.layerGroup().addTo(map), trackLayer = L.layerGroup().addTo(map);
  var markers = {}, lines = {}, tracks = {}, rows = [], staleAfterS = 300;
  var running = null, again = false;

  function t(name, values) {
    var text = (config.strings && config.strings[name]) || name;
    Object.keys(values || {}).forEach(function (k) { text = text.split("{" + k + "}").join(String(values[k])); });
    return text;
  }
  function getJson(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error(url + " " + r.status);
      return r.json();
    });
  }
  function minutes(s) {
    if (s === null || s === undefined) return "–";
    return Math.floor(s / 60) + ":" + String(Math.round(s) % 60).padStart(2, "0");
  }
  function isStale(u) {
    return !u.location_at || Date.now() - new Date(u.location_at) > staleAfterS * 1000;
  }

  function trim(points) {
    var since = Date.now() - TRACK_MS;
    while (points.length && new Date(points[0][2]) < since) points.shift();
    return points;
  }

  function drawUnit(u) {
    if (u.lat === null) return;
    var points = tracks[u.id] = tracks[u.id] || [];
    var last = points[points.length - 1];
    if (!last || last[0] !== u.lat || last[1] !== u.lon) points.push([u.lat, u.lon, u.location_at]);
    trim(points);
    var stale = isStale(u), classes = "unit-marker unit-" + u.call_sign + (stale ? " stale" : "") +
      (u.job && u.job.support_requested ? " support" : "");
    var marker = markers[u.id];
    if (!marker) {
      marker = markers[u.id] = L.marker([u.lat, u.lon], {
        title: u.call_sign,
        icon: L.divIcon({ className: classes, html: "", iconSize: [14, 14] }),
      }).addTo(layer);
      marker.bindTooltip("");
    } else {
      marker.setLatLng([u.lat, u.lon]);
      marker.setIcon(L.divIcon({ className: classes, html: "", iconSize: [14, 14] }));
    }
    marker.setTooltipContent(u.call_sign + " · " + u.status_label + (u.officer ? " · " + u.officer : "") +
      (stale ? " · " + t("unitStale") : ""));
    var latlngs = points.map(function (p) { return [p[0], p[1]]; });
    if (!lines[u.id]) lines[u.id] = L.polyline(latlngs, { color: stale ? "#8c959f" : "#8250df", weight: 2, opacity: 0.7, className: "unit-track track-" + u.call_sign }).addTo(trackLayer);
    else { lines[u.id].setLatLngs(latlngs); lines[u.id].setStyle({ color: stale ? "#8c959f" : "#8250df" }); }
  }

  function drawTable() {
    var body = document.getElementById("unit-rows");
    if (!body) return;
    body.replaceChildren.apply(body, rows.map(function (u) {
      var tr = el("tr", { "data-unit": u.call_sign, class: (isStale(u) ? "stale" : "") + (u.job && u.job.support_requested ? " support" : "") });
      [u.call_sign, u.officer || "–", u.status_label + (u.job && u.job.support_requested ? " · " + t("supportRequested") : ""),
        u.job ? u.job.tracking_code : "–",
        u.job ? minutes(u.job.dispatch_to_arrival_s) : "–",
        u.job && u.job.arrived_at ? minutes((Date.now() - new Date(u.job.arrived_at)) / 1000) : "–",
        isStale(u) ? t("unitStale") : t("unitLive")]
        .forEach(function (v) { tr.appendChild(el("td", { text: v })); });
      return tr;
    }));
  }

  function refresh() {
    if (running) { again = true; return running; }
    running = getJson(config.urls.unitBoard).then(function (data) {
      staleAfterS = data.stale_after_s || staleAfterS;
      rows = data.results;
      var seen = {};
      rows.forEach(function (u) { seen[u.id] = true; drawUnit(u); });
      Object.keys(markers).forEach(function (id) {
        if (!seen[id]) { layer.removeLayer(markers[id]); trackLayer.removeLayer(lines[id]); delete markers[id]; delete lines[id]; }
      });
      drawTable();
    }).catch(function () {}).finally(function () {
      running = null;
      if (again) { again = false; refresh(); }
    });
    return running;
  }

  function loadTracks() {
    return getJson(config.urls.unitTracks).then(function (data) {
      data.results.forEach(function (tr) { tracks[tr.unit] = tr.points; });
    }).catch(function () {});
  }

  function loadFigures() {
    var body = document.getElementById("figure-rows");
    if (!body) return;
    getJson(config.urls.unitFigures).then(function (data) {
      body.replaceChildren.apply(body, data.results.map(function (r) {
        return el("tr", { "data-agency": r.agency }, [r.agency, r.arrivals,
          minutes(r.dispatch_to_arrival_p50_s), minutes(r.dispatch_to_arrival_p90_s), r.resolutions,
          minutes(r.arrival_to_resolution_p50_s), minutes(r.arrival_to_resolution_p90_s)]
          .map(function (v) { return el("td", { text: String(v) }); }));
      }));
    }).catch(function () {});
  }

  // Moves carried by the change message ([unit id, lat, lon, epoch s]): no re-read needed.
  function move(positions) {
    var byId = {}, missing = false;
    rows.forEach(function (u) { byId[u.id] = u; });
    positions.forEach(function (p) {
      var u = byId[p[0]];
      if (!u) { missing = true; return; }  // a unit this console has not read yet
      u.lat = p[1]; u.lon = p[2]; u.location_at = new Date(p[3] * 1000).toISOString();
      drawUnit(u);
    });
    drawTable();
    return !missing;
  }

  window.KLIKUnits = {
    changed: function (kinds, positions) {
      var moved = kinds.indexOf("positions") >= 0;
      if (kinds.indexOf("units") >= 0 || (moved && !(positions && positions.length && move(positions)))) refresh();
      if (kinds.indexOf("units") >= 0 || kinds.indexOf("reports") >= 0) loadFigures();
    },
    refresh: refresh,
    tracks: tracks,
    rows: function () { return rows; },
  };
  setInterval(function () { rows.forEach(drawUnit); drawTable(); }, STALE_CHECK_MS);
  setInterval(loadFigures, FIGURES_MS);
  loadTracks().then(refresh);
  loadFigures();
})();
