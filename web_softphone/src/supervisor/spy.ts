// Listen / whisper / barge from an agent's row: POST /api/supervisor/agents/{ext}/spy rings the
// supervisor's own phone into ChanSpy on the agent's call. The outcome (or why not) is said in
// one status line above the agents table; the buttons of a row wait while its request runs.

import { type Api, ApiError } from "../api";
import { h } from "../dom";
import type { AgentView } from "./model";
import { t } from "../i18n";

export type SpyMode = "listen" | "whisper" | "barge";

export interface SpyStarted {
  agent: string;
  mode: SpyMode;
  linkedid: string;
  ringing: string;
}

export const SPY_MODES = (): { mode: SpyMode; label: string; title: string }[] => [
  { mode: "listen", label: t("spy.listen"), title: t("spy.hear_the_call_nobody_hears") },
  { mode: "whisper", label: t("spy.whisper"), title: t("spy.coach_the_agent_only_the") },
  { mode: "barge", label: t("spy.barge"), title: t("spy.join_the_call_the_agent") },
];

const VERB = (): Record<SpyMode, string> => ({ listen: t("spy.listen_to"), whisper: t("spy.whisper_to"), barge: t("spy.join_the_call_of") });

export function agentLabel(agent: Pick<AgentView, "extension" | "name"> & Partial<Pick<AgentView, "known" | "interface">>): string {
  if (agent.known === false) return `${agent.interface || agent.extension} (unknown)`;
  return agent.name && agent.name !== agent.extension ? `${agent.name} (${agent.extension})` : agent.extension;
}

/** "Listening to Anna (1001) — your phone 1004 rings". */
export function spyMessage(started: SpyStarted, who: string): string {
  const what = started.mode === "listen" ? t("spy.listening_to_who", { who }) : started.mode === "whisper" ? t("spy.whispering_to_who_only_the", { who }) : t("spy.joining_the_call_of_who", { who });
  return t("spy.what_your_phone_ringing_rings", { what, ringing: started.ringing });
}

export function spyProblem(mode: SpyMode, who: string, err: unknown): string {
  const reason = err instanceof ApiError ? err.message : t("spy.something_went_wrong");
  return t("spy.could_not_value_who_reason", { value: VERB()[mode], who, reason });
}

export class SpyControl {
  readonly status = h("div", { class: "spy-status", "data-testid": "spy-status", role: "status", "aria-live": "polite", hidden: true });
  private pending = new Set<string>();

  constructor(private readonly api: Api, private readonly rerender: () => void, private readonly onListening: (extension: string) => void = () => {}) {}

  buttons(agent: AgentView): HTMLElement | string {
    if (!agent.linkedid && agent.state !== "on_call") return ""; // direct calls have no linkedid here
    const who = agentLabel(agent);
    const busy = this.pending.has(agent.extension);
    return h(
      "span",
      { class: "spy-buttons", role: "group", "aria-label": t("spy.listen_in_on_who", { who }) },
      ...SPY_MODES().map(({ mode, label, title }) =>
        h("button", { type: "button", class: "btn btn-small spy-button", "data-mode": mode, title, disabled: busy, "aria-label": `${label}: ${who}`, onclick: () => void this.start(agent, mode) }, label),
      ),
    );
  }

  private async start(agent: AgentView, mode: SpyMode): Promise<void> {
    const who = agentLabel(agent);
    this.pending.add(agent.extension);
    this.say(t("spy.calling_your_phone_to_value", { value: VERB()[mode], who }), "pending");
    try {
      const started = await this.api.request<SpyStarted>("POST", `/supervisor/agents/${encodeURIComponent(agent.extension)}/spy`, { body: { mode } });
      this.say(spyMessage(started, who), "ok");
      this.onListening(agent.extension);
    } catch (err) {
      this.say(spyProblem(mode, who, err), "error");
    } finally {
      this.pending.delete(agent.extension);
      this.rerender();
    }
  }

  private say(text: string, level: "pending" | "ok" | "error"): void {
    this.status.hidden = false;
    this.status.dataset.level = level;
    this.status.setAttribute("role", level === "error" ? "alert" : "status");
    this.status.textContent = text;
  }
}
