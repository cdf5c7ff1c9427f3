// One queue's codes on the wrap-up codes page (or the global ones, offered for every queue): the
// queue's rule that a code is required before a wrap-up closes, and a row a code to rename it,
// change the call-back it plans, switch it off or on, and delete it.

import type { Api } from "../api";
import { h } from "../dom";
import { t } from "../i18n";
import type { WrapupCode, WrapupCodePatch } from "../types";
import { queueName } from "./codeForm";
import { clearErrors, errorText, field, showErrors, type Field } from "./fields";

export interface GroupActions {
  /** Tell the page what happened (a status line) and load the codes again. */
  done(message: string): Promise<void>;
  failed(message: string): void;
}

function codeRow(api: Api, code: WrapupCode, actions: GroupActions): HTMLTableRowElement {
  const id = `wrapup-${code.id}`;
  const label = h("input", { type: "text", maxlength: "100", value: code.label });
  const hours = h("input", { type: "number", min: "0", max: "720", step: "1", value: String(code.plans_callback_in_hours ?? 0) });
  const fields: Record<string, Field> = {
    label: field(`${id}-label`, "label", t("wrapupAdmin.label_of", { code: code.code }), label, { hiddenLabel: true }),
    plans_callback_in_hours: field(`${id}-hours`, "plans_callback_in_hours", t("wrapupAdmin.callback_hours_of", { code: code.code }), hours, { hiddenLabel: true }),
  };
  const enabled = h("input", { type: "checkbox", checked: code.enabled, "aria-label": t("wrapupAdmin.offered", { code: code.code }) });
  const send = async (patch: WrapupCodePatch, message: string) => {
    clearErrors(fields);
    try {
      await api.patchWrapupCode(code.id, patch);
      await actions.done(message);
    } catch (err) {
      const left = showErrors(fields, err);
      actions.failed(left[0] ?? errorText(err, t("wrapupAdmin.not_changed", { code: code.code })));
    }
  };
  const save = h("button", { type: "button", class: "btn btn-small" }, t("wrapupAdmin.save"));
  save.setAttribute("aria-label", t("wrapupAdmin.save_code", { code: code.code }));
  save.addEventListener("click", () => {
    const value = hours.value.trim();
    void send({ label: label.value.trim(), plans_callback_in_hours: value === "" ? 0 : Number(value) }, t("wrapupAdmin.saved", { code: code.code }));
  });
  enabled.addEventListener("change", () => void send({ enabled: enabled.checked }, enabled.checked ? t("wrapupAdmin.switched_on", { code: code.code }) : t("wrapupAdmin.switched_off", { code: code.code })));
  const remove = h("button", { type: "button", class: "btn btn-small" }, t("wrapupAdmin.delete"));
  remove.setAttribute("aria-label", t("wrapupAdmin.delete_code", { code: code.code }));
  remove.addEventListener("click", () => {
    void api.deleteWrapupCode(code.id).then(
      () => actions.done(t("wrapupAdmin.deleted", { code: code.code })),
      (err: unknown) => actions.failed(errorText(err, t("wrapupAdmin.not_changed", { code: code.code }))),
    );
  });
  return h(
    "tr",
    { "data-testid": "wrapup-code", "data-code": code.code, "data-enabled": String(code.enabled) },
    h("td", { class: "num" }, String(code.position)),
    h("td", null, h("code", { class: "wrapup-slug" }, code.code)),
    h("td", null, fields.label!.row),
    h("td", null, fields.plans_callback_in_hours!.row),
    h("td", null, enabled),
    h("td", { class: "lead-row-actions" }, save, remove),
  );
}

function requiredSwitch(api: Api, queue: string, required: boolean, actions: GroupActions): HTMLElement {
  const id = `wrapup-required-${queue}`;
  const box = h("input", { type: "checkbox", id, checked: required, "data-testid": "wrapup-required" });
  box.addEventListener("change", () => {
    void api.setWrapupQueueRule(queue, box.checked).then(
      () => actions.done(box.checked ? t("wrapupAdmin.now_required", { queue }) : t("wrapupAdmin.now_optional", { queue })),
      (err: unknown) => actions.failed(errorText(err, t("wrapupAdmin.rule_not_changed", { queue }))),
    );
  });
  return h("div", { class: "lead-field lead-check wrapup-required" }, box, h("label", { for: id }, t("wrapupAdmin.required_before_close")));
}

export function queueGroup(api: Api, queue: string, codes: readonly WrapupCode[], required: boolean, actions: GroupActions): HTMLElement {
  const titleId = `wrapup-group-${queue || "global"}`;
  const head = [t("wrapupAdmin.position_short"), t("wrapupAdmin.code"), t("wrapupAdmin.label"), t("wrapupAdmin.callback_after_hours"), t("wrapupAdmin.on"), ""];
  const table = codes.length
    ? h(
        "table",
        { class: "dead-table wrapup-table", "aria-labelledby": titleId },
        h("thead", null, h("tr", null, ...head.map((text) => h("th", { scope: "col" }, text || h("span", { class: "visually-hidden" }, t("wrapupAdmin.actions")))))),
        h("tbody", null, ...codes.map((code) => codeRow(api, code, actions))),
      )
    : h("p", { class: "placeholder" }, queue ? t("wrapupAdmin.no_codes_for_queue") : t("wrapupAdmin.no_global_codes"));
  return h(
    "section",
    { class: "wrapup-admin-group", "data-testid": "wrapup-group", "data-queue": queue, "aria-labelledby": titleId },
    h("h3", { class: "lead-sub", id: titleId }, queueName(queue)),
    queue ? requiredSwitch(api, queue, required, actions) : h("p", { class: "muted" }, t("wrapupAdmin.global_intro")),
    table,
  );
}
