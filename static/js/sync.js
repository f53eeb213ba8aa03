// Synchronised columns: clicking a quote scrolls every column to the same statement and flashes
// it; ?quote=N in the address does the same on load. "Link scrolling" scrolls the columns together.

import { flash, scrollIntoColumn } from "./scrolling.js";

function scrollColumnTo(mark) {
  scrollIntoColumn(mark);
  flash(mark);
}

function showCluster(clusterId, origin) {
  for (const mark of document.querySelectorAll("mark.quote.is-selected")) mark.classList.remove("is-selected");
  const marks = [...document.querySelectorAll(`mark.quote[data-quote-cluster="${CSS.escape(String(clusterId))}"]`)];
  for (const mark of marks) mark.classList.add("is-selected");
  // "Quotes across these articles" then opens at this statement, where curators correct its quotes.
  const quotesLink = document.querySelector("a[data-quotes-link]");
  if (quotesLink) quotesLink.hash = `cluster-${clusterId}`;
  const columns = new Set();
  for (const mark of marks) {
    const column = mark.closest(".column-body") || document.body;
    if (columns.has(column)) continue;  // the first occurrence in each column
    columns.add(column);
    if (origin && column.contains(origin)) continue;
    scrollColumnTo(mark);
  }
}

document.addEventListener("click", (event) => {
  const quote = event.target.closest("mark.quote");
  // Entity and annotation highlights inside the quote answer their own clicks.
  const inner = event.target.closest("mark.entity, mark.annotation");
  if (!quote || (inner && quote.contains(inner)) || String(window.getSelection()).length > 0) return;
  showCluster(quote.dataset.quoteCluster, quote);
});

const requested = new URLSearchParams(window.location.search).get("quote");
if (requested) showCluster(requested, null);

// Linked scrolling: the others follow the column being scrolled, at the same fraction; a column
// holding a passage of a link (#19) whose passage in the column being read has come into its upper
// third is scrolled so its passage sits at the same height instead. This is the one place that
// scrolls columns to follow another (links.js marks the passages, .link-passage[data-link]): a
// scroll it makes itself is remembered and its scroll event ignored, so nothing echoes back.
const link = document.getElementById("link-scrolling");
const ours = new Map(); // column -> the scrollTop set here, whose scroll event is not the reader's
let source = null;
let frame = 0;

/** The first span of the linked passage in `column` that has come into its upper third (the one
 * nearest the third's lower edge) and has a partner in another column. */
function passageRead(column) {
  const view = column.getBoundingClientRect();
  const line = view.top + column.clientHeight / 3;
  let best = null;
  let bestTop = -Infinity;
  for (const span of column.querySelectorAll(".link-passage[role=button]")) {
    const top = span.getBoundingClientRect().top;
    if (top < view.top || top > line || top <= bestTop) continue;
    const selector = `.link-passage[data-link="${CSS.escape(span.dataset.link)}"]`;
    if (![...document.querySelectorAll(selector)].some((other) => !column.contains(other))) continue;
    best = span;
    bestTop = top;
  }
  return best;
}

function follow() {
  frame = 0;
  const from = source;
  source = null;
  if (!from || !link?.checked) return;
  const fraction = from.scrollTop / Math.max(1, from.scrollHeight - from.clientHeight);
  const read = passageRead(from);
  const readTop = read?.getBoundingClientRect().top;
  const moves = []; // every position read first, then every column moved
  for (const column of document.querySelectorAll(".column-body")) {
    if (column === from) continue;
    const partner = read && column.querySelector(`.link-passage[data-link="${CSS.escape(read.dataset.link)}"]`);
    const top = partner
      ? column.scrollTop + partner.getBoundingClientRect().top - readTop
      : fraction * (column.scrollHeight - column.clientHeight);
    moves.push([column, top]);
  }
  for (const [column, top] of moves) {
    const before = column.scrollTop;
    column.scrollTo({ top, behavior: "instant" });
    if (Math.abs(column.scrollTop - before) >= 1) ours.set(column, column.scrollTop);
  }
}

document.addEventListener("scroll", (event) => {
  const column = event.target;
  if (!link || !link.checked || !column.classList?.contains("column-body")) return;
  if (ours.has(column)) {
    const expected = ours.get(column);
    ours.delete(column);
    if (Math.abs(column.scrollTop - expected) < 1) return; // the scroll made above, not the reader's
  }
  source = column;
  if (!frame) frame = requestAnimationFrame(follow); // one frame's work per burst of scroll events
}, { capture: true, passive: true });

// Shared and unique passages are always marked; this tints them, on demand.
const passages = document.getElementById("show-passages");
if (passages) {
  passages.addEventListener("change", () => document.body.classList.toggle("show-passages", passages.checked));
}

// The coverage matrix: sort by a column; a cell shows that entity's mentions in that article.
document.addEventListener("click", (event) => {
  const header = event.target.closest("[data-sort-column]");
  if (header) {
    const table = header.closest("table");
    const column = Number(header.dataset.sortColumn);
    const descending = header.dataset.sorted !== "desc";
    for (const other of table.querySelectorAll("[data-sort-column]")) delete other.dataset.sorted;
    header.dataset.sorted = descending ? "desc" : "asc";
    const rows = [...table.tBodies[0].rows];
    const value = (row) => row.cells[column].dataset.value;
    rows.sort((a, b) => {
      const x = value(a), y = value(b);
      const order = column === 0 ? x.localeCompare(y) : Number(x) - Number(y);
      return descending ? -order : order;
    });
    table.tBodies[0].append(...rows);
    return;
  }
  const cell = event.target.closest("[data-matrix-entity]");
  if (cell) {
    const column = document.querySelector(`.document-body[data-document="${CSS.escape(cell.dataset.matrixDocument)}"]`);
    const mark = column && column.querySelector(`mark.entity[data-entity="${CSS.escape(cell.dataset.matrixEntity)}"]`);
    if (mark) {
      mark.click();  // selects it in every column, scrolls the others, and opens its card
      // A click on a mark leaves its own column where it is; this mention was asked for from the
      // matrix, maybe far out of view: bring it in.
      scrollColumnTo(mark);
    }
  }
});

// With passages tinted, clicking a shared passage scrolls the other columns to their copy of it.
document.addEventListener("click", (event) => {
  if (!document.body.classList.contains("show-passages")) return;
  const passage = event.target.closest("mark.passage--shared");
  const inner = event.target.closest("mark.entity, mark.annotation, mark.quote");
  if (!passage || (inner && passage.contains(inner)) || String(window.getSelection()).length > 0) return;
  for (const pair of passage.dataset.passagePairs.split(" ")) {
    for (const copy of document.querySelectorAll(`mark.passage--shared[data-passage-pairs~="${CSS.escape(pair)}"]`)) {
      if (copy !== passage && !passage.closest(".column-body")?.contains(copy)) scrollColumnTo(copy);
    }
  }
});
