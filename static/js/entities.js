// Entity highlights: select an entity in every column, show its card, jump mention by mention,
// and toggle the highlight colours of each entity type from the legend. A curator's correction
// made on the card (merge, split, type, not an entity) renders every column's marks again.

import { refreshDocument } from "./annotate.js";
import { codePointLength } from "./offsets.js";
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

/** Which mark the card was opened from: its document and the canonical offset where it starts
 * (a curator's card offers to split or reject that very mention). */
function clickedMark(mark) {
  const block = mark && mark.closest("[data-start]");
  const body = mark && mark.closest(".document-body[data-document]");
  if (!block || !body) return [];
  const before = document.createRange();
  before.selectNodeContents(block);
  before.setEndBefore(mark);
  return [["in", body.dataset.document], ["at", String(Number(block.dataset.start) + codePointLength(before.toString()))]];
}

function markSelected(entityId) {
  for (const mark of selected) mark.classList.remove("is-selected");
  selected = [...document.querySelectorAll(`mark.entity[data-entity="${CSS.escape(String(entityId))}"]`)];
  for (const mark of selected) mark.classList.add("is-selected");
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
    const query = new URLSearchParams([...shownDocumentIds().map((id) => ["doc", id]), ...clickedMark(origin)]);
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
  } else if (event.key === "Escape" && card && card.contains(event.target) && selected.length) {
    // From the card back to the mark it was opened from; a second Escape closes it.
    const mark = selected[Math.max(position, 0)];
    mark.focus({ preventScroll: true });
    scrollIntoColumn(mark);
  } else if (event.key === "Escape" && selected.length && document.getElementById("annotation-popover")?.hidden !== false) {
    clearSelection();
  } else if (
    (event.key === "c" || event.key === "C") && card && !card.hidden && !card.contains(event.target)
    && !event.target.closest("input, textarea, select") && !event.ctrlKey && !event.metaKey && !event.altKey
  ) {
    // From the article into the open card: its corrections for a curator, else its mention buttons.
    const control = card.querySelector(".entity-card-curate summary") || card.querySelector("[data-entity-action=next]");
    if (control) {
      event.preventDefault();
      control.focus();
    }
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

// A curator's decision on the card: every column is rendered again, so merged marks take the
// colour and entity they now have and rejected ones go; the card's entity stays selected.
async function refreshMarks() {
  const columns = [...document.querySelectorAll(".columns .column-body[data-document]")];
  // One request after another: htmx drops a request made while another from the same source is
  // in flight.
  if (!columns.length) {
    for (const id of shownDocumentIds()) await refreshDocument(id);
    return;
  }
  // The compare (or session) page's columns come from that page again, with what it draws beside
  // the entities (passages the other columns share, the session's annotations), which a
  // document's own body would not have. The header asks htmx's way for the whole page.
  for (const body of columns) {
    const scrollTop = body.scrollTop;
    await htmx.ajax("GET", window.location.href, {
      target: body,
      swap: "innerHTML",
      select: `.column-body[data-document="${CSS.escape(body.dataset.document)}"] > *`,
      headers: { "HX-History-Restore-Request": "true" },
    });
    body.scrollTop = scrollTop;
  }
}

document.body.addEventListener("entities-curated", async (event) => {
  const entityId = event.detail && event.detail.entity;
  await refreshMarks();
  if (entityId !== undefined) {
    markSelected(entityId);
    position = Math.min(Math.max(position, 0), selected.length - 1);
    updatePosition();
  }
});

// A correction made from the keyboard keeps the keyboard in the card: the new card's Undo (or,
// after a refusal, its corrections) takes the focus the pressed button had.
let focusInCard = false;
document.body.addEventListener("htmx:beforeSwap", (event) => {
  if (card && event.detail.target === card) focusInCard = card.contains(document.activeElement);
});
document.body.addEventListener("htmx:afterSwap", (event) => {
  if (!card || event.detail.target !== card || !focusInCard) return;
  focusInCard = false;
  card.querySelector(".entity-card-message button, .entity-card-curate summary")?.focus();
});

// The card's entity searches, from the keyboard: Down moves from the field into the entities
// listed, Up and Down between them, Enter in the field takes the first one (never the form's
// other button).
if (card) {
  card.addEventListener("keydown", (event) => {
    const field = event.target.closest("[data-entity-search]");
    const option = event.target.closest(".entity-search-option");
    if (!field && !option) return;
    const results = (field || option).closest("form").querySelector(".entity-search-results");
    const options = [...results.querySelectorAll(".entity-search-option")];
    if (field && event.key === "Enter") {
      event.preventDefault();
      if (options.length) options[0].click();
    } else if (field && event.key === "ArrowDown" && options.length) {
      event.preventDefault();
      options[0].focus();
    } else if (option && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault();
      const next = options.indexOf(option) + (event.key === "ArrowDown" ? 1 : -1);
      (next < 0 ? option.closest("form").querySelector("[data-entity-search]") : options[Math.min(next, options.length - 1)]).focus();
    } else if (event.key === "Escape") {
      // Out of the search, not off the entity: the card stays.
      event.stopPropagation();
      (field || option.closest("form").querySelector("[data-entity-search]")).blur();
    }
  });
}
