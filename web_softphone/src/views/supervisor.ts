// #/supervisor: live queues and agents from /ws/supervisor, for supervisors and admins.
// Queue rows turn amber/red when a threshold is crossed (longest wait, service level under
// target, too many paused agents). Thresholds are per queue, edited on the page and kept in this
// browser's localStorage (not on the server): defaults DEFAULT_THRESHOLDS.
// Times tick every second from the last snapshot (snapshots come on change, at least every 5 s).

import "../styles/supervisor.css";
import type { Api } from "../api";
import { mountOverdueCallbacks } from "../callbacks/overdue";
import { h } from "../dom";
import type { LiveStatus } from "../live/socket";
import { CallResolver } from "../supervisor/calls";
import { SupervisorFeed, statusText } from "../supervisor/feed";
import {
  type AgentView,
  ageOf,
  alertsFor,
  clock,
  DEFAULT_THRESHOLDS,
  type Level,
  longestWaitNow,
  parseThresholdStore,
  pauseNow,
  percent,
  type QueueView,
  STATE_LABELS,
  type Snapshot,
  THRESHOLDS_KEY,
  type ThresholdStore,
  thresholdsFor,
} from "../supervisor/model";
import { agentLabel, SpyControl } from "../supervisor/spy";
import { type Column, sortableTable } from "../supervisor/table";
import { renderVirtualCallers } from "../supervisor/virtual";
import { t } from "../i18n";
import { keywordAlertPanel } from "../supervisor/keywordAlerts";
import { liveTranscriptsPanel } from "../supervisor/liveTranscripts";

export interface StaffViewContext {
  api: Api;
  hrefForContact: (id: number) => string;
  onAuthFailed: () => void;
}

export interface StaffView {
  destroy(): void;
}

export function liveBadge(): { element: HTMLElement; set(status: LiveStatus, retryInMs?: number): void } {
  const element = h("span", { class: "live-status sup-live", "data-state": "connecting", "data-testid": "supervisor-live", role: "status" }, t("supervisor.connecting"));
  return {
    element,
    set(status, retryInMs) {
      element.dataset.state = status;
      element.textContent = statusText(status);
      element.title = status === "reconnecting" && retryInMs ? t("supervisor.trying_again_in_value_s", { value: Math.ceil(retryInMs / 1000) }) : "";
    },
  };
}

function loadStore(): ThresholdStore {
  try {
    return parseThresholdStore(localStorage.getItem(THRESHOLDS_KEY));
  } catch {
    return {};
  }
}

