import { t } from "../i18n";
// The /ws/supervisor snapshot (cti/stats/calculator.py QueueStats.snapshot) and the pure logic the
// supervisor page and the wallboard share: clocks, alert thresholds, sorting, number formats.
// No DOM here: unit-tested under node (test/supervisor.test.ts).

export interface AgentCounts {
  offline: number;
  on_call: number;
  ringing: number;
  paused: number;
  wrapup: number;
  available: number;
  logged_in: number;
}

export interface WaitingCaller {
  linkedid: string;
  caller: string;
  waited: number;
}

/** A caller who pressed 1 and left the queue: their place is kept (cti/queue_callbacks/places.py). */
export interface VirtualCaller {
  linkedid: string;
  caller: string;
  name: string;
  /** 1: the head of the queue, counting the callers on the line who joined earlier. */
  position: number;
  /** Seconds since the caller joined the queue (the place kept). */
  waited: number;
  status: "waiting" | "dialing" | string;
  attempts: number;
  /** The agent dialled last (while dialing: whose phone rings). */
  extension: string;
  next_attempt_at: number;
}

export interface QueueView {
  name: string;
  /** Callers waiting virtually for a call-back, in queue order. */
  virtual_callers?: VirtualCaller[];
  service_level_seconds: number;
  waiting: number;
  longest_wait: number;
  callers: WaitingCaller[];
  agents: AgentCounts;
  paused_reasons: string[];
  offered: number;
  answered: number;
  abandoned: number;
  timed_out: number;
  sl: number | null;
  sl2: number | null;
  abandon_rate: number | null;
  asa: number | null;
  aht: number | null;
}

export type AgentStateName = "offline" | "on_call" | "ringing" | "paused" | "wrapup" | "available";

export interface AgentView {
  extension: string;
  /** The CRM user's display name; Asterisk's member name when no user holds the extension. */
  name: string;
  /** Asterisk's member name (queues.conf), whatever the CRM says. */
  member_name?: string;
  /** The member's interface as Asterisk reports it (`PJSIP/1001`). */
  interface?: string;
  /** A CRM user holds the extension; false: shown by interface, marked unknown; null: not read yet. */
  known?: boolean | null;
  state: AgentStateName | string;
  since: number;
  seconds_in_state: number;
  linkedid: string | null;
  paused_reason: string;
  queues: string[];
  handled: number;
  talk_seconds: number;
  pause_seconds: number;
}

export interface Snapshot {
  type: "snapshot";
  at: number;
  day_start: number;
  queues: QueueView[];
  agents: AgentView[];
}

/** A call's transcript said a keyword rule's word (docs/asyncapi.yaml keywordAlert). */
export interface KeywordAlert {
  type: "keyword_alert";
  call_id: number;
  caller: string;
  agent: string;
  queue: string;
  contact_id: number | null;
  keywords: string[];
  flags: { keyword: string; speaker: string; start_ms: number; text: string }[];
}

export type SupervisorMessage =
  | { type: "hello"; login: string; role: string }
  | Snapshot
  | KeywordAlert
  | { type: "error"; reason: string };

// ---- clocks ----------------------------------------------------------------------------------

/** Seconds elapsed since the snapshot was taken, by the browser's clock (never negative). */
export function ageOf(receivedAtMs: number, nowMs: number): number {
  return Math.max(0, (nowMs - receivedAtMs) / 1000);
}

/** A queue's longest wait now: the snapshot's, plus the time since, while someone waits. */
export function longestWaitNow(queue: QueueView, age: number): number {
  return queue.waiting > 0 ? queue.longest_wait + age : 0;
}

/** Pause seconds today, still counting while the agent is paused. */
export function pauseNow(agent: AgentView, age: number): number {
  return agent.pause_seconds + (agent.state === "paused" ? age : 0);
}

// ---- thresholds and alerts -------------------------------------------------------------------

