// Forms marked data-submit-once: the first submit disables their buttons, so a double tap on
// "Import" or "Move" sends one request (the server refuses a second import of a batch anyway).
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.matches("form[data-submit-once]")) {
    return;
  }
  if (form.dataset.submitted) {
    event.preventDefault();
    return;
  }
  form.dataset.submitted = "true";
  form.querySelectorAll("button[type=submit]").forEach((button) => {
    button.classList.add("disabled");
    button.setAttribute("aria-disabled", "true");
  });
});
