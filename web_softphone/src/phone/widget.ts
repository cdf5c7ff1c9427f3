// The browser phone on the agent screen:
//   - a chip in the top bar (shell.phoneSlot): extension and registration state in words;
//   - the phone dock at the top of the right-hand call column (shell.dockSlot), right above the
//     live screen-pops: the incoming call (caller's name and number, Answer / Reject), the call
//     controls (mute, hold, keypad, transfer, hang up), the consult call of an attended
//     transfer, and the keypad to dial out. What is wrong (microphone, certificate, password,
//     server) is said in plain words there, with what to do.

import { h, icon, mount } from "../dom";
import { formatDuration } from "../format";
import { ICONS } from "../icons";
import type { PhoneCall, PhoneSnapshot, RegState, SoftPhone } from "./softphone";
import { t } from "../i18n";

const KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"];
/** Offered as transfer targets; any extension or number can be typed. */
const QUEUES = (): Array<[string, string]> => [
  ["100", t("widget.sales_queue")],
  ["200", t("widget.support_queue")],
];

const REG_TEXT = (): Record<RegState, string> => ({
  off: t("widget.phone_off"),
  starting: t("widget.phone_starting"),
  connecting: t("widget.phone_connecting"),
  registered: t("widget.phone_ready"),
  error: t("widget.phone_not_ready"),
});

const STATE_TEXT = (): Record<PhoneCall["state"], string> => ({
  ringing: t("widget.incoming_call"),
  calling: t("widget.calling"),
  talking: t("widget.on_call"),
  ended: t("widget.call_ended"),
});

export class PhoneWidget {
  readonly chip: HTMLButtonElement;
  readonly dock: HTMLElement;
  private open = false;
  private lastProblem = "";
  private readonly dialInput: HTMLInputElement;
  private readonly transferInputs = new Map<number, HTMLInputElement>();
  private readonly keypadOpen = new Set<number>();
  private readonly transferOpen = new Set<number>();
  private ticker: ReturnType<typeof setInterval> | undefined;
  private snapshot: PhoneSnapshot;

  constructor(private readonly phone: SoftPhone) {
    this.chip = h("button", { type: "button", class: "phone-chip", "data-testid": "phone-status", "aria-expanded": "false", onclick: () => this.toggle() });
    this.dock = h("section", { class: "phone-dock", "aria-label": t("widget.phone"), "data-testid": "phone", hidden: true });
    this.dialInput = h("input", {
      type: "tel",
      class: "phone-dial-input mono",
      placeholder: t("widget.number_or_extension"),
      "aria-label": t("widget.number_to_call"),
      autocomplete: "off",
      onkeydown: (ev: Event) => {
        if ((ev as KeyboardEvent).key === "Enter") this.dial();
      },
    });
    this.snapshot = phone.state;
    phone.onChange((s) => this.render(s));
    this.ticker = setInterval(() => this.tick(), 1000);
  }

  destroy(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.chip.remove();
    this.dock.remove();
  }

  /** Click-to-call from a card: false when the browser phone cannot call now. */
  dialNumber(number: string): boolean {
    if (this.snapshot.reg !== "registered") return false;
    this.dialInput.value = number;
    return this.dial();
  }

  private toggle(): void {
    this.open = !this.open;
    this.render(this.snapshot);
    if (this.open && !this.snapshot.calls.length) this.dialInput.focus();
  }

  private dial(): boolean {
    const number = this.dialInput.value.trim();
    if (!number || !this.phone.call(number)) return false;
    this.dialInput.value = "";
    return true;
  }

