// What an agent's state says in words: logged out, available, paused (reason), on a call,
// ringing, in wrap-up with its countdown. No DOM: unit-tested.

import type { AgentState } from "../callbacks/types";

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
      return "Logged out";
    case "paused":
      return `Paused: ${pauseReason(state) || "no reason"}`;
    case "on_call":
      return "On a call";
    case "ringing":
      return "Ringing";
    case "wrapup":
      return `Wrap-up ${Math.ceil(state.wrapup_until - nowSeconds)} s`;
    default:
      return `Available · ${queues}`;
  }
}
