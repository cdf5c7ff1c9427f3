// The agent's call-back list: soonest first, overdue ones highlighted; one click dials,
// another marks it done.

import { h, icon } from "../dom";
import { ICONS } from "../icons";
import { rescheduleForm } from "./reschedule";
import type { Callback } from "./types";
import { dueLabel } from "./when";

export interface ListOptions {
  hrefForContact: (id: number) => string;
  onDial: (callback: Callback, button: HTMLButtonElement) => void;
  onDone: (callback: Callback, button: HTMLButtonElement) => void;
}

function row(cb: Callback, opts: ListOptions): HTMLElement {
  const dial = h("button", { type: "button", class: "btn btn-primary btn-small", disabled: !cb.phone, "aria-label": `Call ${cb.contact_name || cb.phone || ""}`.trim() }, icon(ICONS.phone), h("span", null, "Call"));
  const done = h("button", { type: "button", class: "btn btn-ghost btn-small", "aria-label": `Done: ${cb.subject}` }, icon(ICONS.check), h("span", null, "Done"));
  const move = h("button", { type: "button", class: "btn btn-ghost btn-small", "aria-label": `Move: ${cb.subject}` }, icon(ICONS.clock), h("span", null, "Move"));
  const moveSlot = h("div", { class: "cb-move-slot" });
  dial.addEventListener("click", () => opts.onDial(cb, dial));
  done.addEventListener("click", () => opts.onDone(cb, done));
  move.addEventListener("click", () => moveSlot.replaceChildren(rescheduleForm(cb, () => moveSlot.replaceChildren())));
  const who = cb.contact_id ? h("a", { href: opts.hrefForContact(cb.contact_id) }, cb.contact_name || "Card") : h("span", null, cb.contact_name || "—");
  return h(
    "li",
    { class: `cb-row${cb.overdue ? " overdue" : ""}`, "data-testid": "callback-row", "data-callback-id": String(cb.id), "data-overdue": String(cb.overdue) },
    h("div", { class: "cb-when" }, h("time", { datetime: cb.due_at ?? "" }, dueLabel(cb.due_at)), cb.overdue ? h("span", { class: "badge bad" }, "Overdue") : null, cb.auto_dial ? h("span", { class: "badge neutral", title: "Dialled automatically when you are free" }, "Auto-dial") : null),
    h("div", { class: "cb-main" }, h("strong", null, who), h("span", { class: "cb-subject" }, cb.subject), cb.phone ? h("span", { class: "cb-phone" }, cb.phone) : null),
    h("div", { class: "cb-actions" }, dial, move, done),
    moveSlot,
  );
}

export function callbackList(items: Callback[], opts: ListOptions): HTMLElement {
  if (!items.length) return h("p", { class: "empty" }, "No open call-backs. Plan one from a card or after a call.");
  return h("ul", { class: "cb-list", "aria-label": "Open call-backs" }, items.map((cb) => row(cb, opts)));
}
