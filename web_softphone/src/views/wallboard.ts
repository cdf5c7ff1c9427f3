// #/wallboard: the wall screen. Big numbers over all queues (waiting, longest wait, service level,
// answered / abandoned today, agents available / on a call / paused), then one line per queue.
// Dark, high contrast, no interaction; a tile turns amber/red when a queue crosses its thresholds
// (the same per-queue thresholds as the supervisor page, from this browser's localStorage).
// Below: every signed-in agent by the CRM's name and extension, with the state. Sizes follow the
// screen (1366x768 laptop to a 3840x2160 TV); a figure never wraps inside its tile.

import "../styles/supervisor.css";
import { h } from "../dom";
import { SupervisorFeed } from "../supervisor/feed";
import {
  ageOf,
  alertsFor,
  clock,
  type Level,
  longestWaitNow,
  parseThresholdStore,
  percent,
  type Snapshot,
  STATE_LABELS,
  THRESHOLDS_KEY,
  thresholdsFor,
  totals,
  worst,
} from "../supervisor/model";
import { agentCell, liveBadge, type StaffView, type StaffViewContext } from "./supervisor";
import type { AgentView } from "../supervisor/model";
import { t } from "../i18n";

function tile(label: string, value: string, level: Level = "ok", testId = ""): HTMLElement {
  // "100 %": the unit smaller, joined by a no-break space, so the figure stays on one line
  const [figure, unit] = value.endsWith(" %") ? [value.slice(0, -2), "%"] : [value, ""];
  return h(
    "div",
    { class: "wb-tile", "data-level": level, ...(testId ? { "data-testid": testId } : {}) },
    h("div", { class: "wb-value", "data-size": figure.length <= 4 ? "s" : figure.length <= 6 ? "m" : "l" }, figure, unit ? h("span", { class: "wb-unit" }, `\u00a0${unit}`) : null),
    h("div", { class: "wb-label" }, label),
  );
}

function agentChip(a: AgentView): HTMLElement {
  return h("li", { class: "wb-agent", "data-state": a.state, "data-testid": `wb-agent-${a.extension}` }, agentCell(a), h("span", { class: "wb-agent-state" }, STATE_LABELS()[a.state] ?? a.state));
}

export function renderWallboard(pane: HTMLElement, ctx: StaffViewContext): StaffView {
  const store = (() => {
    try {
      return parseThresholdStore(localStorage.getItem(THRESHOLDS_KEY));
    } catch {
      return {};
    }
  })();
  let snapshot: Snapshot | null = null;
  let receivedAt = 0;
  const badge = liveBadge();
  const clockEl = h("div", { class: "wb-clock" });
  const tiles = h("div", { class: "wb-tiles", "data-testid": "wallboard-tiles" });
  const lines = h("div", { class: "wb-queues" });
  const agents = h("ul", { class: "wb-agents", "aria-label": t("wallboard.agents") });
  const root = h(
    "section",
    { class: "wallboard", "data-testid": "wallboard" },
    h("header", { class: "wb-head" }, h("h1", null, t("wallboard.contact_centre_today")), h("div", { class: "wb-head-right" }, badge.element, clockEl)),
    tiles,
    lines,
    agents,
  );
  pane.replaceChildren(root);

  function render(): void {
    clockEl.textContent = new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    if (!snapshot) {
      tiles.replaceChildren(h("div", { class: "wb-wait" }, t("wallboard.waiting_for_live_figures")));
      return;
    }
    const age = ageOf(receivedAt, Date.now());
    const tot = totals(snapshot, age);
    const alerts = snapshot.queues.map((q) => alertsFor(q, thresholdsFor(store, q.name), age));
    tiles.replaceChildren(
      tile(t("wallboard.waiting"), String(tot.waiting), tot.waiting ? worst(alerts.map((a) => a.wait)) : "ok", "wb-waiting"),
      tile(t("wallboard.longest_wait"), clock(tot.longestWait), worst(alerts.map((a) => a.wait)), "wb-longest"),
      tile(t("wallboard.service_level"), percent(tot.sl), worst(alerts.map((a) => a.sl)), "wb-sl"),
      tile(t("wallboard.answered"), String(tot.answered), "ok", "wb-answered"),
      tile(t("wallboard.abandoned"), String(tot.abandoned), tot.abandoned && tot.answered + tot.abandoned ? (tot.abandoned / (tot.answered + tot.abandoned) > 0.1 ? "warn" : "ok") : "ok", "wb-abandoned"),
      tile(t("wallboard.available"), String(tot.available), tot.available === 0 && tot.loggedIn > 0 ? "warn" : "ok", "wb-available"),
      tile(t("wallboard.on_a_call"), String(tot.onCall), "ok", "wb-oncall"),
      tile(t("wallboard.paused"), String(tot.paused), worst(alerts.map((a) => a.paused)), "wb-paused"),
    );
    lines.replaceChildren(
      h("div", { class: "wb-row wb-row-head" }, h("span", null, t("wallboard.queue")), h("span", null, t("wallboard.waiting")), h("span", null, t("wallboard.longest")), h("span", null, t("wallboard.sl")), h("span", null, t("wallboard.answered")), h("span", null, t("wallboard.abandoned"))),
      ...snapshot.queues.map((q, i) =>
        h(
          "div",
          { class: "wb-row", "data-level": alerts[i]!.worst },
          h("span", { class: "wb-qname" }, q.name),
          h("span", null, String(q.waiting)),
          h("span", { "data-level": alerts[i]!.wait }, clock(longestWaitNow(q, age))),
          h("span", { "data-level": alerts[i]!.sl }, percent(q.sl)),
          h("span", null, String(q.answered)),
          h("span", null, String(q.abandoned)),
        ),
      ),
    );
    agents.replaceChildren(...snapshot.agents.filter((a) => a.state !== "offline").map(agentChip));
  }

  const feed = new SupervisorFeed(
    () => ctx.api.token,
    {
      snapshot(next, at) {
        snapshot = next;
        receivedAt = at;
        render();
      },
      status: (status, retry) => badge.set(status, retry),
    },
    ctx.onAuthFailed,
  );
  feed.start();
  render();
  const ticker = setInterval(render, 1000);
  return {
    destroy() {
      clearInterval(ticker);
      feed.stop();
    },
  };
}
