// A running import job's page in the admin reloads itself every few seconds to show the files
// done and the documents ready, unless the curator pauses it (WCAG 2.2.1: a time limit the user
// can stop; a <meta http-equiv="refresh"> could not be paused). Without this script the page
// says to reload it.
const box = document.querySelector("[data-refresh-seconds]");
if (box) {
  const seconds = Number(box.dataset.refreshSeconds) || 3;
  const button = box.querySelector("button");
  const status = box.querySelector("[role=status]");
  let timer = null;
  const start = () => {
    timer = window.setTimeout(() => window.location.reload(), seconds * 1000);
    button.textContent = "Pause updates";
    button.setAttribute("aria-pressed", "false");
    status.textContent = `This page updates every ${seconds} seconds while the job runs.`;
  };
  const stop = () => {
    window.clearTimeout(timer);
    timer = null;
    button.textContent = "Resume updates";
    button.setAttribute("aria-pressed", "true");
    status.textContent = "Updates paused.";
  };
  button.hidden = false;
  button.addEventListener("click", () => (timer === null ? start() : stop()));
  start();
}
