// "Add a line" for a Django form set, without inline script (our Content Security Policy).
// The page holds the form set's empty form in <template id="PREFIX-empty-form">, its forms
// in #PREFIX-forms, and a button [data-formset-add="PREFIX"]; a hint
// [data-formset-hint="PREFIX"] says what to do without JavaScript and is hidden here.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-formset-add]")) {
    const prefix = button.dataset.formsetAdd;
    const template = document.getElementById(`${prefix}-empty-form`);
    const list = document.getElementById(`${prefix}-forms`);
    const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
    const max = document.getElementById(`id_${prefix}-MAX_NUM_FORMS`);
    if (!template || !list || !total) continue;
    button.hidden = false;
    for (const hint of document.querySelectorAll(`[data-formset-hint="${prefix}"]`)) {
      hint.hidden = true;
    }
    button.addEventListener("click", () => {
      const index = Number(total.value);
      if (max && index >= Number(max.value)) return;
      const copy = template.content.cloneNode(true);
      for (const element of copy.querySelectorAll("*")) {
        for (const attribute of Array.from(element.attributes)) {
          if (attribute.value.includes("__prefix__")) {
            element.setAttribute(attribute.name, attribute.value.replaceAll("__prefix__", index));
          }
        }
      }
      const first = copy.querySelector("input:not([type=hidden]), select, textarea");
      list.appendChild(copy);
      total.value = String(index + 1);
      if (first) first.focus();
    });
  }
});
