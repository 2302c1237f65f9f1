// Small progressive enhancements; every page works without them.
(function () {
  "use strict";

  // Sign-up: show only the fieldsets that apply to the chosen role.
  document.querySelectorAll("form[data-role-form]").forEach(function (form) {
    var radios = form.querySelectorAll("input[name='role']");
    function update() {
      var checked = form.querySelector("input[name='role']:checked");
      var role = checked ? checked.value : null;
      form.querySelectorAll("[data-for-role]").forEach(function (section) {
        var roles = section.getAttribute("data-for-role").split(" ");
        var hide = role !== null && roles.indexOf(role) === -1;
        section.toggleAttribute("data-hidden-by-role", hide);
      });
    }
    radios.forEach(function (radio) { radio.addEventListener("change", update); });
    update();
  });
})();

// Forms marked data-confirm ask before they send (delete and remove buttons).
document.querySelectorAll("form[data-confirm]").forEach(function (form) {
  form.addEventListener("submit", function (event) {
    if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
  });
});

// Progress bars take their width from data-width (no inline styles, for the CSP).
document.querySelectorAll("[data-width]").forEach(function (bar) {
  bar.style.width = bar.getAttribute("data-width") + "%";
});

// Unit selects offer only the units of the component category chosen in the same form.
document.querySelectorAll("select[data-units-by-category]").forEach(function (select) {
  var byCategory = JSON.parse(select.getAttribute("data-units-by-category"));
  var category = select.form && select.form.querySelector("select[name='category']");
  if (!category) { return; }
  function update() {
    var allowed = byCategory[category.value];
    Array.prototype.forEach.call(select.options, function (option) {
      var hide = Boolean(option.value) && Boolean(allowed) && allowed.indexOf(option.value) === -1;
      option.hidden = hide;
      option.disabled = hide;
    });
    if (allowed && select.value && allowed.indexOf(select.value) === -1) { select.value = allowed[0]; }
    if (allowed && !select.value && allowed.length === 1) { select.value = allowed[0]; }
  }
  category.addEventListener("change", update);
  update();
});

// Panels folded on small screens (the directory's filters) open on wide ones, where they sit beside the results.
document.querySelectorAll("details[data-open-from]").forEach(function (panel) {
  if (window.matchMedia("(min-width: " + panel.getAttribute("data-open-from") + "px)").matches) { panel.open = true; }
});
