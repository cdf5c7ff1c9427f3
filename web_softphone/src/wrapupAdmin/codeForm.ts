// The wrap-up codes page's "Add a code" form: the code (a stable slug the calls keep), its label,
// the queue it is offered for ("" = every queue), the call-back it plans and its place in the
// list. A refused code shows the server's reason beside the field.

import type { Api } from "../api";
import { h } from "../dom";
import { t } from "../i18n";
import { clearErrors, errorText, field, showErrors, type Field } from "./fields";

export function queueName(queue: string): string {
  return queue ? t("wrapupAdmin.queue_name", { queue }) : t("wrapupAdmin.every_queue");
}

export function codeForm(api: Api, queues: readonly string[], onMade: (code: string) => Promise<void>): HTMLFormElement {
  const number = (min: string, max: string) => h("input", { type: "number", min, max, step: "1", inputmode: "numeric" });
  const fields: Record<string, Field> = {
    code: field("wrapup-new-code", "code", t("wrapupAdmin.code"), h("input", { type: "text", maxlength: "32", required: true, placeholder: "call-back-later", autocomplete: "off" }), { hint: t("wrapupAdmin.code_hint") }),
    label: field("wrapup-new-label", "label", t("wrapupAdmin.label"), h("input", { type: "text", maxlength: "100", required: true, placeholder: t("wrapupAdmin.label_example") })),
    queue: field("wrapup-new-queue", "queue", t("wrapupAdmin.offered_for"), h("select", null, ...["", ...queues].map((q) => h("option", { value: q }, queueName(q))))),
    plans_callback_in_hours: field("wrapup-new-hours", "plans_callback_in_hours", t("wrapupAdmin.callback_after_hours"), number("0", "720"), { hint: t("wrapupAdmin.callback_hint") }),
    position: field("wrapup-new-position", "position", t("wrapupAdmin.position"), number("0", "2147483647"), { hint: t("wrapupAdmin.position_hint") }),
  };
  const alert = h("p", { class: "form-alert error", role: "alert", hidden: true });
  const submit = h("button", { type: "submit", class: "btn btn-primary" }, t("wrapupAdmin.add_code"));
  const form = h(
    "form",
    { class: "lead-form wrapup-form", "aria-labelledby": "wrapup-form-title", novalidate: true },
    h("h3", { id: "wrapup-form-title" }, t("wrapupAdmin.add_a_code")),
    h("div", { class: "lead-grid" }, ...Object.values(fields).map((f) => f.row)),
    alert,
    h("div", { class: "lead-form-actions" }, submit),
  );
  const value = (name: string) => fields[name]!.control.value.trim();
  const whole = (name: string) => (value(name) === "" ? 0 : Number(value(name)));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearErrors(fields);
    alert.hidden = true;
    submit.disabled = true;
    const body = { code: value("code"), label: value("label"), queue: value("queue"), plans_callback_in_hours: whole("plans_callback_in_hours"), position: whole("position") };
    void api
      .createWrapupCode(body)
      .then(async () => {
        form.reset();
        await onMade(body.code);
      })
      .catch((err: unknown) => {
        const left = showErrors(fields, err);
        alert.textContent = left[0] ?? errorText(err, t("wrapupAdmin.not_saved"));
        alert.hidden = false;
      })
      .finally(() => {
        submit.disabled = false;
      });
  });
  return form;
}
