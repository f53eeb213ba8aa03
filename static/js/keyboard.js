// Reading with the keyboard. Each article is one Tab stop (its text, or the highlight last
// focused in it: a roving tabindex), so Tab goes from article to article instead of through
// every entity. Inside an article the arrow keys move from highlight to highlight (entities and
// annotations); Enter opens one (entities.js, annotate.js). S selects the sentence at the
// focused highlight (or the first one in view), Shift+arrows extend or shrink the selection a
// sentence at a time, and A annotates it (annotate.js) as it would a selection made with a mouse.

// Links' and suggested links' passages (links.js, suggestions.js) are highlights too: reached with
// the arrow keys like the others, never one Tab stop each.
const HIGHLIGHTS = "mark.entity, mark.annotation, .link-passage[role=button], .suggested-passage[role=button]";
const BODIES = ".document-body[data-document]";
const status = document.getElementById("reading-status");

// --- one Tab stop per article ------------------------------------------------------------------

// The server renders entity highlights with tabindex=0 (usable without this script); here all
// of them leave the tab order and the article (or its remembered highlight) is the stop. Passages
// links.js and suggestions.js mark later come with tabindex=-1 and join the arrows' round.
function tame(body) {
  const active = document.activeElement;
  const holder = body.contains(active) && active !== body && active.matches(HIGHLIGHTS) ? active : null;
  for (const mark of body.querySelectorAll(HIGHLIGHTS)) mark.tabIndex = mark === holder ? 0 : -1;
  body.tabIndex = holder ? -1 : 0;
}

function tameAll() {
  for (const body of document.querySelectorAll(BODIES)) tame(body);
}

// Focus on a highlight makes it its article's Tab stop, so Shift+Tab back into the article
// returns to where the reader was.
document.addEventListener("focusin", (event) => {
  const mark = event.target.closest?.(HIGHLIGHTS);
  const body = mark && mark.closest(BODIES);
  if (!body) return;
  for (const other of body.querySelectorAll(HIGHLIGHTS)) if (other !== mark && other.tabIndex === 0) other.tabIndex = -1;
  mark.tabIndex = 0;
  body.tabIndex = -1;
});

// Arriving in an article from the keyboard: what the keys do there, on screen and read out.
document.addEventListener("focusin", (event) => {
  if (event.target.matches?.(BODIES) && event.target.matches(":focus-visible") && !passage) {
    announce("In the article: arrow keys move between highlights, Enter opens one, S selects a sentence.");
  }
});
document.addEventListener("focusout", (event) => {
  const next = event.relatedTarget;
  if (!(next instanceof Element) || !next.closest(BODIES)) window.setTimeout(() => {
    if (!document.activeElement?.closest?.(BODIES)) announce("");
  }, 0);
});

// A drag that starts on a highlight selects text, as it does anywhere else in the article:
// Chromium starts no text selection on a focusable element, and a name often opens the passage a
// reader wants. So the highlights under a mouse press leave the focus order until it ends (a
// click still opens the entity or the annotation: entities.js and annotate.js listen to clicks).
document.addEventListener(
  "pointerdown",
  (event) => {
    if (event.pointerType !== "mouse" || event.button !== 0) return;
    const body = event.target.closest?.(BODIES);
    if (!body) return;
    const pressed = [];
    for (let mark = event.target.closest(HIGHLIGHTS); mark && body.contains(mark); mark = mark.parentElement?.closest(HIGHLIGHTS)) {
      if (mark.hasAttribute("tabindex")) pressed.push([mark, mark.tabIndex]);
    }
    if (!pressed.length) return;
    for (const [mark] of pressed) mark.removeAttribute("tabindex");
    const restore = () => {
      for (const [mark, index] of pressed) if (!mark.hasAttribute("tabindex")) mark.tabIndex = index;
      document.removeEventListener("pointerup", restore, true);
      document.removeEventListener("pointercancel", restore, true);
    };
    document.addEventListener("pointerup", restore, true);
    document.addEventListener("pointercancel", restore, true);
  },
  true,
);

tameAll();
// A column added, or an article's highlights rendered again (a new annotation, a live update).
document.body.addEventListener("htmx:afterSettle", tameAll);

// --- arrows between highlights -----------------------------------------------------------------

// Entity types switched off in the legend are passed over.
function hiddenType(mark) {
  const type = [...mark.classList].find((name) => name.startsWith("entity--"));
  return type ? document.body.classList.contains(`hide-${type}`) : false;
}

