// Which client card an agent's current call belongs to: the call log (GET /api/calls, staff see
// every call) matched by linkedid. Asked at most every few seconds, only for linkedids not yet
// resolved; a call not logged yet is asked again later.

import type { Api } from "../api";

export interface CallLink {
  contactId: number | null;
  number: string;
}

const MIN_INTERVAL_MS = 4000;
const LOOKBACK_MS = 12 * 3600 * 1000;

export class CallResolver {
  private readonly known = new Map<string, CallLink>();
  private lastAsk = 0;
  private inFlight = false;

  constructor(private readonly api: Api, private readonly onResolved: () => void) {}

  get(linkedid: string): CallLink | undefined {
    return this.known.get(linkedid);
  }

  /** Remember a waiting caller's number (from the queue snapshot) before the call is logged. */
  remember(linkedid: string, number: string): void {
    if (!this.known.has(linkedid)) this.known.set(linkedid, { contactId: null, number });
  }

  want(linkedids: string[]): void {
    const missing = linkedids.filter((id) => this.known.get(id)?.contactId == null);
    if (!missing.length || this.inFlight || Date.now() - this.lastAsk < MIN_INTERVAL_MS) return;
    this.lastAsk = Date.now();
    this.inFlight = true;
    const since = new Date(Date.now() - LOOKBACK_MS).toISOString();
    this.api
      .calls({ started_from: since, limit: 200 })
      .then((page) => {
        let changed = false;
        for (const call of page.items) {
          const linkedid = call.linkedid;
          if (!linkedid || !missing.includes(linkedid)) continue;
          const other = call.direction === "inbound" ? call.caller : call.callee;
          const number = other ?? this.known.get(linkedid)?.number ?? "";
          this.known.set(linkedid, { contactId: call.contact_id ?? null, number });
          changed = true;
        }
        if (changed) this.onResolved();
      })
      .catch(() => undefined)
      .finally(() => {
        this.inFlight = false;
      });
  }
}
