// Bringing a mark into view inside its column (or the page, where columns do not scroll on their
// own, as on a phone) and flashing it: one place for the entity card, quotes and annotations.

export function scrollIntoColumn(mark, { reveal = false } = {}) {
  // Asked for by the reader (not a column following another): a column hidden on a phone is shown.
  if (reveal) mark.dispatchEvent(new CustomEvent("column-wanted", { bubbles: true }));
  const column = mark.closest(".column-body");
  if (column && getComputedStyle(column).overflowY !== "visible") {
    const offset = mark.getBoundingClientRect().top - column.getBoundingClientRect().top;
    column.scrollTo({ top: column.scrollTop + offset - column.clientHeight / 3 });
  } else {
    mark.scrollIntoView({ block: "center" });
  }
}

export function flash(...elements) {
  for (const element of elements) {
    element.classList.remove("is-flashing");
    void element.offsetWidth; // restart the animation
    element.classList.add("is-flashing");
  }
}
