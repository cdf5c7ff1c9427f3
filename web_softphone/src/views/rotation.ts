// #/rotation (everyone): the cards nobody contacted for N days — an answered call either way, a
// note, a completed task — longest-quiet first, filtered by owner (staff), status, company tag and
// queue, with the last contact shown. Rows are selected for bulk actions: assign to an owner, plan
// call-backs spread over the next days, download the CSV (the selected rows, or all filtered).
// Agents see their own cards only (the server's rule; the owner filter is for staff).

import { ApiError } from "../api";
import { callbacksChanged } from "../callbacks/types";
import { loadingBlock, withBusy } from "../components/loading";
import { h } from "../dom";
import { formatFull, formatWhen, statusLabel } from "../format";
import {
  assignTo,
  browserZone,
  DEFAULT_FILTER,
  downloadCsv,
  isoDate,
  kindLabel,
  loadStale,
  PAGE_SIZE,
  planCallbacks,
  type RotationFilter,
  STATUSES,
} from "../rotation/model";
import type { BulkCallbacks, ContactStatus, Page, StaleContact, User } from "../types";
import type { StaffView, StaffViewContext } from "./supervisor";
import { t } from "../i18n";

interface Person {
  id: number;
  name: string;
}

const errorText = (err: unknown, fallback: string) => (err instanceof ApiError && Object.keys(err.fieldErrors).length ? Object.entries(err.fieldErrors).map(([field, reason]) => `${field}: ${reason}`).join(" ") : err instanceof Error ? err.message : fallback);

