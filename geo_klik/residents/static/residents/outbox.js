/* The outbox: reports kept in IndexedDB until the server has them, each with its
 * Idempotency-Key, so a report sent twice (lost answer, two tabs, a retry after a power cut)
 * is still stored once. Sending is retried when the browser comes online, on every page load
 * and every 30 seconds; Background Sync is not needed (and not on every phone). */
(function () {
  "use strict";
  var K = window.KLIK;
  var DB = "klik", STORE = "outbox", RETRY_MS = 30000;
  var listeners = [];
  var busy = Promise.resolve();

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
  function get(key) { return run("readonly", function (s) { return s.get(key); }); }
  function put(item) { return run("readwrite", function (s) { return s.put(item); }).then(changed); }
  function remove(key) { return run("readwrite", function (s) { return s.delete(key); }).then(changed); }

  function changed() {
    return all().then(function (items) {
      listeners.forEach(function (fn) { fn(items); });
      return items;
    });
  }

  // One sender at a time across tabs (Web Locks) and within the page (a promise chain).
  function exclusive(work) {
    var next = busy.then(function () {
      if (navigator.locks && navigator.locks.request) return navigator.locks.request("klik-outbox", work);
      return work();
    });
    busy = next.catch(function () {});
    return next;
  }

  function post(item) {
    var body = new FormData();
    Object.keys(item.fields).forEach(function (name) {
      if (item.fields[name] !== "" && item.fields[name] !== null) body.append(name, item.fields[name]);
    });
    (item.photos || []).forEach(function (photo, i) { body.append("photos", photo, "photo-" + (i + 1) + ".jpg"); });
    return K.request("POST", K.config.urls.intake, body, { "Idempotency-Key": item.key });
  }

  // {outcome: "sent"|"rejected"|"retry", receipt?, problems?} for one stored report.
  function sendStored(item) {
    return post(item).then(function (answer) {
      if (answer.status === 200 || answer.status === 201) {
        var sent = { code: answer.body.tracking_code, key: item.key, at: Date.now() };
        if (answer.body.reporter_secret) sent.secret = answer.body.reporter_secret;
        // "Notify me" was ticked: the tracking page hands the subscription over (push.js).
        if (item.notifyPush) sent.notifyPush = true;
        K.rememberReport(sent);
        return remove(item.key).then(function () { return { outcome: "sent", receipt: answer.body }; });
      }
      var problems = (answer.body && answer.body.errors) || [];
      if (answer.status === 429 || answer.status >= 500 || answer.status === 0) {
        return { outcome: "retry", problems: problems };
      }
      item.problems = problems;  // will never be accepted as it is: keep it for the resident
      return put(item).then(function () { return { outcome: "rejected", problems: problems }; });
    }, function () { return { outcome: "retry" }; });
  }

  // Send one report now (it must already be stored); a report someone else sent meanwhile
  // comes back as "sent" with the tracking code this phone remembered.
  function sendOne(key) {
    return exclusive(function () {
      return get(key).then(function (item) {
        if (!item) {
          var mine = K.myReports().filter(function (x) { return x.key === key; })[0];
          return mine ? { outcome: "sent", receipt: { tracking_code: mine.code } } : { outcome: "retry" };
        }
        return sendStored(item);
      });
    });
  }

  var sentListeners = [];
  function flush() {
    if (navigator.onLine === false) return Promise.resolve();
    return exclusive(function () {
      return all().then(function (items) {
        var pending = items.filter(function (x) { return !x.problems; });
        return pending.reduce(function (chain, item) {
          return chain.then(function (stop) {
            if (stop) return true;
            return sendStored(item).then(function (result) {
              if (result.outcome === "sent") sentListeners.forEach(function (fn) { fn(result.receipt); });
              return result.outcome === "retry";
            });
          });
        }, Promise.resolve(false));
      });
    });
  }

  window.addEventListener("online", flush);
  window.addEventListener("pageshow", flush);
  setInterval(flush, RETRY_MS);

  window.KLIKOutbox = {
    all: all, put: put, remove: remove, sendOne: sendOne, flush: flush,
    onChange: function (fn) { listeners.push(fn); changed(); },
    onSent: function (fn) { sentListeners.push(fn); },
  };
})();
