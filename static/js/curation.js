// Picking a line to remove from a source (#16): while the "Remove page furniture" panel is open,
// a click on a line of the article chooses it in the panel's list and asks what a rule made from
// it would remove. The list and its Preview button do the same from the keyboard, without this.

const panel = document.getElementById("line-curation");
const body = document.getElementById("document-body");
const form = panel?.querySelector(".line-curation-pick");
const select = form?.querySelector("select");

if (panel && body && form && select) {
  const picking = () => body.classList.toggle("picking-lines", panel.open);
  panel.addEventListener("toggle", picking);
  picking();

  body.addEventListener("click", (event) => {
    if (!panel.open) return;
    // Dragging across text selects it to annotate; only a plain click picks a line.
    if (!window.getSelection()?.isCollapsed) return;
    const line = event.target.closest?.("[data-start]");
    if (!line || !body.contains(line)) return;
    const option = [...select.options].find((candidate) => candidate.value === line.dataset.start);
    if (!option) return;
    select.value = option.value;
    for (const picked of body.querySelectorAll(".picked-line")) picked.classList.remove("picked-line");
    line.classList.add("picked-line");
    form.requestSubmit();
  });
}
