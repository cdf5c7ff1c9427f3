// fetch wrapper for the CTI Bridge REST API.
// - keeps the bearer token in sessionStorage (one tab = one agent session);
// - turns every failure into an ApiError with a plain-language message,
//   per-field messages for 422, and the conflicting card for 409;
// - reports how many requests are in flight so the page can show a loading state.

import { hasKey, language, t, type Params } from "./i18n";
import type { StaffName } from "./staff";
import type {
  Card,
  Company,
  Contact,
  ContactCreate,
  ContactPatch,
  DeadLetter,
  LeadRow,
  LeadRuleOut,
  LeadRuleSpec,
  Reassigned,
  RulePatch,
  LoginResponse,
  NewPhone,
  Note,
  Page,
  Phone,
  Call,
  Replayed,
  SipAccount,
  Task,
  TaskCreate,
  TaskPatch,
  TimelineItem,
  User,
  WebhookSubscription,
  WrapupChoices,
  WrapupClose,
  WrapupClosed,
  WrapupCode,
  WrapupCodeCreate,
  WrapupCodePatch,
  WrapupQueueRule,
  WrapupSetup,
  Transcript,
  TranscriptBacklog,
  TranscriptHit,
  KeywordRule,
  KeywordRuleCreate,
  KeywordRulePatch,
} from "./types";

export const TOKEN_KEY = "cti.token";
export const USER_KEY = "cti.user";

/** The other card named by a 409. */
export interface ConflictCard {
  kind: string;
  id: number | null;
  name: string;
}

export class ApiError extends Error {
  /** HTTP status; 0 when the server could not be reached, -1 on timeout. */
  readonly status: number;
  /** Per-field plain-language messages (422), keyed by the body field name. */
  readonly fieldErrors: Record<string, string>;
  /** For 409: the card the data already belongs to, when the server named it. */
  readonly conflict: ConflictCard | null;
  readonly detail: unknown;

  constructor(
    status: number,
    message: string,
    fieldErrors: Record<string, string> = {},
    conflict: ConflictCard | null = null,
    detail: unknown = null,
  ) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.fieldErrors = fieldErrors;
    this.conflict = conflict;
    this.detail = detail;
  }
}

type FastApiValidationItem = {
  loc?: unknown[];
  msg?: string;
  type?: string;
  field?: string;
  reason?: string;
  /** The server's stable reason (crm_core.errors): the catalogue's `reason.<code>`. */
  code?: string;
  params?: Params;
  ctx?: Params;
};

/** The names pydantic gives a union's members in a `loc` ("none", "function-after[...]"): not fields. */
const UNION_MEMBERS = new Set(["none", "str", "int", "float", "bool", "list", "dict"]);

/** Field name from a FastAPI `loc` such as ["body", "email"] or ["body", "phones", 0, "number"];
 * a partial update's field is a union with null: ["body", "label", "constrained-str"] is "label". */
export function fieldFromLoc(loc: unknown[] | undefined): string {
  if (!Array.isArray(loc)) return "";
  const parts = loc.filter((p) => p !== "body" && p !== "query" && p !== "path");
  const names = parts.filter((p): p is string => typeof p === "string" && /^[A-Za-z_][\w.]*$/.test(p));
  const fields = names.filter((name, i) => i === 0 || !UNION_MEMBERS.has(name));
  return fields.length ? fields[fields.length - 1]! : "";
}

/** The catalogue's text for a server reason code, if it has one: `reason.<code>` or `error.<code>`. */
function catalogueText(prefix: "reason" | "error", code: unknown, params: Params = {}): string | null {
  if (typeof code !== "string" || !/^\w+$/.test(code)) return null;
  const key = `${prefix}.${code}`;
  if (!hasKey(key)) return null;
  // Plural texts count the code's number ("{count} seconds"), whatever the server calls it.
  const count = params.count ?? Object.values(params).find((v) => typeof v === "number");
  const text = t(key, count === undefined ? params : { ...params, count });
  return /\{\w+\}/.test(text) ? null : text; // a number the text names was not sent
}

function scalars(v: unknown): Params {
  const out: Params = {};
  const rec = asRecord(v);
  if (!rec) return out;
  for (const [k, value] of Object.entries(rec)) if (typeof value === "string" || typeof value === "number") out[k] = value;
  return out;
}

