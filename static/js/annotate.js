// Annotating: select text in a document, and a popover offers tags, a Markdown comment and Save.
// Saving sends a W3C Web Annotation to /annotations/ (the same API and checks as any client),
// then re-renders that document's highlights. Clicking a highlight opens its thread.

import { rangeToSelector } from "./offsets.js";
import { flash, scrollIntoColumn } from "./scrolling.js";

const popover = document.getElementById("annotation-popover");
const threads = document.getElementById("annotation-threads");
let pending = null; // {body, documentId, start, end, exact}
// A link being made (#19): the passages picked before this one with "Link to…", or null.
let linkDraft = null;
// Where keyboard focus goes back to when the popover closes, or a thread is left with Escape.
let returnFocusTo = null;
let threadOpener = null;
// On a session's page, annotations are made in that session and highlights show its annotations.
const sessionId = document.body.dataset.session || "";

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  if (match) return decodeURIComponent(match[1]);
  const field = document.querySelector("input[name=csrfmiddlewaretoken]");
  return field ? field.value : "";
}

function documentBodyOf(node) {
  const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
  return element ? element.closest(".document-body[data-document]") : null;
}

function currentSelection() {
  const selection = window.getSelection();
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  const body = documentBodyOf(range.commonAncestorContainer) || documentBodyOf(range.startContainer);
  if (!body || !body.contains(range.endContainer)) return null;
  const selector = rangeToSelector(body, range);
  if (!selector || !selector.exact.trim()) return null;
  return { body, documentId: body.dataset.document, rect: range.getBoundingClientRect(), ...selector };
}

// --- the tag field: chips, Enter or comma to add, Backspace to remove -------------------------

// The popover's tag field and each thread's edit form share these. Chips in a list with
// data-tag-field="tags" carry a hidden field of that name, so a plain form sends them.

function tagChips(field = popover) {
  return field.querySelector(".tag-chips");
}

function tagsGiven(field = popover) {
  return [...tagChips(field).querySelectorAll("[data-tag]")].map((chip) => chip.dataset.tag);
}

function addTag(name, field = popover) {
  name = name.replace(/\s+/g, " ").trim();
  if (!name || tagsGiven(field).some((tag) => tag.toLowerCase() === name.toLowerCase())) return;
  const chips = tagChips(field);
  const chip = document.createElement("li");
  chip.className = "tag-chip";
  chip.dataset.tag = name;
  chip.textContent = name;
  if (chips.dataset.tagField) {
    const hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = chips.dataset.tagField;
    hidden.value = name;
    chip.append(hidden);
  }
  const remove = document.createElement("button");
  remove.type = "button";
  remove.className = "tag-chip-remove";
  remove.setAttribute("aria-label", `Remove tag ${name}`);
  remove.textContent = "×";
  chip.append(remove);
  chips.append(chip);
}

function commitTypedTags(field = popover) {
  const input = field.querySelector("[data-tag-entry]");
  for (const name of input.value.split(",")) addTag(name, field);
  input.value = "";
}

// Typing in a tag field: Enter or a comma makes a chip, Backspace in an empty field removes the
// last one, choosing a suggestion adds it at once; × removes its chip. Listened for on the
// document: thread forms come and go, and a live role change replaces the popover's form.
document.addEventListener("keydown", (event) => {
  const entry = event.target.closest?.("[data-tag-entry]");
  if (!entry) return;
  const field = entry.closest(".tag-field");
  if (event.key === "Enter" || event.key === ",") {
    if (entry.value.trim()) {
      event.preventDefault();
      commitTypedTags(field);
    } else if (event.key === "Enter") {
      event.preventDefault();
    }
  } else if (event.key === "Backspace" && !entry.value) {
    tagChips(field).lastElementChild?.remove();
  }
});
document.addEventListener("change", (event) => {
  const entry = event.target.closest?.("[data-tag-entry]");
  if (entry && entry.value.trim()) commitTypedTags(entry.closest(".tag-field"));
});
document.addEventListener("click", (event) => {
  const remove = event.target.closest?.(".tag-chip-remove");
  if (!remove) return;
  const field = remove.closest(".tag-field");
  remove.closest(".tag-chip").remove();
  field?.querySelector("[data-tag-entry]")?.focus();
});

