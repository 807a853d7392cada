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
