// Every agent page: installs the service worker (sw.js), keeps the account's CSRF token for the queue, says
// when the page is a copy kept on the phone, shows what waits to be sent ("menunggu dikirim: 2") with a
// "send now" button, sends it when the signal returns, and asks before signing out would delete it.
// Without this file the pages work as plain forms; with it nothing typed is lost (web/field/offline.py).
(function () {
  "use strict";
  var box = document.getElementById("offline-status");
  if (!box || !window.PerisaiQueue || !window.indexedDB) { return; }
  var Queue = window.PerisaiQueue;
  var data = box.dataset;
  // The page as the server sent it (nothing on it has changed yet), for the worker to keep when this
  // first visit came before it: no second download. A page reached by a redirect is not kept this way.
  var navigation = window.performance && performance.getEntriesByType && performance.getEntriesByType("navigation")[0];
  var asSent = data.live === "1" && !(navigation && navigation.redirectCount) && "serviceWorker" in navigator && !navigator.serviceWorker.controller
    ? "<!doctype html>\n" + document.documentElement.outerHTML : null;
  var account = data.account;
  var csrf = "";
  try { csrf = JSON.parse(document.body.getAttribute("data-hx-headers") || "{}")["X-CSRFToken"] || ""; } catch (e) { /* none */ }

  function text(name, values) {
    var template = data["t" + name.charAt(0).toUpperCase() + name.slice(1)] || "";
    return template.replace(/%\((\w+)\)s/g, function (all, key) { return values && key in values ? values[key] : all; });
  }

  function element(tag, className, content) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (content) { node.textContent = content; }
    return node;
  }

  // A notice at the top of the page; one with a tag replaces the earlier one with that tag (an item's
  // "saved on this phone" by its "sent", a second "no signal" by nothing new).
  function unsay(tag) {
    box.querySelectorAll(".offline-notices [data-tag]").forEach(function (old) { if (old.dataset.tag === tag) { old.remove(); } });
  }

  function notice(message, kind, tag) {
    var notices = box.querySelector(".offline-notices");
    if (tag) { unsay(tag); }
    var alert = element("div", "alert alert-" + (kind || "success") + " py-2 mb-2", message);
    alert.setAttribute("role", kind === "danger" ? "alert" : "status");
    if (tag) { alert.dataset.tag = tag; }
    notices.appendChild(alert);
    box.hidden = false;
  }

  // A page served from the phone's copy says so, with the day and time it was last loaded.
  if (data.live === "0") {
    var when = new Date(data.rendered);
    var shown = isNaN(when) ? data.rendered : when.toLocaleString(data.lang === "en" ? "en-GB" : "id-ID", {
      day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit",
    });
    var copy = box.querySelector(".offline-copy");
    copy.textContent = text("copy", { when: shown });
    copy.hidden = false;
    box.hidden = false;
  }

  // The success message of a write the API took (set by field.js just before going to the new page).
  try {
    var flash = window.sessionStorage.getItem("perisai-flash");
    if (flash) {
      window.sessionStorage.removeItem("perisai-flash");
      var main = document.querySelector("main");
      var alert = element("div", "alert alert-success", flash);
      alert.setAttribute("role", "alert");
      main.insertBefore(alert, main.firstChild);
    }
  } catch (e) { /* no session storage: nothing to show */ }

  function label(item) {
    if (item.kind === "contact") { return text("contact", { name: item.label }); }
    if (item.kind === "contribution") { return text("payment", { name: item.label }); }
    return item.label;
  }

  // The queue box: how many wait, each of them, and those the server refused with its reason.
  function render() {
    return Queue.list(account).then(function (items) {
      var waiting = items.filter(function (item) { return item.state === "queued"; });
      var refused = items.filter(function (item) { return item.state === "refused"; });
      var queue = box.querySelector(".offline-queue");
      var list = box.querySelector(".offline-items");
      list.textContent = "";
      waiting.forEach(function (item) {
        var row = element("li", "list-group-item small offline-item", label(item));
        row.dataset.key = item.key;
        list.appendChild(row);
      });
      refused.forEach(function (item) {
        unsay("item:" + item.key);  // its "saved on this phone" gives way to the server's answer
        var row = element("li", "list-group-item small list-group-item-danger offline-refused");
        row.dataset.key = item.key;
        row.appendChild(element("div", "", text("refused", { name: label(item), message: item.message || "" })));
        var actions = element("div", "d-flex gap-2 mt-1");
        if (item.kind !== "contact") {
          var fix = element("a", "btn btn-sm btn-outline-danger", text("fix"));
          fix.href = item.page + (item.page.indexOf("?") < 0 ? "?" : "&") + "draft=" + encodeURIComponent(item.key);
          actions.appendChild(fix);
        }
        var discard = element("button", "btn btn-sm btn-link text-danger offline-discard", text("discard"));
        discard.type = "button";
        discard.addEventListener("click", function () {
          if (window.confirm(text("discardConfirm", { name: label(item) }))) {
            Queue.remove(item.key).then(render);
          }
        });
        actions.appendChild(discard);
        row.appendChild(actions);
        list.appendChild(row);
      });
      box.querySelector(".offline-count").textContent = text("waiting", { count: waiting.length });
      box.querySelector(".offline-queue .card-body").classList.toggle("d-none", !waiting.length);
      var button = box.querySelector(".offline-send");
      button.textContent = text("sendNow");
      button.hidden = !waiting.length;
      queue.hidden = !(waiting.length || refused.length);
      if (!queue.hidden) { box.hidden = false; }
      return items;
    });
  }

  function reportSent(sent) {
    if (sent && sent.length) { unsay("state"); }
    (sent || []).forEach(function (item) {
      notice(text("sent", { name: label(item) }) + " " + (item.message || ""), "success", "item:" + item.key);
    });
  }

  // What the service worker sent by itself (Background Sync), said once on the next page.
  function reportSentByWorker() {
    return Queue.meta("sent:" + account).then(function (sent) {
      if (!sent || !sent.length) { return; }
      reportSent(sent);
      return Queue.meta("sent:" + account, []);
    });
  }

  var sending = false;
  // Send what waits, now. Called on load, when the signal returns, by "send now", and by the worker's sync.
  function sendNow(event) {
    if (sending) { return Promise.resolve(); }
    var asked = !!(event && event.type === "click");
    sending = true;
    var button = box.querySelector(".offline-send");
    button.disabled = true;
    button.textContent = text("sending");
    return Queue.flush(account, csrf).then(function (result) {
      reportSent(result.sent);
      result.refused.forEach(function (item) { unsay("item:" + item.key); });
      if (result.stopped === "signed-out") { notice(text("signIn"), "warning", "state"); }
      if (result.stopped === "offline" && asked) { notice(text("offline"), "secondary", "state"); }
      if (!result.stopped) { unsay("state"); }
      return result;
    }).catch(function () { return null; }).then(function (result) {
      sending = false;
      button.disabled = false;
      return render().then(function () { return result; });
    });
  }

  function requestSync() {
    if (!("serviceWorker" in navigator)) { return; }
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync) { return registration.sync.register("perisai-queue"); }
    }).catch(function () { /* no Background Sync: the next page load or "send now" sends it */ });
  }

  box.querySelector(".offline-send").addEventListener("click", sendNow);
  window.addEventListener("online", sendNow);

  // Signing out deletes the phone's copies and the queue (Clear-Site-Data): ask first when work waits.
  document.querySelectorAll("form[action$='/accounts/logout/']").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.confirmed) { return; }
      event.preventDefault();
      Queue.list(account).then(function (items) {
        var unsent = items.filter(function (item) { return item.state !== "draft"; }).length;
        if (unsent && !window.confirm(text("signOut", { count: unsent }))) { return; }
        form.dataset.confirmed = "1";
        var forget = [];
        if (window.caches) {
          forget.push(caches.keys().then(function (names) {
            return Promise.all(names.filter(function (name) { return name.indexOf("perisai-pages-") === 0; })
              .map(function (name) { return caches.delete(name); }));
          }));
        }
        items.forEach(function (item) { forget.push(Queue.remove(item.key)); });
        Promise.all(forget).catch(function () {}).then(function () { form.submit(); });
      }, function () { form.dataset.confirmed = "1"; form.submit(); });
    });
  });

  window.PerisaiOffline = {
    account: account,
    csrf: csrf,
    api: data.api,
    home: data.home,
    text: text,
    notice: notice,
    render: render,
    sendNow: sendNow,
    requestSync: requestSync,
    label: label,
  };

  // A form posted the plain way after the API refused it: drawn again with its errors it keeps its draft;
  // any other page means the post went through, so the draft is done.
  var posted = null;
  try {
    posted = window.sessionStorage.getItem("perisai-native");
    window.sessionStorage.removeItem("perisai-native");
  } catch (e) { /* none */ }
  if (posted && !document.querySelector("form[data-offline]")) { Queue.remove(posted).catch(function () {}); }

  var ready = Queue.meta("account", account)
    .then(function () { return csrf && data.live === "1" ? Queue.meta("csrf:" + account, csrf) : null; })
    .then(reportSentByWorker)
    .then(render)
    .then(function (items) {
      if (navigator.onLine && data.live === "1" && items.some(function (item) { return item.state === "queued"; })) {
        return sendNow();
      }
    })
    .catch(function () { /* IndexedDB refused (private mode): the forms still post as plain forms */ });
  window.PerisaiOffline.ready = ready;

  if ("serviceWorker" in navigator && data.sw) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "queue") { reportSentByWorker().then(render); }
    });
    navigator.serviceWorker.register(data.sw, { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      if (data.live !== "1" || !registration.active) { return; }
      // A page loaded before the worker controlled it (the first visit) asks for a copy of itself; every
      // page makes sure home and the enrol form are kept (the worker fetches only those it lacks).
      registration.active.postMessage({ type: "keep", url: location.href, html: asSent, urls: [data.home, data.enrol] });
    }).catch(function () { /* no worker (an old browser, a private window): pages need a signal */ });
  }
})();
