// Hovering a claim card on the article page brightens that claim's evidence. No inline script
// anywhere: the page's Content-Security-Policy allows only this file.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("#claims li[data-claim-id]").forEach(function (card) {
    var id = card.getAttribute("data-claim-id");
    function toggle(on) {
      document.querySelectorAll("mark.ev").forEach(function (m) {
        var ids = (m.getAttribute("data-claims") || "").split(" ");
        if (ids.indexOf(id) >= 0) { m.classList.toggle("focus", on); }
      });
    }
    card.addEventListener("mouseenter", function () { toggle(true); });
    card.addEventListener("mouseleave", function () { toggle(false); });
  });
});
