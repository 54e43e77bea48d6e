// The kecamatan and desa fields (web/places.py). Everything works without this file: the browser's own
// type-ahead offers the datalists, and the server takes an empty kecamatan from the NIK. With it, an empty
// kecamatan is filled as soon as the NIK is typed, and the desa suggestions are the chosen kecamatan's only.
(function () {
  "use strict";
  var districts = document.getElementById("kecamatan-options");
  var villages = document.getElementById("desa-options");
  var kecamatan = document.querySelector("input[data-place='kecamatan-options']");
  if (!districts || !kecamatan) { return; }
  var nik = kecamatan.form ? kecamatan.form.querySelector("input[name='nik']") : null;
  var allVillages = villages ? Array.prototype.slice.call(villages.options).map(function (option) {
    return option.cloneNode(true);
  }) : [];

  function chosenDistrict() {
    var typed = kecamatan.value.trim().toLowerCase();
    var found = Array.prototype.find.call(districts.options, function (option) {
      return option.value.toLowerCase() === typed;
    });
    return found ? found.dataset.code : null;
  }

  function narrow() {
    if (!villages) { return; }
    var code = chosenDistrict();
    var shown = allVillages.filter(function (option) { return !code || option.dataset.district === code; });
    villages.replaceChildren.apply(villages, shown.map(function (option) { return option.cloneNode(true); }));
  }

  if (nik) {
    nik.addEventListener("input", function () {
      var digits = nik.value.replace(/\D/g, "");
      if (kecamatan.value.trim() || digits.length !== 16) { return; }
      var found = Array.prototype.find.call(districts.options, function (option) {
        return option.dataset.code === digits.slice(0, 6);
      });
      if (found) { kecamatan.value = found.value; narrow(); }
    });
  }
  kecamatan.addEventListener("input", narrow);
  kecamatan.addEventListener("change", narrow);
  narrow();
})();
