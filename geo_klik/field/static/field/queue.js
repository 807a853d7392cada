/* The officer's outbox: every step (and its photo) is kept in IndexedDB with its
 * Idempotency-Key until the server has it, so a step sent twice (lost answer, a retry after
 * the network came back, two tabs) is taken once. Sent when the browser comes online, on
 * every page load and every 20 seconds; the residents' outbox (residents/outbox.js) is the
 * same pattern. A step the server refuses for good (4xx) stays, marked, for the officer. */
(function () {
  "use strict";
  var DB = "klik-petugas", STORE = "queue", RETRY_MS = 20000;
  var listeners = [], sentListeners = [];
  var busy = Promise.resolve();
  var csrf = "";

  function open() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE, { keyPath: "key" }); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode), result;
        var req = work(tx.objectStore(STORE));
        if (req) req.onsuccess = function () { result = req.result; };
        tx.oncomplete = function () { db.close(); resolve(result); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function all() {
    return run("readonly", function (s) { return s.getAll(); }).then(function (items) {
      return (items || []).sort(function (a, b) { return a.createdAt - b.createdAt; });
    });
  }
  function put(item) { return run("readwrite", function (s) { return s.put(item); }).then(changed); }
  function remove(key) { return run("readwrite", function (s) { return s.delete(key); }).then(changed); }

  function changed() {
    return all().then(function (items) {
      listeners.forEach(function (fn) { fn(items); });
      return items;
    });
  }

  function exclusive(work) {
    var next = busy.then(function () {
      if (navigator.locks && navigator.locks.request) return navigator.locks.request("klik-petugas-queue", work);
      return work();
    });
    busy = next.catch(function () {});
    return next;
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function post(item) {
    var body = new FormData();
    Object.keys(item.fields || {}).forEach(function (name) { body.append(name, item.fields[name]); });
    if (item.photo) body.append("photo", item.photo, "after.jpg");
    return fetch(item.url, {
      method: "POST", credentials: "same-origin", body: body,
      headers: { "X-CSRFToken": csrf, "Idempotency-Key": item.key },
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, body: data };
      });
    });
  }

  // {outcome: "sent"|"rejected"|"retry", body}
  function sendStored(item) {
    return post(item).then(function (answer) {
      if (answer.status === 200 || answer.status === 201) {
        return remove(item.key).then(function () {
          sentListeners.forEach(function (fn) { fn(item, answer.body); });
          return { outcome: "sent", body: answer.body };
        });
      }
      if (answer.status === 0 || answer.status === 408 || answer.status === 429 || answer.status >= 500) {
        return { outcome: "retry" };
      }
      if (answer.status === 401 || answer.status === 403 && !(answer.body.errors || []).length) {
        return { outcome: "retry" };  // logged out: kept until the officer logs in again
      }
      item.problems = (answer.body && answer.body.errors) || [{ message: String(answer.status) }];
      return put(item).then(function () { return { outcome: "rejected", body: answer.body }; });
    }, function () { return { outcome: "retry" }; });
  }

  function flush() {
    if (navigator.onLine === false) return Promise.resolve();
    return exclusive(function () {
      return all().then(function (items) {
        var pending = items.filter(function (x) { return !x.problems; });
        return pending.reduce(function (chain, item) {
          return chain.then(function (stop) {
            if (stop) return true;
            return sendStored(item).then(function (r) { return r.outcome === "retry"; });
          });
        }, Promise.resolve(false));
      });
    });
  }

  // Keep a step, then try to send everything (this step included) now.
  function add(step) {
    var item = {
      key: uuid(), url: step.url, step: step.step, label: step.label, reportId: step.reportId,
      code: step.code, fields: step.fields || {}, photo: step.photo || null, createdAt: Date.now(),
    };
    return put(item).then(flush).then(function () { return item; });
  }

  window.addEventListener("online", flush);
  window.addEventListener("pageshow", flush);
  setInterval(flush, RETRY_MS);

  window.KLIKFieldQueue = {
    setCsrf: function (token) { csrf = token; },
    add: add, all: all, remove: remove, flush: flush,
    onChange: function (fn) { listeners.push(fn); changed(); },
    onSent: function (fn) { sentListeners.push(fn); },
  };
})();