// --- the popover --------------------------------------------------------------------------

function showError(message) {
  const error = popover.querySelector(".popover-error");
  error.textContent = message;
  error.hidden = !message;
}

// Where the popover goes, as a rule in a stylesheet of its own rather than a style attribute:
// the page's policy allows no inline styles, and htmx's history snapshots would carry one back
// into the page as markup, which the policy blocks.
const placement = new CSSStyleSheet();
document.adoptedStyleSheets = [...document.adoptedStyleSheets, placement];

function placePopover(left, top) {
  placement.replaceSync(`#annotation-popover { left: ${Math.round(left)}px; top: ${Math.round(top)}px; }`);
}

// ``touch``: opened by a selection made with a finger. The popover then leaves the focus where it
// is (moving it to the tag field would bring up the phone's keyboard over the page and drop the
// selection's handles), and keeps clear of the handles under the selection.
function openPopover(selection, { touch = false } = {}) {
  if (!popover) return;
  // Signed out, a viewer, or in a closed session, the popover holds no form: only why not.
  const form = popover.querySelector("form");
  pending = form ? selection : null;
  if (form) {
    const quote = popover.querySelector(".popover-quote");
    quote.textContent = shortened(selection.exact);
    showError("");
    showLinkDraft(form);
  }
  popover.hidden = false;
  const width = popover.offsetWidth;
  const left = Math.min(Math.max(8, selection.rect.left), window.innerWidth - width - 8);
  const height = popover.offsetHeight;
  const below = selection.rect.bottom + (touch ? 36 : 8);
  const above = selection.rect.top - height - 8;
  // Below the selection if it fits, else above it, and always inside the window.
  const preferred = below + height <= window.innerHeight ? below : above;
  const top = Math.min(Math.max(8, preferred), Math.max(8, window.innerHeight - height - 8));
  placePopover(left, top);
  if (touch) return;
  const active = document.activeElement;
  returnFocusTo = active && active !== document.body && !popover.contains(active) ? active : null;
  const first = popover.querySelector("[name=tag-entry], a, [data-action=cancel]");
  if (first) first.focus({ preventScroll: true });
}

function shortened(text) {
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}

function sourceOf(documentId) {
  const column = document.querySelector(`.column[data-document="${CSS.escape(String(documentId))}"]`);
  return column?.querySelector(".source-name")?.textContent.trim() || "Article";
}

// In "Link to…" mode the popover lists the passages picked so far and this one, and offers the
// relation; otherwise it is the annotation popover as before.
function showLinkDraft(form) {
  const linking = Boolean(linkDraft);
  const section = form.querySelector(".popover-link");
  if (!section) return;
  section.hidden = !linking;
  form.querySelector(".popover-quote").hidden = linking;
  form.querySelector("[type=submit]").textContent = linking ? "Save link" : "Save";
  const more = form.querySelector("[data-action=link]");
  if (more) more.textContent = linking ? "Add another passage…" : "Link to…";
  popover.setAttribute("aria-label", linking ? "Link the selected passages" : "Annotate the selected text");
  if (!linking) return;
  section.querySelector(".popover-link-passages").replaceChildren(
    ...[...linkDraft, pending].map((passage) => {
      const item = document.createElement("li");
      const source = document.createElement("span");
      source.className = "link-passage-source";
      source.textContent = sourceOf(passage.documentId);
      const quote = document.createElement("q");
      quote.textContent = shortened(passage.exact);
      item.append(source, " ", quote);
      return item;
    }),
  );
}

function setLinkDraft(passages) {
  linkDraft = passages;
  document.dispatchEvent(new CustomEvent("link-draft", { detail: { passages: passages || [] } }));
  const status = document.getElementById("reading-status");
  if (status) {
    status.textContent = passages
      ? `Linking ${passages.length} passage${passages.length > 1 ? "s" : ""}: select the passage to link ${passages.length > 1 ? "them" : "it"} to (in an article, S selects a sentence, A adds it); Escape stops linking.`
      : "";
  }
}

