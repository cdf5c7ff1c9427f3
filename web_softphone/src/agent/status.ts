// What an agent's state says in words: logged out, available, paused (reason), on a call,
// ringing, in wrap-up with its countdown. No DOM: unit-tested.

import type { AgentState } from "../callbacks/types";
import { t } from "../i18n";

export type AgentPhase = "offline" | "available" | "paused" | "on_call" | "ringing" | "wrapup";

export function phaseOf(state: AgentState, nowSeconds: number): AgentPhase {
  if (state.on_call) return "on_call";
  if (state.ringing) return "ringing";
  if (!state.queues.length) return "offline";
  if (state.queues.some((q) => q.paused)) return "paused";
  if (state.wrapup_until > nowSeconds) return "wrapup";
  return "available";
}

export function pauseReason(state: AgentState): string {
  return state.queues.find((q) => q.paused)?.pause_reason ?? "";
}

export function statusText(state: AgentState, nowSeconds: number): string {
  const phase = phaseOf(state, nowSeconds);
  const queues = state.queues.map((q) => q.queue).join(", ");
  switch (phase) {
    case "offline":
      return t("status.logged_out");
    case "paused":
      return t("status.paused_value", { value: pauseReason(state) || t("status.no_reason") });
    case "on_call":
      return t("status.on_a_call");
    case "ringing":
      return t("status.ringing");
    case "wrapup":
      return t("status.wrap_up_value_s", { value: Math.ceil(state.wrapup_until - nowSeconds) });
    default:
      return t("status.available_queues", { queues });
  }
}
