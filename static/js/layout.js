// The compare and reader pages on a small screen, and the annotation panel on any: on a phone
// the compare page shows one article at a time, with a button per article to switch; the tools
// (add a column, legend, options) fold away; the annotation panel is a drawer opened from a
// button. On a wide screen the panel can be collapsed to give the columns its width. Without
// this script the columns stack and the panel follows them, as before.

const PHONE = window.matchMedia("(max-width: 48rem)");
const columns = document.getElementById("columns");
const sidebar = document.querySelector(".annotation-sidebar");
const tools = document.querySelector(".compare-tools");

// --- one article at a time ---------------------------------------------------------------------

const switcher = document.createElement("div");
switcher.className = "column-switcher";
switcher.setAttribute("role", "group");
switcher.setAttribute("aria-label", "Article shown");

function columnsShown() {
  return columns ? [...columns.querySelectorAll(":scope > .column")] : [];
}

export function showColumn(column) {
  for (const other of columnsShown()) other.classList.toggle("is-shown", other === column);
  for (const button of switcher.querySelectorAll("button")) {
    button.setAttribute("aria-pressed", String(button.dataset.column === column.id));
  }
}

function buildSwitcher() {
  const all = columnsShown();
  const shown = all.find((column) => column.classList.contains("is-shown")) || all[0];
  switcher.replaceChildren(
    ...all.map((column, index) => {
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.column = column.id;
      const source = column.querySelector(".source-name")?.textContent.trim() || `Article ${index + 1}`;
      button.textContent = `${index + 1}. ${source}`;
      button.title = column.getAttribute("aria-label") || source;
      return button;
    }),
  );
  if (shown) showColumn(shown);
}

if (columns) {
  columns.classList.add("one-at-a-time");
  columns.before(switcher);
  buildSwitcher();
  switcher.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-column]");
    if (!button) return;
    const column = document.getElementById(button.dataset.column);
    showColumn(column);
    if (PHONE.matches) switcher.scrollIntoView({ block: "start" });
  });
  // A column added (shown, with focus on its header, as on a wide screen) or removed.
  let known = new Set(columnsShown().map((column) => column.id));
  document.body.addEventListener("htmx:afterSettle", () => {
    const now = columnsShown();
    if (now.length === known.size && now.every((column) => known.has(column.id))) return;
    const added = now.find((column) => !known.has(column.id));
    known = new Set(now.map((column) => column.id));
    buildSwitcher();
    if (added) {
      showColumn(added);
      if (PHONE.matches) added.querySelector(".column-header")?.focus();
    }
  });
}

// A swipe sideways across the article on a phone shows the next or the previous one (a swipe
// that selects text, or goes mostly up or down, is reading, not switching).
let touchStart = null;
columns?.addEventListener("touchstart", (event) => {
  const touch = event.touches.length === 1 ? event.touches[0] : null;
  touchStart = touch && { x: touch.clientX, y: touch.clientY };
}, { passive: true });
columns?.addEventListener("touchend", (event) => {
  const touch = event.changedTouches[0];
  if (!PHONE.matches || !touchStart || !touch || !window.getSelection().isCollapsed) return;
  const dx = touch.clientX - touchStart.x;
  const dy = touch.clientY - touchStart.y;
  touchStart = null;
  if (Math.abs(dx) < 70 || Math.abs(dy) > Math.abs(dx) / 2) return;
  const all = columnsShown();
  const index = all.findIndex((column) => column.classList.contains("is-shown"));
  const next = all[index + (dx < 0 ? 1 : -1)];
  if (next) {
    showColumn(next);
    switcher.scrollIntoView({ block: "start" });
  }
}, { passive: true });

// Something in a column not shown was asked for (an annotation in the panel, the next mention):
// show that column.
document.addEventListener("column-wanted", (event) => {
  if (PHONE.matches && event.target instanceof Element) {
    const column = event.target.closest(".column");
    if (column && !column.classList.contains("is-shown")) showColumn(column);
  }
});

// --- the tools fold away on a phone ------------------------------------------------------------

if (tools && PHONE.matches) tools.open = false;

// --- the annotation panel: a drawer on a phone, collapsible on a wide screen ----------------------

if (sidebar) {
  sidebar.id ||= "annotation-sidebar";
  const toggle = document.createElement("button");
  toggle.type = "button";
  toggle.className = "sidebar-toggle";
  toggle.setAttribute("aria-controls", sidebar.id);
  sidebar.classList.add("is-collapsible");
  // In the compare page's bar (outside the tools that fold away); on a phone it floats anyway.
  (document.querySelector(".compare-bar") || document.body).append(toggle);

  const setOpen = (open) => {
    sidebar.classList.toggle("is-open", open);
    document.body.classList.toggle("sidebar-collapsed", !open);
    toggle.setAttribute("aria-expanded", String(open));
    toggle.textContent = open ? "Hide annotations" : "Annotations";
  };
  // Open beside the columns on a wide screen; a closed drawer on a phone.
  setOpen(!PHONE.matches);
  toggle.addEventListener("click", () => {
    const open = !sidebar.classList.contains("is-open");
    setOpen(open);
    if (open) sidebar.querySelector("#annotation-panel")?.focus({ preventScroll: true });
  });
  PHONE.addEventListener("change", () => setOpen(!PHONE.matches));
  // A thread opened from a highlight, or a skip link to the annotations, opens the drawer.
  document.body.addEventListener("htmx:afterSettle", (event) => {
    if (event.detail.target?.id === "annotation-threads" && event.detail.target.childElementCount) setOpen(true);
  });
  // Before the browser follows the link, so that the panel it focuses is shown.
  document.addEventListener("click", (event) => {
    if (event.target.closest?.('a[href="#annotation-panel"]')) setOpen(true);
  });
  sidebar.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && PHONE.matches && !event.target.closest("input, textarea, select")) {
      setOpen(false);
      toggle.focus();
    }
  });
}