// "Link to…": keep this selection (shown highlighted) and let the reader pick the next passage.
function startLink() {
  if (!pending) return;
  const passages = [...(linkDraft || []), pending];
  if (passages.length >= 10) {
    showError("A link can join at most 10 passages.");
    return;
  }
  closePopover({ keepDraft: true });
  window.getSelection().removeAllRanges();
  setLinkDraft(passages);
  const body = document.querySelector(`.document-body[data-document="${CSS.escape(String(passages[0].documentId))}"]`);
  const next = [...document.querySelectorAll(".column > .document-body[data-document]")].find((b) => b !== body) || body;
  next?.focus({ preventScroll: true });
}

function closePopover({ restoreFocus = true, keepDraft = false } = {}) {
  if (!popover) return;
  const hadFocus = popover.contains(document.activeElement);
  popover.hidden = true;
  pending = null;
  if (linkDraft && !keepDraft) setLinkDraft(null);
  const form = popover.querySelector("form");
  if (form) form.reset();
  popover.querySelector(".tag-chips")?.replaceChildren();
  if (restoreFocus && hadFocus && returnFocusTo?.isConnected) returnFocusTo.focus({ preventScroll: true });
}

// After Save, keyboard focus goes to the new highlight (Enter opens its thread), or to its
// article if the highlight is not shown.
function focusAnnotation(documentId, id) {
  const body = document.querySelector(`.document-body[data-document="${CSS.escape(String(documentId))}"]`);
  const mark = body && body.querySelector(`mark.annotation[data-annotation="${CSS.escape(String(id))}"]`);
  const target = mark || body;
  if (!target) return;
  if (mark) mark.tabIndex = 0;
  target.focus({ preventScroll: true });
}

function targetFor(selection) {
  return {
    source: `${window.location.origin}/documents/${selection.documentId}/`,
    selector: [
      { type: "TextQuoteSelector", exact: selection.exact },
      { type: "TextPositionSelector", start: selection.start, end: selection.end },
    ],
  };
}

function annotationFor(selection) {
  const form = popover.querySelector("form");
  const comment = form.elements.body.value;
  const bodies = tagsGiven().map((value) => ({ type: "TextualBody", purpose: "tagging", value }));
  if (comment.trim()) bodies.push({ type: "TextualBody", purpose: "commenting", value: comment, format: "text/markdown" });
  const annotation = {
    "@context": "http://www.w3.org/ns/anno.jsonld",
    type: "Annotation",
    visibility: form.elements.visibility.value,
    body: bodies,
    target: targetFor(selection),
  };
  if (linkDraft) {
    annotation.motivation = "linking";
    annotation.target = [...linkDraft, selection].map(targetFor);
    bodies.push({ type: "TextualBody", purpose: "classifying", value: form.elements.relation.value });
  }
  if (sessionId) annotation.session = Number(sessionId);
  return annotation;
}

// A new tag has a colour the page's tag stylesheet does not know yet.
function refreshTagColours() {
  const link = document.querySelector('link[href^="/annotations/tags.css"]');
  if (link) link.href = `/annotations/tags.css?v=${Date.now()}`;
}

// The highlight with keyboard focus in an article about to be rendered again, by what it is
// (which entity or annotation, and which of its marks there), to focus it again afterwards.
function focusedHighlight(body) {
  const active = document.activeElement;
  if (!active || active === body || !body.contains(active)) return null;
  const { annotation, entity } = active.dataset;
  const key = annotation
    ? `mark.annotation[data-annotation="${CSS.escape(annotation)}"]`
    : entity ? `mark.entity[data-entity="${CSS.escape(entity)}"]` : null;
  return key && { key, index: [...body.querySelectorAll(key)].indexOf(active) };
}

function refocus(body, focused) {
  if (!focused || (document.activeElement && document.activeElement !== document.body)) return;
  const target = body.querySelectorAll(focused.key)[focused.index] || body;
  if (target !== body) target.tabIndex = 0;
  target.focus({ preventScroll: true });
}

export function refreshDocument(documentId) {
  const bodies = document.querySelectorAll(`.document-body[data-document="${CSS.escape(String(documentId))}"]`);
  const loads = [...bodies].map((body) => {
    const scrollTop = body.scrollTop;
    const focused = focusedHighlight(body);
    return htmx
      .ajax("GET", `/documents/${documentId}/${sessionId ? `?session=${sessionId}` : ""}`, { target: body, swap: "innerHTML" })
      .then(() => {
        body.scrollTop = scrollTop;
        refocus(body, focused);
      });
  });
  return Promise.all(loads);
}