async function people(ctx: StaffViewContext, staff: boolean): Promise<Person[]> {
  if (staff) {
    const users = await ctx.api.request<User[]>("GET", "/users");
    return users.filter((u) => u.active).map((u) => ({ id: u.id, name: u.display_name || u.login }));
  }
  const seen = new Map<number, Person>();
  for (const entry of await ctx.api.staffDirectory()) seen.set(entry.user_id, { id: entry.user_id, name: entry.display_name || entry.login });
  return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function field(label: string, control: HTMLElement, id: string): HTMLElement {
  control.id = id;
  return h("div", { class: "field", "data-field": id }, h("label", { for: id }, label), control);
}

export function renderRotation(root: HTMLElement, ctx: StaffViewContext): StaffView {
  const user = ctx.api.user;
  const staff = !!user && (user.role === "supervisor" || user.role === "admin");
  let filter: RotationFilter = { ...DEFAULT_FILTER, statuses: [...DEFAULT_FILTER.statuses] };
  let offset = 0;
  let page: Page<StaleContact> | null = null;
  let alive = true;
  const selected = new Set<number>();

  // ---- the filter form ---------------------------------------------------------------------
  const days = h("input", { type: "number", min: "1", max: "36500", value: String(filter.days), required: true });
  const owner = h("select", null, h("option", { value: "" }, t("rotation.anyone")));
  const statusBoxes = STATUSES.map((status) => {
    const box = h("input", { type: "checkbox", value: status, checked: filter.statuses.includes(status) });
    return { status, box, label: h("label", { class: "rot-check" }, box, h("span", null, statusLabel(status))) };
  });
  const tag = h("input", { type: "text", maxlength: "64", placeholder: t("rotation.e_g_vip") });
  const queue = h("input", { type: "text", maxlength: "64", placeholder: t("rotation.e_g_sales") });
  const filterForm = h(
    "form",
    { class: "rot-filters", role: "search", "aria-label": t("rotation.rotation_filters") },
    field(t("rotation.not_contacted_for_days"), days, "rot-days"),
    staff ? field(t("rotation.owner"), owner, "rot-owner") : null,
    h("fieldset", { class: "rot-statuses" }, h("legend", null, t("rotation.status")), ...statusBoxes.map((s) => s.label)),
    field(t("rotation.company_tag"), tag, "rot-tag"),
    field(t("rotation.queue"), queue, "rot-queue"),
    h("div", { class: "rot-apply" }, h("button", { type: "submit", class: "btn btn-primary" }, t("rotation.show"))),
  );

  // ---- the bulk actions --------------------------------------------------------------------
  const selectedCount = h("span", { class: "rot-selected", "data-testid": "rot-selected" }, t("rotation.none_selected"));
  const assignee = h("select", null);
  const assignButton = h("button", { type: "submit", class: "btn", disabled: true }, t("rotation.assign"));
  const assignForm = h("form", { class: "rot-bulk-form", "aria-label": t("rotation.assign_the_selected_cards") }, field(t("rotation.assign_to"), assignee, "rot-assignee"), assignButton);
  const tomorrow = new Date(Date.now() + 86_400_000);
  const subject = h("input", { type: "text", maxlength: "200", required: true, value: t("rotation.rotation_check_in") });
  const firstDay = h("input", { type: "date", required: true, value: isoDate(tomorrow) });
  const spreadDays = h("input", { type: "number", min: "1", max: "31", value: "5", required: true });
  const autoDial = h("input", { type: "checkbox", id: "rot-autodial" });
  const planButton = h("button", { type: "submit", class: "btn", disabled: true }, t("rotation.plan_call_backs"));
  const planForm = h(
    "form",
    { class: "rot-bulk-form", "aria-label": t("rotation.plan_call_backs_for_the") },
    field(t("rotation.call_back_subject"), subject, "rot-subject"),
    field(t("rotation.from"), firstDay, "rot-first-day"),
    field(t("rotation.over_working_days"), spreadDays, "rot-spread"),
    h("label", { class: "rot-check rot-autodial", for: "rot-autodial" }, autoDial, h("span", null, t("rotation.auto_dial"))),
    planButton,
  );
  const csvButton = h("button", { type: "button", class: "btn", "data-testid": "rot-csv" }, t("rotation.download_csv"));
  const outcome = h("p", { class: "rot-outcome", role: "status", "aria-live": "polite", "data-testid": "rot-outcome" });
  const bulk = h("section", { class: "rot-bulk", "aria-label": t("rotation.bulk_actions") }, selectedCount, assignForm, planForm, h("div", { class: "rot-csv" }, csvButton));

  // ---- the list ----------------------------------------------------------------------------
  const total = h("span", { class: "count", "data-testid": "rot-total" }, "…");
  const listSlot = h("div", { class: "rot-list" }, loadingBlock(t("rotation.finding_quiet_cards")));
  const pager = h("nav", { class: "rot-pager", "aria-label": t("rotation.pages_of_the_list") });

  root.replaceChildren(
    h(
      "section",
      { class: "panel rot-page", "aria-labelledby": "rot-title" },
      h("h2", { id: "rot-title", class: "dead-title" }, t("rotation.rotation_not_contacted"), total),
      h("p", { class: "muted dead-intro" }, staff ? t("rotation.leads_and_clients_nobody_has") : t("rotation.your_leads_and_clients_nobody")),
      filterForm,
      bulk,
      outcome,
      listSlot,
      pager,
    ),
  );

  const say = (text: string, state: "ok" | "error" | "busy") => {
    outcome.textContent = text;
    outcome.dataset.state = state;
  };

  const showSelection = () => {
    const n = selected.size;
    selectedCount.textContent = n ? t("rotation.value_selected", { value: t("rotation.cards", { count: n }) }) : t("rotation.none_selected");
    assignButton.disabled = n === 0 || !assignee.value;
    planButton.disabled = n === 0;
    csvButton.textContent = n ? t("rotation.download_csv_value", { value: t("rotation.selected_rows", { count: n }) }) : t("rotation.download_csv_all_value", { value: page?.total ?? 0 });
  };

  const row = (item: StaleContact) => {
    const box = h("input", { type: "checkbox", "aria-label": t("rotation.select_full_name", { full_name: item.full_name }), checked: selected.has(item.id) });
    box.addEventListener("change", () => {
      if (box.checked) selected.add(item.id);
      else selected.delete(item.id);
      showSelection();
    });
    const last = item.last_contact_at;
    return h(
      "tr",
      { "data-testid": "rotation-row", "data-contact-id": String(item.id) },
      h("td", null, box),
      h("td", null, h("a", { href: ctx.hrefForContact(item.id) }, item.full_name)),
      h("td", null, item.company?.name ?? "—"),
      h("td", null, statusLabel(item.status)),
      h("td", { "data-testid": "rot-owner" }, item.owner ? item.owner.display_name || item.owner.login : t("rotation.nobody")),
      h("td", { "data-testid": "rot-last" }, h("span", { class: "rot-kind" }, kindLabel(item.last_contact_kind)), last ? h("time", { datetime: last, title: formatFull(last) }, formatWhen(last)) : h("small", { class: "muted" }, t("rotation.card_from_value", { value: formatWhen(item.created_at) }))),
      h("td", { class: "num", "data-testid": "rot-days-since" }, String(item.days_since)),
    );
  };

  const showPage = () => {
    if (!page) return;
    total.textContent = String(page.total);
    if (!page.items.length) {
      listSlot.replaceChildren(h("div", { class: "placeholder", "data-testid": "rot-empty" }, h("h3", null, t("rotation.nobody_is_waiting")), h("p", null, t("rotation.every_card_matching_the_filter"))));
    } else {
      const all = h("input", { type: "checkbox", "aria-label": t("rotation.select_every_row_on_this"), checked: page.items.every((i) => selected.has(i.id)) });
      all.addEventListener("change", () => {
        for (const item of page?.items ?? []) {
          if (all.checked) selected.add(item.id);
          else selected.delete(item.id);
        }
        showPage();
      });
      const heads = [t("rotation.name"), t("rotation.company"), t("rotation.status"), t("rotation.owner"), t("rotation.last_contact"), t("rotation.days")].map((label) => h("th", { scope: "col", class: label === t("rotation.days") ? "num" : "" }, label));
      listSlot.replaceChildren(h("table", { class: "dead-table rot-table", "aria-label": t("rotation.cards_not_contacted") }, h("thead", null, h("tr", null, h("th", { scope: "col" }, all), ...heads)), h("tbody", null, ...page.items.map(row))));
    }
    const from = page.total ? offset + 1 : 0;
    const to = Math.min(offset + PAGE_SIZE, page.total);
    const prev = h("button", { type: "button", class: "btn btn-small", disabled: offset === 0 }, t("rotation.previous"));
    const next = h("button", { type: "button", class: "btn btn-small", disabled: to >= page.total }, t("rotation.next"));
    prev.addEventListener("click", () => void load(Math.max(0, offset - PAGE_SIZE)));
    next.addEventListener("click", () => void load(offset + PAGE_SIZE));
    pager.replaceChildren(prev, h("span", { class: "muted" }, t("rotation.from_to_of_total", { from, to, total: page.total })), next);
    showSelection();
  };

  const load = async (at = 0) => {
    listSlot.setAttribute("aria-busy", "true");
    try {
      const answer = await loadStale(ctx.api, filter, at);
      if (!alive) return;
      offset = at;
      page = answer;
      showPage();
    } catch (err) {
      if (alive) listSlot.replaceChildren(h("p", { class: "form-alert error", role: "alert" }, errorText(err, t("rotation.could_not_load_the_list"))));
    } finally {
      listSlot.removeAttribute("aria-busy");
    }
  };

  filterForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const statuses = statusBoxes.filter((s) => s.box.checked).map((s) => s.status as ContactStatus);
    filter = { days: Number(days.value) || 30, ownerId: owner.value ? Number(owner.value) : null, statuses, tag: tag.value, queue: queue.value };
    selected.clear();
    void load(0);
  });

  assignForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const ids = [...selected];
    const to = assignee.selectedOptions[0]?.textContent ?? "";
    say(t("rotation.assigning_value_to_to", { value: t("rotation.cards", { count: ids.length }), to }), "busy");
    void withBusy(assignButton, t("rotation.assigning"), async () => {
      try {
        const done = await assignTo(ctx.api, ids, Number(assignee.value));
        say(t("rotation.assigned_value_to_to_value2", { value: t("rotation.cards", { count: done.assigned }), to, value2: done.unchanged ? t("rotation.unchanged_already_theirs", { unchanged: done.unchanged }) : "" }), "ok");
        selected.clear();
        await load(offset);
      } catch (err) {
        say(errorText(err, t("rotation.the_cards_could_not_be")), "error");
      }
    }).then(showSelection);
  });

  planForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const ids = [...selected];
    say(t("rotation.planning_value", { value: t("rotation.callbacks", { count: ids.length }) }), "busy");
    void withBusy(planButton, t("rotation.planning"), async () => {
      try {
        const planned = await planCallbacks(ctx.api, { contact_ids: ids, subject: subject.value, first_day: firstDay.value, days: Number(spreadDays.value) || 1, auto_dial: autoDial.checked, time_zone: browserZone() as BulkCallbacks["time_zone"] });
        const dues = planned.map((c) => c.due_at).filter((d): d is string => !!d).sort();
        const span = dues.length ? t("rotation.from_value_to_value2", { value: formatWhen(dues[0]), value2: formatWhen(dues[dues.length - 1]) }) : "";
        say(t("rotation.planned_value_span", { value: t("rotation.callbacks", { count: planned.length }), span }), "ok");
        selected.clear();
        callbacksChanged();
        showPage();
      } catch (err) {
        say(errorText(err, t("rotation.the_call_backs_could_not")), "error");
      }
    }).then(showSelection);
  });

  csvButton.addEventListener("click", () => {
    const ids = [...selected];
    say(ids.length ? t("rotation.preparing_the_csv_of_value", { value: t("rotation.selected_rows", { count: ids.length }) }) : t("rotation.preparing_the_csv_of_all", { value: page?.total ?? 0 }), "busy");
    void withBusy(csvButton, t("rotation.preparing_csv"), async () => {
      try {
        await downloadCsv(ctx.api, filter, ids);
        say(t("rotation.csv_downloaded"), "ok");
      } catch (err) {
        say(errorText(err, t("rotation.the_csv_could_not_be")), "error");
      }
    }).then(showSelection);
  });

  assignee.addEventListener("change", showSelection);
  void people(ctx, staff)
    .then((found) => {
      if (!alive) return;
      const options = (selectedId: number | null) => found.map((p) => h("option", { value: String(p.id), selected: p.id === selectedId }, p.name));
      owner.append(...options(null));
      assignee.replaceChildren(...options(user?.id ?? null));
      showSelection();
    })
    .catch((err: unknown) => say(errorText(err, t("rotation.could_not_load_the_people")), "error"));
  void load(0);
  return {
    destroy() {
      alive = false;
    },
  };
}
