// Upload progress for large BOM files: the form is sent with XMLHttpRequest so the bar can follow
// the bytes; the answer page then replaces this one, as a normal submission would.
document.querySelectorAll("form[data-progress]").forEach(function (form) {
  form.addEventListener("submit", function (event) {
    var file = form.querySelector("input[type=file]");
    if (!file || !file.files.length || file.files[0].size < 200000 || !window.XMLHttpRequest) {
      return;
    }
    event.preventDefault();
    var box = form.querySelector("[data-upload-progress]");
    var bar = box.querySelector(".progress-bar");
    box.classList.remove("d-none");
    var request = new XMLHttpRequest();
    request.open("POST", form.action || window.location.href);
    request.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) {
        var percent = Math.round((100 * e.loaded) / e.total);
        bar.style.width = percent + "%";
        box.setAttribute("aria-valuenow", String(percent));
      }
    });
    request.addEventListener("load", function () {
      document.open();
      document.write(request.responseText);
      document.close();
      if (request.responseURL) {
        window.history.replaceState(null, "", request.responseURL);
      }
    });
    request.send(new FormData(form));
  });
});
