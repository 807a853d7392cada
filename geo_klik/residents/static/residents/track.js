/* /lacak/<code>/: copy and share the code, comment, rate, reopen. */
(function () {
  "use strict";
  var K = window.KLIK, t = K.t, code = K.config.tracking_code;
  var result = document.getElementById("share-result");
  K.rememberReport({ code: code, at: Date.now() });

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
      K.request("POST", K.url("api", code) + form.getAttribute("data-action"), new FormData(form)).then(function (answer) {
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
