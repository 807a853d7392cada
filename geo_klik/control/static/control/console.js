/* KLIK control-room console: live map and queue (server-sent events, polling as fallback),
   the selected report's workflow actions, undelivered notifications. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("control-config").textContent);
  var POLL_MS = 2000, LIVE_POLL_MS = 30000, RECONNECT_MS = 5000;
  // The steps a status allows; the server checks every step again (role, claim, agency).
  var STEPS = {
    received: ["acknowledge", "transfer", "merge", "reject"],
    routed: ["acknowledge", "transfer", "merge", "reject"],
    triage: ["acknowledge", "transfer", "merge", "reject"],
    transferred: ["acknowledge", "transfer", "merge", "reject"],
    acknowledged: ["dispatch", "resolve", "transfer", "merge", "reject"],
    dispatched: ["dispatch", "arrive", "resolve"],
    on_scene: ["resolve"],
    resolved: ["close"],
  };
  var COLORS = { 1: "#cf222e", 2: "#bc4c00", 3: "#9a6700", 4: "#1a7f37" };

  function t(name, values) {
    var text = config.strings[name] || name;
    Object.keys(values || {}).forEach(function (key) {
      text = text.split("{" + key + "}").join(String(values[key]));
    });
    return text;
  }

  var el = GeoKlikMap.el;  // maps/map_kit.js, shared with the residents' pages

  function problemText(body) {
    var problems = (body && body.errors) || [];
    return problems.map(function (p) {
      return config.language === "en" ? p.message_en || p.message : p.message;
    }).join(" ") || "?";
  }

  function reportUrl(id, step) {
    return config.urls.report.replace("/0/", "/" + id + "/") + (step ? step + "/" : "");
  }

  // A JSON request; resolves {status, body}, rejects only when the network failed.
  function request(method, target, body) {
    var options = { method: method, credentials: "same-origin", headers: { "X-CSRFToken": config.csrfToken } };
    if (body instanceof FormData) options.body = body;
    else if (body !== undefined) {
      options.body = JSON.stringify(body);
      options.headers["Content-Type"] = "application/json";
    }
    return fetch(target, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, ok: response.ok, body: data };
      });
    });
  }

  /* The map: reports, units, kelurahan boundaries with names; each layer can be switched. */
  var map = L.map("map").setView([-0.305, 100.37], 14);
  L.tileLayer(config.tiles, { maxZoom: 19, attribution: "© OpenStreetMap" }).addTo(map);
  var kelurahan = L.layerGroup().addTo(map);
  var reports = L.layerGroup().addTo(map), units = L.layerGroup().addTo(map);
  var overlays = {};
  overlays[t("reports")] = reports;
  overlays[t("units")] = units;
  overlays[t("kelurahan")] = kelurahan;
  var layersControl = L.control.layers(null, overlays, { collapsed: false }).addTo(map);
  // The other service areas (offices, places, businesses, community) as switchable overlays,
  // off until an operator turns one on (remembered on this screen).
  if (window.GeoKlikLayers && config.layers) {
    GeoKlikLayers.attach(map, {
      layers: config.layers.layers, strings: config.layers.strings, control: layersControl,
      storageKey: "klik-control.layers", startOff: true,  // incidents first; one tap away
    });
  }

  function drawOutlines(collection) {
    GeoKlikMap.drawOutlines(map, collection, {
      into: kelurahan, padding: [10, 10], shrinkLabelsBelow: null, hideLabelsBelow: 12,
      style: { color: "#0969da", weight: 1.5, opacity: 0.8, fillColor: "#0969da", fillOpacity: 0.04 },
    });
  }
  fetch(config.urls.outlines).then(function (r) { return r.ok ? r.json() : null; })
    .then(function (collection) { if (collection) drawOutlines(collection); })
    .catch(function () {});

  /* The queue. */
  var seen = null, selectedId = null, byId = {};
  var sound = document.getElementById("sound");
  sound.checked = localStorage.getItem("klik-control-sound") === "1";
  sound.addEventListener("change", function () {
    localStorage.setItem("klik-control-sound", sound.checked ? "1" : "0");
  });

  function due(iso) {
    if (!iso) return "–";
    var s = Math.round((new Date(iso) - Date.now()) / 1000), sign = s < 0 ? "-" : "";
    s = Math.abs(s);
    return sign + Math.floor(s / 3600) + ":" + String(Math.floor(s / 60) % 60).padStart(2, "0");
  }

  function categoryName(category) {
    return config.language === "en" ? category.name_en : category.name_id;
  }

  function beep() {
    if (!sound.checked || !window.AudioContext) return;
    try {
      var a = new AudioContext(), o = a.createOscillator();
      o.connect(a.destination); o.start(); o.stop(a.currentTime + 0.15);
    } catch (e) { /* no audio device */ }
  }

  function drawQueue(rows) {
    var body = document.getElementById("rows"), fresh = [];
    body.replaceChildren(); reports.clearLayers(); byId = {};
    rows.forEach(function (r) {
      byId[r.id] = r;
      var tr = el("tr", { "data-id": r.id, "data-code": r.tracking_code });
      if (r.ack_overdue || r.resolve_overdue) tr.classList.add("overdue");
      if (r.id === selectedId) tr.classList.add("selected");
      if (seen && !seen[r.id]) { tr.classList.add("new"); fresh.push(r); }
      [r.category.priority, r.tracking_code, categoryName(r.category), r.status_label,
        due(r.ack_due_at), r.claimed_by || "–"]
        .forEach(function (v) { tr.appendChild(el("td", { text: v })); });
      tr.addEventListener("click", function () { select(r.id); });
      body.appendChild(tr);
      var marker = L.circleMarker([r.lat, r.lon], {
        radius: r.id === selectedId ? 10 : 7, color: COLORS[r.category.priority] || "#555",
        weight: r.id === selectedId ? 4 : 2, fillOpacity: r.ack_overdue ? 0.9 : 0.5,
        className: "report-marker report-" + r.tracking_code,
      }).bindTooltip(r.tracking_code + " · " + r.status_label).addTo(reports);
      marker.on("click", function () { select(r.id); });
    });
    seen = {}; rows.forEach(function (r) { seen[r.id] = true; });
    if (fresh.length) beep();
  }

  function drawUnits(rows) {
    units.clearLayers();
    if (window.KLIKUnits) return;  // units_layer.js draws them, moving, with their tracks
    rows.forEach(function (u) {
      if (u.lat === null) return;
      L.marker([u.lat, u.lon], { title: u.call_sign })
        .bindTooltip(u.call_sign + " · " + u.status_label).addTo(units);
    });
  }

  function drawNotifications(rows) {
    var box = document.getElementById("notifications");
    box.hidden = !rows.length;
    box.replaceChildren();
    if (!rows.length) return;
    box.appendChild(el("strong", { text: t("notificationsFailed", { count: rows.length }) }));
    box.appendChild(el("ul", {}, rows.slice(0, 8).map(function (n) {
      return el("li", { text: [n.agency || "–", n.channel, n.state, "×" + n.attempts,
        n.last_error || ""].join(" · ") });
    })));
  }

  /* Refreshing: on every pushed change, and by polling (every 2 s while the push is down). */
  var live = false, timer = null, running = null, again = false;
  var statusLine = document.getElementById("status");

  function showStatus(text) {
    statusLine.textContent = text + " · " + (live ? t("live") : t("polling"));
    statusLine.className = live ? "live" : "polling";
  }

  function getJson(target) {
    return fetch(target, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error(target + " " + r.status);
      return r.json();
    });
  }

  function refresh() {
    if (running) { again = true; return running; }
    clearTimeout(timer);
    running = Promise.all([getJson(config.urls.queue), getJson(config.urls.units),
      getJson(config.urls.notifications)])
      .then(function (data) {
        drawQueue(data[0].results); drawUnits(data[1].results); drawNotifications(data[2].results);
        showStatus(t("updated", { time: new Date().toLocaleTimeString() }));
      })
      .catch(function () { showStatus(t("connectionLost")); })
      .finally(function () {
        running = null;
        if (again) { again = false; refresh(); return; }
        timer = setTimeout(refresh, live ? LIVE_POLL_MS : POLL_MS);
      });
    return running;
  }

  function setLive(value) {
    if (live === value) return;
    live = value;
    clearTimeout(timer);
    timer = setTimeout(refresh, live ? LIVE_POLL_MS : POLL_MS);
    showStatus(statusLine.textContent.split(" · ")[0]);
  }

  function connect() {
    if (!window.EventSource) return;
    var source = new EventSource(config.urls.events);
    source.addEventListener("ready", function () {
      setLive(true); refresh();
      if (window.KLIKUnits) KLIKUnits.changed(["units", "reports"]);
    });
    source.addEventListener("change", function (event) {
      var data = {};
      try { data = JSON.parse(event.data) || {}; } catch (e) { data = {}; }
      var kinds = data.changed || [];
      if (window.KLIKUnits) KLIKUnits.changed(kinds, data.positions);
      if (kinds.length === 1 && kinds[0] === "positions") return;  // only units moved
      refresh();
      if (selectedId !== null) showDetail(selectedId, null);
    });
    source.onerror = function () {
      setLive(false);  // the browser retries by itself, unless the server refused
      if (source.readyState === EventSource.CLOSED) setTimeout(connect, RECONNECT_MS);
    };
  }

  /* The selected report and its actions. */
  var detail = document.getElementById("detail");
  detail.appendChild(el("p", { class: "meta", text: t("noneSelected") }));

  function select(id) {
    selectedId = id;
    document.querySelectorAll("#rows tr").forEach(function (tr) {
      tr.classList.toggle("selected", Number(tr.getAttribute("data-id")) === id);
    });
    var row = byId[id];
    if (row) map.panTo([row.lat, row.lon]);
    showDetail(id, null);
  }

  function showDetail(id, message) {
    request("GET", reportUrl(id)).then(function (answer) {
      if (id !== selectedId) return;
      if (!answer.ok) { detail.replaceChildren(el("p", { class: "message error", text: problemText(answer.body) })); return; }
      var keep = detail.querySelector("form");
      if (keep && !message && detail.getAttribute("data-status") === answer.body.status) return;  // do not wipe a form being filled in
      renderDetail(answer.body, message);
    }).catch(function () {});
  }

  function renderDetail(r, message) {
    detail.setAttribute("data-status", r.status);
    detail.setAttribute("data-id", r.id);
    var nodes = [
      el("h2", { text: r.tracking_code + " · " + categoryName(r.category) }),
      el("p", { class: "meta", text: r.status_label + " · " + (r.kelurahan || "") + (r.address ? " · " + r.address : "") }),
      el("p", { class: "meta", text: (r.claimed_by ? t("claimedBy", { name: r.claimed_by }) : t("unclaimed")) +
        " · " + t("agency") + ": " + (r.primary_agency || "–") }),
      el("p", { text: r.description || "" }),
    ];
    if (message) nodes.push(el("p", { class: "message" + (message.error ? " error" : ""), text: message.text }));
    var actions = el("div", { class: "actions" });
    (STEPS[r.status] || []).forEach(function (step) {
      var button = el("button", { type: "button", "data-step": step, text: t(step) });
      button.addEventListener("click", function () { openStep(r, step); });
      actions.appendChild(button);
    });
    nodes.push(actions, el("div", { class: "step-form" }));
    nodes.push(el("ol", {}, (r.events || []).slice(-6).map(function (e) {
      return el("li", { text: new Date(e.created_at).toLocaleTimeString() + " · " +
        (config.statusLabels[e.status_to] || e.status_to || e.kind) + (e.note ? " · " + e.note : "") });
    })));
    detail.replaceChildren.apply(detail, nodes);
    // Panels of their own files (sent_to_reporter.js) add themselves to the detail.
    document.dispatchEvent(new CustomEvent("console:detail", { detail: { id: r.id, node: detail } }));
  }

  function submit(r, step, body) {
    return request("POST", reportUrl(r.id, step), body).then(function (answer) {
      var message = answer.ok ? { text: t("done", { status: answer.body.status_label || answer.body.status }) }
        : { text: t("failed", { message: problemText(answer.body) }), error: true };
      refresh();
      if (answer.ok && !answer.body.tracking_code) {  // transferred out of the user's reach
        detail.replaceChildren(el("p", { class: "message", text: message.text }));
        return;
      }
      showDetail(r.id, message);
    }, function () { showDetail(r.id, { text: t("networkError"), error: true }); });
  }

  function textField(name, label, optional) {
    var input = el("textarea", { name: name, rows: "2" });
    input.required = !optional;
    return el("label", { text: label }, [input]);
  }

  function stepForm(legend, fields, onSubmit) {
    var form = el("form", {}, [el("fieldset", {}, [el("legend", { text: legend })].concat(fields,
      [el("button", { type: "submit", text: legend })]))]);
    form.addEventListener("submit", function (event) { event.preventDefault(); onSubmit(form); });
    var holder = detail.querySelector(".step-form");
    holder.replaceChildren(form);
    return form;
  }

  function choices(target, name, type, describe, empty) {
    return request("GET", target).then(function (answer) {
      var rows = (answer.body && answer.body.results) || [];
      if (!rows.length) return [el("p", { class: "meta", text: empty })];
      return rows.map(function (row, i) {
        var input = el("input", { type: type, name: name, value: row.id });
        if (i === 0) input.checked = true;
        return el("label", { style: "display:block" }, [input, document.createTextNode(" " + describe(row))]);
      });
    });
  }

  function openStep(r, step) {
    if (step === "acknowledge" || step === "arrive") { submit(r, step, {}); return; }
    if (step === "close") {
      stepForm(t("close"), [textField("note", t("note"), true)], function (form) {
        submit(r, step, { note: form.note.value });
      });
      return;
    }
    if (step === "reject") {
      stepForm(t("reject"), [textField("reason", t("reason"))], function (form) {
        submit(r, step, { reason: form.reason.value });
      });
      return;
    }
    if (step === "resolve") {
      stepForm(t("resolve"), [textField("note", t("note")),
        el("label", { text: t("afterPhoto") }, [el("input", { type: "file", name: "photo", accept: "image/*" })])],
        function (form) {
          var data = new FormData();
          data.append("note", form.note.value);
          if (form.photo.files[0]) data.append("photo", form.photo.files[0]);
          submit(r, step, data);
        });
      return;
    }
    if (step === "transfer") {
      var select = el("select", { name: "agency" }, config.agencies
        .filter(function (a) { return a.code !== r.primary_agency; })
        .map(function (a) { return el("option", { value: a.code, text: a.name }); }));
      stepForm(t("transfer"), [el("label", { text: t("agency") }, [select]), textField("reason", t("reason"))],
        function (form) { submit(r, step, { agency: form.agency.value, reason: form.reason.value }); });
      return;
    }
    if (step === "dispatch") {
      choices(reportUrl(r.id, "unit-suggestions"), "units", "checkbox", function (u) {
        return u.call_sign + " · " + u.status_label + " · " + t("metres", { metres: Math.round(u.distance_m) });
      }, t("noUnits")).then(function (fields) {
        stepForm(t("dispatch"), fields, function (form) {
          var ids = Array.prototype.filter.call(form.querySelectorAll("input[name=units]"),
            function (i) { return i.checked; }).map(function (i) { return Number(i.value); });
          submit(r, step, { units: ids });
        });
      });
      return;
    }
    if (step === "merge") {
      choices(reportUrl(r.id, "duplicates"), "into", "radio", function (d) {
        return d.tracking_code + " · " + d.status_label + " · " + (d.address || d.kelurahan || "");
      }, t("noDuplicates")).then(function (fields) {
        stepForm(t("merge"), fields.concat([textField("note", t("note"), true)]), function (form) {
          var chosen = form.querySelector("input[name=into]:checked");
          submit(r, step, { into: chosen ? Number(chosen.value) : null, note: form.note.value });
        });
      });
    }
  }

  window.KLIK_CONTROL = {
    map: map, select: select, refresh: refresh, isLive: function () { return live; },
  };
  showStatus(t("loading"));
  refresh();
  connect();
})();
