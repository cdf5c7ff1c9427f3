// #/wrapup-codes (admins): the wrap-up codes agents pick after a call, grouped by the queue they
// are offered for (global ones first), each queue's "required before the wrap-up closes" rule,
// and a form to add a code (GET/POST/PATCH/DELETE /api/admin/wrapup..., each change audited by
// the server). Calls keep the code they were given: renaming or deleting rewrites no history.

import type { Api } from "../api";
import { loadingBlock } from "../components/loading";
import { h } from "../dom";
import { t } from "../i18n";
import type { WrapupSetup } from "../types";
import { codeForm } from "../wrapupAdmin/codeForm";
import { errorText } from "../wrapupAdmin/fields";
import { queueGroup, type GroupActions } from "../wrapupAdmin/queueGroup";
import type { StaffView, StaffViewContext } from "./supervisor";

/** "" (the global codes) first, then every queue the PBX or a code or rule names, by name. */
export function groupQueues(setup: WrapupSetup, known: readonly string[]): string[] {
  const named = new Set([...known, ...setup.codes.map((c) => c.queue), ...setup.queues.map((q) => q.queue)]);
  named.delete("");
  return ["", ...[...named].sort((a, b) => a.localeCompare(b))];
}

export function renderWrapupAdmin(root: HTMLElement, ctx: StaffViewContext): StaffView {
  const api: Api = ctx.api;
  let alive = true;
  let known: string[] = [];
  const status = h("p", { class: "dead-progress", role: "status", "aria-live": "polite", "data-testid": "wrapup-status" });
  const groupsSlot = h("div", { class: "wrapup-groups" }, loadingBlock(t("wrapupAdmin.loading")));
  const formSlot = h("div");
  root.replaceChildren(
    h(
      "section",
      { class: "panel dead-page lead-page wrapup-page", "aria-labelledby": "wrapup-title" },
      h("div", { class: "dead-head" }, h("h2", { id: "wrapup-title", class: "dead-title" }, t("wrapupAdmin.title"))),
      h("p", { class: "muted dead-intro" }, t("wrapupAdmin.intro")),
      status,
      groupsSlot,
      formSlot,
    ),
  );
  const actions: GroupActions = {
    async done(message) {
      status.dataset.state = "delivered";
      status.textContent = message;
      await load();
    },
    failed(message) {
      status.dataset.state = "error";
      status.textContent = message;
    },
  };
  const load = async () => {
    try {
      const setup = await api.wrapupSetup();
      if (!alive) return;
      const required = new Map(setup.queues.map((q) => [q.queue, q.code_required]));
      groupsSlot.replaceChildren(
        ...groupQueues(setup, known).map((queue) =>
          queueGroup(api, queue, setup.codes.filter((c) => c.queue === queue), required.get(queue) ?? false, actions),
        ),
      );
    } catch (err) {
      if (alive) groupsSlot.replaceChildren(h("p", { class: "form-alert error", role: "alert" }, errorText(err, t("wrapupAdmin.could_not_load"))));
    }
  };
  void (async () => {
    try {
      known = await api.routingQueues();
    } catch {
      known = []; // the form still offers the global codes; the groups show the queues codes name
    }
    if (!alive) return;
    formSlot.replaceChildren(codeForm(api, known, (code) => actions.done(t("wrapupAdmin.added", { code }))));
    await load();
  })();
  return {
    destroy() {
      alive = false;
    },
  };
}