async function save(event) {
  event.preventDefault();
  if (!pending) return;
  commitTypedTags();
  const selection = pending;
  const linking = Boolean(linkDraft);
  // Saved from the keyboard (focus in the popover, before the button is disabled and loses it).
  const keyboard = popover.contains(document.activeElement);
  const button = popover.querySelector("[type=submit]");
  button.disabled = true;
  try {
    const response = await fetch("/annotations/", {
      method: "POST",
      headers: { "Content-Type": "application/ld+json", "X-CSRFToken": csrfToken(), Accept: "application/ld+json" },
      credentials: "same-origin",
      body: JSON.stringify(annotationFor(selection)),
    });
    if (!response.ok) {
      let message = `The ${linkDraft ? "link" : "annotation"} was not saved (${response.status}).`;
      try {
        const problem = await response.json();
        if (problem.error) message = problem.error;
      } catch (_) { /* not JSON: keep the general message */ }
      showError(message);
      return;
    }
    const saved = await response.json();
    closePopover({ restoreFocus: false });
    refreshTagColours();
    window.getSelection().removeAllRanges();
    await refreshDocument(selection.documentId);
    const id = String(saved.id || "").split("/").filter(Boolean).pop();
    if (keyboard && !linking) focusAnnotation(selection.documentId, id);
    document.body.dispatchEvent(new CustomEvent("annotations-changed", { bubbles: true, detail: { document: selection.documentId, id: saved.id } }));
  } catch (error) {
    showError("The annotation was not saved: the server could not be reached. Your text is still here.");
  } finally {
    button.disabled = false;
  }
}

// --- threads --------------------------------------------------------------------------------

export function openThreads(ids, opener = null) {
  if (!threads || !ids.length) return;
  // Remembered by what it is: the article may be rendered again (a reply refreshes it) meanwhile.
  threadOpener = opener && { document: opener.closest(".document-body[data-document]")?.dataset.document, id: opener.dataset.annotation || opener.dataset.link };
  const query = new URLSearchParams(ids.map((id) => ["id", id]));
  htmx.ajax("GET", `/annotations/threads/?${query}`, { target: threads, swap: "innerHTML" }).then(() => {
    threads.closest("[hidden]")?.removeAttribute("hidden");
    threads.focus({ preventScroll: true });
  });
}

export function scrollToAnnotation(id) {
  // An annotation's highlight, or a link's marked passages (links.js).
  const marks = `mark.annotation[data-annotation="${CSS.escape(String(id))}"], .link-passage[data-link="${CSS.escape(String(id))}"]`;
  const mark = document.querySelector(marks);
  if (!mark) return false;
  scrollIntoColumn(mark, { reveal: true });
  flash(...document.querySelectorAll(marks));
  return true;
}

// --- wiring ---------------------------------------------------------------------------------

document.addEventListener("mouseup", (event) => {
  // A tap's compatibility mouseup: a selection made with a finger is seen to below.
  if (lastPointer !== "mouse" || (popover && popover.contains(event.target))) return;
  // Let the browser finish the selection first.
  setTimeout(() => {
    const selection = currentSelection();
    if (selection) openPopover(selection);
  }, 0);
});

// A phone or a tablet: a long press selects a word and its handles widen the selection, and no
// mouseup comes at the end. Once a selection made after a touch has stayed put for a moment, the
// popover opens below it (and follows the handles if they move again before anything is typed).
const SETTLED_MS = 450;
let lastPointer = "mouse";
let pointerDown = false;
let settling = 0;

document.addEventListener("pointerdown", (event) => {
  lastPointer = event.pointerType || "mouse";
  pointerDown = lastPointer !== "mouse";
}, true);
for (const type of ["pointerup", "pointercancel"]) {
  document.addEventListener(type, () => { pointerDown = false; }, true);
}

document.addEventListener("selectionchange", () => {
  if (lastPointer === "mouse" || lastPointer === "keyboard") return;
  clearTimeout(settling);
  settling = setTimeout(() => {
    if (pointerDown || (popover && popover.contains(document.activeElement))) return;
    const selection = currentSelection();
    if (selection) openPopover(selection, { touch: true });
  }, SETTLED_MS);
});

