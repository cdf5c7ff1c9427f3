// The wrap-up code picker of a pop's wrap-up form: the codes of the call's queue (then the
// global ones) from GET /api/wrapup-codes, fetched once a minute per queue at most. When the
// queue requires a code (and the agent had the call), the form cannot close without one.

import type { Api } from "../api";
import { h, uid } from "../dom";
import type { WrapupChoices, WrapupCode } from "../types";
import { t } from "../i18n";

const FRESH_MS = 60_000;
const cache = new Map<string, { at: number; choices: Promise<WrapupChoices | null> }>();

function choicesFor(api: Api, queue: string): Promise<WrapupChoices | null> {
  const hit = cache.get(queue);
  if (hit && Date.now() - hit.at < FRESH_MS) return hit.choices;
  const choices = api.wrapupChoices(queue).catch(() => {
    cache.delete(queue);
    return null; // no codes offered: the wrap-up still saves its note
  });
  cache.set(queue, { at: Date.now(), choices });
  return choices;
}

export interface CodePicker {
  element: HTMLElement;
  /** Resolves once the codes are known (null: none could be loaded). */
  ready: Promise<WrapupChoices | null>;
  /** The queue requires a code of this call (known once `ready`). */
  required(): boolean;
  label(code: string): string;
}

/** `applies`: the agent had the call (answered it), so the queue's "required" holds. */
export function codePicker(api: Api, queue: string, applies: boolean): CodePicker {
  const element = h("div", { class: "wrapup-code", "data-testid": "wrapup-code" });
  let known: WrapupChoices | null = null;
  const ready = choicesFor(api, queue).then((choices) => {
    known = choices;
    if (choices?.codes.length) element.replaceChildren(codeField(choices.codes, applies && choices.code_required));
    return choices;
  });
  return {
    element,
    ready,
    required: () => Boolean(applies && known?.code_required),
    label: (code) => known?.codes.find((c) => c.code === code)?.label ?? code,
  };
}

function codeField(codes: WrapupCode[], required: boolean): HTMLElement {
  const id = uid("f-wrapup_code");
  const errorId = `${id}-error`;
  const clear = (ev: Event) => {
    const field = (ev.target as HTMLElement).closest(".field");
    field?.classList.remove("invalid");
    (ev.target as HTMLElement).removeAttribute("aria-invalid");
    const error = field?.querySelector<HTMLElement>(".field-error");
    if (error) error.hidden = true;
  };
  const option = (c: WrapupCode) => h("option", { value: c.code }, c.plans_callback_in_hours ? t("wrapupCode.label_call_back_in_plans", { label: c.label, plans_callback_in_hours: c.plans_callback_in_hours }) : c.label);
  return h(
    "div",
    { class: "field", "data-field": "wrapup_code" },
    h("label", { for: id }, t("wrapupCode.wrap_up_code"), h("span", { class: "hint" }, required ? "(required)" : "(optional)")),
    h("select", { id, name: "wrapup_code", required, "aria-describedby": errorId, onchange: clear }, h("option", { value: "" }, required ? t("wrapupCode.pick_a_code") : t("wrapupCode.no_code")), codes.map(option)),
    h("p", { class: "field-error", id: errorId, hidden: true }),
  );
}
