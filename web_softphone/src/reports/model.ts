// /api/reports shapes (crm_core/services/dto/reports.py) and the pure helpers of the reports page.

import type { components } from "../generated/openapi";
import { clock } from "../supervisor/model";
import { t } from "../i18n";

type Schemas = components["schemas"];

export type Bucket = Schemas["Bucket"];
/** One line of a report (pause, login time and `pause_reasons` on the agent report only). */
export type ReportRow = Schemas["ReportRow"];
export type Report = Schemas["Report"];

export interface ReportParams {
  from: string; // YYYY-MM-DD, first day
  to: string; // YYYY-MM-DD, last day (inclusive on the page; the API's `to` is exclusive)
  bucket: Bucket;
  queue: string;
  agent: string;
  pbx: string; // several PBXs (CTI_PBXS): one PBX's calls; "" every PBX
  threshold: number;
  tz: string;
}

export const MAX_HOUR_DAYS = 92;

function isoDay(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split("-").map(Number);
  return isoDay(new Date(y!, m! - 1, d! + days));
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** The last 7 days up to today, by day. */
export function defaultParams(now: Date = new Date(), tz = "UTC"): ReportParams {
  const today = isoDay(now);
  return { from: addDays(today, -6), to: today, bucket: "day", queue: "", agent: "", pbx: "", threshold: 20, tz };
}

/** A plain-language problem with the chosen period, or null when it can be asked. */
export function periodProblem(p: ReportParams): string | null {
  if (!p.from || !p.to) return t("model.pick_the_first_and_the");
  if (p.to < p.from) return t("model.the_last_day_is_before");
  if (p.bucket === "hour" && daysBetween(p.from, p.to) > MAX_HOUR_DAYS) return t("model.hourly_figures_cover_at_most", { MAX_HOUR_DAYS });
  return null;
}

/** The API query: `to` becomes the day after the last day. */
export function apiQuery(p: ReportParams): Record<string, string | number> {
  const q: Record<string, string | number> = { from: p.from, to: addDays(p.to, 1), bucket: p.bucket, threshold: p.threshold, tz: p.tz };
  if (p.queue) q.queue = p.queue;
  if (p.agent) q.agent = p.agent;
  if (p.pbx) q.pbx = p.pbx;
  return q;
}

/** Bucket key "2024-03-04T09:00" shown under the chart's axis. */
export function shortBucket(key: string, bucket: Bucket, multiDay: boolean): string {
  const [date = "", time = ""] = key.split(/[T ]/);
  const [, m = "", d = ""] = date.split("-");
  if (bucket === "hour") return multiDay ? `${d}.${m} ${time.slice(0, 2)}h` : time;
  return `${d}.${m}`;
}

/** Calls neither answered, abandoned nor left for a call-back (timed out to a fallback, missed…). */
export function otherCalls(row: ReportRow): number {
  return Math.max(0, (row.offered ?? 0) - row.answered - (row.abandoned ?? 0) - (row.callback_requested ?? 0));
}

/** A bucket key as a table shows it: "2024-03-04 09:00", "2024-03-04", "Week of 2024-03-04". */
export function bucketLabel(key: string, bucket: Bucket): string {
  if (key === "total") return t("model.total");
  const [date = "", time = ""] = key.split("T");
  if (bucket === "hour") return `${date} ${time}`;
  return bucket === "week" ? t("model.week_of_date", { date }) : date;
}

/** "lunch 30:30 · break 10:00", longest first; "" when the agent did not pause. */
export function pauseBreakdown(row: ReportRow): string {
  return Object.entries(row.pause_reasons ?? {})
    .filter(([, seconds]) => seconds > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([reason, seconds]) => `${reason || t("model.no_reason")} ${clock(seconds)}`)
    .join(" · ");
}
