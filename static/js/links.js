// Links across sources (#19) on the compare page: every passage of a link the reader may see is
// marked in its column (dashed lines above and below in the relation's colour), and between adjacent columns
// an SVG connector in the gutter joins the passages of a link, following each column's scroll.
// A click on a linked passage opens the link's thread. The links come as JSON from
// /annotations/links/ and are fetched again whenever annotations change (a save, an edit, the
// live poll); the marks are put back whenever a column's body is rendered again.
// Aligning a link's passages under "Link scrolling" is sync.js's: it alone moves columns to follow one.

import { clampToView, connectorOverlay, connectorsBetween, gutterOf, writeConnectors } from "./connectors.js";
import { blockParts } from "./offsets.js";
import { openThreads } from "./annotate.js";
import { flash, scrollIntoColumn } from "./scrolling.js";

const columns = document.getElementById("columns");
const sessionId = document.body.dataset.session || "";
const PHONE = window.matchMedia("(max-width: 48rem)");
let links = [];
// The passages picked so far for a link being made ("Link to…"), marked until it is saved.
let pendingPassages = [];
// The side panel's walk (#19): the relation shown ("" for all) and the link walked to last.
const nav = document.querySelector(".link-nav");
let relationShown = "";
let currentId = "";
// The filter's value for the suggested links (#19), which suggestions.js marks, draws and walks.
export const SUGGESTED = "suggested";

// The relations' colours, as rules in a stylesheet of the page's own (no inline styles).
const colours = new CSSStyleSheet();
document.adoptedStyleSheets = [...document.adoptedStyleSheets, colours];

function bodies() {
  return columns ? [...columns.querySelectorAll(".column > .document-body[data-document]")] : [];
}

function bodyOf(documentId) {
  return columns?.querySelector(`.document-body[data-document="${CSS.escape(String(documentId))}"]`) || null;
}

// --- marking passages -----------------------------------------------------------------------

/** The text nodes of `body` between two canonical offsets, each with the part inside them. */
function textPieces(body, start, end) {
  const pieces = [];
  for (const [block, , from, to] of blockParts(body, start, end)) {
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    let at = 0;
    while (walker.nextNode()) {
      const node = walker.currentNode;
      const nodeEnd = at + node.data.length;
      if (nodeEnd > from && at < to) pieces.push([node, Math.max(from, at) - at, Math.min(to, nodeEnd) - at]);
      at = nodeEnd;
      if (at >= to) break;
    }
  }
  return pieces;
}

export function wrap(body, start, end, className, dataset) {
  const spans = [];
  for (const [node, from, to] of textPieces(body, start, end)) {
    let piece = node;
    if (from > 0) piece = piece.splitText(from);
    if (to - from < piece.data.length) piece.splitText(to - from);
    const span = document.createElement("span");
    span.className = className;
    Object.assign(span.dataset, dataset);
    piece.replaceWith(span);
    span.append(piece);
    spans.push(span);
  }
  return spans;
}

export function unwrap(body, selector) {
  // Moving a focused highlight out of its span takes the focus from it: given back after.
  const active = document.activeElement;
  for (const span of body.querySelectorAll(selector)) span.replaceWith(...span.childNodes);
  if (active && active !== document.activeElement && active.isConnected && body.contains(active)) {
    active.focus({ preventScroll: true });
  }
  body.normalize();
}

/** The links the relation filter lets through ("Suggested" shows suggestions.js's alone). */
function shownLinks() {
  if (relationShown === SUGGESTED) return [];
  return relationShown ? links.filter((link) => link.relation === relationShown) : links;
}

function markBody(body) {
  unwrap(body, ".link-passage, .link-pending");
  firstSpans.delete(body);
  const documentId = body.dataset.document;
  for (const link of shownLinks()) {
    for (const passage of link.passages) {
      if (String(passage.document) !== documentId) continue;
      const spans = wrap(body, passage.start, passage.end, "link-passage", { link: link.id, relation: link.relation });
      for (const span of spans) {
        span.title = `Link: ${link.relationName} (${link.author})`;
        if (String(link.id) === currentId) span.classList.add("is-current");
      }
      if (spans[0]) {
        spans[0].tabIndex = -1; // reached with the arrow keys (keyboard.js), not one Tab stop each
        spans[0].setAttribute("role", "button");
        // Its name stays its words (what is read on screen); what it is comes as a description.
        spans[0].setAttribute("aria-description", `Linked passage: ${link.relationName}. Enter opens the link.`);
      }
    }
  }
  for (const passage of pendingPassages) {
    if (String(passage.documentId) === documentId) wrap(body, passage.start, passage.end, "link-pending", {});
  }
}

function markAll() {
  for (const body of bodies()) markBody(body);
  scheduleDraw();
}

