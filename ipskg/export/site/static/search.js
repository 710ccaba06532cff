// Search over the site's labels, without a server: search-index.js sets window.IPSKG_SEARCH
// (an array of [label, kind, path]), so the site works from file:// as from any static host.
(function () {
  "use strict";
  var box = document.getElementById("search-box");
  var list = document.getElementById("search-results");
  var index = window.IPSKG_SEARCH || [];
  var root = document.body.getAttribute("data-root") || "";
  if (!box || !list) { return; }
  function show() {
    var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    list.textContent = "";
    if (!words.length) { return; }
    var shown = 0;
    for (var i = 0; i < index.length && shown < 25; i++) {
      var text = index[i][0].toLowerCase();
      if (words.every(function (w) { return text.indexOf(w) >= 0; })) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = root + index[i][2];
        a.textContent = index[i][0];
        var kind = document.createElement("span");
        kind.className = "kind";
        kind.textContent = " (" + index[i][1] + ")";
        li.appendChild(a);
        li.appendChild(kind);
        list.appendChild(li);
        shown++;
      }
    }
    if (!shown) {
      var none = document.createElement("li");
      none.textContent = "nothing found";
      list.appendChild(none);
    }
  }
  box.addEventListener("input", show);
})();
