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

const KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"];
/** Offered as transfer targets; any extension or number can be typed. */
const QUEUES: Array<[string, string]> = [
  ["100", "Sales queue"],
  ["200", "Support queue"],
];

const REG_TEXT: Record<RegState, string> = {
  off: "Phone off",
  starting: "Phone starting…",
  connecting: "Phone connecting…",
  registered: "Phone ready",
  error: "Phone not ready",
};

const STATE_TEXT: Record<PhoneCall["state"], string> = {
  ringing: "Incoming call",
  calling: "Calling…",
  talking: "On call",
  ended: "Call ended",
};

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
    this.dock = h("section", { class: "phone-dock", "aria-label": "Phone", "data-testid": "phone", hidden: true });
    this.dialInput = h("input", {
      type: "tel",
      class: "phone-dial-input mono",
      placeholder: "Number or extension",
      "aria-label": "Number to call",
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

    const ext = s.extension ? `ext. ${s.extension}` : "";
    this.chip.dataset.state = s.problem ? (s.problem.level ?? "error") : s.reg;
    this.chip.setAttribute("aria-expanded", String(this.open || s.calls.length > 0));
    mount(
      this.chip,
      icon(ICONS.phone),
      h("span", { class: "phone-chip-text" }, s.problem ? s.problem.short : REG_TEXT[s.reg]),
      ext ? h("span", { class: "phone-chip-ext mono" }, ext) : null,
    );
    this.chip.title = s.problem ? s.problem.text : s.reg === "registered" ? `This browser is your phone (${ext}). Click for the keypad.` : REG_TEXT[s.reg];

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
        h("span", { class: "phone-title" }, icon(ICONS.phone), h("span", null, "Phone"), ext ? h("span", { class: "phone-ext mono" }, ext) : null),
        h("span", { class: "phone-reg", "data-testid": "phone-reg", "data-state": s.reg }, REG_TEXT[s.reg]),
        s.calls.length === 0 ? h("button", { type: "button", class: "btn btn-ghost btn-small", "aria-label": "Close the phone", onclick: () => this.toggle() }, "Close") : null,
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
            s.problem.kind === "replaced" ? "Use the phone here" : "Try again",
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
    const label = call.consultFor ? (call.state === "talking" ? "Consulting" : "Calling for transfer…") : call.held ? "On hold" : STATE_TEXT[call.state];
    const buttons: Node[] = [];
    if (ringing) {
      buttons.push(
        h("button", { type: "button", class: "btn phone-answer", "aria-keyshortcuts": "Alt+A", onclick: () => p.answer(call) }, icon(ICONS.phone), h("span", null, "Answer")),
        h("button", { type: "button", class: "btn phone-hangup", "aria-keyshortcuts": "Alt+H", onclick: () => p.hangUp(call) }, h("span", null, "Reject")),
      );
    } else if (call.state === "calling") {
      buttons.push(h("button", { type: "button", class: "btn phone-hangup", onclick: () => p.hangUp(call) }, h("span", null, "Cancel")));
    } else if (call.state === "talking") {
      buttons.push(
        h("button", { type: "button", class: "btn btn-small", "aria-keyshortcuts": "Alt+M", "aria-pressed": String(call.muted), onclick: () => p.mute(call, !call.muted) }, call.muted ? "Unmute" : "Mute"),
        h("button", { type: "button", class: "btn btn-small", "aria-keyshortcuts": "Alt+O", "aria-pressed": String(call.held), onclick: () => p.hold(call, !call.held) }, call.held ? "Resume" : "Hold"),
        h("button", { type: "button", class: "btn btn-small", "aria-expanded": String(this.keypadOpen.has(call.id)), onclick: () => this.flip(this.keypadOpen, call.id) }, "Keypad"),
        call.consultFor
          ? h("button", { type: "button", class: "btn btn-small btn-primary", onclick: () => p.completeTransfer(call) }, "Complete transfer")
          : h("button", { type: "button", class: "btn btn-small", "aria-expanded": String(this.transferOpen.has(call.id)), onclick: () => this.flip(this.transferOpen, call.id) }, "Transfer"),
        h("button", { type: "button", class: "btn btn-small phone-hangup", "aria-keyshortcuts": "Alt+H", onclick: () => p.hangUp(call) }, call.consultFor ? "Cancel consult" : "Hang up"),
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
      h("div", { class: "phone-caller" }, who ? h("span", { class: "phone-caller-name", "data-testid": "phone-caller-name" }, who) : null, h("span", { class: "phone-caller-number mono", "data-testid": "phone-caller-number" }, call.number || "unknown number")),
      call.state === "ended" ? h("p", { class: "phone-ended" }, endText(call.endReason)) : null,
      buttons.length ? h("div", { class: "phone-actions" }, buttons) : null,
    );
    if (call.state === "talking" && this.keypadOpen.has(call.id)) {
      panel.append(keypad((k) => p.dtmf(call, k), "Send tones"));
    }
    if (call.state === "talking" && !call.consultFor && this.transferOpen.has(call.id)) panel.append(this.transferForm(call));
    return panel;
  }

  private transferForm(call: PhoneCall): HTMLElement {
    let input = this.transferInputs.get(call.id);
    if (!input) {
      input = h("input", { type: "text", class: "mono", list: "phone-transfer-targets", placeholder: "Agent, queue or number", "aria-label": "Transfer to", autocomplete: "off" });
      this.transferInputs.set(call.id, input);
    }
    const target = () => input.value.trim();
    return h(
      "div",
      { class: "phone-transfer", role: "group", "aria-label": "Transfer" },
      input,
      h("datalist", { id: "phone-transfer-targets" }, QUEUES.map(([n, name]) => h("option", { value: n }, name))),
      h("div", { class: "phone-actions" },
        h("button", { type: "button", class: "btn btn-small btn-primary", onclick: () => target() && this.phone.blindTransfer(call, target()) }, "Transfer now"),
        h("button", { type: "button", class: "btn btn-small", onclick: () => target() && this.phone.consult(call, target()) }, "Talk first"),
      ),
      h("p", { class: "phone-hint" }, "Transfer now hands the caller over at once; Talk first calls the target while the caller waits on hold."),
    );
  }

  private dialPad(): HTMLElement {
    return h(
      "div",
      { class: "phone-dialer" },
      h("div", { class: "phone-dial-row" }, this.dialInput, h("button", { type: "button", class: "btn phone-answer", onclick: () => this.dial() }, icon(ICONS.phone), h("span", null, "Call"))),
      keypad((k) => {
        this.dialInput.value += k;
      }, "Keypad"),
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
    KEYS.map((k) => h("button", { type: "button", class: "btn phone-key mono", onclick: () => onKey(k), "aria-label": `Key ${k}` }, k)),
  );
}

function secondsSince(ms: number): number {
  return Math.max(0, Math.floor((Date.now() - ms) / 1000));
}

function endText(cause: string): string {
  const words: Record<string, string> = {
    Terminated: "Call ended.",
    Canceled: "The caller hung up.",
    Rejected: "Rejected.",
    Busy: "Busy.",
    "No Answer": "No answer.",
    Unavailable: "Not available.",
    "Not Found": "No such number.",
    "User Denied Media Access": "The microphone was refused.",
    "Connection Error": "The phone server connection broke.",
  };
  return words[cause] ?? `Call ended (${cause}).`;
}