function setColours() {
  const rules = new Map();
  for (const link of links) {
    if (/^#[0-9a-f]{6}$/i.test(link.colour)) rules.set(link.relation, link.colour);
  }
  colours.replaceSync(
    [...rules].map(([slug, colour]) => `[data-relation="${CSS.escape(slug)}"] { --link: ${colour}; }`).join("\n"),
  );
}

let fetchedFor = "";

async function refreshLinks() {
  const ids = bodies().map((body) => body.dataset.document);
  fetchedFor = ids.join(",");
  if (ids.length < 2) return;
  const query = new URLSearchParams(ids.map((id) => ["doc", id]));
  if (sessionId) query.set("session", sessionId);
  try {
    const response = await fetch(`/annotations/links/?${query}`, { credentials: "same-origin", cache: "no-store" });
    if (!response.ok) return;
    links = (await response.json()).links;
  } catch (error) {
    return; // the network blinked: the next change fetches them again
  }
  setColours();
  fillNav();
  markAll();
}

// The passages of a link being made (annotate.js says which), shown while the next one is picked.
function showPendingPassages(passages) {
  pendingPassages = passages;
  for (const body of bodies()) {
    unwrap(body, ".link-pending");
    for (const passage of passages) {
      if (String(passage.documentId) === body.dataset.document) wrap(body, passage.start, passage.end, "link-pending", {});
    }
  }
}

// --- the side panel: links by relation, Next link / Previous link -------------------------------

// The relations of the links shown, offered in the panel's select; the walk is shown once there is a link.
function fillNav() {
  if (!nav) return;
  const select = nav.querySelector("select");
  const relations = new Map(links.map((link) => [link.relation, link.relationName]));
  if (relationShown && !relations.has(relationShown) && !(relationShown === SUGGESTED && suggestedCount())) relationShown = "";
  const all = document.createElement("option");
  all.value = "";
  all.textContent = "All relations";
  select.replaceChildren(
    all,
    ...[...relations].sort((a, b) => a[1].localeCompare(b[1])).map(([slug, name]) => {
      const option = document.createElement("option");
      option.value = slug;
      option.textContent = name;
      return option;
    }),
  );
  addSuggestedOption(select);
  select.value = relationShown;
  nav.hidden = links.length === 0 && !suggestedCount();
  if (!links.some((link) => String(link.id) === currentId)) currentId = "";
  const count = shownLinks().length;
  if (!currentId) setNavStatus(`${count} link${count === 1 ? "" : "s"}`);
}

// Suggested links (#19) have their own entry in the filter, after the relations, while there are any.
function suggestedCount() {
  return Number(nav?.dataset.suggested || 0);
}

function addSuggestedOption(select) {
  const count = suggestedCount();
  if (!count) return;
  const option = document.createElement("option");
  option.value = SUGGESTED;
  option.textContent = `Suggested (${count})`;
  select.append(option);
}

function setNavStatus(text) {
  const status = nav?.querySelector(".link-nav-status");
  if (status) status.textContent = text;
}

// The links in reading order: by the leftmost column they reach, then by where they start in it.
function walkOrder() {
  const order = bodies().map((body) => body.dataset.document);
  const place = (link) => {
    let best = [Infinity, Infinity];
    for (const passage of link.passages) {
      const column = order.indexOf(String(passage.document));
      if (column < 0) continue;
      if (column < best[0] || (column === best[0] && passage.start < best[1])) best = [column, passage.start];
    }
    return best;
  };
  return shownLinks()
    .map((link) => [place(link), link])
    .sort((a, b) => a[0][0] - b[0][0] || a[0][1] - b[0][1])
    .map(([, link]) => link);
}

function setCurrent(id) {
  currentId = String(id);
  for (const span of document.querySelectorAll(".link-passage")) {
    span.classList.toggle("is-current", span.dataset.link === currentId);
  }
}

// Next (1) or Previous (-1) link: every passage of it scrolled into view in its column.
function walk(by) {
  if (relationShown === SUGGESTED) {
    document.dispatchEvent(new CustomEvent("suggestion-step", { detail: { by } }));
    return;
  }
  const order = walkOrder();
  if (!order.length) {
    setNavStatus("No links to walk.");
    return;
  }
  let index = order.findIndex((link) => String(link.id) === currentId);
  index = index < 0 ? (by > 0 ? 0 : order.length - 1) : (index + by + order.length) % order.length;
  const link = order[index];
  setCurrent(link.id);
  const spans = [];
  for (const body of bodies()) {
    const first = body.querySelector(`.link-passage[data-link="${CSS.escape(currentId)}"]`);
    if (first) scrollIntoColumn(first);
    spans.push(...body.querySelectorAll(`.link-passage[data-link="${CSS.escape(currentId)}"]`));
  }
  flash(...spans);
  setNavStatus(`Link ${index + 1} of ${order.length}: ${link.relationName}, ${link.passages.length} passages`);
  scheduleDraw();
}

if (nav && columns) {
  nav.querySelector("select").addEventListener("change", (event) => {
    relationShown = event.target.value;
    if (!shownLinks().some((link) => String(link.id) === currentId)) currentId = "";
    const count = shownLinks().length;
    setNavStatus(`${count} link${count === 1 ? "" : "s"}${relationShown ? `: ${event.target.selectedOptions[0].textContent}` : ""}`);
    markAll();
  });
  nav.addEventListener("click", (event) => {
    const button = event.target.closest("[data-link-step]");
    if (button) walk(Number(button.dataset.linkStep));
  });
  // suggestions.js found suggestions (or fewer): the filter offers them.
  document.addEventListener("suggestions-changed", fillNav);
  // ] and [ walk the links from anywhere but a field being typed in.
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || !(links.length || suggestedCount())) return;
    if (event.key !== "]" && event.key !== "[") return;
    if (event.target.closest?.("input, textarea, select, [contenteditable]")) return;
    event.preventDefault();
    walk(event.key === "]" ? 1 : -1);
  });
}

