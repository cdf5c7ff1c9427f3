// The agent's state in the top bar: a status pill (available, paused with reason, wrap-up with
// its countdown ...) and a menu to log in and out of queues, pause with a reason and resume.
// Requests go to /api/agents/me/* (AMI QueueAdd/Remove/Pause); the pill changes only when
// Asterisk confirms (an `agent_state` push), so a change made elsewhere shows the same way.

import { h } from "../dom";
import type { CallbackApi } from "../callbacks/api";
import type { AgentState } from "../callbacks/types";
import { pauseReason, phaseOf, statusText } from "./status";
import { t } from "../i18n";

export class AgentControls {
  readonly element: HTMLElement;
  private readonly pill = h("span", { class: "agent-pill", "data-testid": "agent-status", role: "status" }, "…");
  private readonly menu = h("div", { class: "agent-menu-body" });
  private state: AgentState | null = null;
  private ticker: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly api: CallbackApi,
    private readonly toast: (message: string) => void,
  ) {
    const details = h("details", { class: "agent-menu" }, h("summary", { title: t("controls.queues_and_pause") }, this.pill, h("span", { class: "visually-hidden" }, t("controls.queues_and_pause_2"))), this.menu);
    // Hidden until the bridge tells the state (a page served without the bridge shows nothing).
    this.element = h("div", { class: "agent-state", "data-testid": "agent-state", "data-phase": "unknown", hidden: true }, details);
  }

  async load(): Promise<void> {
    try {
      this.show(await this.api.state());
    } catch {
      this.element.hidden = true; // no extension, or no bridge behind this page
    }
  }

  show(state: AgentState): void {
    this.state = state;
    this.element.hidden = false;
    this.render();
    this.renderMenu(state);
    const counting = state.wrapup_until > Date.now() / 1000;
    if (counting && !this.ticker) this.ticker = setInterval(() => this.render(), 1000);
    if (!counting && this.ticker) this.stopTicker();
  }

  destroy(): void {
    this.stopTicker();
    this.element.remove();
  }

  private render(): void {
    if (!this.state) return;
    const now = Date.now() / 1000;
    this.pill.textContent = statusText(this.state, now);
    this.element.dataset.phase = phaseOf(this.state, now);
    if (this.state.wrapup_until <= now && this.ticker) this.stopTicker();
  }

  private stopTicker(): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
  }

  private renderMenu(state: AgentState): void {
    const mine = new Set(state.queues.map((q) => q.queue));
    const queues = [...new Set([...state.available_queues, ...mine])].sort();
    const paused = state.queues.some((q) => q.paused);
    this.menu.replaceChildren(
      h("p", { class: "agent-menu-title" }, t("controls.queues")),
      h("div", { class: "agent-buttons" }, queues.map((queue) => (mine.has(queue) ? this.button(t("controls.log_out_of_queue", { queue }), () => this.api.leaveQueue(queue)) : this.button(t("controls.log_in_to_queue", { queue }), () => this.api.joinQueue(queue))))),
      h("p", { class: "agent-menu-title" }, paused ? t("controls.paused_value", { value: pauseReason(state) }) : t("controls.pause")),
      paused
        ? h("div", { class: "agent-buttons" }, this.button(t("controls.resume"), () => this.api.resume(), "btn-primary"))
        : h("div", { class: "agent-buttons" }, state.pause_reasons.map((reason) => this.button(reason, () => this.api.pause(reason), "", t("controls.pause_reason", { reason }), !mine.size))),
    );
  }

  private button(label: string, act: () => Promise<unknown>, cls = "", aria = label, disabled = false): HTMLButtonElement {
    const button = h("button", { type: "button", class: `btn btn-small ${cls}`.trim(), "aria-label": aria, disabled }, label);
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        await act();
        this.toast(t("controls.aria_sent_to_the_phone", { aria }));
      } catch (err) {
        button.disabled = false;
        this.toast(err instanceof Error ? err.message : t("controls.the_phone_system_refused"));
      }
    });
    return button;
  }
}
