// One-click dialling of a call-back through click-to-call (POST /api/agents/me/calls): the
// agent's own phone rings first, showing the client's name, then the client.

import { ApiError } from "../api";
import { callbackApi } from "./api";
import type { Callback } from "./types";

/** Dial the call-back's number; the sentence to show the agent (success or the refusal). */
export async function dialCallback(callback: Pick<Callback, "phone" | "contact_name">): Promise<{ ok: boolean; message: string }> {
  const api = callbackApi();
  const who = callback.contact_name || callback.phone || "the client";
  if (!api || !callback.phone) return { ok: false, message: `No number to dial for ${who}.` };
  try {
    await api.dial(callback.phone);
    return { ok: true, message: `Calling ${who}: your phone rings first.` };
  } catch (err) {
    const reason = err instanceof ApiError || err instanceof Error ? err.message : "the call could not be placed";
    return { ok: false, message: `Could not call ${who}: ${reason}` };
  }
}
