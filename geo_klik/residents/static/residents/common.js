/* KLIK residents' pages: configuration, strings, the service worker, kelurahan outlines
   (drawn by maps/map_kit.js, loaded before this file). */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("klik-config").textContent);

  function t(name, values) {
    var text = config.strings[name] || name;
    Object.keys(values || {}).forEach(function (key) {
      text = text.split("{" + key + "}").join(String(values[key]));
    });
    return text;
  }

  // The API says every problem in both languages; show the one of the page.
  function problemText(problem) {
    return config.language === "en" ? problem.message_en || problem.message : problem.message;
  }

  function uuid4() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); });
    return h.slice(0, 4).join("") + "-" + h.slice(4, 6).join("") + "-" + h.slice(6, 8).join("") +
      "-" + h.slice(8, 10).join("") + "-" + h.slice(10).join("");
  }

  function url(name, code) {
    return config.urls[name].replace("CODE", encodeURIComponent(code || ""));
  }

  function formatDate(iso) {
    var locale = config.language === "en" ? "en-GB" : "id-ID";
    return new Date(iso).toLocaleDateString(locale, { day: "numeric", month: "short", year: "numeric" });
  }

  var el = GeoKlikMap.el;  // maps/map_kit.js, shared with the console

  // A random id of this phone's browser, sent with every write: the rate limits count per
  // device, because a carrier puts a whole neighbourhood behind one address. It names no one.
  function deviceId() {
    var id = "";
    try { id = localStorage.getItem("klik.deviceId") || ""; } catch (e) { return ""; }
    if (!/^[A-Za-z0-9_-]{16,64}$/.test(id)) {
      id = uuid4();
      try { localStorage.setItem("klik.deviceId", id); } catch (e) { /* private mode: none */ }
    }
    return id;
  }

  // A JSON request; resolves {status, body}, rejects only when the network failed.
  function request(method, target, body, headers) {
    var options = { method: method, headers: headers || {}, credentials: "same-origin" };
    if (method !== "GET" && deviceId()) options.headers["X-Device-Id"] = deviceId();
    if (body instanceof FormData) options.body = body;
    else if (body !== undefined) {
      options.body = JSON.stringify(body);
      options.headers["Content-Type"] = "application/json";
    }
    return fetch(target, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, body: data };
      });
    });
  }

  /* Kelurahan outlines: drawn on the map, and the client-side "which kelurahan is this?". */
  var outlines = null;
  function loadOutlines() {
    if (!outlines) {
      outlines = fetch(config.urls.outlines).then(function (r) {
        if (!r.ok) throw new Error("outlines " + r.status);
        return r.json();
      });
    }
    return outlines;
  }

  function inRing(lat, lon, ring) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if ((yi > lat) !== (yj > lat) && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  }

  function polygons(geometry) {
    return geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
  }

  function inFeature(lat, lon, feature) {
    return polygons(feature.geometry).some(function (rings) {
      if (!inRing(lat, lon, rings[0])) return false;
      return !rings.slice(1).some(function (hole) { return inRing(lat, lon, hole); });
    });
  }

  // Metres from a point to a feature's outline (equirectangular: fine over a few km).
  function distanceToFeature(lat, lon, feature) {
    var kx = 111320 * Math.cos((lat * Math.PI) / 180), ky = 110574, best = Infinity;
    polygons(feature.geometry).forEach(function (rings) {
      rings.forEach(function (ring) {
        for (var i = 1; i < ring.length; i++) {
          var ax = (ring[i - 1][0] - lon) * kx, ay = (ring[i - 1][1] - lat) * ky;
          var bx = (ring[i][0] - lon) * kx, by = (ring[i][1] - lat) * ky;
          var dx = bx - ax, dy = by - ay, len = dx * dx + dy * dy;
          var s = len ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len)) : 0;
          var px = ax + s * dx, py = ay + s * dy;
          best = Math.min(best, Math.sqrt(px * px + py * py));
        }
      });
    });
    return best;
  }

  // {feature, inside, distance_m}: the kelurahan under a point, else the nearest one.
  function kelurahanAt(collection, lat, lon) {
    var nearest = null, nearestDistance = Infinity;
    for (var i = 0; i < collection.features.length; i++) {
      var feature = collection.features[i];
      if (inFeature(lat, lon, feature)) return { feature: feature, inside: true, distance_m: 0 };
      var d = distanceToFeature(lat, lon, feature);
      if (d < nearestDistance) { nearest = feature; nearestDistance = d; }
    }
    return { feature: nearest, inside: false, distance_m: nearestDistance };
  }

  function drawOutlines(map, collection) {
    return GeoKlikMap.drawOutlines(map, collection);
  }

  function theMap() {
    var holder = document.querySelector("[data-map]");
    return holder ? window[holder.getAttribute("data-map")] : null;
  }

  // The other service areas (community, information, business, public services) as switchable
  // layers; what is on is remembered on this phone.
  function attachLayers(map, options) {
    if (!window.GeoKlikLayers || !config.layers) return null;
    var page = (options && options.page) || "map";
    return GeoKlikLayers.attach(map, {
      layers: config.layers.layers, strings: config.layers.strings,
      storageKey: "klik.layers." + page, startOff: !!(options && options.startOff),
    });
  }

  function registerServiceWorker() {
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register(config.urls.serviceWorker, { scope: "/" }).catch(function (e) {
        console.warn("service worker not registered", e);
      });
    }
  }

  // Reports this phone sent or supported: a short list kept in localStorage. A report this
  // phone sent also keeps its reporter secret (needed to comment, rate or reopen); an entry
  // is merged, never replaced, so following a report again does not forget its secret.
  var MINE = "klik.myReports";
  function myReports() {
    try { return JSON.parse(localStorage.getItem(MINE) || "[]"); } catch (e) { return []; }
  }
  function rememberReport(entry) {
    var list = myReports(), old = list.filter(function (x) { return x.code === entry.code; })[0];
    var merged = Object.assign({}, old || {}, entry);
    list = list.filter(function (x) { return x.code !== entry.code; });
    list.unshift(merged);
    // 20 followed reports, and up to 100 of one's own (their secrets are not kept elsewhere).
    list = list.filter(function (x, i) { return i < 20 || (x.secret && i < 100); });
    localStorage.setItem(MINE, JSON.stringify(list));
  }
  function reporterSecret(code) {
    var mine = myReports().filter(function (x) { return x.code === code; })[0];
    return (mine && mine.secret) || "";
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    var area = el("textarea", { readonly: "" });
    area.value = text;
    document.body.appendChild(area);
    area.select();
    var ok = document.execCommand("copy");
    area.remove();
    return ok ? Promise.resolve() : Promise.reject(new Error("copy"));
  }

  window.KLIK = {
    config: config, t: t, problemText: problemText, uuid4: uuid4, url: url, el: el,
    formatDate: formatDate, request: request, loadOutlines: loadOutlines,
    kelurahanAt: kelurahanAt, drawOutlines: drawOutlines, theMap: theMap, attachLayers: attachLayers,
    myReports: myReports, rememberReport: rememberReport, reporterSecret: reporterSecret,
    copyText: copyText, deviceId: deviceId,
  };
  registerServiceWorker();
})();
