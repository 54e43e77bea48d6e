// The agent's drafts and the queue of writes saved without a signal (IndexedDB), and sending them to the
// JSON API. Shared by the pages (offline.js, field.js) and the service worker (sw.js): no DOM here.
//
// An item is one form's work: {key, account, kind, target, page, endpoint, label, fields, payload, state,
// message, errors, updated}. `key` is made on the phone when the draft starts and is the request's
// Idempotency-Key on every try, so the server records it once however often it is sent. `state` is
// "draft" (being typed), "queued" (saved, waiting to send) or "refused" (the server said why: fix it).
(function (scope) {
  "use strict";
  var DB = "perisai-offline";
  var SEND_TIMEOUT_MS = 30000;

  function open() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB, 1);
      request.onupgradeneeded = function () {
        var db = request.result;
        if (!db.objectStoreNames.contains("items")) { db.createObjectStore("items", { keyPath: "key" }); }
        if (!db.objectStoreNames.contains("meta")) { db.createObjectStore("meta", { keyPath: "name" }); }
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(store, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(store, mode);
        var request = work(transaction.objectStore(store));
        transaction.oncomplete = function () { db.close(); resolve(request ? request.result : undefined); };
        transaction.onerror = transaction.onabort = function () { db.close(); reject(transaction.error); };
      });
    });
  }

  function newKey() {
    if (scope.crypto && scope.crypto.randomUUID) { return scope.crypto.randomUUID(); }
    var bytes = scope.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  // One POST of an item. The outcome decides what happens to it: "sent" (gone from the phone), "refused"
  // (422/409: back to the agent with the message), or a reason to stop and try later.
  function send(item, csrf) {
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    var timer = controller && setTimeout(function () { controller.abort(); }, SEND_TIMEOUT_MS);
    return fetch(item.endpoint, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      signal: controller ? controller.signal : undefined,
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": csrf || "",
        "Idempotency-Key": item.key,
      },
      body: JSON.stringify(item.payload),
    }).then(function (response) {
      if (timer) { clearTimeout(timer); }
      if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) {
        return { outcome: "signed-out" };
      }
      return response.json().catch(function () { return null; }).then(function (body) {
        if ((response.status === 200 || response.status === 201) && body) { return { outcome: "sent", body: body }; }
        if ((response.status === 422 || response.status === 409) && body) { return { outcome: "refused", body: body }; }
        if (response.status === 404 || response.status === 405) { return { outcome: "unavailable" }; }
        return { outcome: "error", status: response.status };
      });
    }, function () {
      if (timer) { clearTimeout(timer); }
      return { outcome: "offline" };
    });
  }

  var flushing = null;

  // Send the account's queue, oldest first; stop at the first item that could not be sent for a reason
  // that holds for the rest too (no signal, signed out). Resolves {sent: [...], refused: [...], stopped}.
  function flush(account, csrf) {
    if (flushing) { return flushing; }
    var result = { sent: [], refused: [], stopped: null };
    flushing = Queue.list(account).then(function (items) {
      var waiting = items.filter(function (item) { return item.state === "queued"; });
      return waiting.reduce(function (previous, item) {
        return previous.then(function () {
          if (result.stopped) { return; }
          return send(item, csrf).then(function (answer) {
            if (answer.outcome === "sent") {
              result.sent.push({ key: item.key, kind: item.kind, label: item.label, message: answer.body.message, url: answer.body.url });
              return Queue.remove(item.key);
            }
            if (answer.outcome === "refused") {
              item.state = "refused";
              item.message = answer.body.message || "";
              item.errors = answer.body.errors || {};
              result.refused.push(item);
              return Queue.put(item);
            }
            result.stopped = answer.outcome;
          });
        });
      }, Promise.resolve());
    }).then(function () {
      return Queue.meta("stopped:" + account, result.stopped || "");
    }).then(function () {
      flushing = null;
      return result;
    }, function (error) {
      flushing = null;
      throw error;
    });
    return flushing;
  }

  var Queue = {
    newKey: newKey,
    send: send,
    flush: flush,
    get: function (key) { return run("items", "readonly", function (store) { return store.get(key); }); },
    put: function (item) {
      item.updated = Date.now();
      return run("items", "readwrite", function (store) { return store.put(item); });
    },
    remove: function (key) { return run("items", "readwrite", function (store) { return store.delete(key); }); },
    list: function (account) {
      return run("items", "readonly", function (store) { return store.getAll(); }).then(function (items) {
        return (items || []).filter(function (item) { return item.account === account; })
          .sort(function (a, b) { return a.updated - b.updated; });
      });
    },
    meta: function (name, value) {
      if (value === undefined) {
        return run("meta", "readonly", function (store) { return store.get(name); }).then(function (row) {
          return row ? row.value : undefined;
        });
      }
      return run("meta", "readwrite", function (store) { return store.put({ name: name, value: value }); });
    },
  };
  scope.PerisaiQueue = Queue;
})(self);