// --- connectors -----------------------------------------------------------------------------

const overlay = connectorOverlay("link-connectors");
let frame = 0;

function scheduleDraw() {
  if (!frame) frame = requestAnimationFrame(draw);
}

// Each column's first span of every link it holds, in reading order: found once after the column
// is marked (markBody forgets it), not on every frame of a scroll.
const firstSpans = new WeakMap();

function firstSpansOf(body) {
  let found = firstSpans.get(body);
  if (!found) {
    found = { spans: new Map(), last: null, middles: null };
    for (const span of body.querySelectorAll(".link-passage")) {
      if (found.spans.has(span.dataset.link)) continue;
      found.spans.set(span.dataset.link, span);
      found.last = span; // the lowest of the first spans: text moving above any of them moves it
    }
    firstSpans.set(body, found);
  }
  return found;
}

// Where each link's connector meets its passage in a column: the middle of the passage's first
// line, as an offset into the column's scrolled content. Measured once, then moved by the
// column's scrollTop alone, so a scroll reads no passage (reading 1,100 of them was most of a
// draw). Measured again when the column is marked, and whenever its last linked passage is not
// where it was (the column was resized, text above changed, a font came in).
function middlesOf(body, view) {
  const found = firstSpansOf(body);
  const contentTop = view.top + body.clientTop - body.scrollTop;
  const middleOf = (span) => {
    const rect = span.getClientRects()[0] || span.getBoundingClientRect();
    return rect.top + rect.height / 2 - contentTop;
  };
  const still = found.last && found.middles && Math.abs(middleOf(found.last) - found.middles.get(found.last.dataset.link)) < 0.5;
  if (!still) found.middles = new Map([...found.spans].map(([id, span]) => [id, middleOf(span)]));
  return { spans: found.spans, middles: found.middles, contentTop };
}

// Every position is read (connectorsShown) before anything is written: with 500 links, a
// connector written between two reads made the browser lay the page out again for each.
function draw() {
  frame = 0;
  const connectors = PHONE.matches || !links.length ? [] : connectorsShown();
  writeConnectors(overlay, connectors, { className: "link-connector", idKey: "link" });
}

/** The connectors between adjacent columns, as read from the page (nothing written). */
function connectorsShown() {
  const columns = bodies().map((body) => {
    const gutter = gutterOf(body);
    return { ...gutter, ...middlesOf(body, gutter.view) };
  });
  return connectorsBetween(columns, (column, id) => clampToView(column.contentTop + column.middles.get(id), column.view));
}

// --- wiring ---------------------------------------------------------------------------------

if (columns) {
  document.addEventListener("scroll", scheduleDraw, { capture: true, passive: true });
  window.addEventListener("resize", scheduleDraw);
  PHONE.addEventListener("change", scheduleDraw);
  // A column's body rendered again (new highlights) loses its marks: put them back. A column
  // added or removed changes which links are drawn: fetch them again.
  document.body.addEventListener("htmx:afterSettle", (event) => {
    const target = event.detail.target;
    if (target?.matches?.(".document-body[data-document]")) {
      markBody(target);
      scheduleDraw();
    } else if (bodies().map((body) => body.dataset.document).join(",") !== fetchedFor) {
      refreshLinks(); // a column was added or removed
    } else {
      scheduleDraw(); // the panel or the tools opened or closed: the columns may have moved
    }
  });
  document.body.addEventListener("annotations-changed", refreshLinks);
  document.addEventListener("link-draft", (event) => showPendingPassages(event.detail.passages));
  // The innermost highlight answers a click; a linked passage wraps only text, so it is innermost.
  document.addEventListener(
    "click",
    (event) => {
      const span = event.target.closest?.(".link-passage");
      if (!span || String(window.getSelection()).length > 0) return;
      event.stopPropagation();
      openLink(span);
    },
    true,
  );
  document.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target.matches?.(".link-passage")) {
      event.preventDefault();
      openLink(event.target);
    }
  });
  refreshLinks();
}

function openLink(span) {
  const id = span.dataset.link;
  setCurrent(id);
  openThreads([id], span);
}
