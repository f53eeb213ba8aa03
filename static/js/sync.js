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

// Linked scrolling: the others follow the column being scrolled, at the same fraction.
const link = document.getElementById("link-scrolling");
let following = false;
document.addEventListener("scroll", (event) => {
  if (!link || !link.checked || following || !event.target.classList?.contains("column-body")) return;
  const source = event.target;
  const fraction = source.scrollTop / Math.max(1, source.scrollHeight - source.clientHeight);
  following = true;
  for (const column of document.querySelectorAll(".column-body")) {
    if (column !== source) column.scrollTop = fraction * (column.scrollHeight - column.clientHeight);
  }
  requestAnimationFrame(() => { following = false; });
}, true);

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
