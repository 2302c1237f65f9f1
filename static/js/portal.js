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
