// #/leads (supervisors and admins): lead distribution. The rules that give every new lead an
// owner (GET /api/admin/lead-rules; admins switch, move, delete and add them, a refused rule
// shows the server's reason by its field), and the newest leads with who has them and why
// (GET /api/leads), to select and give to another owner (POST /api/leads/reassign).

import { ApiError, type Api } from "../api";
import { loadingBlock } from "../components/loading";
import { h } from "../dom";
import { formatFull, formatWhen } from "../format";
import type { StaffName } from "../staff";
import type { LeadRow, LeadRuleOut, LeadRuleSpec, User } from "../types";
import type { StaffView, StaffViewContext } from "./supervisor";
import { t } from "../i18n";

function errorText(err: unknown, fallback: string): string {
  return err instanceof Error ? err.message : fallback;
}

function list(text: string): string[] {
  return text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
}

export function whenText(rule: LeadRuleSpec): string {
  const w = rule.when;
  const parts = [
    w?.sources?.length ? t("leadRules.from_value", { value: w.sources.join(" or ") }) : "",
    w?.dids?.length ? t("leadRules.did_value", { value: w.dids.join(", ") }) : "",
    w?.countries?.length ? t("leadRules.country_value", { value: w.countries.join(", ") }) : "",
    w?.prefixes?.length ? t("leadRules.number_value", { value: w.prefixes.map((p) => `${p}…`).join(", ") }) : "",
    w?.languages?.length ? t("leadRules.language_value", { value: w.languages.join(", ") }) : "",
  ].filter(Boolean);
  return parts.length ? parts.join("; ") : t("leadRules.every_new_lead");
}

export function poolText(rule: LeadRuleSpec): string {
  const pool = "queue" in rule.pool ? t("leadRules.members_of_queue_queue", { queue: rule.pool.queue }) : t("leadRules.team_value", { value: rule.pool.members.join(", ") });
  const extras = [rule.daily_cap ? t("leadRules.at_most_daily_cap_a", { daily_cap: rule.daily_cap }) : "", rule.skip_away ?? true ? t("leadRules.skips_reps_who_are_away") : ""].filter(Boolean);
  return [t("leadRules.round_robin_among_pool", { pool }), ...extras].join(", ");
}

const FIELDS = ["name", "kind", "queue", "members", "sources", "dids", "countries", "prefixes", "languages", "daily_cap"] as const;
type FieldName = (typeof FIELDS)[number];

function field(label: string, input: HTMLElement, name: FieldName, hint = ""): { row: HTMLElement; error: HTMLElement } {
  const id = `lead-rule-${name}`;
  input.id = id;
  const error = h("small", { class: "field-error", id: `${id}-error`, "data-error-for": name });
  input.setAttribute("aria-describedby", `${id}-error`);
  const row = h("div", { class: "lead-field" }, h("label", { for: id }, label), input, hint ? h("small", { class: "muted" }, hint) : null, error);
  return { row, error };
}

