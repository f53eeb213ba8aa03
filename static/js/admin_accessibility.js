// Accessibility mends for the Django admin's own widgets, on every admin page (base_site.html).
//
// The filter boxes of many-to-many fields (SelectFilter2.js: a session's documents, a user's
// groups) name their search icon with an aria-label on a bare <span>, which assistive technology
// may ignore (axe: aria-prohibited-attr). As an image, the icon may carry its name.
function nameIcons(root) {
  for (const icon of root.querySelectorAll?.("span.search-label-icon[aria-label]:not([role])") ?? []) {
    icon.setAttribute("role", "img");
  }
}

// SelectFilter2 draws its boxes on the window's load event, after this script has run.
new MutationObserver((changes) => {
  for (const change of changes) for (const node of change.addedNodes) if (node.nodeType === 1) nameIcons(node.parentNode || node);
}).observe(document.documentElement, { childList: true, subtree: true });
nameIcons(document);
