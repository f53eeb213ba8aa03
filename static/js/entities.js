// Entity highlights: select an entity in every column, show its card, jump mention by mention,
// and toggle the highlight colours of each entity type from the legend.

import { flash, scrollIntoColumn } from "./scrolling.js";

const card = document.getElementById("entity-card");
let selected = [];
let position = -1;

function shownDocumentIds() {
  return [...new Set([...document.querySelectorAll("[data-document]")].map((element) => element.dataset.document))];
}


function updatePosition() {
  const counter = card && card.querySelector("[data-role=position]");
  if (counter) counter.textContent = selected.length ? `${position + 1} of ${selected.length} here` : "none here";
}

function clearSelection() {
  for (const mark of selected) mark.classList.remove("is-selected");
  selected = [];
  position = -1;
  if (card) {
    card.hidden = true;
    card.innerHTML = "";
  }
}

function selectEntity(entityId, origin) {
  for (const mark of selected) mark.classList.remove("is-selected");
  selected = [...document.querySelectorAll(`mark.entity[data-entity="${CSS.escape(entityId)}"]`)];
  for (const mark of selected) mark.classList.add("is-selected");
  // Every other column scrolls to its first mention; the one clicked in stays where it is.
  for (const column of document.querySelectorAll(".column-body")) {
    if (origin && column.contains(origin)) continue;
    const first = column.querySelector("mark.entity.is-selected");
    if (first) {
      scrollIntoColumn(first);
      flash(first);
    }
  }
  position = Math.max(selected.indexOf(origin), 0);
  if (card && window.htmx) {
    const query = new URLSearchParams(shownDocumentIds().map((id) => ["doc", id]));
    htmx.ajax("GET", `/entities/${encodeURIComponent(entityId)}/card/?${query}`, { target: card, swap: "innerHTML" })
      .then(() => {
        card.hidden = false;
        updatePosition();
      });
  }
}

function jump(step) {
  if (!selected.length) return;
  position = (position + step + selected.length) % selected.length;
  const mark = selected[position];
  scrollIntoColumn(mark, { reveal: true });
  mark.focus({ preventScroll: true });
  flash(mark);
  updatePosition();
}

document.addEventListener("click", (event) => {
  const mark = event.target.closest("mark.entity");
  const note = event.target.closest("mark.annotation");
  // The innermost highlight answers a click: an annotation inside this entity mark is the annotation's.
  const annotationIsInner = note && mark && mark.contains(note);
  // A click that ends a text selection is for annotating, not for choosing an entity.
  if (mark && !annotationIsInner && String(window.getSelection()).length === 0) {
    selectEntity(mark.dataset.entity, mark);
    return;
  }
  const action = event.target.closest("[data-entity-action]");
  if (action) {
    const name = action.dataset.entityAction;
    if (name === "next") jump(1);
    else if (name === "previous") jump(-1);
    else if (name === "close") clearSelection();
    return;
  }
  const toggle = event.target.closest("[data-entity-type]");
  if (toggle) {
    const shown = toggle.getAttribute("aria-pressed") !== "true";
    toggle.setAttribute("aria-pressed", String(shown));
    document.body.classList.toggle(`hide-entity--${toggle.dataset.entityType}`, !shown);
  }
});

document.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && event.target.matches("mark.entity")) {
    event.preventDefault();
    selectEntity(event.target.dataset.entity, event.target);
  } else if (event.key === "Escape" && selected.length && document.getElementById("annotation-popover")?.hidden !== false) {
    clearSelection();
  } else if (selected.length && !event.target.closest("input, textarea, select") && (event.key === "n" || event.key === "p")) {
    jump(event.key === "n" ? 1 : -1);
  }
});

// A column re-rendered (a new annotation, a live update): pick up the selected entity's new marks.
document.body.addEventListener("htmx:afterSwap", () => {
  if (!selected.length) return;
  const entityId = selected[0].dataset.entity;
  selected = [...document.querySelectorAll(`mark.entity[data-entity="${CSS.escape(entityId)}"]`)];
  for (const mark of selected) mark.classList.add("is-selected");
  position = Math.min(position, selected.length - 1);
  updatePosition();
});