function ruleForm(api: Api, queues: string[], onMade: () => Promise<void>): HTMLElement {
  const name = h("input", { type: "text", maxlength: "100", required: true, placeholder: t("leadRules.sales_round_robin") });
  const kind = h("select", null, h("option", { value: "queue" }, t("leadRules.queue_members")), h("option", { value: "team" }, t("leadRules.a_team_of_reps")));
  const queue = h("select", null, ...queues.map((q) => h("option", { value: q }, q)));
  const members = h("input", { type: "text", placeholder: t("leadRules.logins_eva_petr") });
  const sources = h("input", { type: "text", placeholder: t("leadRules.call_import_api_empty_any") });
  const dids = h("input", { type: "text", placeholder: "100, 200" });
  const countries = h("input", { type: "text", placeholder: t("leadRules.sk_cz") });
  const prefixes = h("input", { type: "text", placeholder: "+4212" });
  const languages = h("input", { type: "text", placeholder: t("leadRules.sk_hu") });
  const cap = h("input", { type: "number", min: "1", placeholder: t("leadRules.no_cap") });
  const skip = h("input", { type: "checkbox", id: "lead-rule-skip", checked: true });
  const inputs: Record<FieldName, HTMLInputElement | HTMLSelectElement> = { name, kind, queue, members, sources, dids, countries, prefixes, languages, daily_cap: cap };
  const rows = {
    name: field(t("leadRules.name"), name, "name"),
    kind: field(t("leadRules.hand_leads_to"), kind, "kind"),
    queue: field(t("leadRules.queue"), queue, "queue"),
    members: field(t("leadRules.team"), members, "members", t("leadRules.logins_in_any_order_turns")),
    sources: field(t("leadRules.leads_from"), sources, "sources"),
    dids: field(t("leadRules.did_dialled"), dids, "dids"),
    countries: field(t("leadRules.caller_s_country"), countries, "countries", t("leadRules.iso_codes_from_the_caller")),
    prefixes: field(t("leadRules.number_starts_with"), prefixes, "prefixes", t("leadRules.a_region_4212_is_bratislava")),
    languages: field(t("leadRules.language"), languages, "languages"),
    daily_cap: field(t("leadRules.daily_cap_per_rep"), cap, "daily_cap"),
  };
  const alert = h("p", { class: "form-alert error", role: "alert", hidden: true });
  const submit = h("button", { type: "submit", class: "btn btn-primary" }, t("leadRules.add_rule"));
  const showPool = () => {
    rows.queue.row.hidden = kind.value !== "queue";
    rows.members.row.hidden = kind.value !== "team";
  };
  kind.addEventListener("change", showPool);
  showPool();
  const form = h(
    "form",
    { class: "lead-form", "aria-labelledby": "lead-form-title", novalidate: true },
    h("h3", { id: "lead-form-title" }, t("leadRules.add_a_rule")),
    h("div", { class: "lead-grid" }, ...Object.values(rows).map((r) => r.row), h("div", { class: "lead-field lead-check" }, skip, h("label", { for: "lead-rule-skip" }, t("leadRules.skip_reps_who_are_paused")))),
    alert,
    h("div", { class: "lead-form-actions" }, submit),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    for (const r of Object.values(rows)) r.error.textContent = "";
    for (const input of Object.values(inputs)) input.removeAttribute("aria-invalid");
    alert.hidden = true;
    const pool = kind.value === "queue" ? { kind: "queue" as const, queue: queue.value } : { kind: "team" as const, members: list(members.value) };
    const body = {
      name: name.value.trim(),
      pool,
      when: { sources: list(sources.value) as ("call" | "import" | "api")[], dids: list(dids.value), countries: list(countries.value.toUpperCase()) as NonNullable<NonNullable<LeadRuleSpec["when"]>["countries"]>, prefixes: list(prefixes.value), languages: list(languages.value.toLowerCase()) },
      daily_cap: cap.value ? Number(cap.value) : null,
      skip_away: skip.checked,
    };
    submit.disabled = true;
    void api
      .createLeadRule(body)
      .then(async () => {
        form.reset();
        showPool();
        await onMade();
      })
      .catch((err: unknown) => {
        const named = err instanceof ApiError ? Object.entries(err.fieldErrors) : [];
        for (const [key, reason] of named) {
          const last = key.split(".").pop() ?? key;
          const which = (FIELDS as readonly string[]).includes(last) ? (last as FieldName) : null;
          if (which) {
            rows[which].error.textContent = reason;
            inputs[which].setAttribute("aria-invalid", "true");
          }
        }
        alert.textContent = named.length ? t("leadRules.not_saved_value", { value: named.map(([k, r]) => `${k}: ${r}`).join("; ") }) : errorText(err, t("leadRules.the_rule_was_not_saved"));
        alert.hidden = false;
      })
      .finally(() => {
        submit.disabled = false;
      });
  });
  return form;
}

