// The moderation queue's "Select all": ticks or clears every item of its form (without JavaScript, a link
// reloads the queue with every item ticked).
document.querySelectorAll("form.moderation").forEach((form) => {
  const all = form.querySelector("[data-select-all]");
  const items = () => Array.from(form.querySelectorAll('input[name="items"]'));
  if (!all) return;
  form.querySelector("[data-select-all-label]").hidden = false;
  const sync = () => {
    const ticked = items().filter((box) => box.checked).length;
    all.checked = ticked > 0 && ticked === items().length;
    all.indeterminate = ticked > 0 && ticked < items().length;
  };
  all.addEventListener("change", () => { items().forEach((box) => { box.checked = all.checked; }); sync(); });
  items().forEach((box) => box.addEventListener("change", sync));
  sync();
});
