// The agent's call-back list: soonest first, overdue ones highlighted; one click dials,
// another marks it done.

import { h, icon } from "../dom";
import { ICONS } from "../icons";
import { rescheduleForm } from "./reschedule";
import type { Callback } from "./types";
import { dueLabel } from "./when";
import { t } from "../i18n";

export interface ListOptions {
  hrefForContact: (id: number) => string;
  onDial: (callback: Callback, button: HTMLButtonElement) => void;
  onDone: (callback: Callback, button: HTMLButtonElement) => void;
}

function row(cb: Callback, opts: ListOptions): HTMLElement {
  const dial = h("button", { type: "button", class: "btn btn-primary btn-small", disabled: !cb.phone, "aria-label": t("list.call_value", { value: cb.contact_name || cb.phone || "" }).trim() }, icon(ICONS.phone), h("span", null, t("list.call")));
  const done = h("button", { type: "button", class: "btn btn-ghost btn-small", "aria-label": t("list.done_subject", { subject: cb.subject }) }, icon(ICONS.check), h("span", null, t("list.done")));
  const move = h("button", { type: "button", class: "btn btn-ghost btn-small", "aria-label": t("list.move_subject", { subject: cb.subject }) }, icon(ICONS.clock), h("span", null, t("list.move")));
  const moveSlot = h("div", { class: "cb-move-slot" });
  dial.addEventListener("click", () => opts.onDial(cb, dial));
  done.addEventListener("click", () => opts.onDone(cb, done));
  move.addEventListener("click", () => moveSlot.replaceChildren(rescheduleForm(cb, () => moveSlot.replaceChildren())));
  const who = cb.contact_id ? h("a", { href: opts.hrefForContact(cb.contact_id) }, cb.contact_name || t("list.card")) : h("span", null, cb.contact_name || "—");
  return h(
    "li",
    { class: `cb-row${cb.overdue ? " overdue" : ""}`, "data-testid": "callback-row", "data-callback-id": String(cb.id), "data-overdue": String(cb.overdue) },
    h("div", { class: "cb-when" }, h("time", { datetime: cb.due_at ?? "" }, dueLabel(cb.due_at)), cb.overdue ? h("span", { class: "badge bad" }, t("list.overdue")) : null, cb.auto_dial ? h("span", { class: "badge neutral", title: t("list.dialled_automatically_when_you_are") }, t("list.auto_dial")) : null),
    h("div", { class: "cb-main" }, h("strong", null, who), h("span", { class: "cb-subject" }, cb.subject), cb.phone ? h("span", { class: "cb-phone" }, cb.phone) : null),
    h("div", { class: "cb-actions" }, dial, move, done),
    moveSlot,
  );
}

export function callbackList(items: Callback[], opts: ListOptions): HTMLElement {
  if (!items.length) return h("p", { class: "empty" }, t("list.no_open_call_backs_plan"));
  return h("ul", { class: "cb-list", "aria-label": t("list.open_call_backs") }, items.map((cb) => row(cb, opts)));
}
