/* /lacak/<code>/: copy and share the code; the reporter comments, rates and reopens. */
(function () {
  "use strict";
  var K = window.KLIK, t = K.t, code = K.config.tracking_code;
  var result = document.getElementById("share-result");
  // The reporter's private link carries the secret in the fragment (#rahasia=...), which is
  // never sent to the server; keep it on this phone and take it out of the address bar.
  var fromLink = /(?:^#|&)rahasia=([A-Za-z0-9_-]{16,128})/.exec(window.location.hash);
  if (fromLink && window.history.replaceState) {
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  }
  K.rememberReport(fromLink ? { code: code, at: Date.now(), secret: fromLink[1] } : { code: code, at: Date.now() });
  var secret = K.reporterSecret(code);
  var reporterActions = document.getElementById("reporter-actions");
  if (reporterActions) {
    reporterActions.hidden = !secret;
    document.getElementById("reporter-only").hidden = !!secret;
  }
  /* ---- "notify me": this device's push subscription for this report (push.js) ---- */
  var notifySection = document.getElementById("notify-section");
  if (notifySection && secret && K.push && K.push.supported()) {
    var notifyButton = document.getElementById("notify-push");
    var notifyStatus = document.getElementById("notify-push-status");
    var turnOnPush = function () {
      notifyButton.disabled = true;
      notifyStatus.textContent = t("pushAsking");
      K.push.subscribe().then(function (subscription) {
        return K.push.register(code, secret, subscription);
      }).then(function (answer) {
        notifyButton.disabled = false;
        if (answer.status < 300) {
          K.rememberReport({ code: code, notifyPush: false, pushOn: true });
          notifyStatus.textContent = t("pushOn");
          return;
        }
        var problems = ((answer.body && answer.body.errors) || []).map(K.problemText);
        notifyStatus.textContent = t("pushFailed", { message: problems.join(" ") || String(answer.status) });
      }).catch(function (e) {
        notifyButton.disabled = false;
        notifyStatus.textContent = e.message === "denied" ? t("pushDenied")
          : e.message === "unsupported" ? t("pushUnsupported") : t("pushFailed", { message: String(e.message || e) });
      });
    };
    notifySection.hidden = false;
    notifyButton.addEventListener("click", turnOnPush);
    var mine = K.myReports().filter(function (x) { return x.code === code; })[0] || {};
    // Ticked on the report form: permission was given there, no tap needed now.
    if (mine.notifyPush && Notification.permission === "granted") turnOnPush();
    else if (mine.pushOn) notifyStatus.textContent = t("pushOn");
  }

  var privateLink = document.getElementById("copy-private-link");
  if (privateLink && secret) {
    privateLink.hidden = false;
    privateLink.addEventListener("click", function () {
      var link = window.location.origin + window.location.pathname + "#rahasia=" + secret;
      K.copyText(link).then(function () { result.textContent = t("privateLinkCopied"); }, function () { result.textContent = t("copyFailed"); });
    });
  }

  document.querySelectorAll("time[data-local]").forEach(function (node) {
    var locale = K.config.language === "en" ? "en-GB" : "id-ID";
    node.textContent = new Date(node.getAttribute("datetime")).toLocaleString(locale, {
      day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit",
    });
  });

  document.getElementById("copy-code").addEventListener("click", function () {
    K.copyText(code).then(function () { result.textContent = t("copied"); }, function () { result.textContent = t("copyFailed"); });
  });
  var share = document.getElementById("share");
  if (navigator.share) {
    share.hidden = false;
    share.addEventListener("click", function () {
      navigator.share({ title: "KLIK " + code, text: t("shareText", { code: code }), url: share.getAttribute("data-url") }).catch(function () {});
    });
  }

  document.querySelectorAll("form[data-action]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var errors = form.querySelector(".errors"), button = form.querySelector("button[type=submit]");
      errors.textContent = "";
      button.disabled = true;
      K.request("POST", K.url("api", code) + form.getAttribute("data-action"), new FormData(form), { "X-Reporter-Secret": secret }).then(function (answer) {
        if (answer.status < 300) { window.location.reload(); return; }
        button.disabled = false;
        ((answer.body && answer.body.errors) || []).forEach(function (p) { errors.appendChild(K.el("li", { text: K.problemText(p) })); });
      }, function () {
        button.disabled = false;
        errors.appendChild(K.el("li", { text: t("networkError") }));
      });
    });
  });
})();
