// The call-back and agent-state endpoints, on the page's one Api (its token, busy bar, 401s).
// The live controller registers the Api once signed in (useCallbackApi); cards, pops and pages
// reach it through callbackApi().

import { ApiError, type Api } from "../api";
import type { AgentState, Callback, CallbackPlan } from "./types";
import { t } from "../i18n";

export class CallbackApi {
  constructor(private readonly api: Api) {}

  plan(plan: CallbackPlan): Promise<Callback> {
    return this.api.request("POST", "/callbacks", { body: plan });
  }

  open(): Promise<Callback[]> {
    return this.api.request("GET", "/callbacks");
  }

  between(start: Date, end: Date): Promise<Callback[]> {
    return this.api.request("GET", "/callbacks", { query: { start: start.toISOString(), end: end.toISOString() } });
  }

  reschedule(id: number, dueAt: string): Promise<Callback> {
    return this.api.request("PATCH", `/callbacks/${id}`, { body: { due_at: dueAt } });
  }

  done(id: number, result = ""): Promise<Callback> {
    return this.api.request("POST", `/callbacks/${id}/done`, { body: { result } });
  }

  overdue(): Promise<Callback[]> {
    return this.api.request("GET", "/callbacks/overdue");
  }

  /** Click-to-call: the agent's phone rings first, then the client. */
  dial(number: string): Promise<{ extension: string; number: string; display_name: string }> {
    return this.api.request("POST", "/agents/me/calls", { body: { number } });
  }

  state(): Promise<AgentState> {
    return this.api.request("GET", "/agents/me/state");
  }

  joinQueue(queue: string): Promise<AgentState> {
    return this.api.request("POST", `/agents/me/queues/${encodeURIComponent(queue)}`);
  }

  leaveQueue(queue: string): Promise<AgentState> {
    return this.api.request("DELETE", `/agents/me/queues/${encodeURIComponent(queue)}`);
  }

  pause(reason: string): Promise<AgentState> {
    return this.api.request("POST", "/agents/me/pause", { body: { reason } });
  }

  resume(): Promise<AgentState> {
    return this.api.request("DELETE", "/agents/me/pause");
  }
}

let shared: CallbackApi | null = null;

export function useCallbackApi(api: Api): CallbackApi {
  shared = new CallbackApi(api);
  return shared;
}

export function callbackApi(): CallbackApi | null {
  return shared;
}

/** One-click dialling of a call-back (click-to-call): the sentence to show, success or refusal. */
export async function dialCallback(callback: Pick<Callback, "phone" | "contact_name">): Promise<{ ok: boolean; message: string }> {
  const who = callback.contact_name || callback.phone || t("api.the_client");
  if (!shared || !callback.phone) return { ok: false, message: t("api.no_number_to_dial_for", { who }) };
  try {
    await shared.dial(callback.phone);
    return { ok: true, message: t("api.calling_who_your_phone_rings", { who }) };
  } catch (err) {
    const reason = err instanceof ApiError || err instanceof Error ? err.message : t("api.the_call_could_not_be");
    return { ok: false, message: t("api.could_not_call_who_reason", { who, reason }) };
  }
}