function highlightsOf(body) {
  // A highlight split around another mark is several elements: the first piece stands for it.
  const seen = new Set();
  return [...body.querySelectorAll(HIGHLIGHTS)].filter((mark) => {
    if (hiddenType(mark)) return false;
    const key = mark.dataset.annotation ? `a${mark.dataset.annotation}` : null;
    if (!key) return true;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function firstInView(body, marks) {
  const top = Math.max(body.getBoundingClientRect().top, 0);
  return marks.find((mark) => mark.getBoundingClientRect().bottom > top) || marks[0];
}

function lastInView(body, marks) {
  const bottom = Math.min(body.getBoundingClientRect().bottom, window.innerHeight);
  return marks.findLast((mark) => mark.getBoundingClientRect().top < bottom) || marks[marks.length - 1];
}

function annotationPiece(mark) {
  const id = mark.dataset.annotation;
  return id ? mark.closest(BODIES).querySelector(`mark.annotation[data-annotation="${CSS.escape(id)}"]`) : mark;
}

function move(body, from, step) {
  const marks = highlightsOf(body);
  if (!marks.length) return;
  let target;
  if (from === body) {
    target = step > 0 ? firstInView(body, marks) : lastInView(body, marks);
  } else {
    const index = marks.indexOf(annotationPiece(from));
    target = marks[Math.min(Math.max(index + step, 0), marks.length - 1)];
  }
  if (target) {
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "nearest" });
  }
}

// --- selecting sentence by sentence ------------------------------------------------------------

const segmenter = new Intl.Segmenter("en", { granularity: "sentence" });
let passage = null; // {body, sentences, anchor, focus}: the sentences selected from the keyboard

function sentencesOf(body) {
  const sentences = [];
  for (const block of body.querySelectorAll("[data-start]")) {
    const text = block.textContent;
    for (const { segment, index } of segmenter.segment(text)) {
      const trimmed = segment.trimEnd();
      const lead = trimmed.length - trimmed.trimStart().length;
      if (trimmed.trim()) sentences.push({ block, from: index + lead, to: index + trimmed.length });
    }
  }
  return sentences;
}

function textOffsetOf(block, node) {
  const range = document.createRange();
  range.selectNodeContents(block);
  range.setEndBefore(node);
  return range.toString().length;
}

// The sentence the focused highlight is in, or the first one in view of a focused article.
function sentenceAt(body, focused, sentences) {
  if (focused !== body) {
    const block = focused.closest("[data-start]");
    const offset = textOffsetOf(block, focused);
    const found = sentences.findIndex((s) => s.block === block && s.to > offset);
    if (found >= 0) return found;
  }
  const top = Math.max(body.getBoundingClientRect().top, 0);
  const found = sentences.findIndex((s) => s.block.getBoundingClientRect().bottom > top);
  return Math.max(found, 0);
}

function pointIn(block, offset, atEnd) {
  const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
  let passed = 0;
  let last = null;
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const length = node.data.length;
    if (offset < passed + length || (atEnd && offset === passed + length)) return [node, offset - passed];
    passed += length;
    last = node;
  }
  return last ? [last, last.data.length] : [block, 0];
}

function announce(message) {
  if (status) status.textContent = message;
}

function showPassage() {
  const { sentences, anchor, focus } = passage;
  const first = sentences[Math.min(anchor, focus)];
  const last = sentences[Math.max(anchor, focus)];
  const range = document.createRange();
  range.setStart(...pointIn(first.block, first.from, false));
  range.setEnd(...pointIn(last.block, last.to, true));
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  last.block.scrollIntoView({ block: "nearest" });
  const count = Math.abs(focus - anchor) + 1;
  announce(`${count} sentence${count === 1 ? "" : "s"} selected. Press A to annotate, Shift and the arrow keys to change it.`);
}

function selectSentence(body, focused) {
  const sentences = sentencesOf(body);
  if (!sentences.length) return;
  const index = sentenceAt(body, focused, sentences);
  passage = { body, sentences, anchor: index, focus: index };
  showPassage();
}

function extend(body, focused, step) {
  if (!passage || passage.body !== body || window.getSelection().isCollapsed) {
    selectSentence(body, focused);
    return;
  }
  passage.focus = Math.min(Math.max(passage.focus + step, 0), passage.sentences.length - 1);
  showPassage();
}

// A selection made with the mouse, or cleared, is no longer the keyboard's passage.
document.addEventListener("mousedown", () => { passage = null; });

// --- the keys ------------------------------------------------------------------------------------

const FORWARD = new Set(["ArrowDown", "ArrowRight"]);
const BACKWARD = new Set(["ArrowUp", "ArrowLeft"]);

document.addEventListener("keydown", (event) => {
  const focused = event.target;
  if (!(focused instanceof Element) || event.ctrlKey || event.metaKey || event.altKey) return;
  const body = focused.matches(BODIES) ? focused : focused.matches(HIGHLIGHTS) ? focused.closest(BODIES) : null;
  if (!body) return;
  const step = FORWARD.has(event.key) ? 1 : BACKWARD.has(event.key) ? -1 : 0;
  if (step && event.shiftKey) {
    event.preventDefault();
    extend(body, focused, step);
  } else if (step) {
    event.preventDefault();
    move(body, focused, step);
  } else if (event.key === "s" || event.key === "S") {
    event.preventDefault();
    selectSentence(body, focused);
  }
});
