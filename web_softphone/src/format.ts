// Presentation helpers: names, dates, durations, call direction/disposition words.
// Pure functions (no DOM) so they are unit-tested under node.

import type { IconName } from "./icons";
import type { Call, CardView, Contact, Owner, Phone } from "./types";

export function contactName(c: Pick<Contact, "first_name" | "last_name"> & { full_name?: string | undefined }): string {
  const joined = [c.first_name, c.last_name].filter((p) => p && p.trim()).join(" ");
  return (c.full_name || joined || "Unnamed contact").trim();
}

/** The name a card is known by: the contact's, or the company's for a company-only card. */
export function cardName(card: CardView): string {
  if (card.contact) return contactName(card.contact);
  return card.company?.name || card.phone || "Unknown caller";
}

export function ownerName(o: Owner | string | null | undefined): string {
  if (!o) return "";
  if (typeof o === "string") return o;
  return o.display_name || o.login || `User #${o.id}`;
}

/** Initials for the avatar circle. */
export function initials(name: string): string {
  const parts = name.split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0]!, parts[parts.length - 1]!] : parts.slice(0, 1);
  return letters.map((p) => p.charAt(0).toUpperCase()).join("") || "?";
}

/** "+421900123456" -> "+421 900 123 456" when the server did not send a display form. */
/**
 * How to show a stored number: as it was typed when that spelling is already grouped
 * ("+421 900 123 456"), otherwise its E.164 form; the raw text if it could not be parsed.
 */
export function phoneDisplay(p: Pick<Phone, "e164" | "raw">): string {
  const raw = (p.raw ?? "").trim();
  if (!p.e164) return raw;
  if (raw && /[\s\-/().]/.test(raw) && raw.replace(/\D/g, "").length >= 6) return raw;
  return p.e164;
}

export function phoneKindLabel(p: Phone): string {
  if (p.label) return p.label;
  if (!p.kind) return "";
  return PHONE_KIND_LABELS[p.kind] ?? p.kind.charAt(0).toUpperCase() + p.kind.slice(1);
}

function toDate(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "Today 14:05", "Yesterday 09:12", "3 Mar 14:05", "3 Mar 2023". */
export function formatWhen(iso: string | null | undefined, now: Date = new Date(), locale?: string): string {
  const d = toDate(iso);
  if (!d) return "";
  const time = d.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" });
  const dayStart = (x: Date) => new Date(x.getFullYear(), x.getMonth(), x.getDate()).getTime();
  const days = Math.round((dayStart(now) - dayStart(d)) / 86400000);
  if (days === 0) return `Today ${time}`;
  if (days === 1) return `Yesterday ${time}`;
  if (d.getFullYear() === now.getFullYear()) {
    return `${d.toLocaleDateString(locale, { day: "numeric", month: "short" })}, ${time}`;
  }
  return d.toLocaleDateString(locale, { day: "numeric", month: "short", year: "numeric" });
}

/** Full timestamp for a title/tooltip and <time datetime>. */
export function formatFull(iso: string | null | undefined, locale?: string): string {
  const d = toDate(iso);
  return d ? d.toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" }) : "";
}

/** 75 -> "1 min 15 s"; 3600 -> "1 h 0 min". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return "";
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function callSeconds(call: Call): number | null {
  const v = call.talk_seconds;
  if (typeof v === "number" && v > 0) return v;
  const a = toDate(call.answered_at);
  const e = toDate(call.ended_at);
  return a && e ? (e.getTime() - a.getTime()) / 1000 : null;
}

export type Tone = "ok" | "bad" | "warn" | "neutral";

export interface CallLook {
  icon: IconName;
  /** "Incoming", "Outgoing", "Internal". */
  direction: string;
  /** "answered", "missed", "busy"… */
  outcome: string;
  tone: Tone;
}

const OUTCOMES: Record<string, [string, Tone]> = {
  answered: ["answered", "ok"],
  completed: ["answered", "ok"],
  missed: ["missed", "bad"],
  no_answer: ["not answered", "bad"],
  noanswer: ["not answered", "bad"],
  abandoned: ["abandoned", "bad"],
  busy: ["busy", "warn"],
  failed: ["failed", "bad"],
  congestion: ["failed", "bad"],
  voicemail: ["voicemail", "warn"],
  transferred: ["transferred", "ok"],
  ringing: ["ringing", "neutral"],
  in_progress: ["in progress", "neutral"],
};

/** The icon and words for a call: direction + disposition, never colour alone. */
export function callLook(call: Pick<Call, "direction" | "disposition">): CallLook {
  const dir = (call.direction || "").toLowerCase();
  const disp = (call.disposition || "").toLowerCase();
  // No disposition yet: the call is still going on (the call log writes it when it starts).
  const [outcome, tone] = OUTCOMES[disp || "in_progress"] ?? [disp.replace(/_/g, " "), "neutral" as Tone];
  const direction =
    dir === "inbound" || dir === "in" || dir === "incoming"
      ? "Incoming"
      : dir === "outbound" || dir === "out" || dir === "outgoing"
        ? "Outgoing"
        : dir === "internal"
          ? "Internal"
          : "Call";
  let icon: IconName = direction === "Incoming" ? "phoneIncoming" : direction === "Outgoing" ? "phoneOutgoing" : direction === "Internal" ? "phoneInternal" : "phone";
  if (tone === "bad" && direction !== "Outgoing") icon = "phoneMissed";
  return { icon, direction, outcome, tone };
}

export const STATUS_LABELS: Record<string, string> = {
  lead: "Lead",
  client: "Client",
  partner: "Partner",
  former: "Former client",
};

export const PHONE_KIND_LABELS: Record<string, string> = {
  mobile: "Mobile",
  fixed: "Landline",
  fax: "Fax",
  other: "Other",
};

export const TASK_KIND_LABELS: Record<string, string> = {
  callback: "Call back",
  meeting: "Meeting",
  todo: "To do",
};

export function statusLabel(status: string | null | undefined): string {
  if (!status) return "";
  return STATUS_LABELS[status] ?? status.charAt(0).toUpperCase() + status.slice(1).replace(/_/g, " ");
}
