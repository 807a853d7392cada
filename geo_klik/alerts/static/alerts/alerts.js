/* /peringatan/: area alerts. Pick a point (and radius) or a kelurahan on the map (outlines drawn
 * without tiles by maps/map_kit.js), the news, categories, channel and frequency; subscribe
 * through /api/alerts/; list and stop this device's subscriptions. The management key is kept
 * in localStorage (or taken from the #kunci= of an e-mail's manage link) and sent as a header. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("alerts-config").textContent);
  var el = GeoKlikMap.el;
  var KEY_STORE = "klik.alertsKey";
  var form = document.getElementById("alerts-form");
  var statusLine = document.getElementById("alerts-status");
  var picked = document.getElementById("alerts-picked");
  var radiusInput = document.getElementById("alerts-radius");
  var radiusOut = document.getElementById("alerts-radius-out");
  var kelurahanSelect = document.getElementById("alerts-kelurahan");
  var map = window[document.getElementById("alerts-script").getAttribute("data-map")];
  var state = { lat: null, lon: null, kelurahan: "", marker: null, circle: null, shapes: {} };

  function t(name, values) {
    var text = config.strings[name] || name;
    Object.keys(values || {}).forEach(function (k) { text = text.split("{" + k + "}").join(String(values[k])); });
    return text;
  }

  function say(text, isError) {
    statusLine.textContent = text;
    statusLine.classList.toggle("error", !!isError);
  }

  // Every problem the API listed, in the page's language.
  function problemText(body) {
    return ((body && body.errors) || []).map(function (p) {
      return config.language === "en" ? p.message_en || p.message : p.message;
    }).join(" ");
  }

  function key() {
    try { return localStorage.getItem(KEY_STORE) || ""; } catch (e) { return ""; }
  }

  function keepKey(value) {
    try { localStorage.setItem(KEY_STORE, value); } catch (e) { /* private mode: only this page */ }
    state.key = value;
  }

  function deviceId() {
    var id = "";
    try { id = localStorage.getItem("klik.deviceId") || ""; } catch (e) { return ""; }
    if (!/^[A-Za-z0-9_-]{16,64}$/.test(id) && window.crypto && crypto.randomUUID) {
      id = crypto.randomUUID();
      try { localStorage.setItem("klik.deviceId", id); } catch (e) { return ""; }
    }
    return id;
  }

  function request(method, url, body) {
    var headers = {};
    var k = state.key || key();
    if (k) headers[config.keyHeader] = k;
    if (method !== "GET" && deviceId()) headers["X-Device-Id"] = deviceId();
    var options = { method: method, headers: headers, credentials: "same-origin" };
    if (body !== undefined) {
      options.body = JSON.stringify(body);
      headers["Content-Type"] = "application/json";
    }
    return fetch(url, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, body: data };
      });
    });
  }

  function checkedValue(name) {
    var input = form.querySelector("input[name=" + name + "]:checked");
    return input ? input.value : "";
  }

  function showArea() {
    var mode = checkedValue("area");
    form.querySelectorAll("[data-area]").forEach(function (node) {
      node.hidden = node.getAttribute("data-area") !== mode;
    });
    if (mode === "kelurahan") {
      clearPoint();
      picked.textContent = state.kelurahan ? t("pickedKelurahan", { name: nameOf(state.kelurahan) }) : "";
    } else {
      state.kelurahan = "";
      kelurahanSelect.value = "";
      highlight("");
      picked.textContent = state.lat === null ? t("pickPoint") : t("pickedPoint", { radius: radiusInput.value });
    }
  }

  function showChannel() {
    var email = checkedValue("channel") === "email";
    form.querySelector("[data-channel=email]").hidden = !email;
  }

  function nameOf(code) {
    var option = kelurahanSelect.querySelector("option[value='" + code + "']");
    return option ? option.textContent : code;
  }

  function clearPoint() {
    if (state.marker) { map.removeLayer(state.marker); state.marker = null; }
    if (state.circle) { map.removeLayer(state.circle); state.circle = null; }
    state.lat = state.lon = null;
  }

  function setPoint(lat, lon) {
    clearPoint();
    state.lat = Math.round(lat * 1e6) / 1e6;
    state.lon = Math.round(lon * 1e6) / 1e6;
    state.marker = L.marker([state.lat, state.lon], { keyboard: false }).addTo(map);
    state.circle = L.circle([state.lat, state.lon], {
      radius: Number(radiusInput.value), color: "#0b5cad", weight: 2, fillOpacity: 0.12, interactive: false,
    }).addTo(map);
    picked.textContent = t("pickedPoint", { radius: radiusInput.value });
  }

  function highlight(code) {
    Object.keys(state.shapes).forEach(function (c) {
      state.shapes[c].setStyle(c === code
        ? { color: "#0b5cad", weight: 3, fillOpacity: 0.3, fillColor: "#0b5cad" }
        : { color: "#ffffff", weight: 0, fillOpacity: 0 });
    });
  }

  function setKelurahan(code) {
    state.kelurahan = code;
    kelurahanSelect.value = code;
    highlight(code);
    picked.textContent = code ? t("pickedKelurahan", { name: nameOf(code) }) : "";
  }

  function drawMap(collection) {
    GeoKlikMap.drawOutlines(map, collection);
    // An invisible, clickable copy of each kelurahan: a tap in "kelurahan" mode chooses it.
    L.geoJSON(collection, {
      style: function () { return { color: "#ffffff", weight: 0, fillOpacity: 0 }; },
      onEachFeature: function (feature, layer) {
        state.shapes[feature.properties.code] = layer;
        layer.on("click", function (event) {
          if (checkedValue("area") !== "kelurahan") return;
          L.DomEvent.stopPropagation(event);
          setKelurahan(feature.properties.code);
        });
      },
    }).addTo(map);
    map.on("click", function (event) {
      if (checkedValue("area") === "point") setPoint(event.latlng.lat, event.latlng.lng);
    });
  }

  function fillOptions(options) {
    var box = document.getElementById("alerts-categories");
    options.categories.forEach(function (c) {
      var input = el("input", { type: "checkbox", name: "categories", value: c.code, checked: "checked" });
      box.appendChild(el("label", {}, [input, document.createTextNode(" " + (config.language === "en" ? c.name_en : c.name_id))]));
    });
    options.kelurahan.forEach(function (k) {
      kelurahanSelect.appendChild(el("option", { value: k.code, text: k.name }));
    });
  }

  function keyBytes(base64url) {
    var text = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(text), bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  // The browser's push subscription: asks permission first (call from the submit).
  function pushSubscription() {
    if (!(config.vapidPublicKey && window.isSecureContext && "serviceWorker" in navigator &&
          "PushManager" in window && "Notification" in window)) {
      return Promise.reject(new Error("unsupported"));
    }
    return Promise.resolve(Notification.permission === "granted" ? "granted" : Notification.requestPermission())
      .then(function (permission) {
        if (permission !== "granted") throw new Error("denied");
        return navigator.serviceWorker.register(config.urls.serviceWorker, { scope: "/" })
          .then(function () { return navigator.serviceWorker.ready; });
      }).then(function (registration) {
        return registration.pushManager.getSubscription().then(function (existing) {
          return existing || registration.pushManager.subscribe({
            userVisibleOnly: true, applicationServerKey: keyBytes(config.vapidPublicKey),
          });
        });
      }).then(function (subscription) { return subscription.toJSON(); });
  }

  function body() {
    var data = {
      channel: checkedValue("channel"),
      language: config.language,
      frequency: checkedValue("frequency"),
      new_reports: form.querySelector("input[name=new_reports]").checked,
      resolutions: form.querySelector("input[name=resolutions]").checked,
      categories: Array.prototype.map.call(
        form.querySelectorAll("input[name=categories]:checked"), function (i) { return i.value; }),
    };
    if (checkedValue("area") === "kelurahan") data.kelurahan = state.kelurahan;
    else if (state.lat !== null) {
      data.lat = state.lat; data.lon = state.lon; data.radius_m = Number(radiusInput.value);
    }
    if (data.channel === "email") data.email = document.getElementById("alerts-email").value;
    return data;
  }

  function submit(event) {
    event.preventDefault();
    var data = body();
    var ready = data.channel === "webpush"
      ? pushSubscription().then(function (s) { data.push_subscription = s; return data; })
      : Promise.resolve(data);
    say("…");
    ready.then(function (payload) {
      return request("POST", config.urls.subscriptions, payload);
    }).then(function (answer) {
      if (answer.status !== 201) { say(t("failed", { message: problemText(answer.body) }), true); return; }
      if (answer.body.manage_key) keepKey(answer.body.manage_key);
      say(data.channel === "email" ? t("confirmEmail") : t("pushConfirmed"));
      loadList();
    }).catch(function (error) {
      if (error && error.message === "unsupported") say(t("pushUnsupported"), true);
      else if (error && error.message === "denied") say(t("pushDenied"), true);
      else say(t("offline"), true);
    });
  }

  function describe(s) {
    var area = s.area.kelurahan ? s.area.kelurahan.name : t("radius", { radius: s.area.radius_m });
    var news = [s.new_reports ? t("newReports") : "", s.resolutions ? t("resolutions") : ""]
      .filter(Boolean).join(" + ");
    var how = (s.channel === "email" ? s.email : "🔔") + " · " + t(s.frequency);
    return area + " · " + news + " · " + how + " · " + (s.confirmed ? t("active") : t("pending"));
  }

  function loadList() {
    var list = document.getElementById("alerts-list");
    var k = state.key || key();
    list.textContent = "";
    if (!k) { list.appendChild(el("li", { text: t("none") })); return; }
    var manage = document.getElementById("alerts-manage");
    manage.hidden = false;
    manage.textContent = t("manageLink", { url: location.origin + config.urls.page + "#kunci=" + k });
    request("GET", config.urls.subscriptions).then(function (answer) {
      if (answer.status !== 200) { list.appendChild(el("li", { text: problemText(answer.body) })); return; }
      if (!answer.body.subscriptions.length) list.appendChild(el("li", { text: t("none") }));
      answer.body.subscriptions.forEach(function (s) {
        var stop = el("button", { type: "button", text: t("stop"), "data-id": String(s.id) });
        stop.addEventListener("click", function () {
          request("DELETE", config.urls.subscription.replace("ID", String(s.id))).then(function (a) {
            if (a.status === 204 || a.status === 404) { say(t("stopped")); loadList(); }
            else say(t("failed", { message: problemText(a.body) }), true);
          });
        });
        list.appendChild(el("li", { "data-id": String(s.id) }, [stop, document.createTextNode(describe(s))]));
      });
    }).catch(function () { list.appendChild(el("li", { text: t("offline") })); });
  }

  // An e-mail's manage link: #kunci=<token>. Kept, then taken out of the address bar.
  var fromLink = /[#&]kunci=([A-Za-z0-9_.-]{16,128})/.exec(location.hash);
  if (fromLink) {
    keepKey(fromLink[1]);
    history.replaceState(null, "", location.pathname + location.search);
  }
  state.key = key();

  form.addEventListener("change", function (event) {
    if (event.target.name === "area") showArea();
    if (event.target.name === "channel") showChannel();
  });
  kelurahanSelect.addEventListener("change", function () { setKelurahan(kelurahanSelect.value); });
  radiusInput.addEventListener("input", function () {
    radiusOut.textContent = radiusInput.value;
    if (state.circle) state.circle.setRadius(Number(radiusInput.value));
    if (state.lat !== null) picked.textContent = t("pickedPoint", { radius: radiusInput.value });
  });
  form.addEventListener("submit", submit);

  Promise.all([
    fetch(config.urls.outlines).then(function (r) { return r.json(); }),
    fetch(config.urls.options).then(function (r) { return r.json(); }),
  ]).then(function (loaded) {
    fillOptions(loaded[1]);
    drawMap(loaded[0]);
    document.body.setAttribute("data-alerts-ready", "1");
  }).catch(function () { say(t("offline"), true); });
  showChannel();
  loadList();
})();
