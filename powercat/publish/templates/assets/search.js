// Filters the catalogue table by text, agency and category. Runs from file:// (no fetch,
// no network): the rows and their data-* attributes are already in the page.
(function () {
  var q = document.getElementById("q");
  var agency = document.getElementById("agency");
  var category = document.getElementById("category");
  var count = document.getElementById("count");
  var empty = document.getElementById("empty");
  var rows = Array.prototype.slice.call(document.querySelectorAll("#catalogue tbody tr"));
  function normalise(text) { return text.replace(/\s+/g, "").toLowerCase(); }
  function apply() {
    var words = normalise(q.value);
    var shown = 0;
    rows.forEach(function (row) {
      var ok = (!words || row.getAttribute("data-text").indexOf(words) !== -1) &&
               (!agency.value || row.getAttribute("data-agency") === agency.value) &&
               (!category.value || row.getAttribute("data-category") === category.value);
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = "显示 " + shown + " 项";
    empty.hidden = shown !== 0;
  }
  [q, agency, category].forEach(function (el) { el.addEventListener("input", apply); el.addEventListener("change", apply); });
  var params = new URLSearchParams(window.location.search);
  if (params.get("q")) { q.value = params.get("q"); }
  apply();
})();
