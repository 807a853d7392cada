/* /info/ and /info/tempat/<slug>/: places and geo-tagged announcements on the map, "near me". */
(function () {
  "use strict";
  var K = window.KLIK, map = K.theMap(), info = K.config.information;
  var status = document.getElementById("info-status");
  function s(name) { return info.strings[name] || name; }
  function say(text) { if (status) status.textContent = text; }

  function pin(icon, classes) {
    return GeoKlikMap.pin("info-pin " + (classes || ""), icon);
  }

  function popup(p) {
    var badge = p.open_now === true ? s("openNow") : p.open_now === false ? s("closedNow") : "";
    return K.el("div", { class: "info-popup" }, [
      K.el("strong", { text: (p.icon ? p.icon + " " : "") + p.title }),
      p.subtitle ? K.el("p", { text: p.subtitle }) : null,
      badge ? K.el("p", { class: p.open_now ? "open-text" : "closed-text", text: badge }) : null,
      p.approximate ? K.el("p", { class: "hint", text: s("approximate") }) : null,
      p.url ? K.el("p", {}, [K.el("a", { href: p.url, text: s("details") })]) : null,
    ]);
  }

  function addFeatures(group, data, icon) {
    (data.features || []).forEach(function (f) {
      var c = f.geometry.coordinates, p = f.properties;
      var classes = (p.approximate ? "approximate " : "") + (p.layer === "announcements" ? "announcement-pin" : "");
      L.marker([c[1], c[0]], { title: p.title, icon: pin(p.icon || icon, classes) })
        .bindPopup(function () { return popup(p); })
        .addTo(group);
    });
    if (data.truncated) say(s("truncated"));
  }

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/geo+json, application/json" } }).then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      return r.json();
    });
  }

  var outlines = K.loadOutlines().then(function (c) { K.drawOutlines(map, c); }).catch(function () {});

  if (info.place) {
    // A place page: its own marker, centred once the city outlines have been fitted.
    var here = [info.place.lat, info.place.lon];
    var classes = info.place.approximate ? "approximate" : "";
    L.marker(here, { title: info.place.title, icon: pin(info.place.icon, classes) }).addTo(map);
    outlines.then(function () { map.setView(here, 17, { animate: false }); });
    map.setView(here, 17, { animate: false });
    return;
  }

  var places = L.layerGroup().addTo(map), notices = L.layerGroup().addTo(map);
  if (info.position) {
    // "Near me" was asked: show where the resident is and what is around.
    var me = [info.position.lat, info.position.lon];
    L.circleMarker(me, { radius: 8, color: "#0b5cad", fillColor: "#0b5cad", fillOpacity: 0.6 }).addTo(map);
    outlines.then(function () { map.setView(me, 16, { animate: false }); });
  }
  var query = info.category ? "?category=" + encodeURIComponent(info.category) : "";
  getJSON(info.places + query).then(function (data) { addFeatures(places, data, "📍"); })
    .catch(function () { say(s("networkError")); });
  getJSON(info.announcementsMap).then(function (data) { addFeatures(notices, data, "📢"); })
    .catch(function () {});

  // "Near me": the browser's position goes into the form, which the server answers.
  var button = document.getElementById("near-me"), form = document.getElementById("place-filters");
  if (button && form && navigator.geolocation) {
    button.hidden = false;
    button.addEventListener("click", function () {
      say(s("locating"));
      navigator.geolocation.getCurrentPosition(function (position) {
        ["lat", "lon"].forEach(function (name) {
          var input = form.querySelector("input[name=" + name + "]");
          if (!input) {
            input = K.el("input", { type: "hidden", name: name });
            form.appendChild(input);
          }
          input.value = (name === "lat" ? position.coords.latitude : position.coords.longitude).toFixed(6);
        });
        form.submit();
      }, function () { say(s("locateFailed")); }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
  }
})();
