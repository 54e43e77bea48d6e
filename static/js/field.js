// The agent's phone pages. Everything works without this file; it only smooths things on a slow link.
(function () {
  "use strict";
  // With htmx loaded the contribution updates as it is typed, so the "check" button is not needed.
  if (window.htmx) {
    document.querySelectorAll("[data-without-htmx]").forEach(function (element) { element.hidden = true; });
  }
  // The contribution shown must never be an old one: when the request for the new amount fails (no signal,
  // a server error), the box says it is out of date instead of keeping the amount for the income before.
  document.querySelectorAll("[data-stale-text]").forEach(function (source) {
    var quote = document.querySelector(source.getAttribute("data-hx-target"));
    if (!quote) { return; }
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
  // One tap saves once: a second tap while the page is still loading would post the form again.
  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (!button || !button.dataset.savingText) { return; }
      if (form.dataset.submitted) { event.preventDefault(); return; }
      form.dataset.submitted = "1";
      window.setTimeout(function () {
        button.disabled = true;
        button.textContent = button.dataset.savingText;
      }, 0);
    });
  });
  // Coming back to the page with the Back button shows the form ready again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    document.querySelectorAll("form[data-submitted]").forEach(function (form) {
      delete form.dataset.submitted;
      form.querySelectorAll("button[data-saving-text]").forEach(function (button) { button.disabled = false; });
    });
  });
})();
