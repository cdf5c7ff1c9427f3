import { t } from "../i18n";
// Dates for call-backs, in the browser's own time zone: the date/time fields of the plan form,
// the calendar's week (Monday first) and the slot a call-back falls in. No DOM: unit-tested.

export const DAY_MS = 86_400_000;
export const FIRST_HOUR = 7;
export const LAST_HOUR = 20; // the calendar shows slots FIRST_HOUR..LAST_HOUR (earlier/later go to the edge)

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** The <input type=date> and <input type=time> values of a moment. */
export function dateTimeFields(at: Date): { date: string; time: string } {
  return { date: `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`, time: `${pad(at.getHours())}:${pad(at.getMinutes())}` };
}

/** The next full hour after `now` (a sensible default for a call-back). */
export function nextFullHour(now: Date = new Date()): Date {
  const at = new Date(now);
  at.setMinutes(0, 0, 0);
  at.setHours(at.getHours() + 1);
  return at;
}

/** A local date and time typed in the form, or null when either is missing or invalid. */
export function fromFields(date: string, time: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{2}:\d{2}$/.test(time)) return null;
  const at = new Date(`${date}T${time}`);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** Monday 00:00 (local) of the week holding `at`. */
export function weekStart(at: Date): Date {
  const start = new Date(at);
  start.setHours(0, 0, 0, 0);
  const back = (start.getDay() + 6) % 7; // Sunday is 0 in JS
  start.setDate(start.getDate() - back);
  return start;
}

export function addDays(at: Date, days: number): Date {
  const next = new Date(at);
  next.setDate(next.getDate() + days);
  return next;
}

/** The calendar cell of a due time in the week starting `start`: day 0-6, hour row; null outside. */
export function slotOf(dueIso: string | null, start: Date): { day: number; hour: number } | null {
  if (!dueIso) return null;
  const due = new Date(dueIso);
  if (Number.isNaN(due.getTime()) || due < start) return null;
  for (let day = 0; day < 7; day += 1) {
    if (due < addDays(start, day + 1)) return { day, hour: Math.min(LAST_HOUR, Math.max(FIRST_HOUR, due.getHours())) };
  }
  return null;
}

/** "Mon 2 Dec" style day heading. */
export function dayLabel(at: Date, locale?: string): string {
  return at.toLocaleDateString(locale, { weekday: "short", day: "numeric", month: "short" });
}

export function timeLabel(iso: string | null, locale?: string): string {
  return iso ? new Date(iso).toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" }) : "";
}

export function dueLabel(iso: string | null, locale?: string): string {
  if (!iso) return t("when.no_time");
  const at = new Date(iso);
  return `${at.toLocaleDateString(locale, { weekday: "short", day: "numeric", month: "short" })} ${timeLabel(iso, locale)}`;
}
