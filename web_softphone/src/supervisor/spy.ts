// Listen / whisper / barge from an agent's row: POST /api/supervisor/agents/{ext}/spy rings the
// supervisor's own phone into ChanSpy on the agent's call. The outcome (or why not) is said in
// one status line above the agents table; the buttons of a row wait while its request runs.

import { type Api, ApiError } from "../api";
import { h } from "../dom";
import type { AgentView } from "./model";

export type SpyMode = "listen" | "whisper" | "barge";

export interface SpyStarted {
  agent: string;
  mode: SpyMode;
  linkedid: string;
  ringing: string;
}

export const SPY_MODES: { mode: SpyMode; label: string; title: string }[] = [
  { mode: "listen", label: "Listen", title: "Hear the call; nobody hears you" },
  { mode: "whisper", label: "Whisper", title: "Coach the agent: only the agent hears you" },
  { mode: "barge", label: "Barge", title: "Join the call: the agent and the caller hear you" },
];

const VERB: Record<SpyMode, string> = { listen: "listen to", whisper: "whisper to", barge: "join the call of" };

export function agentLabel(agent: Pick<AgentView, "extension" | "name"> & Partial<Pick<AgentView, "known" | "interface">>): string {
  if (agent.known === false) return `${agent.interface || agent.extension} (unknown)`;
  return agent.name && agent.name !== agent.extension ? `${agent.name} (${agent.extension})` : agent.extension;
}

/** "Listening to Anna (1001) — your phone 1004 rings". */
export function spyMessage(started: SpyStarted, who: string): string {
  const what = started.mode === "listen" ? `Listening to ${who}` : started.mode === "whisper" ? `Whispering to ${who} (only the agent hears you)` : `Joining the call of ${who}`;
  return `${what} — your phone ${started.ringing} rings: answer it to start.`;
}

export function spyProblem(mode: SpyMode, who: string, err: unknown): string {
  const reason = err instanceof ApiError ? err.message : "something went wrong.";
  return `Could not ${VERB[mode]} ${who}: ${reason}`;
}

export class SpyControl {
  readonly status = h("div", { class: "spy-status", "data-testid": "spy-status", role: "status", "aria-live": "polite", hidden: true });
  private pending = new Set<string>();

  constructor(private readonly api: Api, private readonly rerender: () => void) {}

  buttons(agent: AgentView): HTMLElement | string {
    if (!agent.linkedid && agent.state !== "on_call") return ""; // direct calls have no linkedid here
    const who = agentLabel(agent);
    const busy = this.pending.has(agent.extension);
    return h(
      "span",
      { class: "spy-buttons", role: "group", "aria-label": `Listen in on ${who}` },
      ...SPY_MODES.map(({ mode, label, title }) =>
        h("button", { type: "button", class: "btn btn-small spy-button", "data-mode": mode, title, disabled: busy, "aria-label": `${label}: ${who}`, onclick: () => void this.start(agent, mode) }, label),
      ),
    );
  }

  private async start(agent: AgentView, mode: SpyMode): Promise<void> {
    const who = agentLabel(agent);
    this.pending.add(agent.extension);
    this.say(`Calling your phone to ${VERB[mode]} ${who}…`, "pending");
    try {
      const started = await this.api.request<SpyStarted>("POST", `/supervisor/agents/${encodeURIComponent(agent.extension)}/spy`, { body: { mode } });
      this.say(spyMessage(started, who), "ok");
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
