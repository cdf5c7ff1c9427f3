// JSON shapes of the CTI Bridge REST API (/api), after crm_core/services/dto.
// Kept in one place so the card page, the softphone and the live screen-pops share them.

export type Role = "agent" | "supervisor" | "admin" | string;
export type ContactStatus = "lead" | "client" | "partner" | "former" | string;
export type PhoneKind = "mobile" | "fixed" | "fax" | "other";
export type CallDirection = "inbound" | "outbound" | "internal" | string;
export type CallDisposition = "answered" | "missed" | "abandoned" | "busy" | "failed" | string;
export type TaskKind = "callback" | "meeting" | "todo" | string;

export interface User {
  id: number;
  login: string;
  display_name?: string;
  role: Role;
  extensions: string[];
  active?: boolean;
}

export interface LoginResponse {
  access_token: string;
  token_type: "bearer" | string;
  user: User;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/** UserBrief */
export interface Owner {
  id: number;
  login?: string;
  display_name?: string | null;
}

export interface CompanyBrief {
  id: number;
  name: string;
}

export interface Phone {
  id?: number;
  /** Normalised form used for lookups; null when the number could not be parsed. */
  e164: string | null;
  raw?: string | null;
  kind?: PhoneKind | string | null;
  label?: string | null;
  /** Not sent by the server; a formatted form if some client adds one. */
  display?: string | null;
}

export interface Contact {
  id: number;
  first_name: string;
  last_name: string;
  full_name?: string;
  company: CompanyBrief | null;
  position: string;
  email: string;
  owner: Owner | null;
  status: ContactStatus;
  source?: string;
  created_from_call_id?: number | null;
  phones: Phone[];
  created_at?: string;
  updated_at?: string;
}

export interface Company {
  id: number;
  name: string;
  owner?: Owner | null;
  tags?: string[];
  notes?: string;
  phones?: Phone[];
  created_at?: string;
  updated_at?: string;
}

export interface Call {
  id: number;
  linkedid?: string;
  direction: CallDirection;
  disposition: CallDisposition | null;
  caller?: string;
  callee?: string;
  external_e164?: string | null;
  contact_id?: number | null;
  company_id?: number | null;
  agent_id?: number | null;
  queue?: string;
  answered_by?: string;
  started_at: string;
  answered_at?: string | null;
  ended_at?: string | null;
  wait_seconds?: number;
  talk_seconds?: number;
  routing_reason?: string;
  /** Settled after the bridge missed part of the call (a restart, an AMI gap); `note` says how. */
  reconstructed?: boolean;
  note?: string;
}

export interface Task {
  id: number;
  kind: TaskKind;
  subject: string;
  due_at?: string | null;
  done_at?: string | null;
  result?: string;
  assignee_id?: number;
  contact_id?: number | null;
  call_id?: number | null;
  created_at?: string;
}

export interface Note {
  id: number;
  contact_id?: number;
  author_id?: number | null;
  call_id?: number | null;
  body: string;
  created_at: string;
}

export interface CardRef {
  kind: "contact" | "company" | string;
  id: number;
  name: string;
}

/**
 * The client card (the screen-pop payload of GET /api/lookup). The card page builds
 * one from a contact (cardFromContact); then the lists are left out and come from the timeline.
 */
export interface Card {
  phone?: string;
  contact: Contact | null;
  company: Company | CompanyBrief | null;
  owner: Owner | null;
  last_calls?: Call[];
  open_tasks?: Task[];
  last_notes?: Note[];
  other_matches?: CardRef[];
}

export interface TimelineItem {
  kind: "call" | "task" | "note";
  at: string;
  call?: Call | null;
  task?: Task | null;
  note?: Note | null;
}

export interface ContactPatch {
  first_name?: string;
  last_name?: string;
  email?: string | null;
  position?: string;
  status?: ContactStatus;
  company_id?: number | null;
}

export interface ContactCreate extends ContactPatch {
  phones?: NewPhone[];
}

export interface NewPhone {
  number: string;
  kind?: PhoneKind;
  label?: string;
}

export interface TaskPatch {
  subject?: string;
  due_at?: string | null;
  done?: boolean;
  result?: string;
}

export interface TaskCreate {
  kind: TaskKind;
  subject: string;
  due_at?: string | null;
  contact_id?: number | null;
  call_id?: number | null;
}

// ---- /ws/agent: live screen-pops (cti/screenpop/messages.py) ----------------

/** The call as the bridge tracks it while it rings, talks and ends. */
export interface LiveCall {
  linkedid: string;
  direction: CallDirection;
  caller: string;
  caller_name: string;
  callee: string;
  /** The party outside the company: who called in, or who was dialled. */
  number: string;
  did: string | null;
  queue: string | null;
  agents_rang: string[];
  answered_by: string | null;
  disposition: CallDisposition | null;
  started_at: string | null;
  answered_at: string | null;
  ended_at: string | null;
  wait_seconds: number | null;
  talk_seconds: number | null;
  transfers: { kind: string; from: string | null; to: string | null; at: string | null }[];
}

export type PopKind = "ring" | "answered" | "ended";

export interface PopMessage {
  type: PopKind;
  linkedid: string;
  call: LiveCall;
  /** The /api/lookup card, or null for a number no card holds. */
  card: Card | null;
}

export type ServerMessage =
  | { type: "hello"; login: string; extensions: string[] }
  | { type: "snapshot"; pops: PopMessage[] }
  | PopMessage
  | { type: "withdraw"; linkedid: string; reason: string }
  | { type: "error"; reason: string };

/** GET /api/me/sip (cti/web/sip_credentials.py). */
export interface SipAccount {
  extension: string;
  uri: string;
  password: string;
  ws_servers: string[];
  display_name: string;
}
