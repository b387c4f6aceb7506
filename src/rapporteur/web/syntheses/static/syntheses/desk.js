// The rapporteur's desk: after each edit the desk is swapped in place (htmx); the focus goes to the
// status line, which says what was done (or why it was refused), so a keyboard user is never lost.
// Selecting words in a quote fills that quote's "label with these words" field.
document.addEventListener("htmx:afterSwap", () => {
  const status = document.getElementById("desk-status");
  if (status) status.focus();
});
document.addEventListener("mouseup", () => {
  const selection = window.getSelection();
  const text = selection ? selection.toString().trim() : "";
  if (!text || !selection.anchorNode) return;
  const quote = selection.anchorNode.parentElement && selection.anchorNode.parentElement.closest("blockquote[data-point]");
  if (!quote) return;
  const field = document.querySelector(`input[data-words-of="${CSS.escape(quote.dataset.point)}"]`);
  if (field) field.value = text;
});
