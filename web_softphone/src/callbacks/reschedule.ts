// "Move": reschedule a call-back in place (PATCH /api/callbacks/{id}); it is notified again at
// the new time.

import { ApiError } from "../api";
import { formAlert, formValue, showAlert, showFieldErrors, textField } from "../components/form";
import { withBusy } from "../components/loading";
import { h } from "../dom";
import { callbackApi } from "./api";
import { callbacksChanged, type Callback } from "./types";
import { dateTimeFields, fromFields } from "./when";
import { t } from "../i18n";

export function rescheduleForm(cb: Callback, onClose: () => void): HTMLFormElement {
  const alert = formAlert();
  const at = dateTimeFields(cb.due_at ? new Date(cb.due_at) : new Date());
  const save = h("button", { type: "submit", class: "btn btn-primary btn-small" }, t("reschedule.save_the_new_time"));
  const form = h(
    "form",
    { class: "cb-move", novalidate: true, "aria-label": t("reschedule.move_subject", { subject: cb.subject }) },
    alert,
    h("div", { class: "plan-when" }, textField(t("reschedule.new_date"), "due_date", { type: "date", value: at.date }), textField(t("reschedule.new_time"), "due_time", { type: "time", value: at.time })),
    h("div", { class: "form-actions" }, save, h("button", { type: "button", class: "btn btn-ghost btn-small", onclick: onClose }, t("reschedule.cancel"))),
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    showAlert(alert, null);
    const due = fromFields(formValue(form, "due_date"), formValue(form, "due_time"));
    try {
      if (!due) throw new ApiError(422, t("reschedule.please_correct_the_highlighted_fields"), { due_date: t("reschedule.pick_the_new_date_and") });
      await withBusy(save, t("reschedule.saving"), () => callbackApi()!.reschedule(cb.id, due.toISOString()));
      callbacksChanged();
    } catch (err) {
      const unplaced = showFieldErrors(form, err instanceof ApiError ? err.fieldErrors : {}, { due_at: "due_date" });
      const message = err instanceof Error ? err.message : t("reschedule.could_not_move_it");
      showAlert(alert, unplaced.length ? `${message} ${unplaced.join(" ")}` : message);
    }
  });
  return form;
}
