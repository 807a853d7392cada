/* Business directory pages: markers from the API, one business on its page, location picking. */
(function () {
  "use strict";
  var K = window.KLIK, B = K.config.business || {}, map = K.theMap();
  if (!map || !B.urls) return;
  var S = B.strings || {};

  function say(text, values) {
    Object.keys(values || {}).forEach(function (k) { text = text.split("{" + k + "}").join(String(values[k])); });
    return text;
  }

  function pin() {
    return GeoKlikMap.pin("business-pin");
  }

  function marker(lat, lon, icon, title) {
    var m = L.marker([lat, lon], { title: title, icon: pin() });
    m.on("add", function () { var s = m.getElement() && m.getElement().querySelector("span"); if (s) s.textContent = icon; });
    return m;
  }

  function popup(p) {
    var open = p.open_now === true ? S.openNow : p.open_now === false ? S.closedNow : "";
    return K.el("div", { class: "business-popup" }, [
      K.el("strong", { text: p.title }),
      K.el("p", { text: p.subtitle }),
      open && p.hours ? K.el("p", { text: p.hours }) : null,
      p.is_demo ? K.el("p", { class: "hint", text: S.demo }) : null,
      p.approximate ? K.el("p", { class: "hint", text: S.approximate }) : null,
      K.el("p", {}, [K.el("a", { href: p.url, text: S.details })]),
    ]);
  }

  function showFeatures(url) {
    var group = L.featureGroup().addTo(map);
    fetch(url).then(function (r) { return r.json(); }).then(function (data) {
      (data.features || []).forEach(function (f) {
        var c = f.geometry.coordinates, p = f.properties;
        marker(c[1], c[0], p.icon || (p.kind === "event" ? "📅" : "🏷️"), p.title)
          .bindPopup(function () { return popup(p); }).addTo(group);
      });
      if (group.getLayers().length) map.fitBounds(group.getBounds(), { padding: [24, 24], maxZoom: 17, animate: false });
    }).catch(function () {});
  }

  function pick() {
    var lat = document.getElementById("id_lat"), lon = document.getElementById("id_lon");
    var status = document.getElementById("pin-status"), current = null, outlines = null;
    if (!lat || !lon) return;
    function place(la, lo, centre) {
      if (current) current.setLatLng([la, lo]); else current = L.marker([la, lo]).addTo(map);
      if (centre) map.setView([la, lo], 17, { animate: false });
      if (!outlines || !status) return;
      var found = K.kelurahanAt(outlines, la, lo);
      status.textContent = found.inside ? say(S.pinHere, { lat: la.toFixed(5), lon: lo.toFixed(5) }) + " · " + found.feature.properties.name : S.pinOutside;
      status.classList.toggle("bad", !found.inside);
    }
    function fromInputs(centre) {
      var la = parseFloat(lat.value), lo = parseFloat(lon.value);
      if (isFinite(la) && isFinite(lo)) place(la, lo, centre);
    }
    map.on("click", function (e) {
      lat.value = e.latlng.lat.toFixed(6);
      lon.value = e.latlng.lng.toFixed(6);
      place(e.latlng.lat, e.latlng.lng, false);
    });
    [lat, lon].forEach(function (input) { input.addEventListener("change", function () { fromInputs(true); }); });
    K.loadOutlines().then(function (c) { outlines = c; K.drawOutlines(map, c); fromInputs(true); }).catch(function () { fromInputs(true); });
  }

  if (B.mode === "directory") {
    K.loadOutlines().then(function (c) { K.drawOutlines(map, c); }).catch(function () {}).then(function () {
      var params = new URLSearchParams();
      Object.keys(B.filters || {}).forEach(function (k) { if (B.filters[k]) params.set(k, B.filters[k]); });
      showFeatures(B.urls.list + "?" + params.toString());
    });
  } else if (B.mode === "promotions") {
    K.loadOutlines().then(function (c) { K.drawOutlines(map, c); }).catch(function () {}).then(function () {
      showFeatures(B.urls.promotions);
    });
  } else if (B.mode === "detail" && B.marker) {
    K.loadOutlines().then(function (c) { K.drawOutlines(map, c); }).catch(function () {}).then(function () {
      marker(B.marker.lat, B.marker.lon, B.marker.icon, B.marker.title).addTo(map);
      map.setView([B.marker.lat, B.marker.lon], 17, { animate: false });
    });
  } else if (B.mode === "pick") {
    pick();
  }
})();
