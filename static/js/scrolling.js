// Bringing a mark into view inside its column (or the page, where columns do not scroll on their
// own, as on a phone) and flashing it: one place for the entity card, quotes and annotations.

export function scrollIntoColumn(mark, { reveal = false } = {}) {
  // Asked for by the reader (not a column following another): a column hidden on a phone is shown.
  if (reveal) mark.dispatchEvent(new CustomEvent("column-wanted", { bubbles: true }));
  if (!reveal && !mark.getClientRects().length) return; // in a column a phone does not show
  const column = mark.closest(".column-body");
  if (column && getComputedStyle(column).overflowY !== "visible") {
    const offset = mark.getBoundingClientRect().top - column.getBoundingClientRect().top;
    column.scrollTo({ top: column.scrollTop + offset - column.clientHeight / 3 });
  } else if (coveredFrom() < window.innerHeight) {
    // A phone with the annotations' drawer open over the lower part of the page: the mark goes to
    // the middle of what the drawer leaves uncovered, not under it.
    const rect = mark.getBoundingClientRect();
    window.scrollBy({ top: rect.top + rect.height / 2 - coveredFrom() / 2 });
  } else {
    mark.scrollIntoView({ block: "center" });
  }
}

// Where a drawer fixed over the foot of the window begins (the window's height if none is open).
function coveredFrom() {
  const drawer = document.querySelector(".annotation-sidebar.is-open");
  if (!drawer || getComputedStyle(drawer).position !== "fixed") return window.innerHeight;
  return Math.max(120, drawer.getBoundingClientRect().top);
}

export function flash(...elements) {
  for (const element of elements) {
    element.classList.remove("is-flashing");
    void element.offsetWidth; // restart the animation
    element.classList.add("is-flashing");
  }
}
