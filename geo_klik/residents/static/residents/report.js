/* /lapor/: the pin, the kelurahan under it, the duplicate suggestion and sending. */
(function () {
  "use strict";
  var K = window.KLIK, Outbox = window.KLIKOutbox, t = K.t;
  var NEAR_EDGE_M = 100;  // the server accepts GPS error this far outside the city
  var MAX_PHOTOS = 3, PHOTO_MAX_SIDE = 1600;
  var map = K.theMap();
  // The pin comes first here: the other service areas are one tap away, off to begin with.
  K.attachLayers(map, { page: "report", startOff: true });
  var form = document.getElementById("report-form");
  var pinStatus = document.getElementById("pin-status");
  var notice = document.getElementById("notice");
  var nearbyBox = document.getElementById("nearby");
  var errorsList = document.getElementById("form-errors");
  var anonymous = document.getElementById("anonymous");
  var outlines = null, pin = null, accuracyCircle = null, place = null, accuracy = null;
  var dismissedNearby = {};

  /* ---- the pin ---- */
  function setPin(latlng, accuracyM) {
    accuracy = accuracyM == null ? null : Math.round(accuracyM);
    if (!pin) {
      pin = L.marker(latlng, { draggable: true, keyboard: true, title: t("pinNone"), alt: "pin" }).addTo(map);
      pin.on("dragend", function () { accuracy = null; clearAccuracy(); checkPin(); });
    } else {
      pin.setLatLng(latlng);
    }
    checkPin();
  }

  function clearAccuracy() {
    if (accuracyCircle) { map.removeLayer(accuracyCircle); accuracyCircle = null; }
  }

  function checkPin() {
    if (!pin) return;
    var ll = pin.getLatLng();
    place = outlines ? K.kelurahanAt(outlines, ll.lat, ll.lng) : null;
    pinStatus.classList.remove("bad");
    if (!place || !place.feature) {
      pinStatus.textContent = "";
    } else if (place.inside) {
      pinStatus.textContent = t("pinInside", { name: place.feature.properties.name, kecamatan: place.feature.properties.kecamatan });
    } else if (place.distance_m <= NEAR_EDGE_M) {
      pinStatus.textContent = t("pinNearEdge", { name: place.feature.properties.name });
    } else {
      pinStatus.textContent = t("pinOutside");
      pinStatus.classList.add("bad");
      explainOutside(ll);
    }
    document.querySelector(".map-area").classList.toggle("pin-outside", pinRefused());
    lookForDuplicates();
  }

  // Outside the city: the server says where the pin is (a neighbouring kab/kota, its desa or
  // nagari) and whom to contact there (issue 18); the generic text stays if it cannot.
  function explainOutside(ll) {
    var query = "?lat=" + ll.lat.toFixed(6) + "&lon=" + ll.lng.toFixed(6);
    K.request("GET", K.config.urls.lookup + query).then(function (answer) {
      var problem = answer.body && answer.body.errors && answer.body.errors[0];
      var now = pin && pin.getLatLng();
      if (!problem || !problem.place || !now || now.lat !== ll.lat || now.lng !== ll.lng) return;
      pinStatus.textContent = K.problemText(problem);
    }).catch(function () {});
  }

  function pinRefused() { return !!place && !place.inside && place.distance_m > NEAR_EDGE_M; }

  map.on("click", function (e) { clearAccuracy(); setPin(e.latlng, null); });

  document.getElementById("locate").addEventListener("click", function () {
    if (!navigator.geolocation) { pinStatus.textContent = t("locateFailed"); return; }
    pinStatus.textContent = t("locating");
    navigator.geolocation.getCurrentPosition(function (position) {
      var ll = L.latLng(position.coords.latitude, position.coords.longitude);
      clearAccuracy();
      accuracyCircle = L.circle(ll, { radius: position.coords.accuracy, color: "#0b5cad", weight: 1, fillOpacity: 0.12, interactive: false }).addTo(map);
      map.setView(ll, Math.max(map.getZoom(), 17));
      setPin(ll, position.coords.accuracy);
      pinStatus.textContent += " " + t("located", { metres: Math.round(position.coords.accuracy) });
    }, function () {
      pinStatus.textContent = t("locateFailed");
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  });

  K.loadOutlines().then(function (collection) {
    outlines = collection;
    K.drawOutlines(map, collection);
    checkPin();
  }).catch(function (e) { console.warn("kelurahan outlines unavailable", e); });

  /* ---- anonymous switch ---- */
  var explained = document.getElementById("anonymous-explained");
  function explainAnonymity() {
    explained.textContent = explained.getAttribute(anonymous.checked ? "data-on" : "data-off");
    document.getElementById("contact").hidden = anonymous.checked;
  }
  anonymous.addEventListener("change", explainAnonymity);
  explainAnonymity();

  /* ---- "notify me": subscribed now (the tap lets the browser ask for permission), handed to
   * the report's notification settings by the tracking page once the report is sent ---- */
  var notifyPush = document.getElementById("notify-push");
  var notifyStatus = document.getElementById("notify-push-status");
  if (K.push && K.push.supported()) document.getElementById("notify-push-row").hidden = false;
  notifyPush.addEventListener("change", function () {
    notifyStatus.textContent = "";
    if (!notifyPush.checked) return;
    notifyStatus.textContent = t("pushAsking");
    K.push.subscribe().then(function () {
      notifyStatus.textContent = t("pushLater");
    }, function (e) {
      notifyPush.checked = false;
      notifyStatus.textContent = e.message === "denied" ? t("pushDenied")
        : e.message === "unsupported" ? t("pushUnsupported") : t("pushFailed", { message: String(e.message || e) });
    });
  });

  /* ---- "is this the same problem?" ---- */
  function chosenCategory() {
    var checked = form.querySelector("input[name=category]:checked");
    return checked ? checked.value : "";
  }
  form.addEventListener("change", function (e) { if (e.target.name === "category") lookForDuplicates(); });

  var nearbyRequest = 0;
  function lookForDuplicates() {
    var category = chosenCategory();
    if (!pin || !category || pinRefused() || navigator.onLine === false) { nearbyBox.hidden = true; return; }
    var ll = pin.getLatLng(), ticket = ++nearbyRequest;
    var query = "?category=" + encodeURIComponent(category) + "&lat=" + ll.lat.toFixed(6) + "&lon=" + ll.lng.toFixed(6);
    K.request("GET", K.config.urls.nearby + query).then(function (answer) {
      if (ticket !== nearbyRequest) return;
      var reports = answer.status === 200 ? answer.body.reports.filter(function (r) { return !dismissedNearby[r.tracking_code]; }) : [];
      showNearby(reports, answer.body.radius_m);
    }, function () { nearbyBox.hidden = true; });
  }

  function showNearby(reports, radius) {
    nearbyBox.textContent = "";
    if (!reports.length) { nearbyBox.hidden = true; return; }
    var list = K.el("ul");
    reports.forEach(function (r) {
      var status = K.config.language === "en" ? r.status.name_en : r.status.name_id;
      var support = K.el("button", { type: "button", class: "primary small", text: t("support") });
      support.addEventListener("click", function () { supportReport(r.tracking_code, support); });
      var notSame = K.el("button", { type: "button", class: "secondary small", text: t("notSame") });
      notSame.addEventListener("click", function () { dismissedNearby[r.tracking_code] = true; item.remove(); if (!list.children.length) nearbyBox.hidden = true; });
      var item = K.el("li", { class: "nearby-item" }, [
        r.photo ? K.el("img", { src: r.photo, alt: "", width: "64", height: "64", loading: "lazy" }) : null,
        K.el("div", {}, [
          K.el("p", { class: "nearby-meta", text: t("nearbyItem", { distance: r.distance_m, status: status, date: K.formatDate(r.created_at) }) + (r.kelurahan ? " · " + r.kelurahan : "") }),
          K.el("p", { class: "hint", text: t("supporters", { count: r.supporters }) }),
          K.el("div", { class: "actions" }, [support, K.el("a", { href: r.url, text: t("view") }), notSame]),
        ]),
      ]);
      list.appendChild(item);
    });
    nearbyBox.appendChild(K.el("h3", { text: t("nearbyTitle") }));
    nearbyBox.appendChild(K.el("p", { text: t("nearbyIntro", { count: reports.length, radius: radius }) }));
    nearbyBox.appendChild(list);
    nearbyBox.hidden = false;
  }

  function supporterKey() {
    var key = localStorage.getItem("klik.supporterKey");
    if (!key) { key = K.uuid4(); localStorage.setItem("klik.supporterKey", key); }
    return key;
  }

  function supportReport(code, button) {
    button.disabled = true;
    K.request("POST", K.url("api", code) + "support/", { supporter_key: supporterKey() }).then(function (answer) {
      if (answer.status === 200 || answer.status === 201) {
        K.rememberReport({ code: code, at: Date.now(), supported: true });
        window.location.href = K.url("track", code) + "?dukung=1";
      } else {
        button.disabled = false;
        showErrors((answer.body && answer.body.errors) || []);
      }
    }, function () { button.disabled = false; showErrors([], t("networkError")); });
  }

  /* ---- photos: scaled down on the phone to spare mobile data and the outbox ---- */
  function shrink(file) {
    if (!window.createImageBitmap || !/^image\/(jpeg|png|webp)$/.test(file.type)) return Promise.resolve(file);
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, PHOTO_MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      if (scale === 1 && file.size < 1500000) return file;
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) { resolve(blob || file); }, "image/jpeg", 0.82);
      });
    }).catch(function () { return file; });
  }

  /* ---- errors ---- */
  function showErrors(problems, text) {
    errorsList.textContent = "";
    (text ? [text] : []).concat(problems.map(K.problemText)).forEach(function (message) {
      errorsList.appendChild(K.el("li", { text: message }));
    });
    if (errorsList.firstChild) errorsList.scrollIntoView({ block: "nearest" });
  }

  function localProblems() {
    var problems = [];
    if (!pin || pinRefused()) problems.push(pin ? t("pinOutside") : t("needPin"));
    if (!chosenCategory()) problems.push(t("needCategory"));
    if (!form.description.value.trim()) problems.push(t("needDescription"));
    if (form.photos.files.length > MAX_PHOTOS) problems.push(t("photoTooMany"));
    return problems;
  }

  /* ---- sending ---- */
  var sendButton = document.getElementById("send");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var problems = localProblems();
    if (problems.length) { showErrors([], problems.join(" ")); return; }
    showErrors([]);
    sendButton.disabled = true;
    sendButton.textContent = t("sending");
    var ll = pin.getLatLng();
    var fields = {
      category: chosenCategory(),
      lat: ll.lat.toFixed(6),
      lon: ll.lng.toFixed(6),
      accuracy_m: accuracy == null ? "" : String(accuracy),
      description: form.description.value.trim(),
      anonymous: anonymous.checked ? "true" : "false",
      reporter_name: anonymous.checked ? "" : form.reporter_name.value.trim(),
      reporter_phone: anonymous.checked ? "" : form.reporter_phone.value.trim(),
      reporter_email: anonymous.checked ? "" : form.reporter_email.value.trim(),
    };
    // notify (issue 15): updates by e-mail, in the language this page is shown in.
    var notifyEmail = form.notify_email.value.trim();
    if (notifyEmail) fields.notify = JSON.stringify({ email: notifyEmail, language: K.config.language === "en" ? "en" : "id" });
    var key = K.uuid4();
    Promise.all(Array.prototype.map.call(form.photos.files, shrink)).then(function (photos) {
      var item = { key: key, createdAt: Date.now(), fields: fields, photos: photos, notifyPush: notifyPush.checked };
      return Outbox.put(item).then(function () { return Outbox.sendOne(key); });
    }).then(function (result) {
      if (result.outcome === "sent") {
        window.location.href = K.url("track", result.receipt.tracking_code) + "?baru=1";
        return;
      }
      resetButton();
      if (result.outcome === "rejected") {
        showErrors(result.problems);
        Outbox.remove(key);  // the form still holds it: fix and send again
      } else {
        notice.textContent = t("queued");
        form.reset();
        explainAnonymity();
      }
    }).catch(function (e) {
      resetButton();
      showErrors([], String(e));
    });
  });

  function resetButton() {
    sendButton.disabled = false;
    sendButton.textContent = sendButton.getAttribute("data-label");
  }
  sendButton.setAttribute("data-label", sendButton.textContent);

  /* ---- the outbox on the page ---- */
  var outboxBox = document.getElementById("outbox");
  Outbox.onChange(function (items) {
    outboxBox.hidden = !items.length;
    outboxBox.querySelector(".outbox-count").textContent = t("waiting", { count: items.length });
    var list = outboxBox.querySelector(".outbox-list");
    list.textContent = "";
    items.forEach(function (item) {
      var remove = K.el("button", { type: "button", class: "secondary small", text: t("delete") });
      remove.setAttribute("aria-label", t("delete") + ": " + item.fields.description.slice(0, 40));
      remove.addEventListener("click", function () { if (window.confirm(t("confirmDelete"))) Outbox.remove(item.key); });
      var label = item.fields.description.slice(0, 60) + " · " + new Date(item.createdAt).toLocaleString(K.config.language === "en" ? "en-GB" : "id-ID");
      var failed = item.problems ? K.el("span", { class: "bad", text: " " + t("failed", { message: item.problems.map(K.problemText).join(" ") }) }) : null;
      list.appendChild(K.el("li", {}, [K.el("span", { text: label }), failed, remove]));
    });
  });
  document.getElementById("outbox-send").addEventListener("click", Outbox.flush);
  Outbox.onSent(function (receipt) {
    notice.textContent = "";
    notice.appendChild(K.el("a", { href: K.url("track", receipt.tracking_code), text: t("sentLater", { code: receipt.tracking_code }) }));
    showMine();
  });

  function showOnline() { if (navigator.onLine === false) notice.textContent = t("offlineNotice"); }
  window.addEventListener("offline", showOnline);
  showOnline();

  /* ---- my reports ---- */
  function showMine() {
    var mine = K.myReports(), box = document.getElementById("my-reports");
    box.hidden = !mine.length;
    var list = box.querySelector("ul");
    list.textContent = "";
    mine.slice(0, 5).forEach(function (x) {
      list.appendChild(K.el("li", {}, [K.el("a", { href: K.url("track", x.code), text: x.code })]));
    });
  }
  showMine();
  Outbox.flush();
})();
