// "Create call": plan a call-back to the card's client at a date and time, with a subject and
// an optional auto-dial. On a card (toggled by its "Create call" button) and in the wrap-up.

import { ApiError } from "../api";
import { h, icon, uid } from "../dom";
import { formAlert, formValue, showAlert, showFieldErrors, textField } from "../components/form";
import { withBusy } from "../components/loading";
import { ICONS } from "../icons";
import { callbackApi } from "./api";
import { callbacksChanged, type Callback } from "./types";
import { dateTimeFields, fromFields, nextFullHour } from "./when";
import { t } from "../i18n";

export interface PlanOptions {
  contactId: number;
  name: string;
  callId?: number | null;
  onSaved: (callback: Callback) => void;
  onCancel?: () => void;
}

/** The auto-dial checkbox (also used inside the wrap-up form). */
export function autoDialField(name = "auto_dial"): HTMLElement {
  const id = uid("autodial");
  return h(
    "div",
    { class: "field check-field", "data-field": name },
    h("input", { id, type: "checkbox", name }),
    h("label", { for: id }, t("planForm.auto_dial_ring_my_phone")),
  );
}

export function checked(form: HTMLFormElement, name: string): boolean {
  const el = form.elements.namedItem(name);
  return el instanceof HTMLInputElement && el.checked;
}

/** Date, time and subject of the form, checked in the page before the server sees them. */
export function readPlan(form: HTMLFormElement): { due: Date; subject: string } {
  const due = fromFields(formValue(form, "due_date"), formValue(form, "due_time"));
  const subject = formValue(form, "subject").trim();
  const errors: Record<string, string> = {};
  if (!due) errors.due_date = t("planForm.pick_the_date_and_time");
  if (!subject) errors.subject = t("planForm.say_what_the_call_is");
  if (!due || !subject) throw new ApiError(422, t("planForm.please_correct_the_highlighted_fields"), errors);
  return { due, subject };
}

export function planForm(opts: PlanOptions): HTMLFormElement {
  const alert = formAlert();
  const at = dateTimeFields(nextFullHour());
  const save = h("button", { type: "submit", class: "btn btn-primary" }, icon(ICONS.clock), h("span", null, t("planForm.plan_the_call")));
  const cancel = opts.onCancel ? h("button", { type: "button", class: "btn btn-ghost", onclick: opts.onCancel }, t("planForm.cancel")) : null;
  const form = h(
    "form",
    { class: "plan-callback", novalidate: true, "aria-label": t("planForm.plan_a_call_back") },
    alert,
    h("div", { class: "plan-when" }, textField(t("planForm.date"), "due_date", { type: "date", value: at.date }), textField(t("planForm.time"), "due_time", { type: "time", value: at.time })),
    textField(t("planForm.subject"), "subject", { maxlength: 200, value: t("planForm.call_back_name", { name: opts.name }).trim() }),
    autoDialField(),
    h("div", { class: "form-actions" }, save, cancel),
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    showAlert(alert, null);
    showFieldErrors(form, {});
    try {
      const api = callbackApi();
      if (!api) throw new Error(t("planForm.not_signed_in"));
      const { due, subject } = readPlan(form);
      const body = { contact_id: opts.contactId, subject, due_at: due.toISOString(), auto_dial: checked(form, "auto_dial"), call_id: opts.callId ?? null };
      const saved = await withBusy(save, t("planForm.saving"), () => api.plan(body));
      callbacksChanged();
      opts.onSaved(saved);
    } catch (err) {
      const fields = err instanceof ApiError ? { ...err.fieldErrors } : {};
      const unplaced = showFieldErrors(form, fields, { due_at: "due_date" });
      const message = err instanceof Error ? err.message : t("planForm.the_call_back_could_not");
      showAlert(alert, unplaced.length ? `${message} ${unplaced.join(" ")}` : message);
    }
  });
  return form;
}
