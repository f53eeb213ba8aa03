// Synchronised columns: clicking a quote scrolls every column to the same statement and flashes
// it; ?quote=N in the address does the same on load. "Link scrolling" scrolls the columns together.

function scrollColumnTo(mark) {
  const column = mark.closest(".column-body");
  if (!column) {
    mark.scrollIntoView({ block: "center" });
  } else {
    const offset = mark.getBoundingClientRect().top - column.getBoundingClientRect().top;
    column.scrollTo({ top: column.scrollTop + offset - column.clientHeight / 3 });
  }
  mark.classList.remove("is-flashing");
  void mark.offsetWidth;
  mark.classList.add("is-flashing");
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
