// Due call-backs over /ws/agent: a notice at the top of the call column with one-click dialling.
// callback_due opens it; callback_waiting says auto-dial waits; callback_dialing says the phone rings.

import { h, icon } from "../dom";
import { ICONS } from "../icons";
import { dialCallback } from "./api";
import { callbacksChanged, type CallbackFrame } from "./types";
import { dueLabel } from "./when";
import { t } from "../i18n";

const DISMISSED_KEY = "cti.callbacks.dismissed";

/** Notices closed in this tab: the server sends due ones again after a reconnect or a reload. */
function dismissed(): Set<number> {
  try {
    return new Set(JSON.parse(sessionStorage.getItem(DISMISSED_KEY) ?? "[]") as number[]);
  } catch {
    return new Set();
  }
}

export class CallbackNotices {
  readonly element = h("div", { class: "cb-notices", "aria-live": "assertive" });
  private readonly shown = new Map<number, HTMLElement>();
  private readonly closed = dismissed();

  constructor(private readonly toast: (message: string) => void) {}

  apply(frame: CallbackFrame): void {
    const cb = frame.callback;
    if (frame.type === "callback_due" && this.closed.has(cb.id)) return;
    const notice = this.shown.get(cb.id) ?? this.create(frame);
    const status = notice.querySelector<HTMLElement>(".cb-status")!;
    if (frame.type === "callback_waiting") status.textContent = t("notices.auto_dial_waits_value", { value: frame.reason ?? t("notices.you_are_busy") });
    if (frame.type === "callback_dialing") status.textContent = t("notices.dialling_automatically_your_phone_rings");
    notice.dataset.state = frame.type;
    callbacksChanged();
  }

  destroy(): void {
    this.element.remove();
  }

  private create(frame: CallbackFrame): HTMLElement {
    const cb = frame.callback;
    const who = cb.contact_name || cb.phone || t("notices.a_client");
    const call = h("button", { type: "button", class: "btn btn-primary", disabled: !cb.phone }, icon(ICONS.phone), h("span", null, t("notices.call_who", { who })));
    const close = h("button", { type: "button", class: "btn btn-ghost" }, t("notices.dismiss"));
    const notice = h(
      "section",
      { class: "cb-notice", role: "alert", "data-testid": frame.voicemail ? "voicemail-notice" : "callback-due", "data-callback-id": String(cb.id), "aria-label": t("notices.call_back_due_who", { who }) },
      frame.voicemail
        ? h("div", { class: "cb-notice-head" }, icon(ICONS.voicemail), h("strong", null, t("notices.new_voicemail")), h("time", { datetime: frame.voicemail.received_at }, dueLabel(frame.voicemail.received_at)))
        : h("div", { class: "cb-notice-head" }, icon(ICONS.clock), h("strong", null, t("notices.call_back_due")), h("time", { datetime: cb.due_at ?? "" }, dueLabel(cb.due_at))),
      h("p", { class: "cb-notice-text" }, h("strong", null, who), cb.phone ? ` · ${cb.phone}` : "", h("br"), frame.voicemail ? t("voicemail.for_box", { box: frame.voicemail.mailbox }) : cb.subject),
      h("p", { class: "cb-status hint" }),
      h("div", { class: "form-actions" }, call, close),
    );
    call.addEventListener("click", async () => {
      call.disabled = true;
      const result = await dialCallback(cb);
      this.toast(result.message);
      if (result.ok) this.remove(cb.id);
      else call.disabled = false;
    });
    close.addEventListener("click", () => this.remove(cb.id));
    this.shown.set(cb.id, notice);
    this.element.append(notice);
    return notice;
  }

  private remove(id: number): void {
    this.shown.get(id)?.remove();
    this.shown.delete(id);
    this.closed.add(id);
    sessionStorage.setItem(DISMISSED_KEY, JSON.stringify([...this.closed].slice(-200)));
  }
}
