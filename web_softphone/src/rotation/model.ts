// The rotation page's data: the filter as the form holds it, the query it makes for
// GET /api/contacts/stale (and its .csv), the bulk actions, and how a last contact reads.

import type { Api } from "../api";
import type { BulkAssigned, BulkCallbacks, ContactKind, ContactStatus, Page, StaleContact } from "../types";
import type { Callback } from "../callbacks/types";
import { t } from "../i18n";

export const PAGE_SIZE = 50;
export const STATUSES: readonly ContactStatus[] = ["lead", "client", "partner", "former"];

export interface RotationFilter {
  days: number;
  ownerId: number | null;
  statuses: ContactStatus[];
  tag: string;
  queue: string;
}

export const DEFAULT_FILTER: RotationFilter = { days: 30, ownerId: null, statuses: ["lead", "client"], tag: "", queue: "" };

/** The query string: repeated `status` (and `contact_id` for a CSV of the selected rows). */
export function filterQuery(filter: RotationFilter, extra: Record<string, string | number> = {}, ids: readonly number[] = []): string {
  const params = new URLSearchParams();
  params.set("days", String(filter.days));
  if (filter.ownerId !== null) params.set("owner_id", String(filter.ownerId));
  for (const status of filter.statuses) params.append("status", status);
  if (filter.tag.trim()) params.set("tag", filter.tag.trim());
  if (filter.queue.trim()) params.set("queue", filter.queue.trim());
  for (const [key, value] of Object.entries(extra)) params.set(key, String(value));
  for (const id of ids) params.append("contact_id", String(id));
  return params.toString();
}

export function loadStale(api: Api, filter: RotationFilter, offset: number): Promise<Page<StaleContact>> {
  return api.request("GET", `/contacts/stale?${filterQuery(filter, { limit: PAGE_SIZE, offset })}`);
}

export function assignTo(api: Api, ids: readonly number[], ownerId: number): Promise<BulkAssigned> {
  return api.request("POST", "/contacts/stale/assign", { body: { contact_ids: ids, owner_id: ownerId } });
}

export function planCallbacks(api: Api, plan: BulkCallbacks): Promise<Callback[]> {
  return api.request("POST", "/contacts/stale/callbacks", { body: plan });
}

/** The CSV as text (the bearer token cannot ride on a plain link), handed to the browser as a file. */
export async function downloadCsv(api: Api, filter: RotationFilter, ids: readonly number[]): Promise<void> {
  const text = await api.request<string>("GET", `/contacts/stale.csv?${filterQuery(filter, {}, ids)}`);
  const blob = new Blob([typeof text === "string" ? text : JSON.stringify(text)], { type: "text/csv" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = `rotation-${new Date().toISOString().slice(0, 10)}.csv`;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const KIND_LABELS = (): Record<ContactKind, string> => ({
  call_inbound: t("model.call_in"),
  call_outbound: t("model.call_out"),
  call_internal: t("model.internal_call"),
  note: t("model.note"),
  task: t("model.task_done"),
});

export function kindLabel(kind: ContactKind | null): string {
  return kind ? KIND_LABELS()[kind] : t("model.never_contacted");
}

/** The browser's zone, for spreading call-backs over the planner's working hours. */
export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

export function isoDate(day: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
}
