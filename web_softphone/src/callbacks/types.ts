// Scheduled call-backs and agent state: the shapes of /api/callbacks, /api/agents/me/state and
// their /ws/agent frames (crm_core/services/dto/callbacks.py, cti/agents/state_view.py): the REST
// shapes are the generated OpenAPI types, the frames are written here (docs/asyncapi.yaml).

import type { components } from "../generated/openapi";

type Schemas = components["schemas"];

/** GET /api/callbacks items: the task plus `contact_name`, `phone`, `overdue`. */
export type Callback = Schemas["CallbackOut"];
/** POST /api/callbacks. */
export type CallbackPlan = Schemas["CallbackCreate"];
export type QueueState = Schemas["QueueState"];
/** GET /api/agents/me/state, and the body of the `agent_state` frame. `wrapup_until` (epoch
 * seconds): the automatic wrap-up after a queue call ends then. */
export type AgentState = Schemas["AgentState"];

export type CallbackFrameKind = "callback_due" | "callback_waiting" | "callback_dialing";

export interface CallbackFrame {
  type: CallbackFrameKind;
  callback: Callback;
  reason?: string;
  extension?: string;
  /** callback_due only: the voicemail message that made or joined this call-back. */
  voicemail?: Schemas["VoicemailOut"];
}

export type AgentStateFrame = { type: "agent_state" } & AgentState;

export function isCallbackFrame(frame: { type: string }): frame is CallbackFrame {
  return frame.type === "callback_due" || frame.type === "callback_waiting" || frame.type === "callback_dialing";
}

export function isAgentStateFrame(frame: { type: string }): frame is AgentStateFrame {
  return frame.type === "agent_state";
}

/** Fired on window when call-backs changed (planned, done, due): lists and calendars reload. */
export const CALLBACKS_CHANGED = "cti:callbacks-changed";

export function callbacksChanged(): void {
  window.dispatchEvent(new CustomEvent(CALLBACKS_CHANGED));
}
