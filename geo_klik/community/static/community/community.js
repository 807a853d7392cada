/* Community pages: the board map (posts and events in view), "near me", the pin on the post form. */
(function () {
  "use strict";
  var K = window.KLIK, C = K.config.community, map = K.theMap();
  function t(name, values) {
    var text = C.strings[name] || name;
    Object.keys(values || {}).forEach(function (k) { text = text.split("{" + k + "}").join(String(values[k])); });
    return text;
  }

  /* Forms that ask first (delete): a listener, not an onsubmit attribute, which the CSP forbids. */
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });

  /* Near me: reload the board with the position (the server lists what is near). */
  var nearButton = document.getElementById("near-me"), nearStatus = document.getElementById("near-status");
  if (nearButton && navigator.geolocation) {
    nearButton.hidden = false;
    nearButton.addEventListener("click", function () {
      nearStatus.textContent = t("locating");
      navigator.geolocation.getCurrentPosition(function (p) {
        var params = new URLSearchParams(location.search);
        params.set("lat", p.coords.latitude.toFixed(6));
        params.set("lon", p.coords.longitude.toFixed(6));
        location.search = params.toString();
      }, function () { nearStatus.textContent = t("locateFailed"); }, { enableHighAccuracy: true, timeout: 15000 });
    });
  }
  if (!map) return;

  function pinIcon(p) {
    var classes = "community-pin" + (p.kind === "event" ? " event" : "") + (p.approximate ? " approximate" : "");
    return GeoKlikMap.pin(classes, p.kind === "event" ? "📅" : "💬");
  }

  function popup(p) {
    return K.el("div", {}, [
      K.el("strong", { text: p.title }),
      K.el("p", { text: p.subtitle }),
      p.is_demo ? K.el("p", { class: "hint", text: t("demo") }) : null,
      p.approximate ? K.el("p", { class: "hint", text: t("approximate") }) : null,
      K.el("p", {}, [K.el("a", { href: p.url, text: t("open") })]),
    ]);
  }

  /* The board: posts and events in the visible box, reloaded when the map moves. */
  var count = document.getElementById("map-count");
  if (count) {
    var group = L.layerGroup().addTo(map), pending = null;
    var load = function () {
      var b = map.getBounds(), params = new URLSearchParams();
      params.set("in_bbox", [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (x) { return x.toFixed(5); }).join(","));
      if (C.kelurahan) params.set("kelurahan", C.kelurahan);
      if (C.kind) params.set("kind", C.kind);
      fetch(C.urls.posts + "?" + params.toString()).then(function (r) { return r.json(); }).then(function (data) {
        group.clearLayers();
        (data.features || []).forEach(function (f) {
          var c = f.geometry.coordinates;
          L.marker([c[1], c[0]], { icon: pinIcon(f.properties), title: f.properties.title })
            .bindPopup(function () { return popup(f.properties); }).addTo(group);
        });
        var n = (data.features || []).length;
        count.textContent = (n ? t("mapCount", { count: n }) : t("mapEmpty")) + (data.truncated ? " " + t("truncated") : "");
      }).catch(function () { count.textContent = K.t("networkError"); });
    };
    map.on("moveend", function () { clearTimeout(pending); pending = setTimeout(load, 250); });
    K.loadOutlines().then(function (c) { K.drawOutlines(map, c); load(); }).catch(load);
    return;
  }

  /* A post's page: its pin. */
  if (C.post) {
    K.loadOutlines().then(function (c) { K.drawOutlines(map, c); }).catch(function () {}).then(function () {
      if (C.post.lat_lon) { L.marker(C.post.lat_lon).addTo(map); map.setView(C.post.lat_lon, 16, { animate: false }); }
    });
    return;
  }

  /* The post form: tap to pin, remove the pin; show the event fields only for events. */
  var form = document.getElementById("post-form");
  if (!form) return;
  var lat = form.elements.lat, lon = form.elements.lon, status = document.getElementById("pin-status");
  var clear = document.getElementById("clear-pin"), marker = null, outlines = null;
  var eventFields = document.getElementById("event-fields");
  eventFields.classList.add("js-toggled");
  function syncKind() { form.classList.toggle("is-event", form.elements.kind.value === "event"); }
  Array.prototype.forEach.call(form.elements.kind, function (r) { r.addEventListener("change", syncKind); });
  syncKind();

  function describe(la, lo) {
    if (!outlines) return;
    var found = K.kelurahanAt(outlines, la, lo);
    status.textContent = found.inside ? t("pinHere", { name: found.feature.properties.name }) : t("pinOutside");
    status.classList.toggle("bad", !found.inside);
  }
  function place(la, lo, fly) {
    lat.value = la.toFixed(6); lon.value = lo.toFixed(6);
    if (marker) marker.setLatLng([la, lo]); else marker = L.marker([la, lo], { draggable: true }).addTo(map);
    marker.off("dragend").on("dragend", function () { var p = marker.getLatLng(); place(p.lat, p.lng, false); });
    clear.hidden = false;
    if (fly) map.setView([la, lo], Math.max(map.getZoom(), 15), { animate: false });
    describe(la, lo);
  }
  function unpin() {
    lat.value = ""; lon.value = "";
    if (marker) { map.removeLayer(marker); marker = null; }
    clear.hidden = true; status.textContent = t("pinNone"); status.classList.remove("bad");
  }
  clear.addEventListener("click", unpin);
  map.on("click", function (e) { place(e.latlng.lat, e.latlng.lng, false); });
  K.loadOutlines().then(function (c) { outlines = c; K.drawOutlines(map, c); }).catch(function () {}).then(function () {
    if (lat.value && lon.value) place(parseFloat(lat.value), parseFloat(lon.value), true); else unpin();
  });
})();