  private render(s: PhoneSnapshot): void {
    this.snapshot = s;
    const problemKey = s.problem ? `${s.problem.kind}` : "";
    // Say what is wrong once; a user without a phone account just sees it on the chip.
    if (problemKey && problemKey !== this.lastProblem && problemKey !== "no-account") this.open = true;
    this.lastProblem = problemKey;

    const ext = s.extension ? t("staff.ext", { ext: s.extension }) : "";
    this.chip.dataset.state = s.problem ? (s.problem.level ?? "error") : s.reg;
    this.chip.setAttribute("aria-expanded", String(this.open || s.calls.length > 0));
    mount(
      this.chip,
      icon(ICONS.phone),
      h("span", { class: "phone-chip-text" }, s.problem ? s.problem.short : REG_TEXT()[s.reg]),
      ext ? h("span", { class: "phone-chip-ext mono" }, ext) : null,
    );
    this.chip.title = s.problem ? s.problem.text : s.reg === "registered" ? t("widget.this_browser_is_your_phone", { ext }) : REG_TEXT()[s.reg];

    const visible = this.open || s.calls.length > 0;
    this.dock.hidden = !visible;
    this.dock.dataset.open = String(this.open);
    this.dock.dataset.reg = s.reg;
    if (!visible) return;

    const parts: Node[] = [];
    parts.push(
      h(
        "div",
        { class: "phone-head" },
        h("span", { class: "phone-title" }, icon(ICONS.phone), h("span", null, t("widget.phone")), ext ? h("span", { class: "phone-ext mono" }, ext) : null),
        h("span", { class: "phone-reg", "data-testid": "phone-reg", "data-state": s.reg }, REG_TEXT()[s.reg]),
        s.calls.length === 0 ? h("button", { type: "button", class: "btn btn-ghost btn-small", "aria-label": t("widget.close_the_phone"), onclick: () => this.toggle() }, t("widget.close")) : null,
      ),
    );
    if (s.problem) {
      parts.push(
        h(
          "div",
          { class: "phone-problem", role: "alert", "data-testid": "phone-problem", "data-kind": s.problem.kind },
          h("strong", null, s.problem.short),
          h("p", null, s.problem.text),
          s.problem.link ? h("a", { href: s.problem.link.href, target: "_blank", rel: "noopener", class: "alert-link" }, s.problem.link.label) : null,
          h(
            "button",
            { type: "button", class: "btn btn-small", onclick: () => void this.phone.start() },
            s.problem.kind === "replaced" ? t("widget.use_the_phone_here") : t("widget.try_again"),
          ),
        ),
      );
    }
    for (const call of s.calls) parts.push(this.callPanel(call));
    if (s.reg === "registered" && !s.calls.some((c) => c.state !== "ended")) parts.push(this.dialPad());
    mount(this.dock, ...parts);
  }

  private callPanel(call: PhoneCall): HTMLElement {
    const p = this.phone;
    const who = call.name && call.name !== call.number ? call.name : "";
    const ringing = call.state === "ringing" && call.direction === "incoming";
    const label = call.consultFor ? (call.state === "talking" ? t("widget.consulting") : t("widget.calling_for_transfer")) : call.held ? t("widget.on_hold") : STATE_TEXT()[call.state];
    const buttons: Node[] = [];
    if (ringing) {
      buttons.push(
        h("button", { type: "button", class: "btn phone-answer", "aria-keyshortcuts": "Alt+A", onclick: () => p.answer(call) }, icon(ICONS.phone), h("span", null, t("widget.answer"))),
        h("button", { type: "button", class: "btn phone-hangup", "aria-keyshortcuts": "Alt+H", onclick: () => p.hangUp(call) }, h("span", null, t("widget.reject"))),
      );
    } else if (call.state === "calling") {
      buttons.push(h("button", { type: "button", class: "btn phone-hangup", onclick: () => p.hangUp(call) }, h("span", null, t("widget.cancel"))));
    } else if (call.state === "talking") {
      buttons.push(
        h("button", { type: "button", class: "btn btn-small", "aria-keyshortcuts": "Alt+M", "aria-pressed": String(call.muted), onclick: () => p.mute(call, !call.muted) }, call.muted ? t("widget.unmute") : t("widget.mute")),
        h("button", { type: "button", class: "btn btn-small", "aria-keyshortcuts": "Alt+O", "aria-pressed": String(call.held), onclick: () => p.hold(call, !call.held) }, call.held ? t("widget.resume") : t("widget.hold")),
        h("button", { type: "button", class: "btn btn-small", "aria-expanded": String(this.keypadOpen.has(call.id)), onclick: () => this.flip(this.keypadOpen, call.id) }, t("widget.keypad")),
        call.consultFor
          ? h("button", { type: "button", class: "btn btn-small btn-primary", onclick: () => p.completeTransfer(call) }, t("widget.complete_transfer"))
          : h("button", { type: "button", class: "btn btn-small", "aria-expanded": String(this.transferOpen.has(call.id)), onclick: () => this.flip(this.transferOpen, call.id) }, t("widget.transfer")),
        h("button", { type: "button", class: "btn btn-small phone-hangup", "aria-keyshortcuts": "Alt+H", onclick: () => p.hangUp(call) }, call.consultFor ? t("widget.cancel_consult") : t("widget.hang_up")),
      );
    }
    const panel = h(
      "div",
      { class: "phone-call", "data-testid": "phone-call", "data-state": call.state, "data-held": String(call.held), "data-direction": call.direction },
      h(
        "div",
        { class: "phone-call-head" },
        h("span", { class: "phone-call-state" }, label),
        call.answeredAt && call.state === "talking" ? h("span", { class: "phone-timer mono", "data-since": String(call.answeredAt) }, formatDuration(secondsSince(call.answeredAt))) : null,
      ),
      h("div", { class: "phone-caller" }, who ? h("span", { class: "phone-caller-name", "data-testid": "phone-caller-name" }, who) : null, h("span", { class: "phone-caller-number mono", "data-testid": "phone-caller-number" }, call.number || t("widget.unknown_number"))),
      call.state === "ended" ? h("p", { class: "phone-ended" }, endText(call.endReason)) : null,
      buttons.length ? h("div", { class: "phone-actions" }, buttons) : null,
    );
    if (call.state === "talking" && this.keypadOpen.has(call.id)) {
      panel.append(keypad((k) => p.dtmf(call, k), t("widget.send_tones")));
    }
    if (call.state === "talking" && !call.consultFor && this.transferOpen.has(call.id)) panel.append(this.transferForm(call));
    return panel;
  }

