// Live session: ask every second whether the session's annotations, the reader's role or the
// session's state changed (a 304 without a body when nothing did), then refresh only what
// changed: the affected documents' highlights, the panel, an open thread, the session bar. A document the reader is selecting in, or annotating, waits
// until they are done, so their selection and popover are never disturbed.

import { refreshDocument } from "./annotate.js";

const POLL_MILLISECONDS = 1000;
const sessionId = document.body.dataset.session;
let version = Number(document.body.dataset.sessionVersion || 0);
// "<role> <open|closed>": what the page offers was rendered for this; the poll says when it changes.
let state = document.body.dataset.sessionState || "";
let etag = null;
const waiting = new Set();

function busyIn(documentId) {
  const popover = document.getElementById("annotation-popover");
  if (popover && !popover.hidden) return true;
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) return false;
  const node = selection.getRangeAt(0).commonAncestorContainer;
  const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
  const body = element && element.closest(".document-body[data-document]");
  return !body || body.dataset.document === String(documentId);
}

function refreshWhenFree() {
  for (const documentId of [...waiting]) {
    if (!busyIn(documentId)) {
      waiting.delete(documentId);
      refreshDocument(documentId);
    }
  }
}

function refreshOpenThreads() {
  const threads = document.getElementById("annotation-threads");
  const open = threads ? [...threads.querySelectorAll(".thread")].map((t) => t.id.replace("thread-", "")) : [];
  // Someone with a reply or an edit half-written keeps it: the threads refresh once it is sent.
  const unsaved = threads && [...threads.querySelectorAll("textarea, input[type=text], input:not([type])")]
    .some((field) => field.value !== field.defaultValue);
  if (!open.length || unsaved) return;
  const query = new URLSearchParams(open.map((id) => ["id", id]));
  htmx.ajax("GET", `/annotations/threads/?${query}`, { target: threads, swap: "innerHTML" });
}

// The owner changed the reader's role, or closed or reopened the session: the session bar and
// the popover (a form, or why there is none) come again from the server, and so do open threads
// (their reply and edit forms).
function refreshSessionState(newState) {
  state = newState;
  document.body.dataset.sessionState = newState;
  htmx.ajax("GET", `/sessions/${sessionId}/`, { target: "#session-bar", swap: "outerHTML" });
  refreshOpenThreads();
}

async function poll() {
  try {
    const headers = etag ? { "If-None-Match": etag } : {};
    const query = new URLSearchParams({ since: version, state });
    const response = await fetch(`/sessions/${sessionId}/poll/?${query}`, { headers, credentials: "same-origin", cache: "no-store" });
    if (response.status === 200) {
      etag = response.headers.get("ETag");
      const changes = await response.json();
      if (changes.gone) {
        // Removed from the session (or it is gone), or signed out: say so and stop asking.
        showGone(changes.gone === "signed-out");
        return;
      }
      const shown = [...document.querySelectorAll(".document-body[data-document]")].map((b) => b.dataset.document);
      const documents = changes.everything ? shown : changes.documents.map(String).filter((id) => shown.includes(id));
      if (changes.version !== version) {
        for (const documentId of documents) waiting.add(documentId);
        refreshWhenFree();
        document.body.dispatchEvent(new CustomEvent("annotations-changed", { bubbles: true, detail: { live: true } }));
        refreshOpenThreads();
      }
      version = changes.version;
      const newState = `${changes.role} ${changes.closed ? "closed" : "open"}`;
      if (newState !== state) refreshSessionState(newState);
    } else if (response.status === 304) {
      refreshWhenFree();
    }
  } catch (error) {
    // The network blinked: try again at the next tick.
  }
  window.setTimeout(poll, POLL_MILLISECONDS);
}

// The page stays readable as it is; what it offers for the session no longer works.
function showGone(signedOut) {
  const message = document.createElement("p");
  message.className = "message message--warning session-gone";
  message.setAttribute("role", "alert");
  const link = document.createElement("a");
  if (signedOut) {
    message.append("You were signed out, so this page no longer follows the session. ");
    link.href = `/accounts/login/?next=${encodeURIComponent(window.location.pathname)}`;
    link.textContent = "Sign in again";
  } else {
    message.append("You are no longer a member of this session: new annotations will not appear here and you cannot annotate. ");
    link.href = "/sessions/";
    link.textContent = "Your sessions";
  }
  message.append(link);
  const bar = document.getElementById("session-bar");
  (bar || document.querySelector("main")).before(message);
  document.body.dataset.sessionState = "gone";
  const popover = document.getElementById("annotation-popover");
  const form = popover && popover.querySelector("form");
  if (form) {
    const why = document.createElement("p");
    why.className = "popover-read-only";
    why.textContent = signedOut
      ? "You were signed out: sign in again to annotate."
      : "You are no longer a member of this session, so you cannot annotate here.";
    const close = document.createElement("button");
    close.type = "button";
    close.dataset.action = "cancel";
    close.textContent = "Close";
    const actions = document.createElement("p");
    actions.className = "popover-actions";
    actions.append(close);
    form.replaceWith(why, actions);
  }
}

document.addEventListener("selectionchange", () => { if (waiting.size) window.setTimeout(refreshWhenFree, 300); });
window.setTimeout(poll, POLL_MILLISECONDS);
