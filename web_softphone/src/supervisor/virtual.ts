// The supervisor's "Waiting for a call-back" panel: callers who pressed 1 in a queue and keep a
// virtual place there (the snapshot's virtual_callers), with their position and what happens now.

import { h } from "../dom";
import { clock, type QueueView, type VirtualCaller } from "./model";
import { t } from "../i18n";

export function virtualStatus(v: VirtualCaller): string {
  if (v.status === "dialing") return v.extension ? t("virtual.calling_back_extension_rings", { extension: v.extension }) : t("virtual.calling_back");
  if (v.attempts > 0) return t("virtual.waiting_unanswered", { count: v.attempts });
  return t("virtual.waiting");
}

function row(queue: string, v: VirtualCaller, age: number): HTMLElement {
  return h(
    "tr",
    { "data-testid": `virtual-${v.linkedid}` },
    h("td", null, queue),
    h("td", { class: "num" }, String(v.position)),
    h("td", null, v.name ? h("span", null, v.name, h("small", { class: "muted" }, ` ${v.caller}`)) : h("span", { class: "mono" }, v.caller)),
    h("td", { class: "num" }, clock(v.waited + age)),
    h("td", { "data-status": v.status }, virtualStatus(v)),
  );
}

export function renderVirtualCallers(target: HTMLElement, queues: QueueView[], age: number): void {
  const rows = queues.flatMap((q) => (q.virtual_callers ?? []).map((v) => row(q.name, v, age)));
  if (!rows.length) {
    target.replaceChildren(h("p", { class: "muted", "data-testid": "virtual-empty" }, t("virtual.no_caller_is_waiting_for")));
    return;
  }
  const head = h("tr", null, ...[t("virtual.queue"), t("virtual.position"), t("virtual.caller"), t("virtual.waiting_since_joining"), t("virtual.status")].map((label) => h("th", { scope: "col" }, label)));
  target.replaceChildren(
    h("table", { class: "data-table", "data-testid": "virtual-callers" }, h("caption", { class: "visually-hidden" }, t("virtual.callers_waiting_virtually_for_a")), h("thead", null, head), h("tbody", null, ...rows)),
  );
}