  private transferForm(call: PhoneCall): HTMLElement {
    let input = this.transferInputs.get(call.id);
    if (!input) {
      input = h("input", { type: "text", class: "mono", list: "phone-transfer-targets", placeholder: t("widget.agent_queue_or_number"), "aria-label": t("widget.transfer_to"), autocomplete: "off" });
      this.transferInputs.set(call.id, input);
    }
    const target = () => input.value.trim();
    return h(
      "div",
      { class: "phone-transfer", role: "group", "aria-label": t("widget.transfer") },
      input,
      h("datalist", { id: "phone-transfer-targets" }, QUEUES().map(([n, name]) => h("option", { value: n }, name))),
      h("div", { class: "phone-actions" },
        h("button", { type: "button", class: "btn btn-small btn-primary", onclick: () => target() && this.phone.blindTransfer(call, target()) }, t("widget.transfer_now")),
        h("button", { type: "button", class: "btn btn-small", onclick: () => target() && this.phone.consult(call, target()) }, t("widget.talk_first")),
      ),
      h("p", { class: "phone-hint" }, t("widget.transfer_now_hands_the_caller")),
    );
  }

  private dialPad(): HTMLElement {
    return h(
      "div",
      { class: "phone-dialer" },
      h("div", { class: "phone-dial-row" }, this.dialInput, h("button", { type: "button", class: "btn phone-answer", onclick: () => this.dial() }, icon(ICONS.phone), h("span", null, t("widget.call")))),
      keypad((k) => {
        this.dialInput.value += k;
      }, t("widget.keypad")),
    );
  }

  private flip(set: Set<number>, id: number): void {
    if (set.has(id)) set.delete(id);
    else set.add(id);
    this.render(this.snapshot);
  }

  private tick(): void {
    for (const el of this.dock.querySelectorAll<HTMLElement>("[data-since]")) {
      el.textContent = formatDuration(secondsSince(Number(el.dataset.since)));
    }
  }
}

function keypad(onKey: (key: string) => void, label: string): HTMLElement {
  return h(
    "div",
    { class: "phone-keypad", role: "group", "aria-label": label },
    KEYS.map((k) => h("button", { type: "button", class: "btn phone-key mono", onclick: () => onKey(k), "aria-label": t("widget.key_k", { k }) }, k)),
  );
}

function secondsSince(ms: number): number {
  return Math.max(0, Math.floor((Date.now() - ms) / 1000));
}

function endText(cause: string): string {
  const words: Record<string, string> = {
    Terminated: t("widget.call_ended_2"),
    Canceled: t("widget.the_caller_hung_up"),
    Rejected: t("widget.rejected"),
    Busy: t("widget.busy"),
    // JsSIP's causes, as it spells them: i18n-ignore
    "No Answer": t("widget.no_answer_2"),
    Unavailable: t("widget.not_available"),
    "Not Found": t("widget.no_such_number"), // i18n-ignore
    "User Denied Media Access": t("widget.the_microphone_was_refused"), // i18n-ignore
    "Connection Error": t("widget.the_phone_server_connection_broke"), // i18n-ignore
  };
  return words[cause] ?? t("widget.call_ended_cause", { cause });
}