function rulesTable(rules: readonly LeadRuleOut[], admin: boolean, act: (rule: LeadRuleOut, what: "toggle" | "up" | "down" | "delete") => void): HTMLElement {
  const head = ["#", t("leadRules.rule"), t("leadRules.which_leads"), t("leadRules.who_gets_them"), t("leadRules.on"), ""].map((label) => h("th", { scope: "col" }, label || h("span", { class: "visually-hidden" }, t("leadRules.actions"))));
  const row = (r: LeadRuleOut) => {
    const on = h("input", { type: "checkbox", checked: r.rule.enabled ?? true, disabled: !admin, "aria-label": t("leadRules.rule_name_on", { name: r.rule.name }) });
    on.addEventListener("change", () => act(r, "toggle"));
    const button = (label: string, what: "up" | "down" | "delete", disabled = false) => {
      const b = h("button", { type: "button", class: "btn btn-small", disabled, "aria-label": `${label} ${r.rule.name}` }, label);
      b.addEventListener("click", () => act(r, what));
      return b;
    };
    return h(
      "tr",
      { "data-testid": "lead-rule", "data-enabled": String(r.rule.enabled ?? true) },
      h("td", { class: "num" }, String(r.position)),
      h("td", { class: "lead-rule-name" }, r.rule.name),
      h("td", null, whenText(r.rule)),
      h("td", null, poolText(r.rule)),
      h("td", null, on),
      h("td", { class: "lead-row-actions" }, ...(admin ? [button(t("leadRules.up"), "up", r.position === 1), button(t("leadRules.down"), "down", r.position === rules.length), button(t("leadRules.delete"), "delete")] : [])),
    );
  };
  return h("table", { class: "dead-table lead-table", "aria-label": t("leadRules.lead_rules") }, h("thead", null, h("tr", null, ...head)), h("tbody", null, ...rules.map(row)));
}

function leadsTable(leads: readonly LeadRow[], selected: Set<number>, onChange: () => void, hrefFor: (id: number) => string): HTMLElement {
  const all = h("input", { type: "checkbox", "aria-label": t("leadRules.select_every_lead") });
  all.addEventListener("change", () => {
    for (const lead of leads) {
      if (all.checked) selected.add(lead.id);
      else selected.delete(lead.id);
    }
    for (const box of body.querySelectorAll<HTMLInputElement>("input[type=checkbox]")) box.checked = all.checked;
    onChange();
  });
  const body = h(
    "tbody",
    null,
    ...leads.map((lead) => {
      const box = h("input", { type: "checkbox", checked: selected.has(lead.id), "aria-label": t("leadRules.select_value", { value: lead.name || lead.phone }) });
      box.addEventListener("change", () => {
        if (box.checked) selected.add(lead.id);
        else selected.delete(lead.id);
        onChange();
      });
      return h(
        "tr",
        { "data-testid": "lead", "data-lead": String(lead.id) },
        h("td", null, box),
        h("td", null, h("a", { href: hrefFor(lead.id) }, lead.name || lead.phone), h("small", { class: "muted lead-phone" }, lead.phone)),
        h("td", null, lead.source || "—"),
        h("td", { "data-field": "owner" }, lead.owner ? lead.owner.display_name || lead.owner.login : t("leadRules.unassigned")),
        h("td", { class: "lead-reason", "data-field": "reason" }, lead.assignment_reason || "—"),
        h("td", null, h("time", { datetime: lead.created_at, title: formatFull(lead.created_at) }, formatWhen(lead.created_at))),
      );
    }),
  );
  const head = h("tr", null, h("th", { scope: "col" }, all), ...[t("leadRules.lead"), t("leadRules.from"), t("leadRules.owner"), t("leadRules.why"), t("leadRules.created")].map((label) => h("th", { scope: "col" }, label)));
  return h("table", { class: "dead-table lead-table", "aria-label": t("leadRules.new_leads") }, h("thead", null, head), body);
}

