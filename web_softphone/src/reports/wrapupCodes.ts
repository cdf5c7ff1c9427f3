// The reports page's wrap-up codes section: calls counted by the code their wrap-up got, per
// agent and over time (stacked bars, one colour per code, "no code" in grey), tables per agent
// and per queue, and a CSV of each grouping (agent, queue, period).

import type { Api } from "../api";
import { stackedBars, type Series } from "../components/chart";
import { h } from "../dom";
import { type Column, sortableTable } from "../supervisor/table";
import type { WrapupReport, WrapupReportRow } from "../types";
import { t } from "../i18n";

export type WrapupGroup = "agent" | "queue" | "period";
export const WRAPUP_GROUPS: WrapupGroup[] = ["agent", "queue", "period"];
const COLOURS = 8;
const GROUP_TITLES = (): Record<WrapupGroup, string> => ({ agent: t("wrapupCodes.agent"), queue: t("wrapupCodes.queue"), period: t("wrapupCodes.period") });

export function loadWrapupReports(api: Api, query: Record<string, string | number>): Promise<WrapupReport[]> {
  return Promise.all(WRAPUP_GROUPS.map((group) => api.request<WrapupReport>("GET", "/reports/wrapup-codes", { query: { ...query, group } })));
}

interface SectionOptions {
  api: Api;
  query: Record<string, string | number>;
  /** The period bucket's label under the time chart's bars. */
  bucketLabel: (key: string) => string;
  shortLabel: (label: string) => string;
  fileName: (group: WrapupGroup) => string;
  onError: (message: string) => void;
}

function series(report: WrapupReport): Series[] {
  return [...report.codes.map((c, i) => ({ name: c.label, cls: `c-code-${i % COLOURS}` })), { name: t("wrapupCodes.answered_no_code"), cls: "c-code-none" }];
}

function values(report: WrapupReport, row: WrapupReportRow): number[] {
  return [...report.codes.map((c) => row.counts[c.code] ?? 0), row.answered_without_code];
}

export function wrapupSection(reports: WrapupReport[], opts: SectionOptions): HTMLElement {
  const [agents, queues, periods] = reports as [WrapupReport, WrapupReport, WrapupReport];
  const byAgent = [...agents.rows].sort((a, b) => b.coded - a.coded).slice(0, 20);
  const empty = !agents.totals.coded && !agents.totals.answered_without_code;
  return h(
    "section",
    { class: "wrapup-report", "aria-labelledby": "wrapup-report-title", "data-testid": "wrapup-report" },
    h("h2", { class: "section-title", id: "wrapup-report-title" }, t("wrapupCodes.wrap_up_codes")),
    h(
      "div",
      { class: "chart-grid-2" },
      h(
        "div",
        { class: "panel chart-panel", "data-testid": "chart-wrapup-agents" },
        empty ? h("p", { class: "muted" }, t("wrapupCodes.no_wrap_up_codes_in")) : stackedBars(byAgent.map((r) => ({ label: r.label || r.key, values: values(agents, r) })), series(agents), { caption: t("wrapupCodes.wrap_up_codes_per_agent") }),
      ),
      h(
        "div",
        { class: "panel chart-panel", "data-testid": "chart-wrapup-time" },
        empty
          ? h("p", { class: "muted" }, t("wrapupCodes.no_wrap_up_codes_in"))
          : stackedBars(periods.rows.map((r) => ({ label: opts.bucketLabel(r.key), values: values(periods, r) })), series(periods), { caption: t("wrapupCodes.wrap_up_codes_over_time"), shortLabel: opts.shortLabel }),
      ),
    ),
    table("agent", agents, opts),
    table("queue", queues, opts),
    h("div", { class: "panel panel-compact" }, h("div", { class: "panel-head" }, h("h3", { class: "panel-title" }, t("wrapupCodes.wrap_up_codes_per_period")), csvLink("period", opts))),
  );
}

function columns(group: WrapupGroup, report: WrapupReport): Column<WrapupReportRow>[] {
  return [
    { key: "key", label: GROUP_TITLES()[group], value: (r) => r.label || r.key },
    ...report.codes.map((c) => ({ key: `code:${c.code}`, label: c.label, numeric: true, value: (r: WrapupReportRow) => r.counts[c.code] ?? 0 })),
    { key: "coded", label: t("wrapupCodes.with_a_code"), numeric: true, value: (r) => r.coded },
    { key: "answered_without_code", label: t("wrapupCodes.answered_no_code"), numeric: true, value: (r) => r.answered_without_code, title: t("wrapupCodes.answered_calls_whose_wrap_up") },
  ];
}

function table(group: WrapupGroup, report: WrapupReport, opts: SectionOptions): HTMLElement {
  const title = t("wrapupCodes.wrap_up_codes_per_group", { group });
  const table = sortableTable<WrapupReportRow>({
    columns: columns(group, report),
    sort: { key: "key", dir: "asc" },
    caption: title,
    testId: `wrapup-${group}`,
    rowKey: (r) => r.key,
    empty: t("wrapupCodes.no_calls_in_this_period"),
    footer: () => [report.totals],
  });
  table.update(report.rows);
  return h("div", { class: "panel" }, h("div", { class: "panel-head" }, h("h3", { class: "panel-title" }, title), csvLink(group, opts)), table.element);
}

function csvLink(group: WrapupGroup, opts: SectionOptions): HTMLElement {
  const query = { ...opts.query, group };
  const link = h("a", { href: opts.api.url("/reports/wrapup-codes.csv", query), class: "btn btn-small", "data-testid": `csv-wrapup-${group}`, download: opts.fileName(group) }, t("wrapupCodes.download_csv"));
  link.addEventListener("click", (ev) => {
    ev.preventDefault();
    void download(query, opts, group).finally(() => link.blur());
  });
  return link;
}

async function download(query: Record<string, string | number>, opts: SectionOptions, group: WrapupGroup): Promise<void> {
  try {
    const text = await opts.api.request<string>("GET", "/reports/wrapup-codes.csv", { query });
    const url = URL.createObjectURL(new Blob([typeof text === "string" ? text : JSON.stringify(text)], { type: "text/csv" }));
    const a = h("a", { href: url, download: opts.fileName(group), hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (err) {
    opts.onError(err instanceof Error ? err.message : t("wrapupCodes.the_csv_could_not_be"));
  }
}