export interface Thresholds {
  /** Longest current wait, seconds: over it is an alert. */
  maxWait: number;
  /** Service level target, 0..1: under it is an alert. */
  slTarget: number;
  /** Paused agents: more than this many is an alert. */
  maxPaused: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { maxWait: 60, slTarget: 0.8, maxPaused: 2 };
export const THRESHOLDS_KEY = "cti.supervisor.thresholds";

export type Level = "ok" | "warn" | "alert";

export interface QueueAlerts {
  wait: Level;
  sl: Level;
  paused: Level;
  worst: Level;
}

/** Warn from 75 % of the wait limit (and 5 points under the SL target); alert past it. */
export function alertsFor(queue: QueueView, t: Thresholds, age = 0): QueueAlerts {
  const wait = longestWaitNow(queue, age);
  const waitLevel: Level = wait > t.maxWait ? "alert" : wait > t.maxWait * 0.75 ? "warn" : "ok";
  const sl = queue.sl;
  const slLevel: Level = sl === null ? "ok" : sl < t.slTarget ? "alert" : sl < t.slTarget + 0.05 ? "warn" : "ok";
  const paused = queue.agents.paused;
  const pausedLevel: Level = paused > t.maxPaused ? "alert" : paused === t.maxPaused && paused > 0 ? "warn" : "ok";
  return { wait: waitLevel, sl: slLevel, paused: pausedLevel, worst: worst([waitLevel, slLevel, pausedLevel]) };
}

export function worst(levels: Level[]): Level {
  return levels.includes("alert") ? "alert" : levels.includes("warn") ? "warn" : "ok";
}

export type ThresholdStore = Record<string, Partial<Thresholds>>;

/** Per-queue thresholds from localStorage (this browser only), defaults for what is missing. */
export function thresholdsFor(store: ThresholdStore, queue: string): Thresholds {
  const saved = store[queue] ?? {};
  const pick = (v: unknown, d: number) => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : d);
  return {
    maxWait: pick(saved.maxWait, DEFAULT_THRESHOLDS.maxWait),
    slTarget: Math.min(1, pick(saved.slTarget, DEFAULT_THRESHOLDS.slTarget)),
    maxPaused: pick(saved.maxPaused, DEFAULT_THRESHOLDS.maxPaused),
  };
}

export function parseThresholdStore(raw: string | null): ThresholdStore {
  if (!raw) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as ThresholdStore) : {};
  } catch {
    return {};
  }
}

// ---- sorting ---------------------------------------------------------------------------------

export type SortDir = "asc" | "desc";
export interface SortState {
  key: string;
  dir: SortDir;
}

type Sortable = string | number | null | undefined;

/** A stable sort on one key; nulls last whatever the direction. */
export function sortRows<T>(rows: readonly T[], value: (row: T) => Sortable, dir: SortDir): T[] {
  const factor = dir === "asc" ? 1 : -1;
  return rows
    .map((row, index) => ({ row, index, v: value(row) }))
    .sort((a, b) => {
      if (a.v === null || a.v === undefined) return b.v === null || b.v === undefined ? a.index - b.index : 1;
      if (b.v === null || b.v === undefined) return -1;
      const c = typeof a.v === "number" && typeof b.v === "number" ? a.v - b.v : String(a.v).localeCompare(String(b.v), undefined, { numeric: true });
      return c !== 0 ? c * factor : a.index - b.index;
    })
    .map((x) => x.row);
}

/** Clicking a header: the same key flips the direction, a new key starts with `initial`. */
export function nextSort(current: SortState, key: string, initial: SortDir = "asc"): SortState {
  return current.key === key ? { key, dir: current.dir === "asc" ? "desc" : "asc" } : { key, dir: initial };
}

// ---- formats ---------------------------------------------------------------------------------

/** 75 -> "1:15", 3725 -> "1:02:05". */
export function clock(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return "—";
  const s = Math.floor(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}

/** 0.8123 -> "81 %"; null -> "—". */
export function percent(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? "—" : `${Math.round(value * 100)} %`;
}

export const STATE_LABELS = (): Record<string, string> => ({
  offline: t("model.offline"),
  on_call: t("model.on_a_call"),
  ringing: t("model.ringing"),
  paused: t("model.paused"),
  wrapup: t("model.wrap_up"),
  available: t("model.available"),
});

/** Totals over all queues for the wallboard; agents counted once each (from the agent list). */
export interface Totals {
  waiting: number;
  longestWait: number;
  offered: number;
  answered: number;
  abandoned: number;
  answeredWithin: number;
  sl: number | null;
  available: number;
  onCall: number;
  paused: number;
  loggedIn: number;
}

export function totals(snapshot: Snapshot, age = 0): Totals {
  let waiting = 0;
  let longestWait = 0;
  let offered = 0;
  let answered = 0;
  let abandoned = 0;
  let within = 0;
  for (const q of snapshot.queues) {
    waiting += q.waiting;
    longestWait = Math.max(longestWait, longestWaitNow(q, age));
    offered += q.offered;
    answered += q.answered;
    abandoned += q.abandoned;
    within += q.sl === null ? 0 : Math.round(q.sl * q.answered);
  }
  const count = (...states: string[]) => snapshot.agents.filter((a) => states.includes(a.state)).length;
  return {
    waiting,
    longestWait,
    offered,
    answered,
    abandoned,
    answeredWithin: within,
    sl: answered ? within / answered : null,
    available: count("available"),
    onCall: count("on_call", "ringing"),
    paused: count("paused"),
    loggedIn: snapshot.agents.filter((a) => a.state !== "offline").length,
  };
}
