// A labelled control with the server's reason for it underneath (a 422 names the field), shared
// by the add form and each code's row on the wrap-up codes page.

import { ApiError } from "../api";
import { h } from "../dom";

export type Control = HTMLInputElement | HTMLSelectElement;

export interface Field {
  row: HTMLElement;
  control: Control;
  error: HTMLElement;
}

/** `label` visible, or only for screen readers (a table cell's control). */
export function field(id: string, name: string, label: string, control: Control, opts: { hint?: string; hiddenLabel?: boolean } = {}): Field {
  control.id = id;
  const error = h("small", { class: "field-error", id: `${id}-error`, "data-error-for": name });
  const hint = opts.hint ? h("small", { class: "muted", id: `${id}-hint` }, opts.hint) : null;
  control.setAttribute("aria-describedby", [hint ? `${id}-hint` : "", `${id}-error`].filter(Boolean).join(" "));
  const caption = h("label", { for: id, class: opts.hiddenLabel ? "visually-hidden" : null }, label);
  const row = h("div", { class: "lead-field wrapup-field", "data-field": name }, caption, control, hint, error);
  return { row, control, error };
}

export function clearErrors(fields: Record<string, Field>): void {
  for (const f of Object.values(fields)) {
    f.error.textContent = "";
    f.control.removeAttribute("aria-invalid");
  }
}

/** Show a 422's reasons beside their fields; the reasons no field here takes are returned. */
export function showErrors(fields: Record<string, Field>, err: unknown): string[] {
  const named = err instanceof ApiError ? Object.entries(err.fieldErrors) : [];
  const left: string[] = [];
  let first: Control | null = null;
  for (const [name, reason] of named) {
    const f = fields[name];
    if (!f) {
      left.push(reason);
      continue;
    }
    f.error.textContent = reason;
    f.control.setAttribute("aria-invalid", "true");
    first ??= f.control;
  }
  first?.focus();
  return left;
}

export function errorText(err: unknown, fallback: string): string {
  return err instanceof Error ? err.message : fallback;
}
