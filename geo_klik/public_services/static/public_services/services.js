/* Public services pages: location / pin fill the address form; the map shows the offices. */
(function () {
  "use strict";
  var K = window.KLIK, cfg = K.config.services || {}, s = cfg.strings || {};
  var form = document.getElementById("address");

  function submitPoint(lat, lon) {
    if (!form) return;
    form.elements.kelurahan.value = "";
    form.elements.lat.value = lat.toFixed(6);
    form.elements.lon.value = lon.toFixed(6);
    form.submit();
  }

  var status = document.querySelector("[data-locate-status]");
  var row = document.querySelector("[data-locate-row]");
  if (row && navigator.geolocation) {
    row.hidden = false;
    row.querySelector("[data-locate]").addEventListener("click", function () {
      if (status) status.textContent = s.locating;
      navigator.geolocation.getCurrentPosition(
        function (p) { submitPoint(p.coords.latitude, p.coords.longitude); },
        function () { if (status) status.textContent = s.locateFailed; },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });
  }

  var print = document.querySelector("[data-print]");
  if (print) {
    print.hidden = false;
    print.addEventListener("click", function () { window.print(); });
  }

  var map = K.theMap();
  if (!map) return;
  var ICONS = { kantor_lurah: "🏠", kantor_camat: "🏢", mpp: "🏛️", dukcapil: "🪪", puskesmas: "🏥", other: "📍" };
  var points = [];
  (cfg.offices || []).forEach(function (o) {
    var icon = GeoKlikMap.pin("office-pin" + (o.approximate ? " approximate" : ""), ICONS[o.kind] || "📍");
    var popup = K.el("div", {}, [
      K.el("strong", {}, [K.el("a", { href: o.url, text: o.name })]),
      K.el("div", { text: o.kindLabel }),
      o.approximate ? K.el("div", { text: "⚠ " + s.approximate }) : null,
    ]);
    L.marker([o.lat, o.lon], { icon: icon, title: o.name }).bindPopup(popup).addTo(map);
    points.push([o.lat, o.lon]);
  });
  if (cfg.pin) {
    L.marker(cfg.pin, {
      title: s.yourPoint, icon: GeoKlikMap.pin("you-pin", "", { size: 18 }),
    }).addTo(map);
    points.push(cfg.pin);
  }
  function focus() {
    if (points.length === 1) map.setView(points[0], 16, { animate: false });
    else if (points.length > 1) map.fitBounds(points, { padding: [24, 24], maxZoom: 16, animate: false });
  }
  K.loadOutlines().then(function (outlines) { K.drawOutlines(map, outlines); focus(); }, focus);
  if (cfg.pinForm && form) {
    map.on("click", function (e) { submitPoint(e.latlng.lat, e.latlng.lng); });
  }
})();
