// After htmx adds or removes a column, move keyboard focus somewhere sensible: the new column's
// header, or the column count after a removal (the button that had focus is gone).
document.body.addEventListener("htmx:afterSettle", () => {
  const target = document.querySelector("[data-focus-after-swap]");
  if (target) {
    target.removeAttribute("data-focus-after-swap");
    target.focus();
  }
});
