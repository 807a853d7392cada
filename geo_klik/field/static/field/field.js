/* KLIK field officer (/petugas/): duty with a unit, the unit's inbox, an incident with its map
   and directions, the field steps (kept in the offline queue until sent, exactly once), the
   unit's position while on duty, and a sound + Web Push on a new dispatch. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("field-config").textContent);
  var Q = window.KLIKFieldQueue, el = GeoKlikMap.el;
  // The position rule: a fix is sent only when it differs from the last one sent, and then at
  // most every 15 s unless the unit moved 50 m or more.
  var POSITION_MIN_MS = 15000, POSITION_MIN_MOVE_M = 50, INBOX_POLL_MS = 60000;
  var state = { me: null, shift: null, jobs: [], incident: null, position: null, queued: [] };

  function t(name, values) {
    var text = config.strings[name] || name;
    Object.keys(values || {}).forEach(function (key) { text = text.split("{" + key + "}").join(String(values[key])); });
    return text;
  }
  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : config.csrfToken;
  }
  Q.setCsrf(csrf());

  function problemText(body) {
    return ((body && body.errors) || []).map(function (p) {
      return config.language === "en" ? p.message_en || p.message : p.message;
    }).join(" ") || "?";
  }

  function request(method, url, body) {
    var options = { method: method, credentials: "same-origin", headers: { "X-CSRFToken": csrf() } };
    if (body !== undefined) { options.body = JSON.stringify(body); options.headers["Content-Type"] = "application/json"; }
    return fetch(url, options).then(function (r) {
      if (r.status === 401) { location.href = config.urls.login; }
      return r.json().catch(function () { return {}; }).then(function (data) {
        return { ok: r.ok, status: r.status, body: data, cached: r.headers.get("X-KLIK-Offline") === "1" };
      });
    });
  }

  function incidentUrl(id, step) {
    return config.urls.incident.replace("/0/", "/" + id + "/") + (step ? step + "/" : "");
  }
  function categoryName(c) { return config.language === "en" ? c.name_en : c.name_id; }

  /* Network state. */
  var net = document.getElementById("net");
  function showNet(cached) {
    var off = navigator.onLine === false || cached;
    net.textContent = off ? t("offline") : t("online");
    net.className = off ? "offline" : "";
  }
  window.addEventListener("online", function () { showNet(false); refreshAll(); });
  window.addEventListener("offline", function () { showNet(true); });

  /* Sound: an AudioContext made at the officer's first tap (browsers allow sound after one). */
  var audio = null;
  document.addEventListener("click", function () {
    if (!audio && window.AudioContext) { try { audio = new AudioContext(); } catch (e) { audio = null; } }
    if (audio && audio.state === "suspended") audio.resume();
  }, true);
  function beep() {
    if (!audio) return;
    try {
      [0, 0.25].forEach(function (at) {
        var o = audio.createOscillator(); o.frequency.value = 880;
        o.connect(audio.destination); o.start(audio.currentTime + at); o.stop(audio.currentTime + at + 0.15);
      });
    } catch (e) { /* no audio device */ }
    if (navigator.vibrate) navigator.vibrate([200, 100, 200]);
  }

  /* Duty. */
  var duty = document.getElementById("duty");
  function renderDuty() {
    var nodes = [];
    if (state.shift) {
      nodes.push(el("strong", { id: "on-duty", text: t("onDutyWith", { unit: state.shift.unit.call_sign }) }));
      var off = el("button", { type: "button", id: "off-duty", class: "secondary", text: t("goOffDuty") });
      off.addEventListener("click", function () {
        request("POST", config.urls.dutyEnd, {}).then(function (a) {
          if (!a.ok) { flash(t("error", { message: problemText(a.body) }), true); return; }
          loadMe();
        }, function () { flash(t("offline"), true); });
      });
      nodes.push(off);
      if ("PushManager" in window && navigator.serviceWorker) {
        var notify = el("button", { type: "button", id: "notify", class: "secondary", text: t("notify") });
        notify.addEventListener("click", subscribePush);
        nodes.push(notify);
      }
    } else {
      var select = el("select", { id: "unit", "aria-label": t("chooseUnit") }, (state.me ? state.me.units : []).map(function (u) {
        return el("option", { value: u.id, text: u.call_sign + " · " + u.kind_label + " · " + u.status_label });
      }));
      var on = el("button", { type: "button", id: "on-duty-button", text: t("goOnDuty") });
      on.addEventListener("click", function () {
        request("POST", config.urls.dutyStart, { unit: Number(select.value) }).then(function (a) {
          if (!a.ok) { flash(t("error", { message: problemText(a.body) }), true); return; }
          loadMe();
        }, function () { flash(t("offline"), true); });
      });
      nodes.push(el("span", { text: t("offDuty") }), select, on);
    }
    duty.replaceChildren.apply(duty, nodes);
  }

  var alertBox = document.getElementById("alert");
  function flash(text, error) {
    alertBox.textContent = text; alertBox.hidden = false;
    alertBox.className = error ? "error" : "";
  }

  // A phone handed to another officer keeps no copy of the last one's inbox or incidents.
  function forgetOtherOfficer(officer) {
    var KEY = "klik-petugas-officer", before = localStorage.getItem(KEY);
    localStorage.setItem(KEY, officer);
    if (before === null || before === officer || !window.caches) return;
    caches.keys().then(function (names) {
      names.filter(function (n) { return n.indexOf("klik-petugas-") === 0; }).forEach(function (name) {
        caches.open(name).then(function (cache) {
          cache.keys().then(function (requests) {
            requests.forEach(function (r) {
              if (new URL(r.url).pathname.indexOf(config.urls.me.replace(/me\/$/, "")) === 0) cache.delete(r);
            });
          });
        });
      });
    });
  }

  function loadMe() {
    return request("GET", config.urls.me).then(function (a) {
      showNet(a.cached);
      if (!a.ok) return;
      if (!a.cached) forgetOtherOfficer(a.body.officer);
      state.me = a.body; state.shift = a.body.shift;
      renderDuty(); watchPosition(); loadInbox();
    }, function () { showNet(true); });
  }

  /* The inbox. */
  var known = null;
  function loadInbox() {
    return request("GET", config.urls.inbox).then(function (a) {
      showNet(a.cached);
      if (!a.ok) return;
      state.jobs = a.body.results;
      var fresh = known ? state.jobs.filter(function (j) { return !known[j.id]; }) : [];
      known = {}; state.jobs.forEach(function (j) { known[j.id] = true; });
      if (fresh.length && state.shift) {
        beep();
        flash(t("newDispatch", { code: fresh[0].tracking_code }));
      }
      renderInbox();
      if (state.incident) loadIncident(state.incident.id);
    }, function () { showNet(true); });
  }

  function duration(seconds) {
    var h = Math.floor(seconds / 3600), m = Math.floor(seconds / 60) % 60;
    return (h ? h + " j " : "") + m + " m";
  }

  function distanceText(job) {
    if (!state.position) return "";
    var d = metresBetween(state.position, job), b = bearing(state.position, job);
    return t("distance", { metres: Math.round(d), bearing: Math.round(b) });
  }

  function renderInbox() {
    var list = document.getElementById("jobs");
    if (!state.jobs.length) { list.replaceChildren(el("li", { class: "meta", text: t("inboxEmpty") })); return; }
    list.replaceChildren.apply(list, state.jobs.map(function (j) {
      var age = Math.round((Date.now() - new Date(j.accepted_at)) / 1000);
      return el("li", { class: "p" + j.category.priority, "data-id": j.id, "data-code": j.tracking_code }, [
        el("a", { href: "#insiden/" + j.id }, [
          el("strong", { text: j.tracking_code + " · " + categoryName(j.category) }),
          el("p", { class: "meta", text: j.status_label + " · " + (j.address || j.kelurahan || "") }),
          el("p", { class: "meta" + (j.resolve_overdue ? " overdue" : ""), text: t("sinceAccepted", { time: duration(age) }) +
            " · " + (j.resolve_overdue ? t("overdue") : t("withinTarget")) }),
          el("p", { class: "meta distance", text: distanceText(j) }),
        ]),
      ]);
    }));
  }

  /* One incident. */
  var map = null, incidentLayer = null, meMarker = null;
  function ensureMap() {
    if (map) return;
    map = L.map("incident-map", { zoomControl: true }).setView([-0.305, 100.37], 15);
    L.tileLayer(config.tiles, { maxZoom: 19, attribution: "© OpenStreetMap" }).addTo(map);
    incidentLayer = L.layerGroup().addTo(map);
    fetch(config.urls.outlines).then(function (r) { return r.ok ? r.json() : null; }).then(function (c) {
      if (c) GeoKlikMap.drawOutlines(map, c, { padding: [4, 4], style: { color: "#0969da", weight: 1.5, fillOpacity: 0.03 } });
      if (state.incident) focusIncident();
    }).catch(function () {});
  }

  function focusIncident() {
    var r = state.incident;
    incidentLayer.clearLayers();
    L.circleMarker([r.lat, r.lon], { radius: 10, color: "#cf222e", weight: 3, fillOpacity: 0.6, className: "incident-marker" })
      .bindTooltip(r.tracking_code).addTo(incidentLayer);
    if (state.position) {
      L.circleMarker([state.position.lat, state.position.lon], { radius: 7, color: "#0969da", fillOpacity: 0.9, className: "me-marker" })
        .bindTooltip(t("yourPosition")).addTo(incidentLayer);
      map.fitBounds(L.latLngBounds([[r.lat, r.lon], [state.position.lat, state.position.lon]]), { padding: [30, 30], animate: false, maxZoom: 17 });
    } else {
      map.setView([r.lat, r.lon], 16, { animate: false });
    }
  }

  // Steps a report's status allows the field; the server checks each again (same workflow).
  var FIELD_STEPS = { dispatched: ["en-route", "on-scene", "need-support", "resolve", "unable"],
    on_scene: ["need-support", "resolve", "unable"] };
  var STEP_LABEL = { "en-route": "enRoute", "on-scene": "onScene", "need-support": "needSupport", resolve: "resolve", unable: "unable" };

  function loadIncident(id) {
    return request("GET", incidentUrl(id)).then(function (a) {
      showNet(a.cached);
      if (!a.ok) { document.getElementById("incident-body").replaceChildren(el("p", { class: "message error", text: problemText(a.body) })); return; }
      state.incident = a.body; renderIncident();
    }, function () { showNet(true); });
  }

  function renderIncident() {
    var r = state.incident, body = document.getElementById("incident-body");
    var age = Math.round((Date.now() - new Date(r.accepted_at)) / 1000);
    var nodes = [
      el("h2", { text: r.tracking_code + " · " + categoryName(r.category) }),
      el("p", { class: "meta", id: "incident-status", text: r.status_label + " · " + (r.address || "") + (r.kelurahan ? " · " + r.kelurahan : "") }),
      el("p", { class: "meta" + (r.resolve_overdue ? " overdue" : ""), text: t("sinceAccepted", { time: duration(age) }) + " · " + (r.resolve_overdue ? t("overdue") : t("withinTarget")) }),
      el("p", { class: "meta distance", text: distanceText(r) }),
      el("p", { text: r.description || "" }),
      el("div", { class: "links" }, [
        el("a", { href: r.geo_uri, id: "geo-link", text: t("directions") }),
        el("a", { href: r.web_map_url, id: "web-map-link", target: "_blank", rel: "noopener", text: t("webMap") }),
      ]),
      el("div", { class: "photos" }, r.photos.map(function (src) { return el("img", { src: src, alt: "" }); })),
    ];
    if (r.reporter_notes.length) {
      nodes.push(el("h3", { text: t("reporterNotes") }), el("ul", {}, r.reporter_notes.map(function (n) { return el("li", { text: n }); })));
    }
    body.replaceChildren.apply(body, nodes);
    var steps = document.getElementById("steps"), mine = r.job && r.job.open;
    var pending = state.queued.filter(function (q) { return q.reportId === r.id; });
    steps.replaceChildren.apply(steps, (mine && !pending.length ? FIELD_STEPS[r.status] || [] : []).filter(function (s) {
      return !(s === "en-route" && (r.job.arrived_at || r.job.unit_status === "en_route")) &&
        !(s === "on-scene" && r.job.arrived_at);
    }).map(function (s) {
      var b = el("button", { type: "button", "data-step": s, text: t(STEP_LABEL[s]) });
      b.addEventListener("click", function () { openStep(r, s); });
      return b;
    }));
    if (pending.length) steps.appendChild(el("p", { class: "message", id: "pending-step", text: t("queued") + ": " + pending.map(function (q) { return q.label; }).join(", ") }));
    var timeline = document.getElementById("timeline");
    timeline.replaceChildren.apply(timeline, r.events.slice(-8).map(function (e) {
      return el("li", { text: new Date(e.at).toLocaleTimeString() + " · " + (config.statusLabels[e.status_to] || e.status_to || "") + (e.note && e.status_to ? " · " : "") + (e.note || "") });
    }));
    ensureMap(); focusIncident();
    setTimeout(function () { map.invalidateSize(); }, 0);
  }

  function queueStep(r, step, fields, photo) {
    document.getElementById("step-form").replaceChildren();
    return Q.add({ url: incidentUrl(r.id, step), step: step, label: t(STEP_LABEL[step]), reportId: r.id,
      code: r.tracking_code, fields: fields, photo: photo });
  }

  function openStep(r, step) {
    var holder = document.getElementById("step-form");
    if (step === "en-route" || step === "on-scene") { queueStep(r, step, {}); return; }
    var fields = [];
    if (step === "resolve") {
      fields.push(el("label", { text: t("note") }, [el("textarea", { name: "note", rows: "3", required: "required" })]));
      fields.push(el("label", { text: t("afterPhoto") }, [el("input", { type: "file", name: "photo", accept: "image/*", capture: "environment" })]));
    } else {
      fields.push(el("label", { text: t("reason") }, [el("textarea", { name: "reason", rows: "3", required: "required" })]));
    }
    var form = el("form", { id: "form-" + step }, fields.concat([el("button", { type: "submit", text: t("send") })]));
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (step === "resolve") queueStep(r, step, { note: form.note.value }, form.photo.files[0] || null);
      else queueStep(r, step, { reason: form.reason.value });
    });
    holder.replaceChildren(form);
  }

  /* The queue on screen. */
  function renderQueue(items) {
    state.queued = items;
    var list = document.getElementById("queued");
    if (!items.length) list.replaceChildren(el("li", { class: "meta", text: t("queueEmpty") }));
    else list.replaceChildren.apply(list, items.map(function (q) {
      var li = el("li", { class: q.problems ? "rejected" : "", "data-key": q.key }, [
        el("strong", { text: q.code + " · " + q.label }),
        el("p", { class: "meta", text: q.problems ? t("queueRejected", { message: problemText({ errors: q.problems }) }) :
          t("queued") + " · " + new Date(q.createdAt).toLocaleTimeString() + (q.photo ? " · 📷" : "") }),
      ]);
      if (q.problems) {
        var drop = el("button", { type: "button", class: "secondary", text: "✕" });
        drop.addEventListener("click", function () { Q.remove(q.key); });
        li.appendChild(drop);
      }
      return li;
    }));
    if (state.incident) renderIncident();
  }
  Q.onChange(renderQueue);
  Q.onSent(function () { loadInbox(); });

  /* Position: sent while on duty only, by the 15 s / 50 m rule; never when unchanged. */
  var watchId = null, lastSent = null;
  function watchPosition() {
    if (!state.shift) {
      if (watchId !== null) { navigator.geolocation.clearWatch(watchId); watchId = null; }
      lastSent = null;
      return;
    }
    if (watchId !== null || !navigator.geolocation) return;
    watchId = navigator.geolocation.watchPosition(onFix, function () { flash(t("locationDenied"), true); },
      { enableHighAccuracy: true, maximumAge: 5000, timeout: 30000 });
  }

  function onFix(fix) {
    var here = { lat: fix.coords.latitude, lon: fix.coords.longitude, accuracy: fix.coords.accuracy, at: fix.timestamp || Date.now() };
    state.position = here;
    renderInbox();
    if (state.incident) { document.querySelector("#incident-body .distance").textContent = distanceText(state.incident); focusIncident(); }
    if (!state.shift) return;
    if (lastSent) {
      var moved = metresBetween(lastSent, here);
      if (moved < 0.5) return;  // not changed
      if (moved < POSITION_MIN_MOVE_M && here.at - lastSent.at < POSITION_MIN_MS) return;
    }
    var sent = here;
    request("POST", config.urls.position, { lat: here.lat, lon: here.lon, accuracy_m: here.accuracy, at: here.at })
      .then(function (a) { if (a.ok) lastSent = sent; }, function () { /* offline: the next fix tries */ });
  }

  function metresBetween(a, b) {
    var R = 6371008.8, rad = Math.PI / 180;
    var dLat = (b.lat - a.lat) * rad, dLon = (b.lon - a.lon) * rad;
    var h = Math.sin(dLat / 2) * Math.sin(dLat / 2) + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
  }
  function bearing(a, b) {
    var rad = Math.PI / 180, y = Math.sin((b.lon - a.lon) * rad) * Math.cos(b.lat * rad);
    var x = Math.cos(a.lat * rad) * Math.sin(b.lat * rad) - Math.sin(a.lat * rad) * Math.cos(b.lat * rad) * Math.cos((b.lon - a.lon) * rad);
    return (Math.atan2(y, x) / rad + 360) % 360;
  }

  /* Told at once: the staff change stream (a dispatch is a change of the agency's reports)
     re-reads the inbox; a new job sounds. Web Push reaches the phone when the page is closed. */
  function connect() {
    if (!window.EventSource) return;
    var source = new EventSource(config.urls.events);
    source.addEventListener("change", function (event) {
      var kinds = [];
      try { kinds = JSON.parse(event.data).changed || []; } catch (e) { kinds = []; }
      if (kinds.indexOf("reports") >= 0) loadInbox();
    });
    source.addEventListener("ready", function () { loadInbox(); });
  }

  function base64ToBytes(text) {
    var padded = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(padded), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }

  function subscribePush() {
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") return null;
      return navigator.serviceWorker.ready.then(function (reg) {
        return reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: base64ToBytes(state.me.vapid_public_key) });
      });
    }).then(function (subscription) {
      if (!subscription) return;
      return request("POST", config.urls.push, { subscription: subscription.toJSON() }).then(function (a) {
        flash(a.ok ? t("notifyOn") : t("error", { message: problemText(a.body) }), !a.ok);
      });
    }).catch(function (e) { flash(t("error", { message: String(e) }), true); });
  }

  /* Pages: #insiden/<id> or the inbox. */
  function route() {
    var m = location.hash.match(/^#insiden\/(\d+)$/);
    document.getElementById("incident").hidden = !m;
    document.getElementById("inbox").hidden = !!m;
    if (m) loadIncident(Number(m[1])); else { state.incident = null; document.getElementById("step-form").replaceChildren(); }
  }
  window.addEventListener("hashchange", route);
  document.getElementById("back").addEventListener("click", function (e) { e.preventDefault(); location.hash = ""; });

  if (navigator.serviceWorker) {
    navigator.serviceWorker.register(config.urls.serviceWorker, { scope: config.urls.serviceWorker.replace(/sw\.js$/, "") }).catch(function () {});
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "dispatch") { beep(); loadInbox(); }
    });
  }

  function refreshAll() { loadMe(); Q.flush(); }
  setInterval(loadInbox, INBOX_POLL_MS);
  window.KLIK_FIELD = { state: state, loadInbox: loadInbox, flush: Q.flush };
  showNet(false);
  loadMe().then(route);
  connect();
})();