export function renderSupervisor(pane: HTMLElement, ctx: StaffViewContext): StaffView {
  let store = loadStore();
  let snapshot: Snapshot | null = null;
  let receivedAt = 0;
  const age = () => ageOf(receivedAt, Date.now());
  const badge = liveBadge();
  const keywordAlerts = keywordAlertPanel(ctx.hrefForContact);
  const resolver = new CallResolver(ctx.api, () => renderAll());
  const liveLines = liveTranscriptsPanel((ext) => {
    const agent = snapshot?.agents.find((a) => a.extension === ext);
    return agent ? agentLabel(agent) : t("staff.ext", { ext });
  });
  const spy = new SpyControl(ctx.api, () => renderAll(), (ext) => liveLines.listening(ext));
  const levelOf = (q: QueueView) => alertsFor(q, thresholdsFor(store, q.name), age());

  const queueColumns: Column<QueueView>[] = [
    { key: "name", label: t("supervisor.queue"), value: (q) => q.name, render: (q) => h("span", { class: "queue-name" }, h("span", { class: "level-dot", "aria-hidden": "true" }), q.name) },
    { key: "waiting", label: t("supervisor.waiting"), numeric: true, value: (q) => q.waiting },
    { key: "longest", label: t("supervisor.longest_wait"), numeric: true, value: (q) => longestWaitNow(q, age()), render: (q) => clock(longestWaitNow(q, age())), cell: (q) => ({ "data-level": levelOf(q).wait, "data-testid": `longest-${q.name}` }), title: t("supervisor.the_oldest_caller_waiting_now") },
    { key: "sl", label: t("supervisor.service_level"), numeric: true, value: (q) => q.sl, render: (q) => h("span", null, percent(q.sl), h("small", { class: "muted" }, ` / ${q.service_level_seconds} s`)), cell: (q) => ({ "data-level": levelOf(q).sl }), title: t("supervisor.answered_within_the_queue_s") },
    { key: "offered", label: t("supervisor.offered"), numeric: true, value: (q) => q.offered },
    { key: "answered", label: t("supervisor.answered"), numeric: true, value: (q) => q.answered },
    { key: "abandoned", label: t("supervisor.abandoned"), numeric: true, value: (q) => q.abandoned, render: (q) => h("span", null, String(q.abandoned), q.abandon_rate !== null ? h("small", { class: "muted" }, ` ${percent(q.abandon_rate)}`) : null) },
    { key: "asa", label: "ASA", numeric: true, value: (q) => q.asa, render: (q) => clock(q.asa), title: t("supervisor.average_speed_of_answer_mean") },
    { key: "aht", label: "AHT", numeric: true, value: (q) => q.aht, render: (q) => clock(q.aht), title: t("supervisor.average_handling_time_talk_wrap") },
    { key: "available", label: t("supervisor.available"), numeric: true, value: (q) => q.agents.available },
    { key: "on_call", label: t("supervisor.on_call"), numeric: true, value: (q) => q.agents.on_call + q.agents.ringing },
    { key: "paused", label: t("supervisor.paused"), numeric: true, value: (q) => q.agents.paused, cell: (q) => ({ "data-level": levelOf(q).paused }), render: (q) => h("span", { title: q.paused_reasons.join(", ") }, String(q.agents.paused)) },
    { key: "edit", label: t("supervisor.alerts"), value: (q) => levelOf(q).worst, render: (q) => h("button", { type: "button", class: "btn btn-small btn-thresholds", "aria-label": t("supervisor.alert_thresholds_of_name_value", { name: q.name, value: thresholdSummary(q.name) }), onclick: () => editThresholds(q.name) }, thresholdSummary(q.name)) },
  ];
  const queues = sortableTable<QueueView>({
    columns: queueColumns,
    sort: { key: "name", dir: "asc" },
    caption: t("supervisor.queues_today"),
    testId: "queue-table",
    rowKey: (q) => q.name,
    rowAttrs: (q) => ({ "data-level": levelOf(q).worst }),
    empty: t("supervisor.no_queue_has_reported_yet"),
  });

  const agentColumns: Column<AgentView>[] = [
    { key: "name", label: t("supervisor.agent"), value: (a) => (a.known === false ? a.interface || a.extension : a.name || a.extension), render: (a) => agentCell(a) },
    { key: "state", label: t("supervisor.state"), value: (a) => STATE_ORDER.indexOf(a.state), render: (a) => h("span", { class: "state-badge", "data-state": a.state }, STATE_LABELS()[a.state] ?? a.state, a.paused_reason ? h("small", null, ` · ${a.paused_reason}`) : null) },
    { key: "since", label: t("supervisor.time_in_state"), numeric: true, value: (a) => a.seconds_in_state + age(), render: (a) => clock(a.seconds_in_state + age()) },
    { key: "call", label: t("supervisor.current_call"), value: (a) => a.linkedid, render: (a) => currentCall(a) },
    { key: "spy", label: t("supervisor.listen_in"), value: (a) => (a.linkedid ? 0 : 1), render: (a) => spy.buttons(a), title: t("supervisor.rings_your_own_phone_into") },
    { key: "queues", label: t("supervisor.queues"), value: (a) => a.queues.join(", ") },
    { key: "handled", label: t("supervisor.handled_today"), numeric: true, value: (a) => a.handled },
    { key: "talk", label: t("supervisor.talk_time"), numeric: true, value: (a) => a.talk_seconds, render: (a) => clock(a.talk_seconds) },
    { key: "pause", label: t("supervisor.pause_time"), numeric: true, value: (a) => pauseNow(a, age()), render: (a) => clock(pauseNow(a, age())) },
  ];
  const agents = sortableTable<AgentView>({
    columns: agentColumns,
    sort: { key: "state", dir: "asc" },
    caption: t("supervisor.agents"),
    testId: "agent-table",
    rowKey: (a) => a.extension,
    rowAttrs: (a) => ({ "data-state": a.state }),
    empty: t("supervisor.no_agent_is_known_yet"),
  });

  function currentCall(a: AgentView): HTMLElement | string {
    if (!a.linkedid) return "—";
    const link = resolver.get(a.linkedid);
    const label = link?.number || t("supervisor.call_in_progress");
    if (link?.contactId) return h("a", { href: ctx.hrefForContact(link.contactId), class: "call-link", "data-testid": `call-${a.extension}` }, label);
    return h("span", { class: "muted" }, label);
  }

  function thresholdSummary(queue: string): string {
    const limits = thresholdsFor(store, queue);
    return `${limits.maxWait} s · ${Math.round(limits.slTarget * 100)} % · ${limits.maxPaused}`;
  }

  const editor = h("div", { class: "threshold-editor", hidden: true });
  function editThresholds(queue: string): void {
    const limits = thresholdsFor(store, queue);
    const input = (name: string, label: string, value: number, suffix: string) =>
      h("label", { class: "field-inline" }, h("span", null, label), h("input", { type: "number", name, min: "0", value: String(value), class: "input" }), h("span", { class: "muted" }, suffix));
    const form = h(
      "form",
      { class: "threshold-form", "aria-label": t("supervisor.alert_thresholds_of_queue", { queue }) },
      h("strong", null, t("supervisor.alerts_for_queue", { queue })),
      input("maxWait", t("supervisor.longest_wait_over"), limits.maxWait, "s"),
      input("slTarget", t("supervisor.service_level_under"), Math.round(limits.slTarget * 100), "%"),
      input("maxPaused", t("supervisor.paused_agents_over"), limits.maxPaused, ""),
      h("button", { type: "submit", class: "btn btn-primary btn-small" }, t("supervisor.save")),
      h("button", { type: "button", class: "btn btn-small", onclick: () => saveThresholds(queue, null) }, t("supervisor.defaults")),
      h("button", { type: "button", class: "btn btn-ghost btn-small", onclick: () => (editor.hidden = true) }, t("supervisor.close")),
      h("span", { class: "muted small" }, t("supervisor.saved_in_this_browser_only")),
    );
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const data = new FormData(form);
      const num = (k: string) => Number(data.get(k));
      saveThresholds(queue, { maxWait: num("maxWait"), slTarget: num("slTarget") / 100, maxPaused: num("maxPaused") });
    });
    editor.replaceChildren(form);
    editor.hidden = false;
    form.querySelector("input")?.focus();
  }

  function saveThresholds(queue: string, values: ThresholdStore[string] | null): void {
    store = { ...store };
    if (values) store[queue] = values;
    else delete store[queue];
    try {
      localStorage.setItem(THRESHOLDS_KEY, JSON.stringify(store));
    } catch {
      /* private mode: keep them for this page */
    }
    editor.hidden = true;
    renderAll();
  }

  const summary = h("div", { class: "sup-summary", "data-testid": "sup-summary" });
  const virtual = h("div", { class: "virtual-callers" });
  const updated = h("span", { class: "muted small", "data-testid": "sup-updated" });
  const root = h(
    "section",
    { class: "staff-page supervisor", "data-testid": "supervisor-page" },
    h(
      "header",
      { class: "staff-head" },
      h("div", null, h("h1", null, t("supervisor.live_queues")), h("p", { class: "muted" }, t("supervisor.today_since_midnight_thresholds_longest"), `${DEFAULT_THRESHOLDS.maxWait} s · ${DEFAULT_THRESHOLDS.slTarget * 100} % · ${DEFAULT_THRESHOLDS.maxPaused})`)),
      h("div", { class: "staff-head-actions" }, updated, badge.element, h("a", { class: "btn", href: "#/wallboard" }, t("supervisor.wallboard")), h("a", { class: "btn", href: "#/reports" }, t("supervisor.reports"))),
    ),
    summary,
    h("div", { class: "panel" }, h("h2", { class: "panel-title" }, t("supervisor.queues")), editor, queues.element),
    h("div", { class: "panel", "data-testid": "virtual-panel" }, h("h2", { class: "panel-title" }, t("supervisor.waiting_for_a_call_back")), virtual),
    h("div", { class: "panel" }, h("h2", { class: "panel-title" }, t("supervisor.agents")), spy.status, agents.element),
    liveLines.element,
    keywordAlerts.element,
  );
  pane.replaceChildren(root);
  mountOverdueCallbacks(root, ctx.api); // every agent's overdue call-backs (callbacks/overdue.ts)

  function renderAll(): void {
    if (!snapshot) return;
    const list = snapshot.queues;
    const levels: Level[] = list.map((q) => levelOf(q).worst);
    const alerting = list.filter((_, i) => levels[i] === "alert").map((q) => q.name);
    summary.replaceChildren(
      alerting.length
        ? h("div", { class: "alert-banner", role: "alert", "data-testid": "alert-banner" }, t("supervisor.needs_attention_value", { value: alerting.join(", ") }))
        : h("div", { class: "ok-banner" }, list.length ? t("supervisor.all_queues_within_their_thresholds") : t("supervisor.waiting_for_the_first_queue")),
    );
    queues.update(list);
    renderVirtualCallers(virtual, list, age());
    agents.update(snapshot.agents);
    updated.textContent = t("supervisor.updated_value", { value: new Date(receivedAt).toLocaleTimeString() });
  }

  const feed = new SupervisorFeed(
    () => ctx.api.token,
    {
      snapshot(next, at) {
        snapshot = next;
        receivedAt = at;
        for (const q of next.queues) for (const c of q.callers) resolver.remember(c.linkedid, c.caller);
        resolver.want(next.agents.map((a) => a.linkedid).filter((id): id is string => !!id));
        liveLines.keepOnly(new Set(next.agents.map((a) => a.linkedid).filter((id): id is string => !!id)));
        renderAll();
      },
      status: (status, retry) => badge.set(status, retry),
      refused: (reason) => summary.replaceChildren(h("div", { class: "alert-banner", role: "alert" }, reason)),
      alert: (alert) => keywordAlerts.add(alert),
      live: (frame) => liveLines.apply(frame),
    },
    ctx.onAuthFailed,
  );
  feed.start();
  const ticker = setInterval(renderAll, 1000);
  return {
    destroy() {
      clearInterval(ticker);
      feed.stop();
    },
  };
}

const STATE_ORDER = ["ringing", "on_call", "wrapup", "paused", "available", "offline"];

/** The CRM user's name with the extension; a member no user holds: its interface, marked unknown. */
export function agentCell(a: AgentView): HTMLElement {
  if (a.known === false) {
    const note = t("supervisor.no_crm_user_has_extension", { extension: a.extension, value: a.member_name ? t("supervisor.asterisk_calls_it_member_name", { member_name: a.member_name }) : "" });
    return h("span", { class: "agent-name", "data-known": "false", title: note }, h("span", { class: "mono" }, a.interface || a.extension), " ", h("span", { class: "unknown-badge" }, t("supervisor.unknown")));
  }
  return h("span", { class: "agent-name", "data-known": String(a.known ?? "") }, a.name || a.extension, a.name && a.name !== a.extension ? h("small", { class: "muted" }, ` ${t("staff.ext", { ext: a.extension })}`) : null);
}
