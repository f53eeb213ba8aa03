// Suggested links (#19) on the compare page: what the machine already knows (the same quote in two
// columns, a passage two columns share, sentences whose figures, days or names differ) marked in
// each column with a dotted line and joined by dotted connectors. A click (or Enter) on a suggested
// passage opens its card in the side panel: Accept makes it a link with the reader as its author,
// Edit opens the link popover with its passages, Dismiss hides it for good (for this session on a
// session's page). The side panel's Links filter has a "Suggested" entry; with it, Previous and
// Next walk the suggestions. They come as JSON from /compare/suggestions/ and are fetched again
// whenever annotations change (an accepted suggestion is a link then, and no longer suggested).

import { clampToView, connectorOverlay, connectorsBetween, gutterOf, writeConnectors } from "./connectors.js";
import { SUGGESTED, unwrap, wrap } from "./links.js";
import { flash, scrollIntoColumn } from "./scrolling.js";

const columns = document.getElementById("columns");
const nav = document.querySelector(".link-nav");
const card = document.getElementById("suggestion-card");
const sessionId = document.body.dataset.session || "";
const PHONE = window.matchMedia("(max-width: 48rem)");
let suggestions = [];
let currentKey = "";
let opener = null;

const colours = new CSSStyleSheet();
document.adoptedStyleSheets = [...document.adoptedStyleSheets, colours];

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  if (match) return decodeURIComponent(match[1]);
  return card?.querySelector("input[name=csrfmiddlewaretoken]")?.value || "";
}

function bodies() {
  return columns ? [...columns.querySelectorAll(".column > .document-body[data-document]")] : [];
}

function shownIds() {
  return bodies().map((body) => body.dataset.document);
}

function sourceOf(documentId) {
  const column = document.querySelector(`.column[data-document="${CSS.escape(String(documentId))}"]`);
  return column?.querySelector(".source-name")?.textContent.trim() || "Article";
}

/** The suggestions the Links filter lets through: all of them, or none while a relation is chosen. */
function shownSuggestions() {
  const value = nav?.querySelector("select")?.value || "";
  return value === "" || value === SUGGESTED ? suggestions : [];
}

function byKey(key) {
  return suggestions.find((suggestion) => suggestion.key === key) || null;
}

// --- marks and connectors ----------------------------------------------------------------------

function markSuggestions(body) {
  firstSpans.delete(body);
  unwrap(body, ".suggested-passage");
  const documentId = body.dataset.document;
  for (const suggestion of shownSuggestions()) {
    for (const passage of suggestion.passages) {
      if (String(passage.document) !== documentId) continue;
      const spans = wrap(body, passage.start, passage.end, "suggested-passage", {
        suggestion: suggestion.key,
        relation: suggestion.relation,
      });
      for (const span of spans) {
        span.title = `Suggested link: ${suggestion.relationName}. ${suggestion.reason}`;
        if (suggestion.key === currentKey) span.classList.add("is-current");
      }
      if (spans[0]) {
        spans[0].tabIndex = -1; // reached with the arrow keys (keyboard.js), not one Tab stop each
        spans[0].setAttribute("role", "button");
        // Its name stays its words (what is read on screen); what it is comes as a description.
        spans[0].setAttribute("aria-description", `Suggested link (${suggestion.kindName}): ${suggestion.relationName}. Enter opens it.`);
      }
    }
  }
}

function markAllSuggestions() {
  for (const body of bodies()) markSuggestions(body);
  scheduleSuggestionDraw();
}

