/* /peta/: public reports, clustered, filtered; no personal data ever reaches this page. */
(function () {
  "use strict";
  var K = window.KLIK, t = K.t, map = K.theMap();
  var form = document.getElementById("filters"), count = document.getElementById("map-count");
  var clusters = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 50 }).addTo(map);

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
      icon: L.divIcon({ className: "", html: '<span class="' + classes + '" aria-hidden="true"></span>', iconSize: [30, 30] }),
    });
    m.on("add", function () { var s = m.getElement() && m.getElement().querySelector("span"); if (s) s.textContent = p.category.icon; });
    m.bindPopup(function () { return popup(p); });
    return m;
  }

  function load() {
    var params = new URLSearchParams(new FormData(form));
    Array.from(params.keys()).forEach(function (k) { if (!params.get(k)) params.delete(k); });
    fetch(K.config.urls.mapFeed + "?" + params.toString()).then(function (r) { return r.json(); }).then(function (data) {
      clusters.clearLayers();
      clusters.addLayers((data.features || []).map(marker));
      count.textContent = data.features && data.features.length ? t("mapCount", { count: data.features.length }) : t("mapEmpty");
    }).catch(function () { count.textContent = t("networkError"); });
  }
  form.addEventListener("change", load);
  form.addEventListener("submit", function (e) { e.preventDefault(); load(); });
  load();
})();
