// The page's names for the CTI Bridge REST API's shapes (/api). Each is the generated type of
// the app's OpenAPI document (src/generated/openapi.d.ts, `make types`; a test fails when it is
// stale), so a field the server renames or drops fails `npm run typecheck`. Only what no route
// documents is written here by hand: the /ws/agent frames (docs/asyncapi.yaml), and the pop's
// `external` card from the other CRM.

import type { components } from "./generated/openapi";

type Schemas = components["schemas"];

export type Role = Schemas["Role"];
export type ContactStatus = Schemas["ContactStatus"];
export type PhoneKind = Schemas["PhoneKind"];
export type CallDirection = Schemas["Direction"];
export type CallDisposition = Schemas["Disposition"];
export type TaskKind = Schemas["TaskKind"];

export type User = Schemas["UserOut"];
export type LoginResponse = Schemas["LoginResult"];

/** Every paged list (`Page_ContactOut_`, `Page_CallOut_`, ...) has this shape. */
export type Page<T> = Omit<Schemas["Page_ContactOut_"], "items"> & { items: T[] };

/** UserBrief */
export type Owner = Schemas["UserBrief"];
export type CompanyBrief = Schemas["CompanyBrief"];
export type Phone = Schemas["PhoneOut"];
export type Contact = Schemas["ContactOut"];
export type Company = Schemas["CompanyOut"];
export type Call = Schemas["CallOut"];
export type Recording = Schemas["RecordingOut"];
export type Voicemail = Schemas["VoicemailOut"];
export type Task = Schemas["TaskOut"];
export type Note = Schemas["NoteOut"];
export type CardRef = Schemas["CardRef"];
export type TimelineItem = Schemas["TimelineItem"];
export type ContactPatch = Schemas["ContactUpdate"];
export type ContactCreate = Schemas["ContactCreate"];
export type NewPhone = Schemas["PhoneIn"];
export type TaskPatch = Schemas["TaskUpdate"];
export type TaskCreate = Schemas["TaskCreate"];
/** GET /api/me/sip (cti/web/sip_credentials.py). */
export type SipAccount = Schemas["SipAccount"];
/** GET /api/admin/webhooks items. */
export type WebhookSubscription = Schemas["SubscriptionOut"];
/** GET /api/admin/webhooks/dead items: a delivery given up on, with the event as it was sent. */
export type DeadLetter = Schemas["DeadLetter"];
export type Replayed = Schemas["Replayed"];
/** GET /api/contacts/stale items: a card nobody contacted for a while, with its last contact. */
export type StaleContact = Schemas["StaleContact"];
export type ContactKind = Schemas["ContactKind"];
export type BulkAssigned = Schemas["BulkAssigned"];
export type BulkCallbacks = Schemas["BulkCallbacks"];
/** Lead distribution (#/leads): the rules, the newest leads, a bulk reassignment. */
export type LeadRuleOut = Schemas["LeadRuleOut"];
export type LeadRuleSpec = Schemas["LeadRuleSpec"];
export type RulePatch = Schemas["RulePatch"];
export type LeadRow = Schemas["LeadRow"];
export type Reassigned = Schemas["Reassigned"];
/** GET /api/wrapup-codes: the codes a wrap-up of a call in the queue offers. */
export type WrapupChoices = Schemas["WrapupChoices"];
export type WrapupCode = Schemas["WrapupCodeOut"];
export type WrapupClose = Schemas["WrapupClose"];
export type WrapupClosed = Schemas["WrapupClosed"];
/** #/wrapup-codes (admins): every code and queue rule, and the changes an admin sends. */
export type WrapupSetup = Schemas["WrapupSetup"];
export type WrapupCodeCreate = Schemas["WrapupCodeCreate"];
export type WrapupCodePatch = Schemas["WrapupCodePatch"];
export type WrapupQueueRule = Schemas["QueueRuleOut"];
/** GET /api/reports/wrapup-codes: calls counted by code per agent, queue or period. */
export type WrapupReport = Schemas["WrapupReport"];
export type WrapupReportRow = Schemas["WrapupReportRow"];
/** Post-call transcripts (README "Transcripts"): a call's, the search's hits, keyword rules. */
export type Transcript = Schemas["TranscriptOut"];
export type TranscriptLine = Schemas["TranscriptLineOut"];
export type TranscriptHit = Schemas["TranscriptHit"];
export type TranscriptBacklog = Schemas["TranscriptBacklog"];
export type KeywordRule = Schemas["KeywordRuleOut"];
export type KeywordRuleCreate = Schemas["KeywordRuleCreate"];
export type KeywordRulePatch = Schemas["KeywordRulePatch"];

/** The other CRM's card (CTI_LOOKUP_URL), in a pop's card only: README "External card lookup". */
export interface ExternalCard {
  name: string;
  company: string;
  owner_extension: string;
  /** http(s) URL of the client in the other CRM, or "". */
  link: string;
  /** The other CRM's name (CTI_LOOKUP_CRM_NAME), for "Open in <name>". */
  crm: string;
}

/**
 * The client card (GET /api/lookup, and the card of a screen-pop, which may carry the other
 * CRM's card in `external`). The card page builds one from a contact (cardFromContact).
 */
export type Card = Schemas["Card"] & { external?: ExternalCard };

type CardLists = "phone" | "last_calls" | "open_tasks" | "last_notes" | "other_matches";
/** What the card component shows: a whole card, or one the card page builds from a contact
 * (cardFromContact: the company as the contact names it; the lists come from the timeline). */
export type CardView = Omit<Card, CardLists | "company"> & Partial<Pick<Card, CardLists>> & { company: Company | CompanyBrief | null };

/** What a click-to-call needs of a number. */
export type DialTarget = Pick<Phone, "e164" | "raw">;

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
  /** The recording's file name once MixMonitor named it (played through the call's id). */
  recording?: string | null;
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

