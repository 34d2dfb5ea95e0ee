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

// The person picker (partials.html "person-picker"): a tap on a match adds
// the person (a single picker replaces its choice), × takes one out.
document.addEventListener("click", function (e) {
  var choice = e.target.closest(".picker-choice");
  if (choice) {
    var box = choice.closest(".picker");
    var chosen = box.querySelector(".picker-chosen");
    var id = choice.getAttribute("data-pick-id");
    if (chosen.querySelector('input[type=hidden][value="' + id + '"]')) { return; }
    if (!box.hasAttribute("data-multi")) { chosen.innerHTML = ""; }
    var item = box.querySelector("template.picker-template").content.firstElementChild.cloneNode(true);
    item.querySelector("input[type=hidden]").value = id;
    item.querySelector(".picker-label").textContent = choice.getAttribute("data-pick-label");
    chosen.appendChild(item);
    box.querySelector(".picker-results").innerHTML = "";
    var q = box.querySelector(".picker-query");
    q.value = "";
    q.focus();
    return;
  }
  var remove = e.target.closest(".picker-remove");
  if (remove) {
    var from = remove.closest(".picker");
    remove.closest(".picker-item").remove();
    // A row's picker still sends one value, "", to stay in line with its row.
    if (from.hasAttribute("data-blank") && !from.querySelector(".picker-chosen input[type=hidden]")) {
      var blank = document.createElement("input");
      blank.type = "hidden";
      blank.name = from.getAttribute("data-name");
      blank.className = "picker-blank";
      from.querySelector(".picker-chosen").appendChild(blank);
    }
  }
});
// Enter in a picker's search box searches; it does not submit the form.
document.addEventListener("keydown", function (e) {
  if (e.key === "Enter" && e.target.classList && e.target.classList.contains("picker-query")) { e.preventDefault(); }
});
