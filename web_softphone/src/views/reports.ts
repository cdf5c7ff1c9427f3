// #/reports: call reports over a chosen period (supervisors and admins): per queue, per agent and
// over time (hour / day / week), with charts and a CSV download of every table; then the wrap-up
// codes per agent, queue and period (reports/wrapupCodes.ts).
// The CSV links fetch with the bearer token and hand the browser a file (a plain link could not
// send the token).

import "../styles/supervisor.css";
import { type Api, ApiError } from "../api";
import { horizontalBars, lineChart, stackedBars } from "../components/chart";
import { h } from "../dom";
import {
  apiQuery,
  type Bucket,
  bucketLabel,
  daysBetween,
  defaultParams,
  otherCalls,
  pauseBreakdown,
  periodProblem,
  type Report,
  type ReportParams,
  type ReportRow,
  shortBucket,
} from "../reports/model";
import { loadWrapupReports, wrapupSection } from "../reports/wrapupCodes";
import { clock, DEFAULT_THRESHOLDS, percent } from "../supervisor/model";
import { type Column, sortableTable } from "../supervisor/table";
import type { StaffView, StaffViewContext } from "./supervisor";
import { t } from "../i18n";

type Kind = "queues" | "agents" | "timeline";

function columns(kind: Kind, bucket: Bucket): Column<ReportRow>[] {
  const n = (v: number | null) => (v === null ? "—" : String(v));
  const first: Column<ReportRow> = {
    key: "key",
    label: kind === "queues" ? t("reports.queue") : kind === "agents" ? t("reports.agent") : t("reports.period"),
    value: (r) => r.key,
    render: (r) => {
      if (kind === "timeline") return bucketLabel(r.key, bucket);
      return kind === "agents" && r.label !== r.key && r.key !== "total" ? h("span", null, r.label, h("small", { class: "muted" }, ` ${t("staff.ext", { ext: r.key })}`)) : r.label;
    },
  };
  const cols: Column<ReportRow>[] = [
    first,
    { key: "offered", label: t("reports.offered"), numeric: true, value: (r) => r.offered, render: (r) => n(r.offered) },
    { key: "answered", label: t("reports.answered"), numeric: true, value: (r) => r.answered },
    { key: "abandoned", label: t("reports.abandoned"), numeric: true, value: (r) => r.abandoned, render: (r) => n(r.abandoned) },
    { key: "callback_requested", label: t("reports.call_back_asked"), numeric: true, value: (r) => r.callback_requested, render: (r) => n(r.callback_requested), title: t("reports.callers_who_pressed_1_in") },
    { key: "abandon_wait", label: t("reports.wait_before_abandon"), numeric: true, value: (r) => r.abandon_wait, render: (r) => clock(r.abandon_wait) },
    { key: "service_level", label: t("reports.service_level"), numeric: true, value: (r) => r.service_level, render: (r) => percent(r.service_level) },
    { key: "asa", label: "ASA", numeric: true, value: (r) => r.asa, render: (r) => clock(r.asa), title: t("reports.mean_wait_of_the_answered") },
    { key: "aht", label: "AHT", numeric: true, value: (r) => r.aht, render: (r) => clock(r.aht), title: t("reports.mean_talk_time_of_the") },
    { key: "longest_wait", label: t("reports.longest_wait"), numeric: true, value: (r) => r.longest_wait, render: (r) => clock(r.longest_wait) },
    { key: "talk_seconds", label: t("reports.talk_time"), numeric: true, value: (r) => r.talk_seconds, render: (r) => clock(r.talk_seconds) },
    { key: "missed_callbacks", label: t("reports.missed_call_backs"), numeric: true, value: (r) => r.missed_callbacks },
  ];
  if (kind !== "agents") return cols;
  return [
    ...cols.filter((c) => !["offered", "abandoned", "callback_requested", "abandon_wait"].includes(c.key)),
    { key: "pause_seconds", label: t("reports.pause_time"), numeric: true, value: (r) => r.pause_seconds, render: (r) => pauseCell(r), title: t("reports.paused_in_at_least_one") },
    { key: "login_seconds", label: t("reports.logged_in"), numeric: true, value: (r) => r.login_seconds ?? null, render: (r) => clock(r.login_seconds ?? null), title: t("reports.logged_in_to_at_least") },
  ];
}

