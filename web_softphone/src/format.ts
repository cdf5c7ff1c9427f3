// Presentation helpers: names, dates, durations, call direction/disposition words.
// Pure functions (no DOM) so they are unit-tested under node.

import { formatDate, formatDateTime, formatTime, t } from "./i18n";
import type { IconName } from "./icons";
import type { Call, CardView, Contact, Owner, Phone } from "./types";

export function contactName(c: Pick<Contact, "first_name" | "last_name"> & { full_name?: string | undefined }): string {
  const joined = [c.first_name, c.last_name].filter((p) => p && p.trim()).join(" ");
  return (c.full_name || joined || t("format.unnamed_contact")).trim();
}

/** The name a card is known by: the contact's, or the company's for a company-only card. */
export function cardName(card: CardView): string {
  if (card.contact) return contactName(card.contact);
  return card.company?.name || card.phone || t("format.unknown_caller");
}

export function ownerName(o: Owner | string | null | undefined): string {
  if (!o) return "";
  if (typeof o === "string") return o;
  return o.display_name || o.login || t("format.user_id", { id: o.id });
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
  return PHONE_KIND_LABELS()[p.kind] ?? p.kind.charAt(0).toUpperCase() + p.kind.slice(1);
}

function toDate(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "Today 14:05", "Yesterday 09:12", "3 Mar 14:05", "3 Mar 2023" (in the page's language). */
export function formatWhen(iso: string | null | undefined, now: Date = new Date(), locale?: string): string {
  const d = toDate(iso);
  if (!d) return "";
  const time = locale ? d.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" }) : formatTime(d);
  const dayStart = (x: Date) => new Date(x.getFullYear(), x.getMonth(), x.getDate()).getTime();
  const days = Math.round((dayStart(now) - dayStart(d)) / 86400000);
  if (days === 0) return t("format.today_time", { time });
  if (days === 1) return t("format.yesterday_time", { time });
  const date = (options: Intl.DateTimeFormatOptions) => (locale ? d.toLocaleDateString(locale, options) : formatDate(d, options));
  if (d.getFullYear() === now.getFullYear()) {
    return t("format.date_time", { date: date({ day: "numeric", month: "short" }), time });
  }
  return date({ day: "numeric", month: "short", year: "numeric" });
}

/** Full timestamp for a title/tooltip and <time datetime>. */
export function formatFull(iso: string | null | undefined, locale?: string): string {
  const d = toDate(iso);
  if (!d) return "";
  return locale ? d.toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" }) : formatDateTime(d);
}

/** 75 -> "1 min 15 s"; 3600 -> "1 h 0 min". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return "";
  const s = Math.round(seconds);
  if (s < 60) return t("format.duration_s", { s });
  const m = Math.floor(s / 60);
  if (m < 60) return t("format.duration_min_s", { m, s: s % 60 });
  return t("format.duration_h_min", { h: Math.floor(m / 60), m: m % 60 });
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

const OUTCOMES = (): Record<string, [string, Tone]> => ({
  answered: [t("format.outcome_answered"), "ok"],
  completed: [t("format.outcome_answered"), "ok"],
  missed: [t("format.outcome_missed"), "bad"],
  no_answer: [t("format.outcome_not_answered"), "bad"],
  noanswer: [t("format.outcome_not_answered"), "bad"],
  abandoned: [t("format.outcome_abandoned"), "bad"],
  busy: [t("format.outcome_busy"), "warn"],
  failed: [t("format.outcome_failed"), "bad"],
  congestion: [t("format.outcome_failed"), "bad"],
  voicemail: [t("format.outcome_voicemail"), "warn"],
  transferred: [t("format.outcome_transferred"), "ok"],
  ringing: [t("format.outcome_ringing"), "neutral"],
  in_progress: [t("format.outcome_in_progress"), "neutral"],
});

/** The icon and words for a call: direction + disposition, never colour alone. */
export function callLook(call: Pick<Call, "direction" | "disposition">): CallLook {
  const dir = (call.direction || "").toLowerCase();
  const disp = (call.disposition || "").toLowerCase();
  // No disposition yet: the call is still going on (the call log writes it when it starts).
  const [outcome, tone] = OUTCOMES()[disp || "in_progress"] ?? [disp.replace(/_/g, " "), "neutral" as Tone];
  const kind =
    dir === "inbound" || dir === "in" || dir === "incoming"
      ? "incoming"
      : dir === "outbound" || dir === "out" || dir === "outgoing"
        ? "outgoing"
        : dir === "internal"
          ? "internal"
          : "call";
  const direction = t(`format.direction_${kind}`);
  let icon: IconName = kind === "incoming" ? "phoneIncoming" : kind === "outgoing" ? "phoneOutgoing" : kind === "internal" ? "phoneInternal" : "phone";
  if (tone === "bad" && kind !== "outgoing") icon = "phoneMissed";
  return { icon, direction, outcome, tone };
}

export const STATUS_LABELS = (): Record<string, string> => ({
  lead: t("format.status_lead"),
  client: t("format.status_client"),
  partner: t("format.status_partner"),
  former: t("format.status_former"),
});

export const PHONE_KIND_LABELS = (): Record<string, string> => ({
  mobile: t("format.phone_mobile"),
  fixed: t("format.phone_fixed"),
  fax: t("format.phone_fax"),
  other: t("format.phone_other"),
});

export const TASK_KIND_LABELS = (): Record<string, string> => ({
  callback: t("format.task_callback"),
  meeting: t("format.task_meeting"),
  todo: t("format.task_todo"),
});

export function statusLabel(status: string | null | undefined): string {
  if (!status) return "";
  return STATUS_LABELS()[status] ?? status.charAt(0).toUpperCase() + status.slice(1).replace(/_/g, " ");
}
