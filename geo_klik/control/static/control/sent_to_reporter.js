/* The console's "Pesan ke pelapor / Sent to the reporter" panel: for the selected report, each
   message to the reporter (what it covered, when) and per channel its outcome. The API never
   answers the reporter's address, number or push subscription. console.js announces each
   rendered detail with a "console:detail" event. */
(function () {
  "use strict";
  var template = document.getElementById("sent-to-reporter");
  if (!template) return;
  var data = template.dataset;
  var el = GeoKlikMap.el;

  function when(iso) {
    return iso ? new Date(iso).toLocaleString() : "–";
  }

  function delivery(d) {
    var parts = [d.channel + ": " + d.status_label, d.attempts + " " + data.attempts];
    if (d.sent_at) parts.push(data.sentAt + " " + when(d.sent_at));
    if (d.next_attempt_at && d.status !== "sent") parts.push(data.next + " " + when(d.next_attempt_at));
    if (d.last_error) parts.push(d.last_error);
    return el("li", { class: "delivery " + d.status, "data-channel": d.channel, "data-status": d.status, text: parts.join(" · ") });
  }

  function message(m) {
    var covered = m.events.map(function (e) { return e.label + " (" + when(e.at) + ")"; }).join(", ");
    var head = when(m.sealed_at || m.send_from) + (m.failed ? " · " + data.failed : "");
    var items = [
      el("p", { class: "meta", text: head }),
      el("p", { text: data.covered + ": " + covered }),
    ];
    if (m.deliveries.length) items.push(el("ul", {}, m.deliveries.map(delivery)));
    else if (!m.sealed_at) items.push(el("p", { class: "meta", text: data.waiting }));
    return el("li", { class: "sent-message" + (m.failed ? " failed" : ""), "data-message": String(m.id) }, items);
  }

  function show(id, node) {
    var url = data.url.replace("/0/", "/" + id + "/");
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.ok ? r.json() : null; }).then(function (body) {
      if (!body || String(node.getAttribute("data-id")) !== String(id)) return;
      var old = node.querySelector("#sent-panel");
      var panel = el("section", { id: "sent-panel", "aria-label": data.title }, [
        el("h3", { text: data.title }),
        body.messages.length ? el("ol", {}, body.messages.map(message)) : el("p", { class: "meta", text: data.none }),
      ]);
      if (old) old.replaceWith(panel); else node.appendChild(panel);
    }).catch(function () {});
  }

  document.addEventListener("console:detail", function (event) { show(event.detail.id, event.detail.node); });
})();
