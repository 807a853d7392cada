/* "Kabari saya lewat notifikasi / Notify me": Web Push for one's own reports.
 * The browser subscribes with the server's VAPID public key (config.vapidPublicKey); the
 * subscription goes to the report's notification endpoint with the reporter's secret. The
 * service worker (sw.js) shows what the server pushes. */
(function () {
  "use strict";
  var K = window.KLIK;

  function supported() {
    return !!(K.config.vapidPublicKey && window.isSecureContext && "serviceWorker" in navigator &&
      "PushManager" in window && "Notification" in window);
  }

  function keyBytes(base64url) {
    var text = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(text), bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  // The browser's subscription (made once per browser, reused for every report); asks for
  // permission first, so call it from a tap or click. Rejects with Error("denied"|"unsupported").
  function subscribe() {
    if (!supported()) return Promise.reject(new Error("unsupported"));
    return Promise.resolve(Notification.permission === "granted" ? "granted" : Notification.requestPermission())
      .then(function (permission) {
        if (permission !== "granted") throw new Error("denied");
        return navigator.serviceWorker.register(K.config.urls.serviceWorker, { scope: "/" })
          .then(function () { return navigator.serviceWorker.ready; });
      }).then(function (registration) {
        return registration.pushManager.getSubscription().then(function (existing) {
          return existing || registration.pushManager.subscribe({
            userVisibleOnly: true, applicationServerKey: keyBytes(K.config.vapidPublicKey),
          });
        });
      }).then(function (subscription) { return subscription.toJSON(); });
  }

  // Add Web Push to the report's notification settings, keeping the channels already chosen
  // (GET, then PUT with the subscription): {status, body} of the PUT.
  function register(code, secret, subscription) {
    var headers = { "X-Reporter-Secret": secret }, target = K.url("notifications", code);
    return K.request("GET", target, undefined, headers).then(function (current) {
      if (current.status >= 300) return current;
      var chosen = (current.body.channels || []).filter(function (n) { return n !== "webpush"; });
      return K.request("PUT", target, {
        push_subscription: subscription, language: K.config.language, channels: chosen.concat(["webpush"]),
      }, { "X-Reporter-Secret": secret });
    });
  }

  K.push = { supported: supported, subscribe: subscribe, register: register };
})();
