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

type Kind = "queues" | "agents" | "timeline";

function columns(kind: Kind, bucket: Bucket): Column<ReportRow>[] {
  const n = (v: number | null) => (v === null ? "—" : String(v));
  const first: Column<ReportRow> = {
    key: "key",
    label: kind === "queues" ? "Queue" : kind === "agents" ? "Agent" : "Period",
    value: (r) => r.key,
    render: (r) => {
      if (kind === "timeline") return bucketLabel(r.key, bucket);
      return kind === "agents" && r.label !== r.key && r.key !== "total" ? h("span", null, r.label, h("small", { class: "muted" }, ` ext. ${r.key}`)) : r.label;
    },
  };
  const cols: Column<ReportRow>[] = [
    first,
    { key: "offered", label: "Offered", numeric: true, value: (r) => r.offered, render: (r) => n(r.offered) },
    { key: "answered", label: "Answered", numeric: true, value: (r) => r.answered },
    { key: "abandoned", label: "Abandoned", numeric: true, value: (r) => r.abandoned, render: (r) => n(r.abandoned) },
    { key: "callback_requested", label: "Call-back asked", numeric: true, value: (r) => r.callback_requested, render: (r) => n(r.callback_requested), title: "Callers who pressed 1 in the queue to be called back" },
    { key: "abandon_wait", label: "Wait before abandon", numeric: true, value: (r) => r.abandon_wait, render: (r) => clock(r.abandon_wait) },
    { key: "service_level", label: "Service level", numeric: true, value: (r) => r.service_level, render: (r) => percent(r.service_level) },
    { key: "asa", label: "ASA", numeric: true, value: (r) => r.asa, render: (r) => clock(r.asa), title: "Mean wait of the answered calls" },
    { key: "aht", label: "AHT", numeric: true, value: (r) => r.aht, render: (r) => clock(r.aht), title: "Mean talk time of the answered calls" },
    { key: "longest_wait", label: "Longest wait", numeric: true, value: (r) => r.longest_wait, render: (r) => clock(r.longest_wait) },
    { key: "talk_seconds", label: "Talk time", numeric: true, value: (r) => r.talk_seconds, render: (r) => clock(r.talk_seconds) },
    { key: "missed_callbacks", label: "Missed call-backs", numeric: true, value: (r) => r.missed_callbacks },
  ];
  if (kind !== "agents") return cols;
  return [
    ...cols.filter((c) => !["offered", "abandoned", "callback_requested", "abandon_wait"].includes(c.key)),
    { key: "pause_seconds", label: "Pause time", numeric: true, value: (r) => r.pause_seconds, render: (r) => pauseCell(r), title: "Paused in at least one queue; by reason" },
    { key: "login_seconds", label: "Logged in", numeric: true, value: (r) => r.login_seconds ?? null, render: (r) => clock(r.login_seconds ?? null), title: "Logged in to at least one queue" },
  ];
}

function pauseCell(r: ReportRow): HTMLElement | string {
  const reasons = pauseBreakdown(r);
  return h("span", { title: reasons }, clock(r.pause_seconds), reasons ? h("small", { class: "muted pause-reasons" }, reasons) : null);
}

const TITLES: Record<Kind, string> = { queues: "Per queue", agents: "Per agent", timeline: "Over time" };

