// Copy buttons: <button data-copy="field-id"> copies that field's value and says so in the
// element marked data-copy-status="field-id". Shown only where this script runs (without it,
// the field is there to select and copy by hand).

for (const button of document.querySelectorAll("[data-copy]")) button.hidden = false;

document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const field = document.getElementById(button.dataset.copy);
  const status = document.querySelector(`[data-copy-status="${CSS.escape(button.dataset.copy)}"]`);
  if (!field) return;
  let message = "Copied.";
  try {
    await navigator.clipboard.writeText(field.value);
  } catch (error) {
    // No clipboard access (an insecure origin, or refused): leave it selected to copy by hand.
    field.focus();
    field.select();
    message = "Selected: press Ctrl+C (⌘C) to copy.";
  }
  if (status) status.textContent = message;
});
