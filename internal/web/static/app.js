// Small enhancements only; every form works without JavaScript.
document.addEventListener("submit", function (e) {
  var msg = e.target.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) { e.preventDefault(); }
});

// Show upload progress of the roster import (htmx reports XHR progress).
document.addEventListener("htmx:xhr:progress", function (e) {
  var bar = document.getElementById("upload-progress");
  if (!bar || !e.detail.lengthComputable) { return; }
  bar.hidden = false;
  bar.value = Math.round(e.detail.loaded / e.detail.total * 100);
});
