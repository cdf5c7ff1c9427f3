// Loading states: a spinner, placeholder blocks while a card loads, and a helper
// that marks a button busy for the length of an operation.

import { h } from "../dom";
import { t } from "../i18n";

export function spinner(label = t("loading.loading")): HTMLElement {
  return h("span", { class: "spinner", role: "status" }, h("span", { class: "visually-hidden" }, label));
}

/** A block shown in place of content that is on its way. */
export function loadingBlock(label = t("loading.loading")): HTMLElement {
  return h("div", { class: "loading-block", role: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }), h("span", null, label));
}

/** Grey placeholder lines in the shape of a card. */
export function cardSkeleton(): HTMLElement {
  return h(
    "div",
    { class: "card skeleton", "aria-busy": "true", "aria-label": t("loading.loading_the_contact_card") },
    h("div", { class: "sk sk-avatar" }),
    h("div", { class: "sk sk-title" }),
    h("div", { class: "sk sk-line" }),
    h("div", { class: "sk sk-line short" }),
  );
}

/**
 * Disable `button` and show a spinner in it while `work` runs; restores it after.
 * Returns what `work` returns (or rethrows).
 */
export async function withBusy<T>(button: HTMLButtonElement, busyText: string, work: () => Promise<T>): Promise<T> {
  const original = Array.from(button.childNodes);
  const form = button.form;
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  button.replaceChildren(h("span", { class: "spinner", "aria-hidden": "true" }), h("span", null, busyText));
  form?.setAttribute("aria-busy", "true");
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
    button.replaceChildren(...original);
    form?.removeAttribute("aria-busy");
  }
}