export function renderLeadRules(root: HTMLElement, ctx: StaffViewContext, user: User | null): StaffView {
  const api: Api = ctx.api;
  const admin = user?.role === "admin";
  let alive = true;
  let rules: LeadRuleOut[] = [];
  let leads: LeadRow[] = [];
  let owners: StaffName[] = [];
  const selected = new Set<number>();
  const rulesSlot = h("div", null, loadingBlock(t("leadRules.loading_lead_rules")));
  const formSlot = h("div");
  const leadsSlot = h("div", null, loadingBlock(t("leadRules.loading_leads")));
  const status = h("p", { class: "dead-progress", role: "status", "aria-live": "polite", "data-testid": "lead-status" });
  const owner = h("select", { id: "lead-owner" });
  const reassign = h("button", { type: "button", class: "btn btn-primary", disabled: true }, t("leadRules.reassign"));
  const countSelected = () => {
    reassign.disabled = selected.size === 0 || !owner.value;
    reassign.textContent = selected.size ? t("leadRules.reassign_size_selected", { size: selected.size }) : t("leadRules.reassign");
  };
  owner.addEventListener("change", countSelected);
  root.replaceChildren(
    h(
      "section",
      { class: "panel dead-page lead-page", "aria-labelledby": "lead-title" },
      h("div", { class: "dead-head" }, h("h2", { id: "lead-title", class: "dead-title" }, t("leadRules.lead_distribution"))),
      h("p", { class: "muted dead-intro" }, t("leadRules.every_new_lead_from_a")),
      h("h3", { class: "lead-sub" }, t("leadRules.rules")),
      rulesSlot,
      formSlot,
      h("h3", { class: "lead-sub" }, t("leadRules.new_leads")),
      h("div", { class: "lead-reassign" }, h("label", { for: "lead-owner" }, t("leadRules.new_owner")), owner, reassign),
      status,
      leadsSlot,
    ),
  );

  const showRules = () => {
    rulesSlot.replaceChildren(rules.length ? rulesTable(rules, admin, (r, what) => void act(r, what)) : h("p", { class: "placeholder", "data-testid": "lead-rules-empty" }, t("leadRules.no_rules_yet_new_leads")));
  };
  const showLeads = () => {
    leadsSlot.replaceChildren(leads.length ? leadsTable(leads, selected, countSelected, ctx.hrefForContact) : h("p", { class: "placeholder" }, t("leadRules.no_leads_yet")));
    countSelected();
  };
  const loadRules = async () => {
    try {
      rules = await api.leadRules();
      if (alive) showRules();
    } catch (err) {
      if (alive) rulesSlot.replaceChildren(h("p", { class: "form-alert error", role: "alert" }, errorText(err, t("leadRules.could_not_load_the_rules"))));
    }
  };
  const loadLeads = async () => {
    try {
      leads = await api.recentLeads();
      if (alive) showLeads();
    } catch (err) {
      if (alive) leadsSlot.replaceChildren(h("p", { class: "form-alert error", role: "alert" }, errorText(err, t("leadRules.could_not_load_the_leads"))));
    }
  };
  const act = async (rule: LeadRuleOut, what: "toggle" | "up" | "down" | "delete") => {
    try {
      if (what === "delete") await api.deleteLeadRule(rule.id);
      else if (what === "toggle") await api.patchLeadRule(rule.id, { enabled: !(rule.rule.enabled ?? true) });
      else await api.patchLeadRule(rule.id, { position: rule.position + (what === "up" ? -1 : 1) });
      status.textContent = what === "delete" ? t("leadRules.rule_name_deleted", { name: rule.rule.name }) : t("leadRules.rule_name_saved", { name: rule.rule.name });
    } catch (err) {
      status.textContent = errorText(err, t("leadRules.the_rule_was_not_changed"));
    }
    await loadRules();
  };
  reassign.addEventListener("click", () => {
    const ids = [...selected];
    reassign.disabled = true;
    status.textContent = t("leadRules.reassigning_length", { length: ids.length });
    void api
      .reassignLeads(ids, Number(owner.value))
      .then(async (done) => {
        status.textContent = t("leadRules.reassigned_now_with", { count: done.reassigned, owner: done.owner.display_name || done.owner.login });
        selected.clear();
        await loadLeads();
      })
      .catch((err: unknown) => {
        status.textContent = errorText(err, t("leadRules.the_leads_were_not_reassigned"));
        countSelected();
      });
  });

  void (async () => {
    try {
      const [directory, queues] = await Promise.all([api.staffDirectory(), admin ? api.routingQueues() : Promise.resolve([])]);
      const seen = new Set<number>();
      owners = directory.filter((d) => !seen.has(d.user_id) && seen.add(d.user_id));
      owner.replaceChildren(h("option", { value: "" }, t("leadRules.choose")), ...owners.map((o) => h("option", { value: String(o.user_id) }, o.display_name || o.login)));
      if (admin && alive) formSlot.replaceChildren(ruleForm(api, queues, loadRules));
    } catch (err) {
      status.textContent = errorText(err, t("leadRules.could_not_load_the_reps"));
    }
  })();
  void loadRules();
  void loadLeads();
  return {
    destroy() {
      alive = false;
    },
  };
}
