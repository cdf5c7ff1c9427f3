// What the agent's pop stack shows, as plain state (no DOM): the server's messages in,
// a list of changes out for the view to apply. Unit-tested under node.
//
//   ring      -> a ringing pop (new or updated)
//   answered  -> the pop turns into "on call"
//   ended     -> the outcome and the wrap-up form, until the agent closes it (dismiss)
//   withdraw  -> the pop goes, with a short note ("Answered by 1002")
//   snapshot  -> after each (re)connect: what is ringing/active now. Ringing or active pops the
//                snapshot no longer has ended while the page was offline and go; wrap-ups the
//                agent has not closed stay, so nothing typed is lost.

import { agentLabel, staffName } from "../staff";
import type { Card, LiveCall, PopMessage, ServerMessage } from "../types";
import { t } from "../i18n";

export type Phase = "ringing" | "talking" | "ended";

export interface Pop {
  linkedid: string;
  phase: Phase;
  call: LiveCall;
  card: Card | null;
}

export type PopChange =
  | { kind: "show"; pop: Pop; phaseChanged: boolean }
  | { kind: "withdraw"; linkedid: string; reason: string }
  | { kind: "remove"; linkedid: string };

const PHASES: Record<PopMessage["type"], Phase> = { ring: "ringing", answered: "talking", ended: "ended" };

/** The server's withdraw reason (cti/screenpop/publisher.py: "answered by 1002", "transferred to
 * 1003", "stopped ringing", "call missed") in the page's words: "Answered by Bob Kráľ (ext. 1002)". */
export function withdrawNote(reason: string): string {
  const who = (ext: string) => (staffName(ext) ? agentLabel(ext) : ext);
  const [, verb, target] = /^(answered by|transferred to|call) (.+)$/.exec(reason.trim()) ?? [];
  // The server's words, matched (i18n-ignore):
  if (verb === "answered by") return t("pops.answered_by_who", { who: who(target!) });
  if (verb === "transferred to") /* i18n-ignore */ return t("pops.transferred_to_who", { who: who(target!) });
  if (verb === "call") return target === "abandoned" ? t("pops.call_abandoned") : target === "missed" ? t("pops.call_missed") : t("pops.call_ended");
  return reason.trim() === "stopped ringing" /* i18n-ignore: the server's words */ ? t("pops.stopped_ringing") : t("pops.no_longer_ringing");
}

export class PopStore {
  private readonly pops = new Map<string, Pop>();
  /** Cards the agent created from a pop (unknown number): the server's messages still say null. */
  private readonly created = new Map<string, Card>();
  private readonly dismissed = new Set<string>();

  list(): Pop[] {
    return Array.from(this.pops.values());
  }

  get(linkedid: string): Pop | undefined {
    return this.pops.get(linkedid);
  }

  /** The agent made a card for this pop's number: use it from now on. */
  setCard(linkedid: string, card: Card): Pop | undefined {
    const pop = this.pops.get(linkedid);
    if (!pop) return undefined;
    if (pop.call.number) this.created.set(pop.call.number, card);
    pop.card = card;
    return pop;
  }

  isDismissed(linkedid: string): boolean {
    return this.dismissed.has(linkedid);
  }

  /** The agent closed the wrap-up (here or in another tab). */
  dismiss(linkedid: string): PopChange[] {
    this.dismissed.add(linkedid);
    return this.pops.delete(linkedid) ? [{ kind: "remove", linkedid }] : [];
  }

  apply(message: ServerMessage): PopChange[] {
    switch (message.type) {
      case "ring":
      case "answered":
      case "ended":
        return this.upsert(message);
      case "withdraw":
        return this.pops.delete(message.linkedid) ? [{ kind: "withdraw", linkedid: message.linkedid, reason: withdrawNote(message.reason) }] : [];
      case "snapshot":
        return this.snapshot(message.pops);
      default:
        return [];
    }
  }

  private snapshot(pops: PopMessage[]): PopChange[] {
    const changes: PopChange[] = [];
    const present = new Set(pops.map((p) => p.linkedid));
    for (const pop of this.list()) {
      if (!present.has(pop.linkedid) && pop.phase !== "ended") {
        this.pops.delete(pop.linkedid);
        changes.push({ kind: "remove", linkedid: pop.linkedid });
      }
    }
    for (const message of pops) changes.push(...this.upsert(message));
    return changes;
  }

  private upsert(message: PopMessage): PopChange[] {
    if (this.dismissed.has(message.linkedid)) return [];
    const phase = PHASES[message.type];
    const previous = this.pops.get(message.linkedid);
    // A late or replayed message must not turn a finished call back into a ringing one.
    if (previous && rank(phase) < rank(previous.phase)) return [];
    const card = message.card ?? (message.call.number ? this.created.get(message.call.number) : undefined) ?? previous?.card ?? null;
    const pop: Pop = { linkedid: message.linkedid, phase, call: message.call, card };
    this.pops.set(message.linkedid, pop);
    const phaseChanged = previous?.phase !== phase || (previous.card === null) !== (card === null);
    return [{ kind: "show", pop, phaseChanged }];
  }
}

function rank(phase: Phase): number {
  return phase === "ringing" ? 0 : phase === "talking" ? 1 : 2;
}

/** Seconds since an ISO time (never negative); null without one. */
export function secondsSince(iso: string | null | undefined, now: number = Date.now()): number | null {
  if (!iso) return null;
  const t = new Date(iso).getTime();
  return Number.isNaN(t) ? null : Math.max(0, Math.floor((now - t) / 1000));
}

/** 75 -> "01:15"; 3725 -> "1:02:05". */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const two = (n: number) => String(n).padStart(2, "0");
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h ? `${h}:${two(m)}:${two(s % 60)}` : `${two(m)}:${two(s % 60)}`;
}

/** Who is calling, as words: the other CRM's name for them (it holds the client's truth), the
 * local card's, else the caller ID name, else the number. */
export function callerLabel(pop: Pick<Pop, "call" | "card">): string {
  if (pop.card?.external?.name) return pop.card.external.name;
  const contact = pop.card?.contact;
  if (contact) {
    const name = [contact.first_name, contact.last_name].filter(Boolean).join(" ") || contact.full_name;
    if (name) return name;
  }
  if (pop.card?.company?.name) return pop.card.company.name;
  return pop.call.caller_name || pop.call.number || pop.call.caller || t("pops.unknown_caller");
}

/** "Queue sales · DID 100" (what the caller dialled), or "" for a direct call. */
export function routeLabel(call: LiveCall): string {
  return [call.queue ? t("pops.queue_queue", { queue: call.queue }) : "", call.did ? t("pops.did_did", { did: call.did }) : ""].filter(Boolean).join(" · ");
}
