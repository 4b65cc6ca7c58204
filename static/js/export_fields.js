// The export page's "全选" box, bound here rather than by an inline handler (CSP: script-src 'self').
// onSelectToggleChange comes from django-import-export's export_selectable_fields.js (the form's media).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("input.select-toggle").forEach(function (box) {
    box.addEventListener("change", function (event) {
      if (typeof onSelectToggleChange === "function") {
        onSelectToggleChange(event);
      }
    });
  });
});
