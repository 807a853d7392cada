/* KLIK service worker {{ version }}: the app shell, map assets and kelurahan outlines
 * offline. Pages: network first, the cached copy when offline (so a service's document
 * checklist, once opened, is there without a connection). Static files and outlines:
 * from the cache, refreshed in the background. Reports are never sent from here: the pages
 * keep them in IndexedDB and send them themselves (with their Idempotency-Key). */
"use strict";
var CACHE = "klik-{{ version }}";
var PRECACHE = {{ precache|safe }};

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    // One missing file must not stop the rest from being stored.
    return Promise.all(PRECACHE.map(function (url) {
      return cache.add(new Request(url, { credentials: "same-origin" })).catch(function () {});
    }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("klik-") === 0 && k !== CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

// Pages marked no-store (moderation queues, "my listings", login) are never kept offline.
function storable(response) {
  return response.ok && !/no-store/.test(response.headers.get("Cache-Control") || "");
}

function networkFirst(request) {
  return fetch(request).then(function (response) {
    if (storable(response)) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(request, { ignoreSearch: true }).then(function (hit) {
      return hit || caches.match("{% url 'residents-report' %}") || Response.error();
    });
  });
}

function cacheFirst(request) {
  return caches.match(request).then(function (hit) {
    var refresh = fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    });
    return hit || refresh;
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request, url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate") { event.respondWith(networkFirst(request)); return; }
  if (url.pathname.indexOf("{{ static_prefix|default:'/static/' }}") === 0 ||
      url.pathname === "{% url 'maps-kelurahan-outlines' %}") {
    event.respondWith(cacheFirst(request));
    return;
  }
  if (url.pathname === "{% url 'categories' %}" || url.pathname.indexOf("/api/reports/") === 0 ||
      url.pathname === "{% url 'reports-map-feed' %}") {
    event.respondWith(networkFirst(request));
  }
});

/* Web Push (geo_klik/notify/channels/webpush.py): the server sends JSON {title, body, url,
 * lang, tag}, encrypted for this browser. Shown as a notification; a tap opens the report's
 * tracking page (or focuses a tab that shows it already). One tag per report, so a newer
 * message replaces an older one instead of piling up. */
var TRACK_PREFIX = "{% url 'residents-track-lookup' %}";
// Area alerts (geo_klik/alerts/): a digest opens the alerts page; the "Berhenti / Unsubscribe"
// action posts the message's one-click unsubscribe link (this origin, that path only).
var ALERTS_PREFIX = "{% url 'alerts-page' %}";
var UNSUBSCRIBE_PREFIX = ALERTS_PREFIX + "berhenti/";

function ownPath(raw, prefix) {
  try {
    var url = new URL(String(raw || ""), self.location.origin);
    if (url.pathname.indexOf(prefix) === 0) return self.location.origin + url.pathname + url.search;
  } catch (e) { /* not a URL */ }
  return "";
}

function pushContent(event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) {
    data = { body: event.data ? event.data.text() : "" };
  }
  return data && typeof data === "object" ? data : {};
}

// Only our own tracking pages, on this origin, are opened from a notification, whatever the
// payload says (its link keeps its path, query and #rahasia= token; the server's configured
// base URL may name this origin differently, e.g. behind a proxy).
function trackingUrl(raw) {
  try {
    var url = new URL(String(raw || ""), self.location.origin);
    if (url.pathname.indexOf(TRACK_PREFIX) === 0 || url.pathname.indexOf(ALERTS_PREFIX) === 0) {
      return self.location.origin + url.pathname + url.search + url.hash;
    }
  } catch (e) { /* not a URL */ }
  return self.location.origin + TRACK_PREFIX;
}

self.addEventListener("push", function (event) {
  var data = pushContent(event);
  var title = String(data.title || "KLIK Bukittinggi").slice(0, 120);
  var options = {
    body: String(data.body || "").slice(0, 300),
    tag: String(data.tag || "klik"),
    lang: data.lang === "en" ? "en" : "id",
    data: { url: trackingUrl(data.url) },
  };
  var stop = ownPath(data.unsubscribe, UNSUBSCRIBE_PREFIX);
  if (stop) {
    options.data.unsubscribe = stop;
    options.actions = [{ action: "unsubscribe", title: data.lang === "en" ? "Unsubscribe" : "Berhenti" }];
  }
  event.waitUntil(self.registration.showNotification(title, options));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var stop = event.notification.data && event.notification.data.unsubscribe;
  if (event.action === "unsubscribe" && stop) {
    // One click: the link itself is the credential (RFC 8058 style POST, no cookie).
    event.waitUntil(fetch(stop, { method: "POST", credentials: "omit" }).catch(function () {}));
    return;
  }
  var target = trackingUrl(event.notification.data && event.notification.data.url);
  var path = new URL(target).pathname;
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true })
    .then(function (windows) {
      for (var i = 0; i < windows.length; i++) {
        if (new URL(windows[i].url).pathname === path && "focus" in windows[i]) {
          // Reloaded to show what changed (the link may carry the reporter's token); a tab this
          // worker does not control cannot be navigated, and is only focused.
          var win = windows[i];
          return win.focus().then(function () {
            return win.navigate(target).catch(function () { return win; });
          });
        }
      }
      return self.clients.openWindow(target);
    }));
});
