// #/keywords (supervisors read, admins change): the keyword rules that flag a call whose
// transcript says a word or phrase ("cancel", "lawyer") and alert supervisors, and the
// transcription backlog (GET /api/transcripts/backlog: queued, being transcribed, failed).

import { ApiError, type Api } from "../api";
import { loadingBlock } from "../components/loading";
import { h } from "../dom";
import type { KeywordRule, TranscriptBacklog, User } from "../types";
import type { StaffView, StaffViewContext } from "./supervisor";
import { t } from "../i18n";

const SPEAKERS = () => ({ any: t("keywords.anyone"), caller: t("keywords.the_client"), agent: t("keywords.the_agent") }) as const;
type RuleSpeaker = keyof ReturnType<typeof SPEAKERS>;

function backlogLine(b: TranscriptBacklog): HTMLElement {
  const figure = (testId: string, label: string, value: number) => h("span", { class: "kw-figure", "data-testid": testId }, h("strong", null, String(value)), " ", label);
  return h(
    "p",
    { class: "kw-backlog", "data-testid": "transcript-backlog" },
    figure("backlog-queued", t("keywords.queued"), b.queued),
    figure("backlog-running", t("keywords.transcribing"), b.running),
    figure("backlog-failed", t("keywords.failed"), b.failed),
    figure("backlog-done", t("keywords.done"), b.done),
  );
}

function speakerSelect(id: string, value: RuleSpeaker): HTMLSelectElement {
  const options = Object.entries(SPEAKERS()).map(([key, label]) => h("option", { value: key, selected: key === value ? true : null }, label));
  return h("select", { id, name: "speaker", class: "input" }, ...options);
}

export function renderKeywordRules(root: HTMLElement, ctx: StaffViewContext, user: User | null): StaffView {
  const api: Api = ctx.api;
  const admin = user?.role === "admin";
  const status = h("p", { class: "kw-status", role: "status", "aria-live": "polite", "data-testid": "kw-status" });
  const backlog = h("div", { class: "kw-backlog-slot" }, loadingBlock(t("keywords.loading")));
  const table = h("div", { class: "kw-list" }, loadingBlock(t("keywords.loading")));
  const keyword = h("input", { id: "kw-keyword", name: "keyword", class: "input", required: true, maxlength: "100", autocomplete: "off" });
  const error = h("p", { id: "kw-keyword-error", class: "field-error", hidden: true });
  const speaker = speakerSelect("kw-speaker", "any");
  const form = h(
    "form",
    { class: "kw-form", "data-testid": "kw-form", novalidate: true },
    h("div", { class: "field" }, h("label", { for: "kw-keyword" }, t("keywords.word_or_phrase")), keyword, error),
    h("div", { class: "field" }, h("label", { for: "kw-speaker" }, t("keywords.said_by")), speaker),
    h("button", { type: "submit", class: "btn btn-primary" }, t("keywords.add_rule")),
  );

  const row = (rule: KeywordRule): HTMLTableRowElement => {
    const enabled = h("input", { type: "checkbox", checked: rule.enabled ? true : null, disabled: admin ? null : true, "aria-label": t("keywords.rule_on", { keyword: rule.keyword }) });
    enabled.addEventListener("change", () => void change(rule, () => api.patchKeywordRule(rule.id, { enabled: enabled.checked })));
    const remove = h("button", { type: "button", class: "btn btn-small", "aria-label": t("keywords.delete_keyword", { keyword: rule.keyword }) }, t("keywords.delete"));
    remove.addEventListener("click", () => void change(rule, () => api.deleteKeywordRule(rule.id)));
    return h(
      "tr",
      { "data-testid": "kw-rule", "data-keyword": rule.keyword },
      h("td", null, h("span", { class: "tag tone-bad" }, rule.keyword)),
      h("td", null, SPEAKERS()[rule.speaker as RuleSpeaker] ?? rule.speaker),
      h("td", null, enabled),
      h("td", { class: "num" }, admin ? remove : null),
    );
  };

  const draw = (rules: KeywordRule[]) => {
    if (!rules.length) {
      table.replaceChildren(h("p", { class: "empty" }, t("keywords.no_rules")));
      return;
    }
    const head = [t("keywords.keyword"), t("keywords.said_by"), t("keywords.on"), ""].map((label) => h("th", { scope: "col" }, label || h("span", { class: "visually-hidden" }, t("keywords.actions"))));
    table.replaceChildren(h("table", { class: "kw-table", "aria-label": t("keywords.keyword_rules") }, h("thead", null, h("tr", null, ...head)), h("tbody", null, ...rules.map(row))));
  };

  const load = async () => {
    try {
      const [rules, figures] = await Promise.all([api.keywordRules(), api.transcriptBacklog()]);
      draw(rules);
      backlog.replaceChildren(backlogLine(figures));
    } catch (err) {
      status.textContent = err instanceof Error ? err.message : t("keywords.could_not_load");
    }
  };

  async function change(rule: KeywordRule, act: () => Promise<unknown>): Promise<void> {
    try {
      await act();
      status.textContent = t("keywords.saved", { keyword: rule.keyword });
    } catch (err) {
      status.textContent = err instanceof Error ? err.message : t("keywords.not_saved");
    }
    await load();
  }

  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    error.hidden = true;
    keyword.removeAttribute("aria-invalid");
    const text = keyword.value.trim();
    void (async () => {
      try {
        const made = await api.createKeywordRule({ keyword: text, speaker: speaker.value as RuleSpeaker, enabled: true });
        keyword.value = "";
        status.textContent = t("keywords.added", { keyword: made.keyword });
        await load();
      } catch (err) {
        const message = err instanceof ApiError ? (err.fieldErrors.keyword ?? err.message) : t("keywords.not_saved");
        error.textContent = message;
        error.hidden = false;
        keyword.setAttribute("aria-invalid", "true");
        keyword.setAttribute("aria-describedby", "kw-keyword-error");
      }
    })();
  });

  root.replaceChildren(
    h(
      "section",
      { class: "panel kw-page", "aria-labelledby": "kw-title" },
      h("h2", { id: "kw-title" }, t("keywords.transcripts_and_keywords")),
      h("h3", null, t("keywords.transcription_backlog")),
      backlog,
      h("h3", null, t("keywords.keyword_rules")),
      h("p", { class: "muted" }, t("keywords.explain")),
      table,
      admin ? form : h("p", { class: "muted" }, t("keywords.admins_change")),
      status,
    ),
  );
  void load();
  return { destroy() {} };
}
