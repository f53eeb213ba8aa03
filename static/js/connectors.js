// Connectors between adjacent columns of the compare page, shared by links (links.js, solid) and
// suggested links (suggestions.js, dotted): where each column's gutter is, the curve from a passage
// in one column to its partner in the next, and the SVG paths written from them. Every position is
// read before anything is written: a path written between two reads makes the browser lay the page
// out again for the next read.

const SVG = "http://www.w3.org/2000/svg";

/** A column's view and the edges of its text (its padding is the gutter's), read from the page. */
export function gutterOf(body) {
  const view = body.getBoundingClientRect();
  const style = getComputedStyle(body);
  return {
    view,
    textRight: view.left + body.clientLeft + body.clientWidth - parseFloat(style.paddingRight),
    textLeft: view.left + body.clientLeft + parseFloat(style.paddingLeft),
  };
}

/** Where a connector meets a passage whose middle is at ``middle`` (in the window): kept inside
 * the part of its column that shows, so a passage scrolled away is pointed at from the column's
 * top or bottom edge. */
export function clampToView(middle, view) {
  return { y: Math.min(Math.max(middle, view.top + 4), view.bottom - 4), away: middle < view.top || middle > view.bottom };
}

/**
 * The connectors between each pair of adjacent columns, from the end of the left column's text to
 * the start of the right one's, never over either. ``columns``: each column's ``gutterOf`` with
 * ``spans`` (a Map of the id of each passage it holds to its first span); ``anchor(column, id,
 * span)`` gives ``clampToView``'s answer for one of them.
 */
export function connectorsBetween(columns, anchor) {
  const connectors = [];
  for (let index = 0; index + 1 < columns.length; index += 1) {
    const left = columns[index];
    const right = columns[index + 1];
    const x1 = left.textRight + 2;
    const x2 = right.textLeft - 2;
    if (x2 - x1 < 4) continue;
    const bend = (x2 - x1) / 2;
    for (const [id, from] of left.spans) {
      const to = right.spans.get(id);
      if (!to) continue;
      const start = anchor(left, id, from);
      const end = anchor(right, id, to);
      connectors.push({
        id,
        relation: from.dataset.relation,
        d: `M${x1} ${start.y} C${x1 + bend} ${start.y} ${x2 - bend} ${end.y} ${x2} ${end.y}`,
        away: start.away || end.away,
      });
    }
  }
  return connectors;
}

/** A full-window SVG overlay for connectors, hidden from assistive technology. */
export function connectorOverlay(className) {
  const overlay = document.createElementNS(SVG, "svg");
  overlay.classList.add(className);
  overlay.setAttribute("aria-hidden", "true");
  document.body.append(overlay);
  return overlay;
}

/**
 * Writes ``connectors`` into ``overlay`` as paths of class ``className``, each naming its id in
 * ``data-<idKey>``; ``current`` (an id or "") is marked ``is-current``. The paths of the last frame
 * are reused, so a scroll only moves them.
 */
export function writeConnectors(overlay, connectors, { className, idKey, current = null }) {
  const width = String(window.innerWidth);
  const height = String(window.innerHeight);
  if (overlay.getAttribute("width") !== width) overlay.setAttribute("width", width);
  if (overlay.getAttribute("height") !== height) overlay.setAttribute("height", height);
  const paths = overlay.children;
  connectors.forEach(({ id, relation, d, away }, index) => {
    let path = paths[index];
    if (!path) {
      path = document.createElementNS(SVG, "path");
      path.classList.add(className);
      overlay.append(path);
    }
    if (path.getAttribute("d") !== d) path.setAttribute("d", d);
    if (path.dataset[idKey] !== id) path.dataset[idKey] = id;
    if (path.dataset.relation !== relation) path.dataset.relation = relation;
    path.classList.toggle(`${className}--away`, away);
    if (current !== null) path.classList.toggle("is-current", id === current);
  });
  while (paths.length > connectors.length) overlay.lastChild.remove();
}
