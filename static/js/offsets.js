// Turning a browser selection into offsets in a document's canonical text.
//
// The server, the W3C selectors and Python all count code points; JavaScript strings count
// UTF-16 units, which differ for characters outside the Basic Multilingual Plane (an emoji is
// two units, one code point). This module is the one place where the two meet.
//
// Every block element of a document body carries data-start/data-end (code points) and holds
// exactly its canonical text; blocks are separated by BLOCK_SEPARATOR in the canonical text.

export const BLOCK_SEPARATOR = "\n\n";

/** The number of code points in a string (not its .length, which counts UTF-16 units). */
export function codePointLength(text) {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

/** The code-point offset that a UTF-16 index into `text` stands for. */
export function utf16ToCodePoint(text, index) {
  return codePointLength(text.slice(0, index));
}

/** The UTF-16 index into `text` of a code-point offset. */
export function codePointToUtf16(text, offset) {
  let index = 0;
  for (const character of text) {
    if (offset === 0) break;
    index += character.length;
    offset -= 1;
  }
  return index;
}

function blocksOf(body) {
  return [...body.querySelectorAll("[data-start]")];
}

function textBefore(block, container, offset) {
  const range = document.createRange();
  range.selectNodeContents(block);
  range.setEnd(container, offset);
  return range.toString();
}

/** The canonical offset of a DOM point inside `body`; points between blocks snap to the next
 * block's start (`atEnd` false) or the previous block's end (`atEnd` true). */
function pointToOffset(body, container, offset, atEnd) {
  const blocks = blocksOf(body);
  const element = container.nodeType === Node.ELEMENT_NODE ? container : container.parentElement;
  const block = element && element.closest("[data-start]");
  if (block && body.contains(block)) {
    return Number(block.dataset.start) + codePointLength(textBefore(block, container, offset));
  }
  const point = document.createRange();
  point.setStart(container, offset);
  let previous = null;
  for (const candidate of blocks) {
    const around = document.createRange();
    around.selectNode(candidate);
    if (around.compareBoundaryPoints(Range.START_TO_START, point) >= 0) {
      return atEnd && previous ? Number(previous.dataset.end) : Number(candidate.dataset.start);
    }
    previous = candidate;
  }
  return previous ? Number(previous.dataset.end) : 0;
}

/** Each block of `body` that two canonical offsets reach into, with the part of its text
 * between them as UTF-16 indexes: [block, text, from, to]. */
export function* blockParts(body, start, end) {
  for (const block of blocksOf(body)) {
    const blockStart = Number(block.dataset.start);
    const blockEnd = Number(block.dataset.end);
    if (blockEnd <= start || blockStart >= end) continue;
    const text = block.textContent;
    const from = codePointToUtf16(text, Math.max(start, blockStart) - blockStart);
    const to = codePointToUtf16(text, Math.min(end, blockEnd) - blockStart);
    yield [block, text, from, to];
  }
}

/** The text of the blocks between two canonical offsets, joined as the canonical text joins them. */
function canonicalSlice(body, start, end) {
  return [...blockParts(body, start, end)].map(([, text, from, to]) => text.slice(from, to)).join(BLOCK_SEPARATOR);
}

/** {start, end, exact} in code points for a Range inside `body`, or null for an empty one. */
export function rangeToSelector(body, range) {
  const start = pointToOffset(body, range.startContainer, range.startOffset, false);
  const end = pointToOffset(body, range.endContainer, range.endOffset, true);
  if (end <= start) return null;
  return { start, end, exact: canonicalSlice(body, start, end) };
}
