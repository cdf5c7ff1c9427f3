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
import { SpyControl } from "../supervisor/spy";
import { type Column, sortableTable } from "../supervisor/table";
import { renderVirtualCallers } from "../supervisor/virtual";

export interface StaffViewContext {
  api: Api;
  hrefForContact: (id: number) => string;
  onAuthFailed: () => void;
}

export interface StaffView {
  destroy(): void;
}

export function liveBadge(): { element: HTMLElement; set(status: LiveStatus, retryInMs?: number): void } {
  const element = h("span", { class: "live-status sup-live", "data-state": "connecting", "data-testid": "supervisor-live", role: "status" }, "Connecting…");
  return {
    element,
    set(status, retryInMs) {
      element.dataset.state = status;
      element.textContent = statusText(status);
      element.title = status === "reconnecting" && retryInMs ? `Trying again in ${Math.ceil(retryInMs / 1000)} s; the figures shown are the last received.` : "";
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
  const resolver = new CallResolver(ctx.api, () => renderAll());
  const spy = new SpyControl(ctx.api, () => renderAll());
  const levelOf = (q: QueueView) => alertsFor(q, thresholdsFor(store, q.name), age());

  const queueColumns: Column<QueueView>[] = [
    { key: "name", label: "Queue", value: (q) => q.name, render: (q) => h("span", { class: "queue-name" }, h("span", { class: "level-dot", "aria-hidden": "true" }), q.name) },
    { key: "waiting", label: "Waiting", numeric: true, value: (q) => q.waiting },
    { key: "longest", label: "Longest wait", numeric: true, value: (q) => longestWaitNow(q, age()), render: (q) => clock(longestWaitNow(q, age())), cell: (q) => ({ "data-level": levelOf(q).wait, "data-testid": `longest-${q.name}` }), title: "The oldest caller waiting now" },
    { key: "sl", label: "Service level", numeric: true, value: (q) => q.sl, render: (q) => h("span", null, percent(q.sl), h("small", { class: "muted" }, ` / ${q.service_level_seconds} s`)), cell: (q) => ({ "data-level": levelOf(q).sl }), title: "Answered within the queue's service level / answered, today" },
    { key: "offered", label: "Offered", numeric: true, value: (q) => q.offered },
    { key: "answered", label: "Answered", numeric: true, value: (q) => q.answered },
    { key: "abandoned", label: "Abandoned", numeric: true, value: (q) => q.abandoned, render: (q) => h("span", null, String(q.abandoned), q.abandon_rate !== null ? h("small", { class: "muted" }, ` ${percent(q.abandon_rate)}`) : null) },
    { key: "asa", label: "ASA", numeric: true, value: (q) => q.asa, render: (q) => clock(q.asa), title: "Average speed of answer (mean wait of answered calls)" },
    { key: "aht", label: "AHT", numeric: true, value: (q) => q.aht, render: (q) => clock(q.aht), title: "Average handling time (talk + wrap-up)" },
    { key: "available", label: "Available", numeric: true, value: (q) => q.agents.available },
    { key: "on_call", label: "On call", numeric: true, value: (q) => q.agents.on_call + q.agents.ringing },
    { key: "paused", label: "Paused", numeric: true, value: (q) => q.agents.paused, cell: (q) => ({ "data-level": levelOf(q).paused }), render: (q) => h("span", { title: q.paused_reasons.join(", ") }, String(q.agents.paused)) },
    { key: "edit", label: "Alerts", value: (q) => levelOf(q).worst, render: (q) => h("button", { type: "button", class: "btn btn-small btn-thresholds", "aria-label": `Alert thresholds of ${q.name}: ${thresholdSummary(q.name)}`, onclick: () => editThresholds(q.name) }, thresholdSummary(q.name)) },
  ];
  const queues = sortableTable<QueueView>({
    columns: queueColumns,
    sort: { key: "name", dir: "asc" },
    caption: "Queues, today",
    testId: "queue-table",
    rowKey: (q) => q.name,
    rowAttrs: (q) => ({ "data-level": levelOf(q).worst }),
    empty: "No queue has reported yet.",
  });

  const agentColumns: Column<AgentView>[] = [
    { key: "name", label: "Agent", value: (a) => (a.known === false ? a.interface || a.extension : a.name || a.extension), render: (a) => agentCell(a) },
    { key: "state", label: "State", value: (a) => STATE_ORDER.indexOf(a.state), render: (a) => h("span", { class: "state-badge", "data-state": a.state }, STATE_LABELS[a.state] ?? a.state, a.paused_reason ? h("small", null, ` · ${a.paused_reason}`) : null) },
    { key: "since", label: "Time in state", numeric: true, value: (a) => a.seconds_in_state + age(), render: (a) => clock(a.seconds_in_state + age()) },
    { key: "call", label: "Current call", value: (a) => a.linkedid, render: (a) => currentCall(a) },
    { key: "spy", label: "Listen in", value: (a) => (a.linkedid ? 0 : 1), render: (a) => spy.buttons(a), title: "Rings your own phone into the agent's call: listen, whisper (coach) or barge" },
    { key: "queues", label: "Queues", value: (a) => a.queues.join(", ") },
    { key: "handled", label: "Handled today", numeric: true, value: (a) => a.handled },
    { key: "talk", label: "Talk time", numeric: true, value: (a) => a.talk_seconds, render: (a) => clock(a.talk_seconds) },
    { key: "pause", label: "Pause time", numeric: true, value: (a) => pauseNow(a, age()), render: (a) => clock(pauseNow(a, age())) },
  ];
  const agents = sortableTable<AgentView>({
    columns: agentColumns,
    sort: { key: "state", dir: "asc" },
    caption: "Agents",
    testId: "agent-table",
    rowKey: (a) => a.extension,
    rowAttrs: (a) => ({ "data-state": a.state }),
    empty: "No agent is known yet.",
  });

  function currentCall(a: AgentView): HTMLElement | string {
    if (!a.linkedid) return "—";
    const link = resolver.get(a.linkedid);
    const label = link?.number || "Call in progress";
    if (link?.contactId) return h("a", { href: ctx.hrefForContact(link.contactId), class: "call-link", "data-testid": `call-${a.extension}` }, label);
    return h("span", { class: "muted" }, label);
  }

  function thresholdSummary(queue: string): string {
    const t = thresholdsFor(store, queue);
    return `${t.maxWait} s · ${Math.round(t.slTarget * 100)} % · ${t.maxPaused}`;
  }

  const editor = h("div", { class: "threshold-editor", hidden: true });
  function editThresholds(queue: string): void {
    const t = thresholdsFor(store, queue);
    const input = (name: string, label: string, value: number, suffix: string) =>
      h("label", { class: "field-inline" }, h("span", null, label), h("input", { type: "number", name, min: "0", value: String(value), class: "input" }), h("span", { class: "muted" }, suffix));
    const form = h(
      "form",
      { class: "threshold-form", "aria-label": `Alert thresholds of ${queue}` },
      h("strong", null, `Alerts for ${queue}`),
      input("maxWait", "Longest wait over", t.maxWait, "s"),
      input("slTarget", "Service level under", Math.round(t.slTarget * 100), "%"),
      input("maxPaused", "Paused agents over", t.maxPaused, ""),
      h("button", { type: "submit", class: "btn btn-primary btn-small" }, "Save"),
      h("button", { type: "button", class: "btn btn-small", onclick: () => saveThresholds(queue, null) }, "Defaults"),
      h("button", { type: "button", class: "btn btn-ghost btn-small", onclick: () => (editor.hidden = true) }, "Close"),
      h("span", { class: "muted small" }, "Saved in this browser only."),
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
      h("div", null, h("h1", null, "Live queues"), h("p", { class: "muted" }, "Today since midnight · thresholds: longest wait · service level target · paused agents (default ", `${DEFAULT_THRESHOLDS.maxWait} s · ${DEFAULT_THRESHOLDS.slTarget * 100} % · ${DEFAULT_THRESHOLDS.maxPaused})`)),
      h("div", { class: "staff-head-actions" }, updated, badge.element, h("a", { class: "btn", href: "#/wallboard" }, "Wallboard"), h("a", { class: "btn", href: "#/reports" }, "Reports")),
    ),
    summary,
    h("div", { class: "panel" }, h("h2", { class: "panel-title" }, "Queues"), editor, queues.element),
    h("div", { class: "panel", "data-testid": "virtual-panel" }, h("h2", { class: "panel-title" }, "Waiting for a call-back"), virtual),
    h("div", { class: "panel" }, h("h2", { class: "panel-title" }, "Agents"), spy.status, agents.element),
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
        ? h("div", { class: "alert-banner", role: "alert", "data-testid": "alert-banner" }, `Needs attention: ${alerting.join(", ")}`)
        : h("div", { class: "ok-banner" }, list.length ? "All queues within their thresholds." : "Waiting for the first queue figures…"),
    );
    queues.update(list);
    renderVirtualCallers(virtual, list, age());
    agents.update(snapshot.agents);
    updated.textContent = `Updated ${new Date(receivedAt).toLocaleTimeString()}`;
  }

  const feed = new SupervisorFeed(
    () => ctx.api.token,
    {
      snapshot(next, at) {
        snapshot = next;
        receivedAt = at;
        for (const q of next.queues) for (const c of q.callers) resolver.remember(c.linkedid, c.caller);
        resolver.want(next.agents.map((a) => a.linkedid).filter((id): id is string => !!id));
        renderAll();
      },
      status: (status, retry) => badge.set(status, retry),
      refused: (reason) => summary.replaceChildren(h("div", { class: "alert-banner", role: "alert" }, reason)),
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
    const note = `No CRM user has extension ${a.extension}${a.member_name ? `; Asterisk calls it "${a.member_name}"` : ""}`;
    return h("span", { class: "agent-name", "data-known": "false", title: note }, h("span", { class: "mono" }, a.interface || a.extension), " ", h("span", { class: "unknown-badge" }, "unknown"));
  }
  return h("span", { class: "agent-name", "data-known": String(a.known ?? "") }, a.name || a.extension, a.name && a.name !== a.extension ? h("small", { class: "muted" }, ` ext. ${a.extension}`) : null);
}
