// The supervisor page's "Keyword alerts": each `keyword_alert` frame of /ws/supervisor (a call
// whose transcript said a keyword rule's word), newest first, the last MAX_SHOWN kept.

import { h } from "../dom";
import { clockOf } from "../components/transcript";
import type { KeywordAlert } from "./model";
import { t } from "../i18n";

const MAX_SHOWN = 20;

export function keywordAlertPanel(hrefForContact: (id: number) => string): { element: HTMLElement; add(alert: KeywordAlert): void } {
  const list = h("ul", { class: "kw-alerts", "data-testid": "keyword-alerts", "aria-live": "polite" });
  const empty = h("p", { class: "empty" }, t("supervisor.no_keyword_alerts"));
  const element = h("div", { class: "panel", "data-testid": "keyword-alert-panel" }, h("h2", { class: "panel-title" }, t("supervisor.keyword_alerts")), empty, list);
  return {
    element,
    add(alert) {
      const first = alert.flags[0];
      const who = alert.contact_id ? h("a", { href: hrefForContact(alert.contact_id) }, alert.caller) : h("span", { class: "mono" }, alert.caller);
      const item = h(
        "li",
        { class: "kw-alert", "data-call-id": String(alert.call_id) },
        ...alert.keywords.map((k) => h("span", { class: "tag tone-bad" }, k)),
        " ",
        who,
        alert.agent ? h("span", { class: "muted" }, ` · ${t("staff.ext", { ext: alert.agent })}`) : null,
        first ? h("span", { class: "kw-alert-text" }, ` · ${clockOf(first.start_ms)} “${first.text}”`) : null,
      );
      list.prepend(item);
      while (list.children.length > MAX_SHOWN) list.lastElementChild?.remove();
      empty.hidden = true;
    },
  };
}
