// Live character count of a note (学习笔记字数): every character that is not
// white space, as the server counts it (learning.CountChars).
(function () {
  function count(s) { return s.replace(/\s/gu, "").length ? Array.from(s.replace(/\s/gu, "")).length : 0; }
  document.querySelectorAll("textarea[data-count]").forEach(function (t) {
    var out = document.querySelector(t.getAttribute("data-count"));
    if (!out) return;
    var update = function () { out.textContent = String(count(t.value)); };
    t.addEventListener("input", update);
    update();
  });
})();
