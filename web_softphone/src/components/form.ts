// Form building blocks with accessible labels and per-field error messages.

import { h, icon, uid } from "../dom";
import { ICONS } from "../icons";

export interface FieldOptions {
  type?: string;
  value?: string | null;
  required?: boolean;
  autocomplete?: string;
  placeholder?: string;
  hint?: string;
  inputmode?: string;
  maxlength?: number;
}

/** <div.field><label/><input/><p.hint/><p.field-error/></div>; the error is tied via aria-describedby. */
export function textField(label: string, name: string, opts: FieldOptions = {}): HTMLDivElement {
  const id = uid(`f-${name}`);
  const errorId = `${id}-error`;
  const hintId = opts.hint ? `${id}-hint` : null;
  const input = h("input", {
    id,
    name,
    type: opts.type ?? "text",
    value: opts.value ?? "",
    required: opts.required ?? false,
    autocomplete: opts.autocomplete ?? "off",
    placeholder: opts.placeholder ?? null,
    inputmode: opts.inputmode ?? null,
    maxlength: opts.maxlength ?? null,
    "aria-describedby": [hintId, errorId].filter(Boolean).join(" "),
  });
  return h(
    "div",
    { class: "field", "data-field": name },
    h("label", { for: id }, label, opts.required ? h("span", { class: "req", "aria-hidden": "true" }, " *") : null),
    input,
    hintId ? h("p", { class: "hint", id: hintId }, opts.hint!) : null,
    h("p", { class: "field-error", id: errorId, hidden: true }),
  );
}

export function selectField(
  label: string,
  name: string,
  options: { value: string; label: string }[],
  value: string | null | undefined,
): HTMLDivElement {
  const id = uid(`f-${name}`);
  const errorId = `${id}-error`;
  const select = h(
    "select",
    { id, name, "aria-describedby": errorId },
    options.map((o) => h("option", { value: o.value, selected: o.value === (value ?? "") }, o.label)),
  );
  return h(
    "div",
    { class: "field", "data-field": name },
    h("label", { for: id }, label),
    select,
    h("p", { class: "field-error", id: errorId, hidden: true }),
  );
}

export function textareaField(label: string, name: string, opts: { rows?: number; required?: boolean; placeholder?: string } = {}): HTMLDivElement {
  const id = uid(`f-${name}`);
  const errorId = `${id}-error`;
  return h(
    "div",
    { class: "field", "data-field": name },
    h("label", { for: id }, label),
    h("textarea", {
      id,
      name,
      rows: opts.rows ?? 3,
      required: opts.required ?? false,
      placeholder: opts.placeholder ?? null,
      "aria-describedby": errorId,
    }),
    h("p", { class: "field-error", id: errorId, hidden: true }),
  );
}

/** The alert box at the top of a form (role=alert so screen readers announce it). */
export function formAlert(): HTMLDivElement {
  return h("div", { class: "form-alert", role: "alert", hidden: true });
}

export function showAlert(alert: HTMLElement, message: string | null, tone: "error" | "success" = "error"): void {
  if (!message) {
    alert.hidden = true;
    alert.replaceChildren();
    return;
  }
  alert.hidden = false;
  alert.className = `form-alert ${tone}`;
  alert.replaceChildren(icon(tone === "error" ? ICONS.alert : ICONS.check), h("span", null, message));
}

/** Clear old errors, then show `errors` next to their fields. Returns errors for fields not in the form. */
export function showFieldErrors(form: HTMLElement, errors: Record<string, string>, aliases: Record<string, string> = {}): string[] {
  for (const field of form.querySelectorAll<HTMLElement>(".field")) {
    field.classList.remove("invalid");
    const control = field.querySelector("input, select, textarea");
    control?.removeAttribute("aria-invalid");
    const err = field.querySelector<HTMLElement>(".field-error");
    if (err) {
      err.hidden = true;
      err.textContent = "";
    }
  }
  const unplaced: string[] = [];
  let first: HTMLElement | null = null;
  for (const [name, message] of Object.entries(errors)) {
    const field = form.querySelector<HTMLElement>(`.field[data-field="${CSS.escape(aliases[name] ?? name)}"]`);
    if (!field) {
      unplaced.push(message);
      continue;
    }
    field.classList.add("invalid");
    const control = field.querySelector<HTMLElement>("input, select, textarea");
    control?.setAttribute("aria-invalid", "true");
    const err = field.querySelector<HTMLElement>(".field-error");
    if (err) {
      err.hidden = false;
      err.textContent = message;
    }
    first ??= control ?? null;
  }
  first?.focus();
  return unplaced;
}

export function formValue(form: HTMLFormElement, name: string): string {
  const el = form.elements.namedItem(name);
  if (el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement) {
    return el.value;
  }
  return "";
}
