// Scheduled call-backs and agent state: the shapes of /api/callbacks, /api/agents/me/state and
// their /ws/agent frames (crm_core/services/dto/callbacks.py, cti/agents/state_view.py).

export interface Callback {
  id: number;
  kind: string;
  subject: string;
  due_at: string | null;
  done_at: string | null;
  result: string;
  contact_id: number | null;
  call_id: number | null;
  assignee_id: number;
  assignee_login: string;
  contact_name: string;
  phone: string | null;
  scheduled: boolean;
  auto_dial: boolean;
  notified_at: string | null;
  dialed_at: string | null;
  overdue: boolean;
}

export interface CallbackPlan {
  contact_id: number;
  subject: string;
  due_at: string;
  auto_dial: boolean;
  call_id?: number | null;
}

export interface QueueState {
  queue: string;
  paused: boolean;
  pause_reason: string;
  status: string;
  membership: string;
}

export interface AgentState {
  extension: string;
  interface: string;
  queues: QueueState[];
  on_call: boolean;
  ringing: boolean;
  pause_reasons: string[];
  available_queues: string[];
  /** Epoch seconds: the automatic wrap-up after a queue call ends then. */
  wrapup_until: number;
}

export type CallbackFrameKind = "callback_due" | "callback_waiting" | "callback_dialing";

export interface CallbackFrame {
  type: CallbackFrameKind;
  callback: Callback;
  reason?: string;
  extension?: string;
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