function sentence(text: string): string {
  const capital = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** Turn one validation item into a sentence an agent understands, in the page's language. */
export function plainReason(item: FastApiValidationItem): string {
  const params = { ...scalars(item.ctx), ...scalars(item.params) };
  const msg = (item.msg ?? "").trim();
  const coded = catalogueText("reason", item.code, params);
  if (coded && !(item.code === "invalid" && msg && language() === "en")) return coded;
  if (/value is not a valid email address/i.test(msg)) return t("reason.email");
  // pydantic's own error types (missing, string_too_long…) are stable codes too.
  const typed = item.type && item.type !== "value_error" ? catalogueText("reason", item.type, params) : null;
  if (typed) return typed;
  if (/^field required$/i.test(msg)) return t("reason.missing");
  // The server's reasons are written in English: on an English page its own words say more
  // than the general text ("No active user with login 'nobody'.").
  if (msg && language() === "en") return sentence(msg.replace(/^Value error, /, ""));
  return t("reason.invalid");
}

function asRecord(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/** Find the conflicting card in a 409 body, whatever nesting the server used. */
export function conflictFromDetail(detail: unknown): ConflictCard | null {
  const d = asRecord(detail);
  if (!d) return null;
  const nested = asRecord(d.conflict) ?? asRecord(d.card) ?? asRecord(d.existing) ?? asRecord(d.owner_card);
  const src = nested ?? d;
  const name =
    src.card_name ?? src.name ?? src.display_name ?? src.full_name ?? (nested ? undefined : d.card_name);
  const id = src.card_id ?? src.id ?? src.contact_id;
  const kind = src.card_kind ?? src.kind ?? "contact";
  if (typeof name !== "string" || !name) return null;
  return { kind: String(kind), id: typeof id === "number" ? id : null, name };
}

/** Last resort: the domain error's text, "+421900123456 already belongs to contact 3 (Jan Novák)". */
export function conflictFromText(text: string): ConflictCard | null {
  const m = /belongs to (contact|company) (\d+) \((.+)\)/.exec(text);
  return m ? { kind: m[1]!, id: Number(m[2]), name: m[3]! } : null;
}

function describeConflict(conflict: ConflictCard | null, fallback: string): string {
  if (!conflict) return fallback || t("error.conflict");
  const params = { name: conflict.name, id: conflict.id ?? 0 };
  if (conflict.kind === "company") return conflict.id !== null ? t("error.phone_taken_company_id", params) : t("error.phone_taken_company", params);
  return conflict.id !== null ? t("error.phone_taken_contact_id", params) : t("error.phone_taken_contact", params);
}

/** Build the ApiError for a non-2xx response body. `context` tunes 401 (login vs. expired session).
 * The words come from the catalogue: the body's `code` (and `params`) when the server sent one,
 * else what the status means. The server's English `detail` is shown only on an English page,
 * for a field reason the catalogue has no code for. */
export function errorFromResponse(status: number, body: unknown, context: "login" | "default" = "default"): ApiError {
  const rec = asRecord(body);
  const detail = rec && "detail" in rec ? rec.detail : body;
  const detailText =
    typeof detail === "string" ? detail : typeof asRecord(detail)?.message === "string" ? String(asRecord(detail)!.message) : "";
  const coded = catalogueText("error", rec?.code, scalars(rec?.params));

  switch (status) {
    case 400:
      return new ApiError(status, coded ?? t("error.bad_request"), {}, null, detail);
    case 401:
      return new ApiError(status, context === "login" ? t("error.wrong_login") : t("error.session_expired"), {}, null, detail);
    case 403:
      return new ApiError(status, coded ?? t("error.forbidden"), {}, null, detail);
    case 404:
      return new ApiError(status, t("error.not_found"), {}, null, detail);
    case 409: {
      const conflict = conflictFromDetail(detail) ?? conflictFromDetail(body) ?? conflictFromText(detailText);
      return new ApiError(status, rec?.code === "phone_taken" || !coded ? describeConflict(conflict, coded ?? "") : coded, {}, conflict, detail);
    }
    case 422: {
      const fieldErrors: Record<string, string> = {};
      const items: FastApiValidationItem[] = Array.isArray(detail)
        ? (detail as FastApiValidationItem[])
        : asRecord(detail)
          ? [detail as FastApiValidationItem]
          : [];
      const general: string[] = [];
      for (const item of items) {
        const field = item.field ?? fieldFromLoc(item.loc);
        const reason = plainReason(item);
        if (field) {
          if (!fieldErrors[field]) fieldErrors[field] = reason;
        } else {
          general.push(reason);
        }
      }
      const message = Object.keys(fieldErrors).length ? t("error.correct_fields") : general[0] ?? coded ?? t("error.invalid_values");
      return new ApiError(status, message, fieldErrors, null, detail);
    }
    default:
      if (coded) return new ApiError(status, coded, {}, null, detail);
      if (status >= 500) return new ApiError(status, t("error.server", { status }), {}, null, detail);
      return new ApiError(status, t("error.request_failed", { status }), {}, null, detail);
  }
}

export interface ApiOptions {
  baseUrl?: string;
  storage?: Storage;
  fetchImpl?: typeof fetch;
  timeoutMs?: number;
}

type Query = Record<string, string | number | boolean | null | undefined>;

export class Api {
  private readonly baseUrl: string;
  private readonly storage: Storage;
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;
  private inFlight = 0;
  private readonly busyListeners = new Set<(busy: number) => void>();
  private readonly unauthorizedListeners = new Set<(err: ApiError) => void>();

  constructor(opts: ApiOptions = {}) {
    this.baseUrl = (opts.baseUrl ?? "/api").replace(/\/$/, "");
    this.storage = opts.storage ?? sessionStorage;
    this.fetchImpl = opts.fetchImpl ?? fetch.bind(globalThis);
    this.timeoutMs = opts.timeoutMs ?? 20000;
  }

  // ---- session -------------------------------------------------------

  get token(): string | null {
    return this.storage.getItem(TOKEN_KEY);
  }

  get user(): User | null {
    const raw = this.storage.getItem(USER_KEY);
    if (!raw) return null;
    try {
      return JSON.parse(raw) as User;
    } catch {
      return null;
    }
  }

  private saveSession(token: string, user: User): void {
    this.storage.setItem(TOKEN_KEY, token);
    this.storage.setItem(USER_KEY, JSON.stringify(user));
  }

  clearSession(): void {
    this.storage.removeItem(TOKEN_KEY);
    this.storage.removeItem(USER_KEY);
  }

  /** Called with the number of requests in flight whenever it changes. */
  onBusy(listener: (busy: number) => void): () => void {
    this.busyListeners.add(listener);
    return () => this.busyListeners.delete(listener);
  }

  /** Called when an authenticated request comes back 401 (token expired or revoked). */
  onUnauthorized(listener: (err: ApiError) => void): () => void {
    this.unauthorizedListeners.add(listener);
    return () => this.unauthorizedListeners.delete(listener);
  }

  private setBusy(delta: number): void {
    this.inFlight += delta;
    for (const l of this.busyListeners) l(this.inFlight);
  }

  // ---- transport -----------------------------------------------------

  url(path: string, query?: Query): string {
    let url = `${this.baseUrl}${path}`;
    if (query) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) {
        if (v !== undefined && v !== null && v !== "") params.set(k, String(v));
      }
      const qs = params.toString();
      if (qs) url += `?${qs}`;
    }
    return url;
  }

  async request<T>(
    method: string,
    path: string,
    opts: { query?: Query; body?: unknown; signal?: AbortSignal; context?: "login" | "default" } = {},
  ): Promise<T> {
    const headers: Record<string, string> = { Accept: "application/json" };
    const token = this.token;
    if (token && opts.context !== "login") headers.Authorization = `Bearer ${token}`; // i18n-ignore
    if (opts.body !== undefined) headers["Content-Type"] = "application/json";

    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    const onCallerAbort = () => controller.abort();
    opts.signal?.addEventListener("abort", onCallerAbort, { once: true });

    this.setBusy(+1);
    let response: Response;
    try {
      response = await this.fetchImpl(this.url(path, opts.query), {
        method,
        headers,
        body: opts.body !== undefined ? JSON.stringify(opts.body) : null,
        signal: controller.signal,
        credentials: "same-origin",
      });
    } catch (err) {
      if (opts.signal?.aborted) throw err; // the caller cancelled: not an error to show
      if (timedOut) throw new ApiError(-1, t("error.timeout"));
      throw new ApiError(0, t("error.unreachable"));
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener("abort", onCallerAbort);
      this.setBusy(-1);
    }

    const text = await response.text();
    let body: unknown = null;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    if (!response.ok) {
      const err = errorFromResponse(response.status, body, opts.context ?? "default");
      if (response.status === 401 && opts.context !== "login") {
        this.clearSession();
        for (const l of this.unauthorizedListeners) l(err);
      }
      throw err;
    }
    return body as T;
  }

  // ---- endpoints -----------------------------------------------------

  async login(login: string, password: string): Promise<User> {
    const res = await this.request<LoginResponse>("POST", "/auth/login", {
      body: { login, password },
      context: "login",
    });
    this.saveSession(res.access_token, res.user);
    return res.user;
  }

  async me(): Promise<User> {
    const user = await this.request<User>("GET", "/auth/me");
    const token = this.token;
    if (token) this.saveSession(token, user);
    return user;
  }

  /** The signed-in user's own settings: the page's language (null: the browser's). */
  async setLanguage(language: string | null): Promise<User> {
    const user = await this.request<User>("PUT", "/auth/me/preferences", { body: { language } });
    const token = this.token;
    if (token) this.saveSession(token, user);
    return user;
  }

  logout(): void {
    this.clearSession();
  }

  /** The display name behind each extension (any signed-in user may read it). */
  staffDirectory(): Promise<StaffName[]> {
    return this.request("GET", "/users/directory");
  }

  /** The signed-in agent's own SIP account for the browser phone (never stored by the page). */
  sipAccount(): Promise<SipAccount> {
    return this.request("GET", "/me/sip");
  }

  searchContacts(q: string, limit = 20, offset = 0, signal?: AbortSignal): Promise<Page<Contact>> {
    return this.request("GET", "/contacts", { query: { q, limit, offset }, ...(signal ? { signal } : {}) });
  }

  getContact(id: number): Promise<Contact> {
    return this.request("GET", `/contacts/${id}`);
  }

  updateContact(id: number, patch: ContactPatch): Promise<Contact> {
    return this.request("PATCH", `/contacts/${id}`, { body: patch });
  }

  createContact(data: ContactCreate): Promise<Contact> {
    return this.request("POST", "/contacts", { body: data });
  }

  /** Answers with the new phone; a number already on another card fails with 409 naming it. */
  addPhone(id: number, phone: NewPhone): Promise<Phone> {
    return this.request("POST", `/contacts/${id}/phones`, { body: phone });
  }

  timeline(id: number): Promise<TimelineItem[]> {
    return this.request("GET", `/contacts/${id}/timeline`);
  }

  /** A note on the card; `callId` ties it to the call it sums up (the wrap-up). */
  addNote(id: number, body: string, callId?: number | null): Promise<Note> {
    return this.request("POST", `/contacts/${id}/notes`, { body: callId ? { body, call_id: callId } : { body } });
  }

  /** The wrap-up codes offered for a call of `queue` ("" = a call outside queues). */
  wrapupChoices(queue: string): Promise<WrapupChoices> {
    return this.request("GET", "/wrapup-codes", { query: { queue } });
  }

  /** Close a call's wrap-up: its code, the note on the card, the code's call-back. */
  closeWrapup(callId: number, body: WrapupClose): Promise<WrapupClosed> {
    return this.request("POST", `/calls/${callId}/wrapup`, { body });
  }

  /** Calls newest first (agents see their own), e.g. `{ contact_id: 12 }`. */
  calls(query: Query = {}): Promise<Page<Call>> {
    return this.request("GET", "/calls", { query });
  }

  searchCompanies(q: string, limit = 10): Promise<Page<Company>> {
    return this.request("GET", "/companies", { query: { q, limit } });
  }

  createCompany(name: string): Promise<Company> {
    return this.request("POST", "/companies", { body: { name } });
  }

  createTask(task: TaskCreate): Promise<Task> {
    return this.request("POST", "/tasks", { body: task });
  }

  /** The card for a caller's number, or null when nobody has it (404). Used by screen-pops. */
  async lookup(phone: string): Promise<Card | null> {
    try {
      return await this.request<Card>("GET", "/lookup", { query: { phone } });
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    }
  }

  tasks(query: Query = {}): Promise<Page<Task> | Task[]> {
    return this.request("GET", "/tasks", { query });
  }

  updateTask(id: number, patch: TaskPatch): Promise<Task> {
    return this.request("PATCH", `/tasks/${id}`, { body: patch });
  }

  // ---- admins: webhooks ------------------------------------------------

  /** Every webhook subscription with its `pending` and `dead` deliveries. */
  webhookSubscriptions(): Promise<WebhookSubscription[]> {
    return this.request("GET", "/admin/webhooks");
  }

  /** Deliveries given up on after every retry, oldest first. */
  deadLetters(limit = 1000): Promise<DeadLetter[]> {
    return this.request("GET", "/admin/webhooks/dead", { query: { limit } });
  }

  /** Send one dead letter again from now (404 when it is no longer dead). */
  replayDeadLetter(deliveryId: number): Promise<Replayed> {
    return this.request("POST", `/admin/webhooks/dead/${deliveryId}/replay`);
  }

  /** Send every dead letter again from now. */
  replayAllDeadLetters(): Promise<Replayed> {
    return this.request("POST", "/admin/webhooks/dead/replay");
  }

  /** Lead rules in order (supervisors read them, admins change them). */
  leadRules(): Promise<LeadRuleOut[]> {
    return this.request("GET", "/admin/lead-rules");
  }

  createLeadRule(rule: LeadRuleSpec): Promise<LeadRuleOut> {
    return this.request("POST", "/admin/lead-rules", { body: rule });
  }

  /** Switch a rule on or off (`enabled`) or move it (`position`, 1 = first). */
  patchLeadRule(id: number, patch: RulePatch): Promise<LeadRuleOut> {
    return this.request("PATCH", `/admin/lead-rules/${id}`, { body: patch });
  }

  deleteLeadRule(id: number): Promise<void> {
    return this.request("DELETE", `/admin/lead-rules/${id}`);
  }

  /** The queue names a rule may use. */
  routingQueues(): Promise<string[]> {
    return this.request("GET", "/admin/routing/queues");
  }

  /** The newest leads, each with its owner and why it has that owner. */
  recentLeads(limit = 50): Promise<LeadRow[]> {
    return this.request("GET", "/leads", { query: { limit } });
  }

  /** A call's transcript: its progress, lines per speaker, summary and keyword flags. */
  callTranscript(callId: number, signal?: AbortSignal): Promise<Transcript> {
    return this.request("GET", `/calls/${callId}/transcript`, signal ? { signal } : {});
  }

  /** Lines of transcripts holding every word of `q`; `speaker: "caller"`: what clients said. */
  searchTranscripts(q: string, speaker: "caller" | null, signal?: AbortSignal): Promise<TranscriptHit[]> {
    const query: Record<string, string | number> = { q, limit: 20 };
    if (speaker) query.speaker = speaker;
    return this.request("GET", "/transcripts/search", { query, ...(signal ? { signal } : {}) });
  }

  transcriptBacklog(): Promise<TranscriptBacklog> {
    return this.request("GET", "/transcripts/backlog");
  }

  keywordRules(): Promise<KeywordRule[]> {
    return this.request("GET", "/admin/transcript-keywords");
  }

  createKeywordRule(rule: KeywordRuleCreate): Promise<KeywordRule> {
    return this.request("POST", "/admin/transcript-keywords", { body: rule });
  }

  patchKeywordRule(id: number, patch: KeywordRulePatch): Promise<KeywordRule> {
    return this.request("PATCH", `/admin/transcript-keywords/${id}`, { body: patch });
  }

  deleteKeywordRule(id: number): Promise<void> {
    return this.request("DELETE", `/admin/transcript-keywords/${id}`);
  }

  /** Give the selected leads to one owner (supervisors and admins). */
  reassignLeads(contactIds: number[], ownerId: number): Promise<Reassigned> {
    return this.request("POST", "/leads/reassign", { body: { contact_ids: contactIds, owner_id: ownerId } });
  }

  /** Every wrap-up code (switched-off ones too) and every queue's rule (admins' page). */
  wrapupSetup(): Promise<WrapupSetup> {
    return this.request("GET", "/admin/wrapup");
  }

  createWrapupCode(code: WrapupCodeCreate): Promise<WrapupCode> {
    return this.request("POST", "/admin/wrapup/codes", { body: code });
  }

  /** Rename, switch on or off, move, or change the call-back rule of a code. */
  patchWrapupCode(id: number, patch: WrapupCodePatch): Promise<WrapupCode> {
    return this.request("PATCH", `/admin/wrapup/codes/${id}`, { body: patch });
  }

  deleteWrapupCode(id: number): Promise<void> {
    return this.request("DELETE", `/admin/wrapup/codes/${id}`);
  }

  /** Whether a queue's wrap-ups need a code before they close. */
  setWrapupQueueRule(queue: string, codeRequired: boolean): Promise<WrapupQueueRule> {
    return this.request("PUT", `/admin/wrapup/queues/${encodeURIComponent(queue)}`, { body: { code_required: codeRequired } });
  }
}
