/* KLIK field officer's service worker {{ version }}, scope /petugas/: the app shell, map
 * assets and kelurahan outlines offline; the inbox and the incidents last opened (their API
 * answers and photos) from the cache when there is no network, marked X-KLIK-Offline. Steps
 * are never sent from here: the page keeps them in IndexedDB with their Idempotency-Key. */
"use strict";
var CACHE = "klik-petugas-{{ version }}";
var PRECACHE = {{ precache|safe }};
var APP = "{% url 'field-app' %}";
var API = APP + "api/";

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(PRECACHE.map(function (url) {
      return cache.add(new Request(url, { credentials: "same-origin" })).catch(function () {});
    }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("klik-petugas-") === 0 && k !== CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

function offlineCopy(hit) {
  var headers = new Headers(hit.headers);
  headers.set("X-KLIK-Offline", "1");
  return hit.blob().then(function (body) {
    return new Response(body, { status: hit.status, statusText: hit.statusText, headers: headers });
  });
}

function networkFirst(request, fallback) {
  return fetch(request).then(function (response) {
    if (response.ok) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(request, { ignoreSearch: true }).then(function (hit) {
      if (hit) return offlineCopy(hit);
      return fallback ? caches.match(fallback).then(function (page) { return page || Response.error(); }) : Response.error();
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
    if (hit) { refresh.catch(function () {}); return hit; }
    return refresh;
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request, url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate") { event.respondWith(networkFirst(request, APP)); return; }
  if (url.pathname.indexOf(API) === 0) { event.respondWith(networkFirst(request)); return; }
  if (url.pathname.indexOf("/media/") === 0) { event.respondWith(networkFirst(request)); return; }
  if (url.pathname.indexOf("{{ static_prefix|default:'/static/' }}") === 0 ||
      url.pathname === "{% url 'maps-kelurahan-outlines' %}") {
    event.respondWith(cacheFirst(request));
  }
});

/* Web Push (geo_klik/field/push.py): {title, body, url, tag}; a tap opens the incident. */
function pushContent(event) {
  try { return event.data ? event.data.json() : {}; } catch (e) { return { body: event.data ? event.data.text() : "" }; }
}

function appUrl(raw) {
  try {
    var url = new URL(String(raw || ""), self.location.origin);
    if (url.origin === self.location.origin && url.pathname === APP) return url.href;
  } catch (e) { /* not a URL */ }
  return self.location.origin + APP;
}

self.addEventListener("push", function (event) {
  var data = pushContent(event) || {};
  event.waitUntil(Promise.all([
    self.registration.showNotification(String(data.title || "KLIK Petugas").slice(0, 120), {
      body: String(data.body || "").slice(0, 300), tag: String(data.tag || "klik-dispatch"),
      renotify: true, requireInteraction: true, vibrate: [200, 100, 200], data: { url: appUrl(data.url) },
    }),
    self.clients.matchAll({ type: "window" }).then(function (windows) {
      windows.forEach(function (w) { w.postMessage({ type: "dispatch" }); });  // the open page sounds
    }),
  ]));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var target = appUrl(event.notification.data && event.notification.data.url);
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
    for (var i = 0; i < windows.length; i++) {
      if (new URL(windows[i].url).pathname === APP && "focus" in windows[i]) {
        var win = windows[i];
        return win.focus().then(function () { return win.navigate(target).catch(function () { return win; }); });
      }
    }
    return self.clients.openWindow(target);
  }));
});
