// The agent's phone pages. Everything works without this file; it only smooths things on a slow link, and
// (with offline.js and queue.js) keeps what is typed: a draft on the phone while typing, saved through the
// JSON API with the draft's own idempotency key, and queued when there is no signal (web/field/offline.py).
(function () {
  "use strict";
  // With htmx loaded the contribution updates as it is typed, so the "check" button is not needed.
  if (window.htmx) {
    document.querySelectorAll("[data-without-htmx]").forEach(function (element) { element.hidden = true; });
  }
  // The contribution shown must never be an old one: when the request for the new amount fails (no signal,
  // a server error), the box says it is out of date instead of keeping the amount for the income before.
  var quoteBoxes = [];
  document.querySelectorAll("[data-stale-text]").forEach(function (source) {
    var quote = document.querySelector(source.getAttribute("data-hx-target"));
    if (!quote) { return; }
    quoteBoxes.push({ quote: quote, initial: quote.innerHTML });
    var markStale = function () {
      quote.classList.add("quote-stale");
      var notice = quote.querySelector(".quote-stale-notice");
      if (!notice) {
        notice = document.createElement("div");
        notice.className = "quote-stale-notice small text-danger";
        notice.id = "quote-stale";
        quote.appendChild(notice);
      }
      notice.textContent = source.dataset.staleText;
    };
    source.addEventListener("htmx:sendError", markStale);
    source.addEventListener("htmx:responseError", markStale);
    source.addEventListener("htmx:afterSwap", function () { quote.classList.remove("quote-stale"); });
  });

  function saving(button, on) {
    if (!button || !button.dataset.savingText) { return; }
    if (on) {
      button.dataset.idleText = button.dataset.idleText || button.textContent;
      window.setTimeout(function () { button.disabled = true; button.textContent = button.dataset.savingText; }, 0);
    } else {
      button.disabled = false;
      if (button.dataset.idleText) { button.textContent = button.dataset.idleText; }
    }
  }

  // One tap saves once: a second tap while the page is still loading would post the form again.
  document.querySelectorAll("form:not([data-offline])").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (!button || !button.dataset.savingText) { return; }
      if (form.dataset.submitted) { event.preventDefault(); return; }
      form.dataset.submitted = "1";
      saving(button, true);
    });
  });
  // Coming back to the page with the Back button shows the form ready again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    document.querySelectorAll("form[data-submitted]").forEach(function (form) {
      delete form.dataset.submitted;
      form.querySelectorAll("button[data-saving-text]").forEach(function (button) { saving(button, false); });
    });
  });

  var Offline = window.PerisaiOffline;
  var Queue = window.PerisaiQueue;
  if (!Offline || !Queue) { return; }
  var RUPIAH = ["declared_income", "amount"];

  // What the form holds, by field name (checkboxes true/false; the buttons and the CSRF token left out).
  function fieldsOf(form) {
    var fields = {};
    Array.prototype.forEach.call(form.elements, function (input) {
      if (!input.name || input.name === "csrfmiddlewaretoken" || input.type === "submit" || input.type === "button") { return; }
      if (input.type === "checkbox") { fields[input.name] = input.checked; }
      else if (input.type === "radio") { if (input.checked) { fields[input.name] = input.value; } }
      else { fields[input.name] = input.value; }
    });
    return fields;
  }

  // What the API takes: the form's names and values, amounts as whole Rupiah, empty fields left out.
  function payloadOf(fields) {
    var payload = {};
    Object.keys(fields).forEach(function (name) {
      var value = fields[name];
      if (value === "" || value === null || value === undefined) { return; }
      if (RUPIAH.indexOf(name) >= 0) {
        var digits = String(value).replace(/^\s*rp/i, "").replace(/[^0-9]/g, "");
        payload[name] = digits ? parseInt(digits, 10) : value;
      } else {
        payload[name] = value;
      }
    });
    return payload;
  }

  function fill(form, fields) {
    Array.prototype.forEach.call(form.elements, function (input) {
      if (!input.name || !(input.name in fields) || input.type === "submit" || input.name === "csrfmiddlewaretoken") { return; }
      var value = fields[input.name];
      if (input.type === "checkbox") { input.checked = !!value; }
      else if (input.type === "radio") { input.checked = input.value === value; }
      else { input.value = value; }
    });
    // The contribution follows the restored income (or says it is out of date without a signal).
    ["declared_income", "with_jht"].forEach(function (name) {
      var input = form.elements[name];
      if (input && input.dispatchEvent) { input.dispatchEvent(new Event(name === "with_jht" ? "change" : "input", { bubbles: true })); }
    });
  }

  function formMessage(form, messages, kind) {
    var box = form.parentNode.querySelector(".offline-form-message");
    if (!box) {
      box = document.createElement("div");
      box.className = "offline-form-message";
      form.parentNode.insertBefore(box, form);
    }
    box.textContent = "";
    if (!messages.length) { return; }
    var alert = document.createElement("div");
    alert.className = "alert alert-" + (kind || "danger");
    alert.setAttribute("role", "alert");
    messages.forEach(function (message) {
      var line = document.createElement("p");
      line.className = "mb-1";
      line.textContent = message;
      alert.appendChild(line);
    });
    box.appendChild(alert);
  }

  function refusalMessages(item) {
    var messages = item.message ? [item.message] : [];
    Object.keys(item.errors || {}).forEach(function (field) {
      (item.errors[field] || []).forEach(function (message) {
        var input = document.querySelector("[name='" + field + "']");
        var label = input && input.id && document.querySelector("label[for='" + input.id + "']");
        messages.push((label ? label.textContent.replace(/\*/g, "").trim() + ": " : "") + message);
      });
    });
    return messages;
  }

  function offlineForm(form) {
    var kind = form.dataset.offline;
    var target = form.dataset.target || "";
    var current = null;
    var page = location.pathname + location.search.replace(/([?&])draft=[^&]*&?/, "$1").replace(/[?&]$/, "");
    var button = form.querySelector("button[name=save]");
    // A page the server drew after a post (its errors on the fields) already holds what was typed.
    var drawnByServer = !!(form.querySelector(".is-invalid") || document.querySelector(".alert-danger"));

    function labelOf(fields) {
      return (form.dataset.label && fields[form.dataset.label]) || form.dataset.labelText || "";
    }

    function newItem() {
      return { key: Queue.newKey(), account: Offline.account, kind: kind, target: target, page: page,
               endpoint: Offline.api + form.dataset.endpoint, state: "draft" };
    }

    var wanted = new URLSearchParams(location.search).get("draft");
    Offline.ready.then(function () { return Queue.list(Offline.account); }).then(function (items) {
      var draft = wanted
        ? items.filter(function (item) { return item.key === wanted; })[0]
        : items.filter(function (item) { return item.kind === kind && item.target === target && item.state === "draft"; }).pop();
      if (!draft) { return; }
      current = draft;
      if (drawnByServer) { return; }
      fill(form, draft.fields || {});
      if (draft.state === "refused") { formMessage(form, refusalMessages(draft)); }
      else { formMessage(form, [Offline.text("draft")], "info"); }
    }).catch(function () {});

    var timer = null;
    function keepDraft() {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        if (!current) { current = newItem(); }
        current.state = "draft";
        current.fields = fieldsOf(form);
        current.label = labelOf(current.fields);
        Queue.put(current).catch(function () {});
      }, 300);
    }
    form.addEventListener("input", keepDraft);
    form.addEventListener("change", keepDraft);

    function ready() {
      delete form.dataset.submitted;
      saving(button, false);
    }

    function queued(item, message) {
      current = null;
      window.clearTimeout(timer);
      form.reset();
      quoteBoxes.forEach(function (box) { box.quote.innerHTML = box.initial; box.quote.classList.remove("quote-stale"); });
      formMessage(form, []);
      ready();
      Offline.notice(Offline.text("queued", { name: Offline.label(item) }), "warning", "item:" + item.key);
      if (message) { Offline.notice(message, "warning", "state"); }
      Offline.render();
      Offline.requestSync();
      window.scrollTo(0, 0);
    }

    function native(submitter) {
      try { window.sessionStorage.setItem("perisai-native", current ? current.key : ""); } catch (e) { /* none */ }
      form.dataset.native = "1";
      form.requestSubmit(submitter);
    }

    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      if (form.dataset.native || !submitter || submitter.name !== "save") { return; }  // "check": a plain post
      event.preventDefault();
      if (form.dataset.submitted) { return; }
      form.dataset.submitted = "1";
      saving(submitter, true);
      window.clearTimeout(timer);
      var item = current || newItem();
      current = item;
      item.fields = fieldsOf(form);
      item.payload = payloadOf(item.fields);
      item.label = labelOf(item.fields);
      item.state = "queued";
      item.message = "";
      item.errors = {};
      Queue.put(item).then(function () {
        if (!navigator.onLine) { return queued(item); }
        return Queue.send(item, Offline.csrf).then(function (answer) {
          if (answer.outcome === "sent") {
            return Queue.remove(item.key).then(function () {
              try { window.sessionStorage.setItem("perisai-flash", answer.body.message || ""); } catch (e) { /* none */ }
              window.location.assign(answer.body.url || Offline.home);
            });
          }
          if (answer.outcome === "refused" || answer.outcome === "unavailable") {
            // Nothing was saved: the page's own form post draws the errors on the fields (and the NIK check).
            item.state = "draft";
            return Queue.put(item).then(function () { native(submitter); });
          }
          return queued(item, answer.outcome === "signed-out" ? Offline.text("signIn") : "");
        });
      }).catch(function () {
        // The phone could not keep it (storage refused): post the form as it would without JavaScript.
        native(submitter);
      });
    });
  }
  document.querySelectorAll("form[data-offline]:not([data-offline=contact])").forEach(offlineForm);

  // A follow-up outcome logged without a signal (htmx could not send it) joins the queue, with its row saying so.
  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt;
    if (!form || form.dataset.offline !== "contact") { return; }
    var values = {};
    var source = event.detail.formData || event.detail.parameters;
    if (source && source.forEach) { source.forEach(function (value, name) { values[name] = value; }); }
    else if (source) { Object.keys(source).forEach(function (name) { values[name] = source[name]; }); }
    delete values.csrfmiddlewaretoken;
    if (values.outcome !== "promised") { delete values.promised_on; }
    form.offlineFields = values;
  });
  function contactQueued(event) {
    var form = event.detail.elt;
    if (!form || form.dataset.offline !== "contact" || !form.offlineFields) { return; }
    var item = {
      key: Queue.newKey(), account: Offline.account, kind: "contact", target: form.dataset.target,
      page: location.pathname, endpoint: Offline.api + form.dataset.endpoint, label: form.dataset.labelText,
      fields: form.offlineFields, payload: payloadOf(form.offlineFields), state: "queued",
    };
    form.offlineFields = null;
    Queue.put(item).then(function () {
      var row = form.closest("li");
      var note = document.createElement("div");
      note.className = "small text-warning-emphasis mt-1 offline-row-queued";
      note.setAttribute("role", "status");
      note.textContent = Offline.text("queued", { name: Offline.label(item) });
      if (row) { row.insertBefore(note, row.querySelector("details")); }
      var details = form.closest("details");
      if (details) { details.open = false; }
      Offline.render();
      Offline.requestSync();
    });
  }
  document.addEventListener("htmx:sendError", contactQueued);
  document.addEventListener("htmx:timeout", contactQueued);
})();