export function renderReports(pane: HTMLElement, ctx: StaffViewContext): StaffView {
  const api: Api = ctx.api;
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  let params: ReportParams = defaultParams(new Date(), tz);
  let loadSeq = 0;

  const field = (label: string, control: HTMLElement) => h("label", { class: "field-inline" }, h("span", null, label), control);
  const fromInput = h("input", { type: "date", class: "input", name: "from", value: params.from, required: true });
  const toInput = h("input", { type: "date", class: "input", name: "to", value: params.to, required: true });
  const bucketSelect = h("select", { class: "input", name: "bucket" }, ...(["hour", "day", "week"] as Bucket[]).map((b) => h("option", { value: b, selected: b === params.bucket }, `by ${b}`)));
  const queueInput = h("input", { type: "text", class: "input", name: "queue", placeholder: "all", list: "report-queues", size: 10 });
  const queueList = h("datalist", { id: "report-queues" });
  const agentInput = h("input", { type: "text", class: "input", name: "agent", placeholder: "all", size: 7, inputmode: "numeric" });
  const thresholdInput = h("input", { type: "number", class: "input", name: "threshold", min: "0", max: "3600", value: "20", size: 4 });
  const submit = h("button", { type: "submit", class: "btn btn-primary" }, "Show");
  const problem = h("p", { class: "form-error", role: "alert", hidden: true });
  const presets = h(
    "div",
    { class: "presets" },
    ...(
      [
        ["Today", 0, "hour"],
        ["7 days", 6, "day"],
        ["30 days", 29, "day"],
        ["1 year", 364, "week"],
      ] as [string, number, Bucket][]
    ).map(([label, back, bucket]) =>
      h("button", { type: "button", class: "btn btn-small btn-ghost", onclick: () => preset(back, bucket) }, label),
    ),
  );
  const form = h(
    "form",
    { class: "report-form", "aria-label": "Report period" },
    field("From", fromInput),
    field("To", toInput),
    field("Group", bucketSelect),
    field("Queue", queueInput),
    queueList,
    field("Agent ext.", agentInput),
    field("Answered within", h("span", { class: "with-suffix" }, thresholdInput, h("span", { class: "muted" }, "s"))),
    submit,
    presets,
  );
  const status = h("div", { class: "report-status", "data-testid": "report-status", role: "status", "aria-live": "polite" });
  const body = h("div", { class: "report-body", "data-testid": "report-body" });
  const root = h(
    "section",
    { class: "staff-page reports", "data-testid": "reports-page" },
    h("header", { class: "staff-head" }, h("div", null, h("h1", null, "Call reports"), h("p", { class: "muted" }, `Stored calls · times in ${tz}`)), h("div", { class: "staff-head-actions" }, h("a", { class: "btn", href: "#/supervisor" }, "Live queues"))),
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
    status.replaceChildren(h("div", { class: "loading-block", "data-testid": "report-loading" }, h("span", { class: "spinner", "aria-hidden": "true" }), h("span", null, "Computing the reports…")));
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
          shortLabel: (label) => shortBucket(label.replace("Week of ", ""), params.bucket, daysBetween(params.from, params.to) > 1),
          fileName: (group) => `wrapup-codes-${group}-${params.from}-${params.to}.csv`,
          onError: (message) => status.replaceChildren(h("div", { class: "alert-banner", role: "alert" }, message)),
        }),
      );
    } catch (err) {
      if (seq !== loadSeq) return;
      const message = err instanceof ApiError ? err.message : "The reports could not be loaded.";
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
    const short = (label: string) => shortBucket(label.replace("Week of ", ""), params.bucket, multiDay);
    const agentRows = [...agents.rows].sort((a, b) => b.answered - a.answered).slice(0, 20);
    body.replaceChildren(
      h(
        "div",
        { class: "kpis" },
        kpi("Offered", String(tot.offered ?? 0), "kpi-offered"),
        kpi("Answered", String(tot.answered), "kpi-answered"),
        kpi("Abandoned", String(tot.abandoned ?? 0), "kpi-abandoned"),
        kpi(`Service level (${params.threshold} s)`, percent(tot.service_level), "kpi-sl"),
        kpi("ASA", clock(tot.asa), "kpi-asa"),
        kpi("AHT", clock(tot.aht), "kpi-aht"),
        kpi("Missed call-backs", String(tot.missed_callbacks), "kpi-missed"),
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
              { name: "Answered", cls: "c-answered" },
              { name: "Abandoned", cls: "c-abandoned" },
              { name: "Call-back asked", cls: "c-callback" },
              { name: "Other (timed out, missed)", cls: "c-other" },
            ],
            { caption: `Calls ${params.bucket === "hour" ? "per hour" : params.bucket === "day" ? "per day" : "per week"}, by outcome`, shortLabel: short },
          ),
        ),
        h(
          "div",
          { class: "panel chart-panel", "data-testid": "chart-sl" },
          lineChart(
            timeline.rows.map((r) => ({ label: bucketLabel(r.key, params.bucket), value: r.service_level })),
            { caption: `Service level (answered within ${params.threshold} s)`, max: 1, target: DEFAULT_THRESHOLDS.slTarget, format: (v) => `${Math.round(v * 100)} %`, cls: "c-sl", seriesName: "Service level", shortLabel: short },
          ),
        ),
      ),
      h(
        "div",
        { class: "panel chart-panel", "data-testid": "chart-agents" },
        agentRows.length
          ? horizontalBars(
              agentRows.map((r) => ({ label: r.label || r.key, value: r.answered, note: `talk ${clock(r.talk_seconds)}, AHT ${clock(r.aht)}` })),
              { caption: "Agents: calls answered", cls: "c-answered" },
            )
          : h("p", { class: "muted" }, "No agent answered a call in this period."),
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
      { name: "Talk", cls: "c-answered" },
      { name: "Paused", cls: "c-pause" },
    ];
    const minutes = (seconds: number | null) => (seconds ?? 0) / 60; // minutes give round axis ticks
    const points = timed.map((r) => ({ label: r.label || r.key, values: [minutes(r.talk_seconds), minutes(r.pause_seconds)] }));
    const format = (v: number) => `${v >= 10 ? Math.round(v) : Math.round(v * 10) / 10} min`;
    return h(
      "div",
      { class: "panel chart-panel chart-panel-compact", "data-testid": "chart-agent-time" },
      timed.length ? stackedBars(points, series, { caption: "Agents: talk and pause time (minutes)", format }) : h("p", { class: "muted" }, "No agent talked or paused in this period."),
    );
  }

  function table(kind: Kind, report: Report, query: Record<string, string | number>): HTMLElement {
    const tot = sortableTable<ReportRow>({
      columns: columns(kind, params.bucket),
      sort: { key: "key", dir: "asc" },
      caption: TITLES[kind],
      testId: `report-${kind}`,
      rowKey: (r) => r.key,
      empty: "No calls in this period.",
      footer: () => [report.totals],
    });
    tot.update(report.rows);
    const link = h("a", { href: api.url(`/reports/${kind}.csv`, query), class: "btn btn-small", "data-testid": `csv-${kind}`, download: `${kind}.csv` }, "Download CSV");
    link.addEventListener("click", (ev) => {
      ev.preventDefault();
      void downloadCsv(kind, query, link);
    });
    return h("div", { class: "panel" }, h("div", { class: "panel-head" }, h("h2", { class: "panel-title" }, TITLES[kind]), link), tot.element);
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
      status.replaceChildren(h("div", { class: "alert-banner", role: "alert" }, err instanceof Error ? err.message : "The CSV could not be downloaded."));
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