function setSuggestionColours() {
  const rules = new Map();
  for (const suggestion of suggestions) {
    if (/^#[0-9a-f]{6}$/i.test(suggestion.colour)) rules.set(suggestion.relation, suggestion.colour);
  }
  colours.replaceSync(
    [...rules]
      .map(([slug, colour]) => `[data-suggestion][data-relation="${CSS.escape(slug)}"] { --link: ${colour}; }`)
      .join("\n"),
  );
}

const overlay = columns ? connectorOverlay("suggestion-connectors") : null;

// Drawn as links.js draws links, and in the same frame without making the browser lay the page
// out twice: the positions are read in a frame callback asked for before links.js's (a scroll
// listener on the window, which hears a column's scroll before the document does) and the paths
// written in one asked for after it, so that nothing is written between links.js's reads and ours.
let readFrame = 0;
let writeFrame = 0;
let read = null; // {time, connectors}: what the read callback of this frame found

function scheduleRead() {
  if (!readFrame) {
    readFrame = requestAnimationFrame((time) => {
      readFrame = 0;
      read = { time, connectors: suggestionConnectors() };
    });
  }
}

function scheduleWrite() {
  if (!writeFrame) {
    writeFrame = requestAnimationFrame((time) => {
      writeFrame = 0;
      writeSuggestionConnectors(read && read.time === time ? read.connectors : suggestionConnectors());
      read = null;
    });
  }
}

function scheduleSuggestionDraw() {
  scheduleRead();
  scheduleWrite();
}

// Each column's first span of every suggestion it holds: found once after the column is marked.
const firstSpans = new WeakMap();

function firstSpansOf(body) {
  let found = firstSpans.get(body);
  if (!found) {
    found = new Map();
    for (const span of body.querySelectorAll(".suggested-passage")) {
      if (!found.has(span.dataset.suggestion)) found.set(span.dataset.suggestion, span);
    }
    firstSpans.set(body, found);
  }
  return found;
}

/** The dotted connectors between adjacent columns, as read from the page (nothing written). */
function suggestionConnectors() {
  if (PHONE.matches || !suggestions.length) return [];
  const shown = bodies().map((body) => ({ ...gutterOf(body), spans: firstSpansOf(body) }));
  return connectorsBetween(shown, (column, key, span) => {
    const rect = span.getClientRects()[0] || span.getBoundingClientRect();
    return clampToView(rect.top + rect.height / 2, column.view);
  });
}

function writeSuggestionConnectors(connectors) {
  if (overlay) writeConnectors(overlay, connectors, { className: "suggestion-connector", idKey: "suggestion", current: currentKey });
}

// --- fetching ----------------------------------------------------------------------------------

let fetchedFor = "";

async function refreshSuggestions() {
  const ids = shownIds();
  fetchedFor = ids.join(",");
  if (ids.length < 2) return;
  const query = new URLSearchParams(ids.map((id) => ["doc", id]));
  if (sessionId) query.set("session", sessionId);
  try {
    const response = await fetch(`/compare/suggestions/?${query}`, { credentials: "same-origin", cache: "no-store" });
    if (!response.ok) return;
    suggestions = (await response.json()).suggestions;
  } catch (error) {
    return; // the network blinked: the next change fetches them again
  }
  if (currentKey && !byKey(currentKey)) closeCard({ restoreFocus: false });
  if (nav) nav.dataset.suggested = String(suggestions.length);
  document.dispatchEvent(new CustomEvent("suggestions-changed"));
  setSuggestionColours();
  markAllSuggestions();
}

// --- the card ----------------------------------------------------------------------------------

function shortened(text) {
  return text.length > 220 ? `${text.slice(0, 220)}…` : text;
}

function openCard(key, from = null) {
  const suggestion = byKey(key);
  if (!card || !suggestion) return;
  currentKey = key;
  opener = from;
  for (const span of document.querySelectorAll(".suggested-passage")) {
    span.classList.toggle("is-current", span.dataset.suggestion === key);
  }
  card.querySelector(".suggestion-card-heading").textContent = `Suggested link: ${suggestion.relationName}`;
  card.querySelector(".suggestion-kind").textContent = suggestion.kindName;
  card.querySelector(".suggestion-reason").textContent = suggestion.reason;
  card.querySelector(".suggestion-passages").replaceChildren(
    ...suggestion.passages.map((passage) => {
      const item = document.createElement("li");
      const source = document.createElement("span");
      source.className = "link-passage-source";
      source.textContent = `${sourceOf(passage.document)}: `;
      item.append(source, shortened(passage.exact));
      return item;
    }),
  );
  const form = card.querySelector("form");
  if (form) {
    form.elements.key.value = key;
    if (form.elements.relation) form.elements.relation.value = suggestion.relation;
  }
  showCardError("");
  card.hidden = false;
  card.focus({ preventScroll: true });
  card.scrollIntoView({ block: "nearest" });
  scheduleSuggestionDraw();
}

function closeCard({ restoreFocus = true } = {}) {
  if (!card || card.hidden) return;
  const hadFocus = card.contains(document.activeElement);
  card.hidden = true;
  currentKey = "";
  for (const span of document.querySelectorAll(".suggested-passage.is-current")) span.classList.remove("is-current");
  if (restoreFocus && hadFocus && opener?.isConnected) opener.focus({ preventScroll: true });
  opener = null;
  scheduleSuggestionDraw();
}

function showCardError(message) {
  const error = card?.querySelector(".suggestion-error");
  if (!error) return;
  error.textContent = message;
  error.hidden = !message;
}

function setStatus(text) {
  const status = nav?.querySelector(".link-nav-status");
  if (status) status.textContent = text;
}

// Accept or Dismiss: the card's form, sent as the page's script does (a plain post works too).
async function answer(action, button) {
  const form = card.querySelector("form");
  const data = new FormData(form);
  data.delete("doc");
  for (const id of shownIds()) data.append("doc", id);
  if (sessionId) data.set("session", sessionId);
  const key = data.get("key");
  button.disabled = true;
  try {
    const response = await fetch(`/compare/suggestions/${action}/`, {
      method: "POST",
      headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
      credentials: "same-origin",
      body: data,
    });
    let result = {};
    try {
      result = await response.json();
    } catch (_) { /* not JSON: the status says enough */ }
    if (!response.ok) {
      showCardError(result.error || `The suggestion was not ${action === "accept" ? "accepted" : "dismissed"} (${response.status}).`);
      return;
    }
    const from = opener;
    suggestions = suggestions.filter((suggestion) => suggestion.key !== key);
    closeCard({ restoreFocus: false });
    if (nav) nav.dataset.suggested = String(suggestions.length);
    document.dispatchEvent(new CustomEvent("suggestions-changed"));
    markAllSuggestions();
    setStatus(action === "accept" ? "Suggestion accepted: it is a link now." : "Suggestion dismissed.");
    if (from?.isConnected) from.focus({ preventScroll: true });
    else bodies()[0]?.focus({ preventScroll: true });
    if (action === "accept") {
      // The new link is drawn (links.js), listed in the panel and, in a session, sent to the others.
      document.body.dispatchEvent(new CustomEvent("annotations-changed", { bubbles: true, detail: { id: result.id } }));
    }
  } catch (error) {
    showCardError("The server could not be reached; try again.");
  } finally {
    button.disabled = false;
  }
}

// Edit: the link popover (annotate.js), with the suggestion's passages picked and its relation chosen.
function edit() {
  const suggestion = byKey(currentKey);
  if (!suggestion) return;
  const passages = suggestion.passages.map((passage) => {
    const body = columns.querySelector(`.document-body[data-document="${CSS.escape(String(passage.document))}"]`);
    const span = body?.querySelector(`.suggested-passage[data-suggestion="${CSS.escape(suggestion.key)}"]`);
    const rect = (span || body).getBoundingClientRect();
    return { body, documentId: String(passage.document), start: passage.start, end: passage.end, exact: passage.exact, rect };
  });
  closeCard({ restoreFocus: false });
  document.dispatchEvent(new CustomEvent("link-edit", { detail: { passages, relation: suggestion.relation } }));
}

// --- walking -----------------------------------------------------------------------------------

function walkSuggestions(by) {
  const order = shownIds();
  const place = (suggestion) => {
    const first = suggestion.passages.reduce((best, passage) => {
      const column = order.indexOf(String(passage.document));
      return column >= 0 && (column < best[0] || (column === best[0] && passage.start < best[1])) ? [column, passage.start] : best;
    }, [Infinity, Infinity]);
    return first;
  };
  const ordered = shownSuggestions()
    .map((suggestion) => [place(suggestion), suggestion])
    .sort((a, b) => a[0][0] - b[0][0] || a[0][1] - b[0][1])
    .map(([, suggestion]) => suggestion);
  if (!ordered.length) {
    setStatus("No suggestions to walk.");
    return;
  }
  let index = ordered.findIndex((suggestion) => suggestion.key === currentKey);
  index = index < 0 ? (by > 0 ? 0 : ordered.length - 1) : (index + by + ordered.length) % ordered.length;
  const suggestion = ordered[index];
  const spans = [];
  let first = null;
  for (const body of bodies()) {
    const marks = body.querySelectorAll(`.suggested-passage[data-suggestion="${CSS.escape(suggestion.key)}"]`);
    if (marks[0]) scrollIntoColumn(marks[0]);
    first ||= marks[0] || null;
    spans.push(...marks);
  }
  flash(...spans);
  setStatus(`Suggestion ${index + 1} of ${ordered.length}: ${suggestion.kindName}, ${suggestion.relationName}`);
  openCard(suggestion.key, first);
}

// --- wiring ------------------------------------------------------------------------------------

if (columns) {
  window.addEventListener("scroll", scheduleRead, { capture: true, passive: true });
  document.addEventListener("scroll", scheduleWrite, { capture: true, passive: true });
  window.addEventListener("resize", scheduleSuggestionDraw);
  PHONE.addEventListener("change", scheduleSuggestionDraw);
  document.body.addEventListener("htmx:afterSettle", (event) => {
    const target = event.detail.target;
    if (target?.matches?.(".document-body[data-document]")) {
      markSuggestions(target);
      scheduleSuggestionDraw();
    } else if (shownIds().join(",") !== fetchedFor) {
      refreshSuggestions(); // a column was added or removed
    } else {
      scheduleSuggestionDraw();
    }
  });
  document.body.addEventListener("annotations-changed", refreshSuggestions);
  document.addEventListener("suggestion-step", (event) => walkSuggestions(event.detail.by));
  nav?.querySelector("select").addEventListener("change", (event) => {
    if (currentKey && !shownSuggestions().length) closeCard({ restoreFocus: false });
    markAllSuggestions();
    if (event.target.value === SUGGESTED) {
      setStatus(`${suggestions.length} suggested link${suggestions.length === 1 ? "" : "s"}: Next and Previous walk them`);
    }
  });
  // A suggested passage inside a link's is the link's: links.js answers clicks on those first. One
  // inside an annotation's highlight is the annotation's: what a reader wrote comes before what the
  // machine offers, which the panel's suggestions, Next and the keyboard still reach. Otherwise a
  // suggested passage answers a click before the entity marked inside it.
  document.addEventListener(
    "click",
    (event) => {
      const span = event.target.closest?.(".suggested-passage");
      if (!span || event.target.closest(".link-passage, mark.annotation") || String(window.getSelection()).length > 0) return;
      event.stopPropagation();
      openCard(span.dataset.suggestion, span);
    },
    true,
  );
  document.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target.matches?.(".suggested-passage")) {
      event.preventDefault();
      openCard(event.target.dataset.suggestion, event.target);
    } else if (event.key === "Escape" && card && !card.hidden && card.contains(event.target)) {
      closeCard();
    }
  });
  card?.addEventListener("submit", (event) => {
    event.preventDefault();
    const button = event.submitter || card.querySelector("[data-suggestion-action=accept]");
    answer(button.dataset.suggestionAction === "dismiss" ? "dismiss" : "accept", button);
  });
  card?.addEventListener("click", (event) => {
    if (event.target.closest("[data-suggestion-action=edit]")) edit();
    else if (event.target.closest("[data-suggestion-action=close]")) closeCard();
  });
  refreshSuggestions();
}
