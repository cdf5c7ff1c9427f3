// Supervisors: every agent's overdue call-backs (GET /api/callbacks/overdue), refreshed each
// minute. Mounted by one line in views/supervisor.ts.

import type { Api } from "../api";
import { h } from "../dom";
import { CallbackApi } from "./api";
import type { Callback } from "./types";
import { dueLabel } from "./when";
import { t } from "../i18n";

const REFRESH_MS = 60_000;

function table(items: Callback[]): HTMLElement {
  if (!items.length) return h("p", { class: "empty" }, t("overdue.no_overdue_call_backs"));
  return h(
    "table",
    { class: "cb-overdue-table" },
    h("thead", null, h("tr", null, h("th", null, t("overdue.agent")), h("th", null, t("overdue.due")), h("th", null, t("overdue.client")), h("th", null, t("overdue.subject")))),
    h(
      "tbody",
      null,
      items.map((cb) => h("tr", { "data-testid": "overdue-row" }, h("td", null, cb.assignee_login), h("td", null, dueLabel(cb.due_at)), h("td", null, cb.contact_name || cb.phone || "—"), h("td", null, cb.subject))),
    ),
  );
}

/** The panel in `root`; call destroy() when the page goes away. */
export function mountOverdueCallbacks(root: HTMLElement, api: Api): { destroy(): void } {
  const callbacks = new CallbackApi(api);
  const body = h("div", null, h("p", { class: "hint" }, t("overdue.loading")));
  const panel = h("section", { class: "panel cb-overdue", "aria-labelledby": "cb-overdue-title", "data-testid": "overdue-callbacks" }, h("h2", { id: "cb-overdue-title", class: "panel-title" }, t("overdue.overdue_call_backs")), body);
  root.append(panel);
  const load = async () => {
    try {
      const items = await callbacks.overdue();
      body.replaceChildren(table(items));
      panel.querySelector(".panel-title")?.setAttribute("data-count", String(items.length));
    } catch (err) {
      body.replaceChildren(h("p", { class: "form-alert error", role: "alert" }, err instanceof Error ? err.message : t("overdue.could_not_load")));
    }
  };
  void load();
  // Stops by itself once the page that holds it is gone (one mount line, no teardown needed).
  const timer = setInterval(() => (panel.isConnected ? void load() : clearInterval(timer)), REFRESH_MS);
  return {
    destroy() {
      clearInterval(timer);
      panel.remove();
    },
  };
}