document.addEventListener("keydown", (event) => {
  if (!popover?.contains(event.target)) lastPointer = "keyboard";
  const typing = event.target.closest("input, textarea, select, [contenteditable]");
  if (event.key === "Escape" && popover && !popover.hidden) {
    closePopover();
  } else if (event.key === "Escape" && linkDraft) {
    setLinkDraft(null);
  } else if (event.key === "Escape" && threads?.contains(event.target) && threadOpener) {
    focusAnnotation(threadOpener.document, threadOpener.id);
  } else if (event.key === "Enter" && event.target.matches("mark.annotation")) {
    event.preventDefault();
    openThreads(annotationsAt(event.target), event.target);
  } else if (!typing && (event.key === "a" || event.key === "A") && !event.ctrlKey && !event.metaKey && !event.altKey) {
    const selection = currentSelection();
    if (selection) {
      event.preventDefault();
      openPopover(selection);
    } else if (!window.getSelection().isCollapsed) {
      // Such as after Ctrl+A: the selection spans more than one article, or none.
      const status = document.getElementById("reading-status");
      if (status) status.textContent = "Select text inside one article to annotate it (in an article, S selects a sentence).";
    }
  }
});

document.addEventListener("click", (event) => {
  const entry = event.target.closest("[data-panel-annotation]");
  if (entry) {
    const id = entry.dataset.panelAnnotation;
    if (scrollToAnnotation(id)) {
      event.preventDefault();
      openThreads([id]);
    }
    return;
  }
  const mark = event.target.closest("mark.annotation");
  const entity = event.target.closest("mark.entity");
  // The innermost highlight answers a click: an entity inside this annotation is the entity's.
  if (!mark || (entity && mark.contains(entity)) || String(window.getSelection()).length > 0) return;
  openThreads(annotationsAt(mark));
});

// Overlapping annotations nest: a click or Enter on the inner one is on all of them.
function annotationsAt(mark) {
  const ids = [];
  let element = mark;
  while (element) {
    ids.push(element.dataset.annotation);
    element = element.parentElement ? element.parentElement.closest("mark.annotation") : null;
  }
  return [...new Set(ids)];
}

// A reply, an edit or a delete replaced the threads and the focused form with them: keep focus
// in the threads rather than dropping it to the top of the page.
document.body.addEventListener("htmx:afterSettle", (event) => {
  if (threads && event.detail.target === threads && (!document.activeElement || document.activeElement === document.body)) {
    threads.focus({ preventScroll: true });
  }
});

// Listened for on the popover itself: a live role change replaces what is inside it.
if (popover) {
  popover.addEventListener("submit", save);
  popover.addEventListener("click", (event) => {
    if (event.target.closest("[data-action=cancel]")) closePopover();
    else if (event.target.closest("[data-action=link]")) startLink();
  });
}

// A suggested link's Edit (suggestions.js, #19): the popover in "Link to…" mode with the
// suggestion's passages picked and its relation chosen, to change before saving.
function editSuggestedLink({ passages, relation }) {
  if (!popover?.querySelector("form") || passages.length < 2) return;
  const last = passages[passages.length - 1];
  setLinkDraft(passages.slice(0, -1));
  openPopover(last);
  const select = popover.querySelector("[name=relation]");
  if (select && [...select.options].some((option) => option.value === relation)) select.value = relation;
}
document.addEventListener("link-edit", (event) => editSuggestedLink(event.detail));

// Another column, a thread edit or a delete changed annotations: refresh what shows them.
document.body.addEventListener("annotations-changed", (event) => {
  const documentId = event.detail && event.detail.document;
  if (documentId && !(event.detail && event.detail.id)) refreshDocument(documentId);
});

// The panel's filter choices arrive with each list, swapped into their <select>s; a select whose
// options are replaced does not reliably keep the one marked selected: choose it again.
document.body.addEventListener("htmx:oobAfterSwap", (event) => {
  const select = event.detail.target;
  if (!(select instanceof HTMLSelectElement) || !select.closest(".panel-filters")) return;
  const chosen = select.querySelector("option[selected]");
  select.value = chosen ? chosen.value : "";
});