function pauseCell(r: ReportRow): HTMLElement | string {
  const reasons = pauseBreakdown(r);
  return h("span", { title: reasons }, clock(r.pause_seconds), reasons ? h("small", { class: "muted pause-reasons" }, reasons) : null);
}

const TITLES = (): Record<Kind, string> => ({ queues: t("reports.per_queue"), agents: t("reports.per_agent"), timeline: t("reports.over_time") });

export function renderReports(pane: HTMLElement, ctx: StaffViewContext): StaffView {
  const api: Api = ctx.api;
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  let params: ReportParams = defaultParams(new Date(), tz);
  let loadSeq = 0;

  const field = (label: string, control: HTMLElement) => h("label", { class: "field-inline" }, h("span", null, label), control);
  const fromInput = h("input", { type: "date", class: "input", name: "from", value: params.from, required: true });
  const toInput = h("input", { type: "date", class: "input", name: "to", value: params.to, required: true });
  const bucketSelect = h("select", { class: "input", name: "bucket" }, ...(["hour", "day", "week"] as Bucket[]).map((b) => h("option", { value: b, selected: b === params.bucket }, t("reports.by_b", { b }))));
  const queueInput = h("input", { type: "text", class: "input", name: "queue", placeholder: "all", list: "report-queues", size: 10 });
  const queueList = h("datalist", { id: "report-queues" });
  const agentInput = h("input", { type: "text", class: "input", name: "agent", placeholder: "all", size: 7, inputmode: "numeric" });
  const pbxInput = h("input", { type: "text", class: "input", name: "pbx", placeholder: "all", size: 8, pattern: "[a-z0-9][a-z0-9_\\-]{0,31}", title: t("reports.pbx_hint") });
  const thresholdInput = h("input", { type: "number", class: "input", name: "threshold", min: "0", max: "3600", value: "20", size: 4 });
  const submit = h("button", { type: "submit", class: "btn btn-primary" }, t("reports.show"));
  const problem = h("p", { class: "form-error", role: "alert", hidden: true });
  const presets = h(
    "div",
    { class: "presets" },
    ...(
      [
        [t("reports.today"), 0, "hour"],
        [t("reports.7_days"), 6, "day"],
        [t("reports.30_days"), 29, "day"],
        [t("reports.1_year"), 364, "week"],
      ] as [string, number, Bucket][]
    ).map(([label, back, bucket]) =>
      h("button", { type: "button", class: "btn btn-small btn-ghost", onclick: () => preset(back, bucket) }, label),
    ),
  );
  const form = h(
    "form",
    { class: "report-form", "aria-label": t("reports.report_period") },
    field(t("reports.from"), fromInput),
    field(t("reports.to"), toInput),
    field(t("reports.group"), bucketSelect),
    field(t("reports.queue"), queueInput),
    queueList,
    field(t("reports.agent_ext"), agentInput),
    field(t("reports.pbx"), pbxInput),
    field(t("reports.answered_within"), h("span", { class: "with-suffix" }, thresholdInput, h("span", { class: "muted" }, "s"))),
    submit,
    presets,
  );
  const status = h("div", { class: "report-status", "data-testid": "report-status", role: "status", "aria-live": "polite" });
  const body = h("div", { class: "report-body", "data-testid": "report-body" });
  const root = h(
    "section",
    { class: "staff-page reports", "data-testid": "reports-page" },
    h("header", { class: "staff-head" }, h("div", null, h("h1", null, t("reports.call_reports")), h("p", { class: "muted" }, t("reports.stored_calls_times_in_tz", { tz }))), h("div", { class: "staff-head-actions" }, h("a", { class: "btn", href: "#/supervisor" }, t("reports.live_queues")))),
    h("div", { class: "panel" }, form, problem),
    status,
    body,
  );
  pane.replaceChildren(root);

  function preset(back: number, bucket: Bucket): void {
    const d = defaultParams(new Date(), tz);
    toInput.value = d.to;
    const [y, m, day] = d.to.split("-").map(Number);
    const from = new Date(y!, m! - 1, day! - back);
    fromInput.value = `${from.getFullYear()}-${String(from.getMonth() + 1).padStart(2, "0")}-${String(from.getDate()).padStart(2, "0")}`;
    bucketSelect.value = bucket;
    form.requestSubmit();
  }

  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    params = {
      from: fromInput.value,
      to: toInput.value,
      bucket: bucketSelect.value as Bucket,
      queue: queueInput.value.trim(),
      agent: agentInput.value.trim(),
      pbx: pbxInput.value.trim(),
      threshold: Math.max(0, Math.min(3600, Number(thresholdInput.value) || 0)),
      tz,
    };
    void load();
  });

  async function load(): Promise<void> {
    const issue = periodProblem(params);
    problem.hidden = !issue;
    problem.textContent = issue ?? "";
    if (issue) return;
    const seq = ++loadSeq;
    const query = apiQuery(params);
    root.setAttribute("aria-busy", "true");
    submit.disabled = true;
    status.replaceChildren(h("div", { class: "loading-block", "data-testid": "report-loading" }, h("span", { class: "spinner", "aria-hidden": "true" }), h("span", null, t("reports.computing_the_reports"))));
    body.classList.add("is-stale");
    try {
      const [[queues, agents, timeline], wrapups] = await Promise.all([
        Promise.all((["queues", "agents", "timeline"] as Kind[]).map((k) => api.request<Report>("GET", `/reports/${k}`, { query }))),
        loadWrapupReports(api, query),
      ]);
      if (seq !== loadSeq) return;
      status.replaceChildren();
      show(queues!, agents!, timeline!, query);
      body.lastElementChild?.before(
        wrapupSection(wrapups, {
          api,
          query,
          bucketLabel: (key) => bucketLabel(key, params.bucket),
          shortLabel: (label) => shortBucket(label.replace(t("reports.week_of"), ""), params.bucket, daysBetween(params.from, params.to) > 1),
          fileName: (group) => `wrapup-codes-${group}-${params.from}-${params.to}.csv`,
          onError: (message) => status.replaceChildren(h("div", { class: "alert-banner", role: "alert" }, message)),
        }),
      );
    } catch (err) {
      if (seq !== loadSeq) return;
      const message = err instanceof ApiError ? err.message : t("reports.the_reports_could_not_be");
      status.replaceChildren(h("div", { class: "alert-banner", role: "alert" }, message));
    } finally {
      if (seq === loadSeq) {
        root.removeAttribute("aria-busy");
        submit.disabled = false;
        body.classList.remove("is-stale");
      }
    }
  }

  function show(queues: Report, agents: Report, timeline: Report, query: Record<string, string | number>): void {
    queueList.replaceChildren(...queues.rows.map((r) => h("option", { value: r.key })));
    const tot = timeline.totals;
    const kpi = (label: string, value: string, testId: string) => h("div", { class: "kpi", "data-testid": testId }, h("div", { class: "kpi-value" }, value), h("div", { class: "kpi-label" }, label));
    const multiDay = daysBetween(params.from, params.to) > 1;
    const short = (label: string) => shortBucket(label.replace(t("reports.week_of"), ""), params.bucket, multiDay);
    const agentRows = [...agents.rows].sort((a, b) => b.answered - a.answered).slice(0, 20);
    body.replaceChildren(
      h(
        "div",
        { class: "kpis" },
        kpi(t("reports.offered"), String(tot.offered ?? 0), "kpi-offered"),
        kpi(t("reports.answered"), String(tot.answered), "kpi-answered"),
        kpi(t("reports.abandoned"), String(tot.abandoned ?? 0), "kpi-abandoned"),
        kpi(t("reports.service_level_threshold_s", { threshold: params.threshold }), percent(tot.service_level), "kpi-sl"),
        kpi("ASA", clock(tot.asa), "kpi-asa"),
        kpi("AHT", clock(tot.aht), "kpi-aht"),
        kpi(t("reports.missed_call_backs"), String(tot.missed_callbacks), "kpi-missed"),
      ),
      h(
        "div",
        { class: "chart-grid-2" },
        h(
          "div",
          { class: "panel chart-panel", "data-testid": "chart-calls" },
          stackedBars(
            timeline.rows.map((r) => ({ label: bucketLabel(r.key, params.bucket), values: [r.answered, r.abandoned ?? 0, r.callback_requested ?? 0, otherCalls(r)] })),
            [
              { name: t("reports.answered"), cls: "c-answered" },
              { name: t("reports.abandoned"), cls: "c-abandoned" },
              { name: t("reports.call_back_asked"), cls: "c-callback" },
              { name: t("reports.other_timed_out_missed"), cls: "c-other" },
            ],
            { caption: t("reports.calls_value_by_outcome", { value: params.bucket === "hour" ? t("reports.per_hour") : params.bucket === "day" ? t("reports.per_day") : t("reports.per_week") }), shortLabel: short },
          ),
        ),
        h(
          "div",
          { class: "panel chart-panel", "data-testid": "chart-sl" },
          lineChart(
            timeline.rows.map((r) => ({ label: bucketLabel(r.key, params.bucket), value: r.service_level })),
            { caption: t("reports.service_level_answered_within_threshold", { threshold: params.threshold }), max: 1, target: DEFAULT_THRESHOLDS.slTarget, format: (v) => `${Math.round(v * 100)} %`, cls: "c-sl", seriesName: t("reports.service_level"), shortLabel: short },
          ),
        ),
      ),
      h(
        "div",
        { class: "panel chart-panel", "data-testid": "chart-agents" },
        agentRows.length
          ? horizontalBars(
              agentRows.map((r) => ({ label: r.label || r.key, value: r.answered, note: t("reports.talk_value_aht_value2", { value: clock(r.talk_seconds), value2: clock(r.aht) }) })),
              { caption: t("reports.agents_calls_answered"), cls: "c-answered" },
            )
          : h("p", { class: "muted" }, t("reports.no_agent_answered_a_call")),
      ),
      agentTimeChart(agents.rows),
      table("queues", queues, query),
      table("agents", agents, query),
      table("timeline", timeline, query),
      h("p", { class: "muted small notes" }, ...queues.notes.map((n) => h("span", null, n))),
    );
  }

  function agentTimeChart(rows: ReportRow[]): HTMLElement {
    const timed = [...rows].sort((a, b) => b.talk_seconds + (b.pause_seconds ?? 0) - a.talk_seconds - (a.pause_seconds ?? 0)).slice(0, 20);
    const series = [
      { name: t("reports.talk"), cls: "c-answered" },
      { name: t("reports.paused"), cls: "c-pause" },
    ];
    const minutes = (seconds: number | null) => (seconds ?? 0) / 60; // minutes give round axis ticks
    const points = timed.map((r) => ({ label: r.label || r.key, values: [minutes(r.talk_seconds), minutes(r.pause_seconds)] }));
    const format = (v: number) => t("reports.value_min", { value: v >= 10 ? Math.round(v) : Math.round(v * 10) / 10 });
    return h(
      "div",
      { class: "panel chart-panel chart-panel-compact", "data-testid": "chart-agent-time" },
      timed.length ? stackedBars(points, series, { caption: t("reports.agents_talk_and_pause_time"), format }) : h("p", { class: "muted" }, t("reports.no_agent_talked_or_paused")),
    );
  }

  function table(kind: Kind, report: Report, query: Record<string, string | number>): HTMLElement {
    const tot = sortableTable<ReportRow>({
      columns: columns(kind, params.bucket),
      sort: { key: "key", dir: "asc" },
      caption: TITLES()[kind],
      testId: `report-${kind}`,
      rowKey: (r) => r.key,
      empty: t("reports.no_calls_in_this_period"),
      footer: () => [report.totals],
    });
    tot.update(report.rows);
    const link = h("a", { href: api.url(`/reports/${kind}.csv`, query), class: "btn btn-small", "data-testid": `csv-${kind}`, download: `${kind}.csv` }, t("reports.download_csv"));
    link.addEventListener("click", (ev) => {
      ev.preventDefault();
      void downloadCsv(kind, query, link);
    });
    return h("div", { class: "panel" }, h("div", { class: "panel-head" }, h("h2", { class: "panel-title" }, TITLES()[kind]), link), tot.element);
  }

  async function downloadCsv(kind: Kind, query: Record<string, string | number>, link: HTMLAnchorElement): Promise<void> {
    try {
      const text = await api.request<string>("GET", `/reports/${kind}.csv`, { query });
      const url = URL.createObjectURL(new Blob([typeof text === "string" ? text : JSON.stringify(text)], { type: "text/csv" }));
      const a = h("a", { href: url, download: `${kind}-${params.from}-${params.to}.csv`, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      status.replaceChildren(h("div", { class: "alert-banner", role: "alert" }, err instanceof Error ? err.message : t("reports.the_csv_could_not_be")));
    }
    link.blur();
  }

  void load();
  return {
    destroy() {
      loadSeq += 1;
    },
  };
}
