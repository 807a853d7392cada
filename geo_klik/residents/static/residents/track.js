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
          K.rememberReport({ code: code, notifyPush: false });
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
    else {
      // On already? The server says (the reporter may have stopped it from another phone).
      K.request("GET", K.url("notifications", code), undefined, { "X-Reporter-Secret": secret }).then(function (answer) {
        var on = answer.status === 200 && answer.body.push && (answer.body.channels || []).indexOf("webpush") >= 0;
        if (on) notifyStatus.textContent = t("pushOn");
      }, function () {});
    }
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

  // "Is it fixed?" (issue 15): Ya closes the report; Belum opens the form for why (and a photo).
  var fixedYes = document.getElementById("fixed-yes");
  if (fixedYes && secret) {
    var fixedErrors = document.getElementById("fixed-errors");
    fixedYes.addEventListener("click", function () {
      fixedYes.disabled = true;
      fixedErrors.textContent = "";
      K.request("POST", K.url("api", code) + fixedYes.getAttribute("data-action"), {}, { "X-Reporter-Secret": secret }).then(function (answer) {
        if (answer.status < 300) { window.location.reload(); return; }
        fixedYes.disabled = false;
        ((answer.body && answer.body.errors) || []).forEach(function (p) { fixedErrors.appendChild(K.el("li", { text: K.problemText(p) })); });
      }, function () {
        fixedYes.disabled = false;
        fixedErrors.appendChild(K.el("li", { text: t("networkError") }));
      });
    });
    document.getElementById("fixed-no").addEventListener("click", function () {
      var form = document.getElementById("reopen-form");
      form.hidden = false;
      form.querySelector("textarea").focus();
    });
  }

  // Personal data (issue 15): delete the contact details, or the unrouted report, once confirmed.
  document.querySelectorAll("#privacy-section .confirmable").forEach(function (box) {
    var ask = box.querySelector(".confirm"), first = box.querySelector("button"), done = box.querySelector(".done");
    var errors = box.querySelector(".errors"), yes = ask.querySelector(".danger");
    first.addEventListener("click", function () { ask.hidden = false; first.hidden = true; yes.focus(); });
    ask.querySelector(".cancel").addEventListener("click", function () { ask.hidden = true; first.hidden = false; });
    yes.addEventListener("click", function () {
      yes.disabled = true;
      errors.textContent = "";
      K.request("POST", box.getAttribute("data-url"), { confirm: true }, { "X-Reporter-Secret": secret }).then(function (answer) {
        yes.disabled = false;
        if (answer.status < 300) {
          ask.hidden = true;
          done.textContent = box.getAttribute("data-done");
          if (box.getAttribute("data-then")) {
            // The report is gone: this phone forgets it (and its secret) too.
            try { localStorage.setItem("klik.myReports", JSON.stringify(K.myReports().filter(function (x) { return x.code !== code; }))); } catch (e) { /* private mode */ }
            window.setTimeout(function () { window.location.assign(box.getAttribute("data-then")); }, 1500);
          }
          return;
        }
        ((answer.body && answer.body.errors) || []).forEach(function (p) { errors.appendChild(K.el("li", { text: K.problemText(p) })); });
      }, function () {
        yes.disabled = false;
        errors.appendChild(K.el("li", { text: t("networkError") }));
      });
    });
  });

  // notify (issue 15): the reporter's notification settings, through the settings API.
  var notifyForm = document.getElementById("notify-form");
  if (notifyForm && secret) {
    var notifyUrl = notifyForm.getAttribute("data-url"), notifyNow = document.getElementById("notify-now");
    var auth = { "X-Reporter-Secret": secret };
    var showNotify = function (settings) {
      // Web Push counts as an update channel too (the subscription itself is never shown).
      var push = settings.push && (settings.channels || []).indexOf("webpush") >= 0;
      var where = [settings.email, settings.phone, push ? t("pushChannel") : ""].filter(Boolean).join(", ");
      notifyNow.textContent = where ? notifyNow.getAttribute("data-email") + " " + where : notifyNow.getAttribute("data-none");
      notifyForm.language.value = settings.language || K.config.language || "id";
      document.getElementById("notify-phone-row").hidden = (settings.available_channels || []).indexOf("sms") < 0;
    };
    var notifyErrors = function (answer) {
      var list = notifyForm.querySelector(".errors");
      list.textContent = "";
      ((answer.body && answer.body.errors) || []).forEach(function (p) { list.appendChild(K.el("li", { text: K.problemText(p) })); });
    };
    K.request("GET", notifyUrl, undefined, auth).then(function (answer) { if (answer.status === 200) showNotify(answer.body); });
    notifyForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var body = { language: notifyForm.language.value };
      if (notifyForm.email.value.trim()) body.email = notifyForm.email.value.trim();
      if (notifyForm.phone.value.trim()) body.phone = notifyForm.phone.value.trim();
      K.request("PUT", notifyUrl, body, auth).then(function (answer) {
        notifyErrors(answer);
        if (answer.status === 200) { notifyForm.email.value = ""; notifyForm.phone.value = ""; showNotify(answer.body); }
      });
    });
    document.getElementById("notify-stop").addEventListener("click", function () {
      K.request("DELETE", notifyUrl, undefined, auth).then(function (answer) {
        notifyErrors(answer);
        if (answer.status === 204) showNotify({ available_channels: [] });
      });
    });
  }
  // /notify
})();
